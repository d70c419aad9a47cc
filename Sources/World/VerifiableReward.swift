/// A reward that needs no judge: whether an arithmetic answer is right, read off the
/// response as graders of math benchmarks (GSM8K and its successors) read it, by the last
/// number, here once the question's own numbers are set aside
/// (`ArithmeticProblem.answerGiven`), so that saying the question back is not an answer.
///
/// It is exact and cannot be gamed by style, which is why RL on math and code uses rewards
/// like it; it is also all-or-nothing, so a group of answers to one prompt often gets the
/// same reward for every answer (chapter 07 measures how often).
public enum VerifiableReward {
    /// 1 when the answer `response` gives is the prompt's exact result, else 0; nil for a
    /// prompt that is not arithmetic.
    public static func reward(_ prompt: Prompt, response: String) -> Float? {
        guard let problem = prompt.arithmetic else { return nil }
        return problem.isAnsweredRight(in: response) ? 1 : 0
    }
}
