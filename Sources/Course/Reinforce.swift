import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore
import World

/// What one REINFORCE run recorded. Index k of every array is the policy after k updates
/// (its rewards and KL are measured on the samples that update k + 1 trains on).
public struct ReinforceRun {
    public var rewards: [Double] = []
    /// Mean over the batch of KL(π_θ ‖ π_ref) for whole responses, k1 and k3 estimators.
    public var k1: [Double] = [], k3: [Double] = []
    /// Share of responses that ended with <|endoftext|>, and mean response length.
    public var stopShare: [Double] = [], lengths: [Double] = []
    /// Adapter weights after k updates, for the steps asked for.
    public var snapshots: [Int: WeightSnapshot] = [:]
    /// The first response of the first and of the last batch, with their prompts.
    public var first: (Prompt, Rollout)? = nil, last: (Prompt, Rollout)? = nil
}

/// Plain REINFORCE (Williams, 1992) on a language-model policy, chapter 03's loop: sample
/// G responses to each of M prompts at temperature 1, score them, take one Adam step on
/// L = −(1/N) Σ_i Â_i log π_θ(y_i | x_i) with no clipping and no KL penalty, and record the
/// reward, the KL to the reference (k1 and k3) and the length of every batch.
public struct REINFORCE {
    /// The network, with the SFT model's weights; each run attaches a fresh adapter.
    public let model: GPT
    public let tokenizer: BytePairTokenizer
    public let prompts: [Prompt]
    public let reward: (Prompt, String) -> Float
    public let promptsPerStep: Int, samplesPerPrompt: Int, maxNewTokens: Int
    public let lora: LoRAConfig

    public init(model: GPT, tokenizer: BytePairTokenizer, prompts: [Prompt], reward: @escaping (Prompt, String) -> Float,
                promptsPerStep: Int, samplesPerPrompt: Int, maxNewTokens: Int, lora: LoRAConfig) {
        self.model = model
        self.tokenizer = tokenizer
        self.prompts = prompts
        self.reward = reward
        self.promptsPerStep = promptsPerStep
        self.samplesPerPrompt = samplesPerPrompt
        self.maxNewTokens = maxNewTokens
        self.lora = lora
    }

    /// One run of `steps` updates from a fresh adapter; the same `seed` gives every
    /// baseline the same adapter, prompts and sampling stream.
    public func run(baseline: PolicyGradientBaseline, learningRate: Float, steps: Int, seed: Int, label: String,
                    snapshotSteps: Set<Int> = [], chapter: Chapter) -> ReinforceRun {
        // The same seed gives every baseline the same adapter and the same prompts.
        var initRNG = chapter.random("adapter seed \(seed)")
        var promptRNG = chapter.random("prompts seed \(seed)")
        var sampleRNG = chapter.random("samples seed \(seed)")
        let adapter = LoRAAdapter(config: lora, for: model.config, rng: &initRNG)
        model.adapter = adapter
        let optimizer = AdamW(parameters: adapter.parameters, learningRate: learningRate, weightDecay: 0)
        let G = samplesPerPrompt
        var run = ReinforceRun()
        let progress = chapter.progress(label, total: steps)
        for step in 0...steps {
            if snapshotSteps.contains(step) { run.snapshots[step] = WeightSnapshot(of: adapter.parameters) }
            // 1. Sample G responses to each of M prompts from the current policy.
            let batch = (0..<promptsPerStep).flatMap { _ in
                Array(repeating: prompts[promptRNG.int(below: prompts.count)], count: G)
            }
            let rollouts = sampleRollouts(policy: model, tokenizer: tokenizer, prompts: batch.map(\.text),
                                          maxNewTokens: maxNewTokens, sampling: HeldOutEvaluation.sampling, rng: &sampleRNG)
            // 2. Score them, and measure how far the policy has moved from the reference.
            let rewards = zip(batch, rollouts).map { reward($0, $1.response) }
            let reference = Autograd.withoutGradients {
                model.withAdapterDisabled { responseLogProbs(of: rollouts, under: model) }
            }
            var k1 = 0.0, k3 = 0.0
            for (i, rollout) in rollouts.enumerated() {
                let ref = reference.responseValues(ofRow: i)
                k1 += Double(KLEstimator.k1.sequenceValue(logProbs: rollout.logProbs, referenceLogProbs: ref))
                k3 += Double(KLEstimator.k3.sequenceValue(logProbs: rollout.logProbs, referenceLogProbs: ref))
            }
            let n = Double(rollouts.count)
            run.rewards.append(Double(rewards.reduce(0, +)) / n)
            run.k1.append(k1 / n)
            run.k3.append(k3 / n)
            run.stopShare.append(Double(rollouts.filter(\.endedWithEndOfText).count) / n)
            run.lengths.append(Double(rollouts.map(\.responseTokens.count).reduce(0, +)) / n)
            if step == 0 { run.first = (batch[0], rollouts[0]) }
            run.last = (batch[0], rollouts[0])
            for (name, series) in [("reward", run.rewards), ("kl k1", run.k1), ("kl k3", run.k3),
                                   ("stop share", run.stopShare), ("length", run.lengths)] {
                chapter.log(label, step: step, name, series.last!)
            }
            if step == steps { break }   // the last batch only measures the final policy

            // 3. The REINFORCE step: L = -(1/N) Σ_i Â_i log π_θ(y_i | x_i).
            let advantages = baseline.advantages(rewards: rewards, groupSize: G)
            optimizer.zeroGrad()
            let logProbs = responseLogProbs(of: rollouts, under: model)
            let loss = reinforceLoss(logProbs: logProbs.logProbs, mask: logProbs.mask, advantages: advantages)
            loss.backward()
            let gradientNorm = clipGradientNorm(adapter.parameters, maxNorm: .greatestFiniteMagnitude)   // measured, not clipped
            chapter.stopIfDiverged(label, step: step + 1, loss: Double(loss.item), gradientNorm: Double(gradientNorm))
            optimizer.update()
            chapter.log(label, step: step, "loss", Double(loss.item))
            chapter.log(label, step: step, "gradient norm", Double(gradientNorm))
            progress.update(step: step + 1, ["reward": run.rewards.last!, "KL": run.k3.last!],
                            tokens: logProbs.mask.data.count)
        }
        progress.finish()
        return run
    }
}
