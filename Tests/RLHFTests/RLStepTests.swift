import Foundation
import XCTest
import LanguageModel
import TensorCore
@testable import RLHF

/// The pieces of a PPO or GRPO step, each against values worked out by hand.
final class RLStepTests: XCTestCase {
    static func tinyModel(vocabulary: Int = 12) -> GPT {
        var rng = RandomGenerator(seed: 3)
        return GPT(config: GPTConfig(vocabularySize: vocabulary, contextLength: 16, layerCount: 1, headCount: 2, modelWidth: 8),
                   rng: &rng)
    }

    // MARK: - Layout

    /// Prompts (1 2) and (3), responses (4 5 6) and (7): P = 2, R = 3, five columns.
    func testRolloutBatchPutsEveryResponseTokenInTheSameColumns() {
        let batch = RolloutBatch(prompts: [[1, 2], [3]], responses: [[4, 5, 6], [7]], padTokenId: 0)
        XCTAssertEqual(batch.promptLength, 2)
        XCTAssertEqual(batch.responseLength, 3)
        XCTAssertEqual(batch.tokens.ids, [1, 2, 4, 5, 6, 0, 3, 7, 0, 0])
        XCTAssertEqual(batch.tokens.attentionMask, [1, 1, 1, 1, 1, 0, 1, 1, 0, 0])
        XCTAssertEqual(Array(batch.tokens.positionIds![0..<5]), [0, 1, 2, 3, 4])
        XCTAssertEqual(Array(batch.tokens.positionIds![6..<8]), [0, 1])
        XCTAssertEqual(batch.responseMask, [1, 1, 1, 1, 0, 0])
        XCTAssertEqual(batch.targets, [4, 5, 6, 7, 0, 0])
    }

    /// The log-probs of the batch equal those of each row alone, token for token.
    func testPolicyForwardEqualsEachRowAlone() {
        let model = Self.tinyModel()
        let prompts = [[1, 2, 3], [4], [5, 6]], responses = [[7, 8], [9, 10, 11], [2]]
        let forward = Autograd.withoutGradients { model.policyForward(RolloutBatch(prompts: prompts, responses: responses)) }
        for b in 0..<3 {
            let alone = Autograd.withoutGradients {
                model.sequenceLogProbs(prompts: [prompts[b]], responses: [responses[b]]).responseValues(ofRow: 0)
            }
            for (j, value) in alone.enumerated() {
                XCTAssertEqual(forward.logProbs.data[b * 3 + j], value, accuracy: 1e-5, "row \(b) token \(j)")
            }
        }
        XCTAssertEqual(forward.mask.data, [1, 1, 0, 1, 1, 1, 1, 0, 0])
        XCTAssertEqual(forward.entropy.shape, [3, 3])
    }

    /// V(s_j) is the value of the state *before* response token j: for row (prompt 1 2 3,
    /// response 7 8) that is the critic's output at the prompt's last token (column 2 of the
    /// row alone) for j = 0 and at token 7 (column 3) for j = 1 — never at the token itself.
    func testCriticValuesAreReadAtTheStateBeforeEachToken() {
        var rng = RandomGenerator(seed: 5)
        let critic = ScalarModel(body: Self.tinyModel(), rng: &rng)
        let prompts = [[1, 2, 3], [4]], responses = [[7, 8], [9, 10, 11]]
        let values = Autograd.withoutGradients { critic.stateValues(RolloutBatch(prompts: prompts, responses: responses)) }
        for b in 0..<2 {
            let row = prompts[b] + responses[b]
            let alone = Autograd.withoutGradients { critic.values(TokenBatch(rows: [row])) }.data
            for j in 0..<responses[b].count {
                XCTAssertEqual(values.data[b * 3 + j], alone[prompts[b].count - 1 + j], accuracy: 1e-5, "row \(b) state \(j)")
            }
        }
    }

    // MARK: - Rewards, GAE, whitening

