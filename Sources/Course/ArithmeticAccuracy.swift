import LanguageModel
import RLHF
import TensorCore
import World

/// How well a policy answers sums and differences: several sampled answers per problem at
/// the evaluation's temperature, each graded by the verifiable reward (the answer's last
/// number is the exact result).
///
/// Chapter 02 measures its policies with it on the small problems chapter 07 trains GRPO
/// on (numbers from 1 to 9), and chapter 07 measures GRPO's progress with it.
public struct ArithmeticAccuracy: Sendable {
    /// Mean over problems of the share of its answers that are right.
    public let right: Double
    /// Its standard error over problems: the answers to one problem are not independent
    /// draws of the accuracy, so problems, not answers, are the units.
    public let standardError: Double
    /// Share of answers that write both of the question's numbers (`ArithmeticProblem.isRestated`,
    /// the rule of the held-out evaluation and of chapter 01's quiz lines).
    public let restated: Double
    public let problems: Int, answersPerProblem: Int

    /// Samples `answersPerProblem` answers to each of `prompts` (arithmetic prompts only).
    public static func measure(_ policy: GPT, tokenizer: BytePairTokenizer, prompts: [Prompt], answersPerProblem: Int,
                               maxNewTokens: Int, rng: inout RandomGenerator) -> ArithmeticAccuracy {
        precondition(prompts.allSatisfy { $0.arithmetic != nil }, "ArithmeticAccuracy: every prompt must be a sum or difference")
        let requests = prompts.flatMap { Array(repeating: $0, count: answersPerProblem) }
        let answers = sampleRollouts(policy: policy, tokenizer: tokenizer, prompts: requests.map(\.text),
                                     maxNewTokens: maxNewTokens, sampling: HeldOutEvaluation.sampling,
                                     batchSize: 64, rng: &rng)
        let perProblem = (0..<prompts.count).map { p in
            mean((0..<answersPerProblem).map { k in
                Double(VerifiableReward.reward(requests[p * answersPerProblem + k], response: answers[p * answersPerProblem + k].response)!)
            })
        }
        let restated = zip(requests, answers).map { prompt, answer in prompt.arithmetic!.isRestated(in: answer.response) ? 1.0 : 0 }
        return ArithmeticAccuracy(right: mean(perProblem), standardError: RLHF.standardError(perProblem), restated: mean(restated),
                                  problems: prompts.count, answersPerProblem: answersPerProblem)
    }
}
