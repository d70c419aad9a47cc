/// A reward that needs no judge: whether an arithmetic answer is right, read off the
/// response the way graders of math benchmarks (GSM8K and its successors) read it, by
/// taking the last number in the text as the answer.
///
/// It is exact and cannot be gamed by style, which is why RL on math and code uses rewards
/// like it; it is also all-or-nothing, so a group of answers to one prompt often gets the
/// same reward for every answer (chapter 07 measures how often).
public enum VerifiableReward {
    /// The number a response gives as its answer: the last one in it, or nil when it has none.
    public static func answer(in response: String) -> Int? {
        TextAnalysis.numbers(in: response).last
    }

    /// 1 when the last number of `response` is the prompt's exact answer, else 0; nil for a
    /// prompt that is not arithmetic.
    public static func reward(_ prompt: Prompt, response: String) -> Float? {
        guard let expected = prompt.arithmeticAnswer else { return nil }
        return answer(in: response) == expected ? 1 : 0
    }
}