    func rollout(_ tokens: [Int], ended: Bool) -> Rollout {
        Rollout(prompt: "p", promptTokens: [1], responseTokens: tokens, logProbs: tokens.map { _ in -1 },
                endedWithEndOfText: ended, response: "r")
    }

    /// δ = log π_old − log π_ref = (0.5, −1), β = 0.1, k1: r = (−0.05, 0.1) + score 2 at the
    /// last token = (−0.05, 2.1). Cut at the limit with penalty 1: (−0.05, 1.1); score
    /// clipped at 1.5: (−0.05, 1.6). k3 per token: e^{−δ} − 1 + δ = (0.1065307, 0.7182818).
    func testKLPenalizedRewardsPutTheScoreAtTheLastToken() {
        var experience = ExperienceBatch(rollouts: [rollout([5, 6], ended: true), rollout([5, 6], ended: false)], scores: [2, 2])
        experience.oldLogProbs = [-1, -2, -1, -2]
        experience.referenceLogProbs = [-1.5, -1, -1.5, -1]
        let plain = KLPenalizedRewards(klCoefficient: 0.1).rewards(for: experience)
        for (x, y) in zip(plain.rewards, [-0.05, 2.1, -0.05, 2.1] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        XCTAssertEqual(plain.klPenalties[0], 0.05, accuracy: 1e-6)
        let cut = KLPenalizedRewards(klCoefficient: 0.1, truncationPenalty: 1).rewards(for: experience).rewards
        XCTAssertEqual(cut[1], 2.1, accuracy: 1e-6, "ended: no penalty")
        XCTAssertEqual(cut[3], 1.1, accuracy: 1e-6)
        let clipped = KLPenalizedRewards(klCoefficient: 0.1, scoreClip: 1.5).rewards(for: experience).rewards
        XCTAssertEqual(clipped[1], 1.6, accuracy: 1e-6)
        let k3 = KLPenalizedRewards(klCoefficient: 1, estimator: .k3).rewards(for: experience).rewards
        XCTAssertEqual(k3[0], -0.1065307, accuracy: 1e-6)
        XCTAssertEqual(k3[1], 2 - 0.7182818, accuracy: 1e-6)
    }

    /// β = 0.1, target 6, horizon 10,000, 512 samples: KL 12 is +100% error, clipped to
    /// +20%: β · (1 + 0.2 · 512/10,000) = 0.101024; KL 3 is −50%, clipped to −20%.
    func testAdaptiveKLControllerMovesBetaByTheClippedError() {
        var controller = AdaptiveKLController(initial: 0.1, target: 6, horizon: 10_000)
        controller.update(measuredKL: 12, samples: 512)
        XCTAssertEqual(controller.coefficient, 0.101024, accuracy: 1e-7)
        controller.update(measuredKL: 3, samples: 512)
        XCTAssertEqual(controller.coefficient, 0.101024 * (1 - 0.01024), accuracy: 1e-7)
        controller.update(measuredKL: 6.6, samples: 10_000)
        XCTAssertEqual(controller.coefficient, 0.101024 * (1 - 0.01024) * 1.1, accuracy: 1e-7)
    }

    /// Row 0 (two tokens): rewards (0, 1), values (0.5, 0.8), γ = 1, λ = 0.95:
    /// δ1 = 1 + 0 − 0.8 = 0.2, A1 = 0.2; δ0 = 0 + 0.8 − 0.5 = 0.3, A0 = 0.3 + 0.95 · 0.2 = 0.49;
    /// returns (0.99, 1.0). Row 1 (one token, then padding): δ = 2 − 1 = 1, A = 1, R = 2.
    func testBatchedGAEMatchesHandValuesAndLeavesPaddingAtZero() {
        let result = generalizedAdvantages(rewards: [0, 1, 2, 7], values: [0.5, 0.8, 1, 9], mask: [1, 1, 1, 0], width: 2,
                                           gamma: 1, lambda: 0.95)
        for (x, y) in zip(result.advantages, [0.49, 0.2, 1, 0] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        for (x, y) in zip(result.returns, [0.99, 1.0, 2, 0] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
    }

    /// Kept values (1, 2, 3): mean 2, sample variance 1: (−1, 0, 1); the padded 9 stays 0.
    func testMaskedWhiteningIgnoresAndZeroesPadding() {
        let whitened = maskedWhiten([1, 2, 3, 9], mask: [1, 1, 1, 0])
        for (x, y) in zip(whitened, [-1, 0, 1, 0] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        let scaled = maskedWhiten([1, 2, 3, 9], mask: [1, 1, 1, 0], shiftMean: false)
        for (x, y) in zip(scaled, [1, 2, 3, 0] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
    }

    /// Kept returns (2, 2, 4): mean 8/3, variance (4/9 + 4/9 + 16/9) / 3 = 8/9.
    /// Values (1, 2, 3): residuals (1, 0, 1), mean 2/3, variance (1/9 + 4/9 + 1/9) / 3 = 2/9,
    /// EV = 1 − (2/9)/(8/9) = 0.75. A constant (5, 5, 5): residual variance = 8/9, EV = 0.
    /// Values (3, 3, 1): residuals (−1, −1, 3), variance 32/9, EV = 1 − 4 = −3 (worse than a
    /// constant). The padded entry (value 100, return −50) counts in none of them.
    func testExplainedVarianceMatchesHandValuesAndIgnoresPadding() {
        let returns: [Float] = [2, 2, 4, -50], mask: [Float] = [1, 1, 1, 0]
        XCTAssertEqual(explainedVariance(values: [1, 2, 3, 100], returns: returns, mask: mask), 0.75, accuracy: 1e-9)
        XCTAssertEqual(explainedVariance(values: [5, 5, 5, 100], returns: returns, mask: mask), 0, accuracy: 1e-9)
        XCTAssertEqual(explainedVariance(values: [3, 3, 1, 100], returns: returns, mask: mask), -3, accuracy: 1e-9)
        XCTAssertEqual(explainedVariance(values: [2, 2, 4, 0], returns: returns, mask: mask), 1, accuracy: 1e-9)
        XCTAssertEqual(explainedVariance(values: [0, 1], returns: [3, 3], mask: [1, 1]), 0, "returns that do not vary: 0")
    }

    func testMinibatchesCoverEveryRowOnceInASeededOrder() {
        let rollouts = (0..<5).map { rollout(Array(repeating: 3, count: $0 + 1), ended: true) }
        var experience = ExperienceBatch(rollouts: rollouts, scores: [0, 1, 2, 3, 4])
        experience.advantages = (0..<(5 * 5)).map(Float.init)
        var rng = RandomGenerator(seed: 1)
        let parts = experience.minibatches(size: 2, rng: &rng)
        XCTAssertEqual(parts.map(\.rows), [2, 2, 1])
        XCTAssertEqual(parts.flatMap(\.scores).sorted(), [0, 1, 2, 3, 4])
        for part in parts {
            for (k, score) in part.scores.enumerated() {
                let b = Int(score)
                for j in 0..<part.width { XCTAssertEqual(part.advantages[k * part.width + j], Float(b * 5 + j)) }
            }
        }
        var again = RandomGenerator(seed: 1)
        XCTAssertEqual(experience.minibatches(size: 2, rng: &again).flatMap(\.scores), parts.flatMap(\.scores))
    }

    // MARK: - PPO losses

    /// Values just inside the clip range are not clipped: V_clip is V itself, so the value
    /// clip fraction is 0 even where V_old + (V − V_old) would round away from V. One value
    /// clearly outside, with the clipped loss the larger: it alone counts.
    func testValueClipFractionCountsOnlyClippingThatHappened() {
        var rng = RandomGenerator(seed: 9)
        var old: [Float] = [], values: [Float] = []
        // Near zero, V_old + (V − V_old) rounds away from V for a few percent of pairs
        // (0.08725 and 0.00095189 is one: it rounds up), and with returns just below the
        // values the rounded-up V_clip has the larger loss: the old count reported it.
        old.append(0.08724997937679291)
        values.append(0.0009518909500911832)
        for _ in 0..<199 {
            let o = Float(rng.uniform(-0.3, 0.3))
            old.append(o)
            values.append(o + Float(rng.uniform(-0.199, 0.199)))
        }
        let returns = values.map { $0 - 0.001 }
        let inside = clippedValueLoss(values: Tensor(shape: [200], data: values), oldValues: Tensor(shape: [200], data: old),
                                      returns: Tensor(shape: [200], data: returns), mask: Tensor.full([200], 1), clipRange: 0.2)
        XCTAssertEqual(inside.clipFraction, 0)
        // V = 0.7, V_old = 0.1, R = 1: V_clip = 0.3, losses 0.09 and 0.49: the clip counts.
        // V = 0.7, V_old = 0.1, R = 0: losses 0.49 and 0.09: the unclipped one is kept.
        let v = Tensor(parameter: [0.7, 0.7], shape: [2], name: "v")
        let result = clippedValueLoss(values: v, oldValues: Tensor(shape: [2], data: [0.1, 0.1]),
                                      returns: Tensor(shape: [2], data: [1, 0]), mask: Tensor.full([2], 1), clipRange: 0.2)
        XCTAssertEqual(result.clipFraction, 0.5)
        XCTAssertEqual(result.loss.item, 0.5 * (0.49 + 0.49) / 2, accuracy: 1e-6)
        result.loss.backward()
        XCTAssertEqual(v.grad[0], 0, accuracy: 1e-7, "the clipped term has no gradient")
        XCTAssertEqual(v.grad[1], 0.5 * 2 * 0.7 / 2, accuracy: 1e-6)
    }

    /// Ratios (1.5, 1.5, 0.5) kept with advantages (1, −1, 1), the fourth token masked:
    /// losses (−1.2, 1.5, −0.5); ratio mean 7/6, variance (2.25 + 2.25 + 0.25)/3 − (7/6)² = 2/9.
    /// Token mean (−1.2 + 1.5 − 0.5)/3 = −1/15; per sequence, row 0 (−1.2 + 1.5)/2 = 0.15 and
    /// row 1 −0.5: sequence mean −0.175.
    func testClippedPolicyLossAggregationsAndRatioStatistics() {
        let logProbs = Tensor(parameter: [Foundation.log(1.5), Foundation.log(1.5), Foundation.log(0.5), 0], shape: [2, 2], name: "lp")
        let args = (old: Tensor.zeros([2, 2]), a: Tensor(shape: [2, 2], data: [1, -1, 1, 1]),
                    mask: Tensor(shape: [2, 2], data: [1, 1, 1, 0]))
        let tokens = clippedPolicyLoss(logProbs: logProbs, oldLogProbs: args.old, advantages: args.a, mask: args.mask, clipRange: 0.2)
        XCTAssertEqual(tokens.loss.item, -1.0 / 15, accuracy: 1e-6)
        XCTAssertEqual(tokens.meanRatio, 7.0 / 6, accuracy: 1e-6)
        XCTAssertEqual(tokens.ratioVariance, 2.0 / 9, accuracy: 1e-5)
        XCTAssertEqual(tokens.clipFraction, 1.0 / 3, accuracy: 1e-6)
        let sequences = clippedPolicyLoss(logProbs: logProbs, oldLogProbs: args.old, advantages: args.a, mask: args.mask,
                                          clipRange: 0.2, aggregation: .sequenceMean)
        XCTAssertEqual(sequences.loss.item, -0.175, accuracy: 1e-6)
    }

    // MARK: - GRPO

    /// Groups (1, 0, 1, 0) and (1, 1, 1, 1): the first has mean ½ and sample std √(1/3), the
    /// second zero spread. The whole batch: mean ¾, sample variance 1.5/7.
    func testGroupAdvantagesForEachScaling() {
        let rewards: [Float] = [1, 0, 1, 0, 1, 1, 1, 1]
        let group = GroupAdvantages(rewards: rewards, groupSize: 4)
        let s = Float((1.0 / 3).squareRoot())
        for (x, y) in zip(group.advantages, [0.5, -0.5, 0.5, -0.5].map { $0 / (s + 1e-4) } + [0, 0, 0, 0]) {
            XCTAssertEqual(x, y, accuracy: 1e-5)
        }
        XCTAssertEqual(group.zeroSpreadShare, 0.5)
        XCTAssertEqual(group.zeroSpreadGroups, [1])
        XCTAssertEqual(group.meanGroupStandardDeviation, s / 2, accuracy: 1e-6)
        XCTAssertEqual(GroupAdvantages(rewards: rewards, groupSize: 4, scaling: .none).advantages, [0.5, -0.5, 0.5, -0.5, 0, 0, 0, 0])
        let batchStd = Float((1.5 / 7).squareRoot())
        XCTAssertEqual(GroupAdvantages(rewards: rewards, groupSize: 4, scaling: .batch).advantages[0], 0.5 / (batchStd + 1e-4),
                       accuracy: 1e-5)
    }

    /// Row 0: one token, advantage 2; row 1: three tokens, advantage −1; ratios 1, no KL.
    /// Per-token losses −Â: row 0 (−2), row 1 (1, 1, 1). grpo: mean(−2, 1) = −0.5;
    /// dapo: (−2 + 3)/4 = 0.25; dr_grpo with limit 4: (−2 + 3)/(2 · 4) = 0.125.
    func testGRPOLossTypesNormalizeTheirOwnWay() {
        let lp = Tensor(shape: [2, 3], data: [-1, 0, 0, -1, -1, -1])
        let mask = Tensor(shape: [2, 3], data: [1, 0, 0, 1, 1, 1])
        func loss(_ type: GRPOLossType) -> Float {
            grpoLoss(logProbs: lp, oldLogProbs: lp, referenceLogProbs: lp, advantages: [2, -1], mask: mask,
                     settings: GRPOSettings(beta: 0.04, lossType: type, maxCompletionLength: 4)).loss.item
        }
        XCTAssertEqual(loss(.grpo), -0.5, accuracy: 1e-6)
        XCTAssertEqual(loss(.dapo), 0.25, accuracy: 1e-6)
        XCTAssertEqual(loss(.drGRPO), 0.125, accuracy: 1e-6)
    }

    /// log π = −1, log π_ref = −2: δ = −1, k3 = e^{−1} + 1 − 1 = 0.3678794 per token.
    /// A token with ratio 1.5 and Â > 0 is clipped at 1 + ε_high = 1.3 (clip-higher): no
    /// gradient; one with ratio 0.5 and Â < 0 is clipped at 1 − ε = 0.8.
    func testGRPOKLAndClipHigher() {
        let lp = Tensor(parameter: [Float(Foundation.log(1.5)) - 1, Float(Foundation.log(0.5)) - 1], shape: [1, 2], name: "lp")
        let old = Tensor(shape: [1, 2], data: [-1, -1])
        let up = grpoLoss(logProbs: lp, oldLogProbs: old, referenceLogProbs: old, advantages: [1], mask: Tensor.full([1, 2], 1),
                          settings: GRPOSettings(epsilon: 0.2, epsilonHigh: 0.3, beta: 0, maxCompletionLength: 2))
        XCTAssertEqual(up.clipHigh, 0.5)
        XCTAssertEqual(up.clipLow, 0, "Â > 0: the low side is not clipped")
        let down = grpoLoss(logProbs: lp, oldLogProbs: old, referenceLogProbs: old, advantages: [-1], mask: Tensor.full([1, 2], 1),
                            settings: GRPOSettings(epsilon: 0.2, epsilonHigh: 0.3, beta: 0, maxCompletionLength: 2))
        XCTAssertEqual(down.clipLow, 0.5)
        XCTAssertEqual(down.clipHigh, 0)
        let kl = grpoLoss(logProbs: Tensor(shape: [1, 1], data: [-1]), oldLogProbs: Tensor(shape: [1, 1], data: [-1]),
                          referenceLogProbs: Tensor(shape: [1, 1], data: [-2]), advantages: [0], mask: Tensor.full([1, 1], 1),
                          settings: GRPOSettings(beta: 0.5, maxCompletionLength: 1))
        XCTAssertEqual(kl.kl, 0.3678794, accuracy: 1e-6)
        XCTAssertEqual(kl.loss.item, 0.5 * 0.3678794, accuracy: 1e-6)
    }

    /// GSPO: per-token log-ratios (ln 2, 0) give one ratio exp(ln 2 / 2) = √2 for both tokens;
    /// with Â = 1 and ε = 0.5 it is inside the range: loss −√2 (grpo's sequence mean).
    func testSequenceLevelImportanceRatioIsLengthNormalized() {
        let lp = Tensor(shape: [1, 2], data: [Float(Foundation.log(2.0)), 0])
        let result = grpoLoss(logProbs: lp, oldLogProbs: Tensor.zeros([1, 2]), referenceLogProbs: lp, advantages: [1],
                              mask: Tensor.full([1, 2], 1),
                              settings: GRPOSettings(epsilon: 0.5, beta: 0, importanceSampling: .sequence, maxCompletionLength: 2))
        XCTAssertEqual(result.loss.item, -Float(2.0.squareRoot()), accuracy: 1e-5)
    }
}

final class PreferenceBatchTests: XCTestCase {
    /// An answer in several pairs is stored once and scored once; the reference's log-probs
    /// are the sums of each answer's token log-probs; with the policy equal to the
    /// reference, h = 0 and the DPO loss is log 2.
    func testSharedAnswersAreStoredOnceAndAPolicyAtTheReferenceHasLossLog2() {
        let tokenizer = BytePairTokenizer.train(texts: ["User: hi\n\nAssistant: hello there, friend"], vocabularySize: 270)
        var rng = RandomGenerator(seed: 2)
        let model = GPT(config: GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: 40, layerCount: 1,
                                          headCount: 2, modelWidth: 8), rng: &rng)
        // Three answers to "hi", compared in all three pairs; one pair for "hello", whose
        // answer "hi" is a different answer from any of "hi"'s (another prompt).
        let pairs = [PreferencePair(prompt: "hi", chosen: "hello there", rejected: "friend", strength: .slight, annotator: "A"),
                     PreferencePair(prompt: "hello", chosen: "hi", rejected: "there, friend", strength: .significant, annotator: "B"),
                     PreferencePair(prompt: "hi", chosen: "hello there", rejected: "hi", strength: .slight, annotator: "A"),
                     PreferencePair(prompt: "hi", chosen: "hi", rejected: "friend", strength: .slight, annotator: "C")]
        let batch = PreferenceBatch(pairs: pairs, tokenizer: tokenizer, reference: model)
        XCTAssertEqual(batch.prompts.count, 2)
        XCTAssertEqual(batch.responses.count, 5, "hi: 3 answers; hello: 2")
        XCTAssertEqual(batch.groups, [[0, 2, 3], [1]])
        XCTAssertEqual(batch.pairs[0], PreferenceBatch.Pair(chosen: 0, rejected: 1))
        XCTAssertEqual(batch.pairs[2], PreferenceBatch.Pair(chosen: 0, rejected: 4))
        XCTAssertEqual(batch.pairs[3], PreferenceBatch.Pair(chosen: 4, rejected: 1))
        XCTAssertEqual(batch.responsePrompt, [0, 0, 1, 1, 0])
        for i in batch.responses.indices {
            let alone = Autograd.withoutGradients {
                model.sequenceLogProbs(prompts: [batch.prompts[batch.responsePrompt[i]]], responses: [batch.responses[i]])
                    .responseValues(ofRow: 0)
            }
            XCTAssertEqual(batch.referenceLogProbs[i], alone.reduce(0, +), accuracy: 1e-4)
            XCTAssertEqual(batch.responses[i].last, tokenizer.endOfText)
        }
        XCTAssertEqual(batch.referenceChosen[3], batch.referenceLogProbs[4])
        let loss = batch.loss([0, 1, 2, 3], policy: model, settings: DPOSettings())
        XCTAssertEqual(loss.loss.item, Float(Foundation.log(2.0)), accuracy: 1e-5)
        for reward in loss.chosenRewards + loss.rejectedRewards { XCTAssertEqual(reward, 0, accuracy: 1e-5) }
        XCTAssertEqual(loss.margin, 0, accuracy: 1e-5)
    }

    /// Cutting a step's answers into length-sorted passes, and scoring a shared answer once,
    /// change only the cost: the loss, its gradient and each pair's rewards (returned in the
    /// caller's order, repeats included) are those of one pass over every pair's two answers.
    func testPassesAndSharedAnswersGiveTheLossOfPairByPairScoring() {
        let tokenizer = BytePairTokenizer.train(texts: ["User: hi\n\nAssistant: hello there, friend, how are you today"],
                                                vocabularySize: 270)
        var rng = RandomGenerator(seed: 5)
        let config = GPTConfig(vocabularySize: tokenizer.vocabularySize, contextLength: 64, layerCount: 1, headCount: 2, modelWidth: 8)
        let reference = GPT(config: config, rng: &rng), policy = GPT(config: config, rng: &rng)
        let pairs = [PreferencePair(prompt: "hi", chosen: "hello there, friend, how are you today", rejected: "friend",
                                    strength: .slight, annotator: "A"),
                     PreferencePair(prompt: "hello", chosen: "hi", rejected: "there", strength: .significant, annotator: "B"),
                     PreferencePair(prompt: "hi", chosen: "friend", rejected: "hello there, friend, how are",
                                    strength: .slight, annotator: "C")]
        let onePass = PreferenceBatch(pairs: pairs, tokenizer: tokenizer, reference: reference, answersPerPass: 8)
        let single = PreferenceBatch(pairs: pairs, tokenizer: tokenizer, reference: reference, answersPerPass: 1)
        // Shortest first, equal lengths in their order, at most perPass per pass.
        XCTAssertEqual(PreferenceBatch.passes(lengths: [5, 3, 9], perPass: 2), [[1, 0], [2]])
        XCTAssertEqual(PreferenceBatch.passes(lengths: [4, 4, 2, 4], perPass: 3), [[2, 0, 1], [3]])
        for (a, b) in zip(onePass.referenceLogProbs, single.referenceLogProbs) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        let indices = [2, 0, 1, 0]
        func gradients(_ batch: PreferenceBatch) -> (DPOLoss, [Float]) {
            for p in policy.parameters { p.zeroGrad() }
            let loss = batch.loss(indices, policy: policy, settings: DPOSettings(beta: 0.5))
            loss.loss.backward()
            return (loss, policy.parameters.flatMap { $0.grad.isEmpty ? [Float](repeating: 0, count: $0.data.count) : $0.grad })
        }
        let (whole, wholeGrad) = gradients(onePass), (cut, cutGrad) = gradients(single)
        XCTAssertNotEqual(whole.chosenRewards[0], whole.chosenRewards[1], "the test needs pairs the policy tells apart")
        XCTAssertEqual(whole.loss.item, cut.loss.item, accuracy: 1e-5)
        for k in indices.indices {
            XCTAssertEqual(whole.chosenRewards[k], cut.chosenRewards[k], accuracy: 1e-5)
            XCTAssertEqual(whole.rejectedRewards[k], cut.rejectedRewards[k], accuracy: 1e-5)
        }
        XCTAssertEqual(whole.chosenRewards[1], whole.chosenRewards[3], "a repeated pair gets its own rewards twice")
        for (a, b) in zip(wholeGrad, cutGrad) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        // The rewards are the pairs' own, each answer scored alone: pair 2 first, as asked;
        // its chosen answer "friend" is pair 0's rejected one.
        func alone(_ prompt: Int, _ answer: Int) -> Float {
            Autograd.withoutGradients { PreferenceBatch.sequenceLogProbs(policy, prompts: [single.prompts[prompt]],
                                                                         responses: [single.responses[answer]]).data[0] }
        }
        let friend = single.pairs[2].chosen
        XCTAssertEqual(friend, single.pairs[0].rejected)
        XCTAssertEqual(whole.chosenRewards[0], 0.5 * (alone(0, friend) - single.referenceLogProbs[friend]), accuracy: 1e-4)
        XCTAssertEqual(whole.rejectedRewards[1], whole.chosenRewards[0], accuracy: 1e-6)
        // And the loss is the mean of −log σ(β h) over the four pairs, h from those rewards.
        let expected = zip(whole.chosenRewards, whole.rejectedRewards)
            .map { -Foundation.log(1 / (1 + Foundation.exp(-Double($0 - $1)))) }.reduce(0, +) / 4
        XCTAssertEqual(Double(whole.loss.item), expected, accuracy: 1e-5)
    }
}

final class TPOTests: XCTestCase {
    func rollout(_ tokens: [Int]) -> Rollout {
        Rollout(prompt: "p", promptTokens: [1], responseTokens: tokens, logProbs: tokens.map { _ in -1 },
                endedWithEndOfText: true, response: "\(tokens)")
    }

    /// However the new answers score, the best in the cache never falls: it is a maximum
    /// over a set that only grows.
    func testBestInCacheNeverFalls() {
        var rng = RandomGenerator(seed: 3)
        var cache = TPOCache()
        var best = -Float.infinity
        for _ in 0..<20 {
            let rewards = (0..<5).map { _ in Float(rng.normal()) }
            cache.add((0..<5).map { rollout([$0]) }, rewards: rewards)
            XCTAssertGreaterThanOrEqual(cache.best.reward, best)
            best = cache.best.reward
            XCTAssertEqual(cache.best.reward, cache.rewards.max())
            XCTAssertEqual(cache.worst.reward, cache.rewards.min())
        }
        XCTAssertEqual(cache.answers.count, 100)
    }

    /// Chosen (1 2 3 9), rejected (3 4 9), 9 ignored: chosen-only {1, 2}, rejected-only {4};
    /// the bias is +α on 1 and 2, −α on 4, 0 elsewhere. Revision (no rejected): +α on 1 2 3.
    func testTheContrastAndItsLogitBias() {
        let contrast = TokenContrast(chosen: [1, 2, 3, 9], rejected: [3, 4, 9], ignoring: [9])
        XCTAssertEqual(contrast.chosenOnly, [1, 2])
        XCTAssertEqual(contrast.rejectedOnly, [4])
        XCTAssertEqual(contrast.logitBias(vocabularySize: 6, strength: 0.5), [0, 0.5, 0.5, 0, -0.5, 0])
        XCTAssertEqual(TokenContrast(chosen: [1, 2, 3, 9], rejected: [], ignoring: [9]).chosenOnly, [1, 2, 3])
    }

    /// A logit bias changes what is drawn, not the log-probs reported as the model's own.
    func testGenerationWithALogitBiasKeepsTheModelsLogProbs() {
        var rng = RandomGenerator(seed: 4)
        let model = GPT(config: GPTConfig(vocabularySize: 12, contextLength: 16, layerCount: 1, headCount: 2, modelWidth: 8), rng: &rng)
        var bias = [Float](repeating: 0, count: 12)
        bias[7] = 50
        let settings = GenerationSettings(maxNewTokens: 3, sampling: SamplingSettings(), stopToken: -1)
        let out = model.generate(prompts: [[1, 2]], settings: settings, logitBiases: [bias], rng: &rng)[0]
        XCTAssertEqual(out.tokens, [7, 7, 7], "a bias of 50 makes token 7 certain")
        let alone = Autograd.withoutGradients { model.sequenceLogProbs(prompts: [[1, 2]], responses: [out.tokens]).responseValues(ofRow: 0) }
        for (x, y) in zip(out.logProbs, alone) { XCTAssertEqual(x, y, accuracy: 1e-4) }
        XCTAssertTrue(out.samplingLogProbs.allSatisfy { $0 > -1e-3 }, "under the biased distribution the draws are near certain")
    }
}
