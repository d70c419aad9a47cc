import Foundation
import LanguageModel
import RLHF
import TensorCore

/// One RLHF iteration on the course's model, as chapters 06 and 07 run it, timed in its
/// parts beside ../shared/baselines/torch_rl_step.py, which runs the same iteration in
/// PyTorch eager with a PEFT-style LoRA: 16 prompts × 4 answers of 24 prompt + 64 sampled
/// tokens (temperature 1, no early stop), the reward model's score of every sequence, the
/// reference and old log-probs; then PPO (a critic of full weights, GAE, 4 epochs of
/// minibatches of 16, AdamW on the adapter and on the critic) or GRPO (group-normalized
/// advantages, one pass over minibatches of 16, β · k3). Random weights: the cost of an
/// iteration does not depend on what the model knows.
enum RLStepBenchmark {
    static let config = GPTConfig(vocabularySize: 2048, contextLength: 256, layerCount: 4, headCount: 6, modelWidth: 192)
    static let (prompts, group, promptLength, newTokens) = (16, 4, 24, 64)

    struct Timing { var rollout = 0.0, score = 0.0, update = 0.0; var total: Double { rollout + score + update } }

    static func iteration(_ kind: String, policy: GPT, adapter: LoRAAdapter, policyOptimizer: AdamW, rewardModel: ScalarModel,
                          critic: ScalarModel?, criticOptimizer: AdamW?, rng: inout RandomGenerator) -> Timing {
        var t = Timing()
        let promptRows = (0..<prompts).map { _ in (0..<promptLength).map { _ in rng.int(below: config.vocabularySize) } }
        let requests = promptRows.flatMap { Array(repeating: $0, count: group) }
        var start = Date()
        let settings = GenerationSettings(maxNewTokens: newTokens, sampling: SamplingSettings(), stopToken: -1)
        let generated = Autograd.withoutGradients { policy.generate(prompts: requests, settings: settings, rng: &rng) }
        let rollouts = generated.map {
            Rollout(prompt: "", promptTokens: $0.prompt, responseTokens: $0.tokens, logProbs: $0.logProbs,
                    endedWithEndOfText: false, response: "")
        }
        t.rollout = Date().timeIntervalSince(start)
        start = Date()
        let scores = Autograd.withoutGradients { rewardModel.lastTokenValues(TokenBatch(rows: rollouts.map { $0.promptTokens + $0.responseTokens })).data }
        var e = ExperienceBatch(rollouts: rollouts, scores: scores)
        e.oldLogProbs = Autograd.withoutGradients { policy.policyForward(e.batch).logProbs.data }
        e.referenceLogProbs = Autograd.withoutGradients { policy.withAdapterDisabled { policy.policyForward(e.batch).logProbs.data } }
        if let critic { e.values = Autograd.withoutGradients { critic.stateValues(e.batch).data } }
        t.score = Date().timeIntervalSince(start)
        start = Date()
        if kind == "ppo", let critic, let criticOptimizer {
            e.rewards = KLPenalizedRewards(klCoefficient: 0.05).rewards(for: e).rewards
            (e.advantages, e.returns) = generalizedAdvantages(rewards: e.rewards, values: e.values, mask: e.mask, width: e.width,
                                                             gamma: 1, lambda: 0.95)
            e.advantages = maskedWhiten(e.advantages, mask: e.mask)
            for _ in 0..<4 {
                for part in e.minibatches(size: 16, rng: &rng) {
                    let forward = policy.policyForward(part.batch)
                    let pg = clippedPolicyLoss(logProbs: forward.logProbs, oldLogProbs: part.tensor(part.oldLogProbs),
                                               advantages: part.tensor(part.advantages), mask: forward.mask, clipRange: 0.2)
                    policyOptimizer.zeroGrad()
                    pg.loss.backward()
                    policyOptimizer.update()
                    let vf = clippedValueLoss(values: critic.stateValues(part.batch), oldValues: part.tensor(part.values),
                                              returns: part.tensor(part.returns), mask: part.batch.maskTensor, clipRange: 0.2)
                    criticOptimizer.zeroGrad()
                    vf.loss.backward()
                    criticOptimizer.update()
                }
            }
        } else {
            let advantages = GroupAdvantages(rewards: scores, groupSize: group).advantages
            var indexed = e
            indexed.advantages = (0..<e.rows).flatMap { b in Array(repeating: advantages[b], count: e.width) }
            for part in indexed.minibatches(size: 16, rng: &rng) {
                let forward = policy.policyForward(part.batch)
                let perRow = (0..<part.rows).map { part.advantages[$0 * part.width] }
                let loss = grpoLoss(logProbs: forward.logProbs, oldLogProbs: part.tensor(part.oldLogProbs),
                                    referenceLogProbs: part.tensor(part.referenceLogProbs), advantages: perRow, mask: forward.mask,
                                    settings: GRPOSettings(beta: 0.04, lossType: .dapo, maxCompletionLength: newTokens))
                policyOptimizer.zeroGrad()
                loss.loss.backward()
                policyOptimizer.update()
            }
        }
        t.update = Date().timeIntervalSince(start)
        _ = adapter
        return t
    }

    /// The median timing of `iterations` iterations after one warm-up, for "ppo" or "grpo".
    static func measure(_ kind: String, iterations: Int) -> Timing {
        var rng = RandomGenerator(seed: 0)
        let policy = GPT(config: config, rng: &rng)
        let adapter = LoRAAdapter(config: LoRAConfig(rank: 16, alpha: 32, dropout: 0), for: config, rng: &rng)
        policy.adapter = adapter
        let policyOptimizer = AdamW(parameters: adapter.parameters, learningRate: 1e-4, weightDecay: 0)
        let rewardModel = ScalarModel(body: GPT(config: config, rng: &rng), rng: &rng)
        let critic = kind == "ppo" ? ScalarModel(body: GPT(config: config, rng: &rng), rng: &rng) : nil
        let criticOptimizer = critic.map { AdamW(parameters: $0.parameters, learningRate: 1e-5, weightDecay: 0) }
        _ = iteration(kind, policy: policy, adapter: adapter, policyOptimizer: policyOptimizer, rewardModel: rewardModel,
                      critic: critic, criticOptimizer: criticOptimizer, rng: &rng)
        let runs = (0..<iterations).map { _ in
            iteration(kind, policy: policy, adapter: adapter, policyOptimizer: policyOptimizer, rewardModel: rewardModel,
                      critic: critic, criticOptimizer: criticOptimizer, rng: &rng)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Timing(rollout: median(runs.map(\.rollout)), score: median(runs.map(\.score)), update: median(runs.map(\.update)))
    }
}

/// The RL-step rows of `make bench`: the course's iteration and, with a Python that has
/// torch, torch_rl_step.py's in the same sitting, and their ratio.
func runRLStepBenchmarks(torch: TorchBaseline?, iterations: Int = 3) {
    print("RL step: one iteration on the course's model (16 prompts × 4 answers, 24 + 64 tokens), median of \(iterations)")
    for kind in ["ppo", "grpo"] {
        let swift = RLStepBenchmark.measure(kind, iterations: iterations)
        var line = String(format: "  %@  course %.2f s (rollout %.2f, score+ref %.2f, update %.2f)", kind, swift.total,
                          swift.rollout, swift.score, swift.update)
        if let torch {
            switch torch.measureRLStep(kind, threads: BLAS.threadCount, iterations: iterations) {
            case .success(let seconds): line += String(format: "   PyTorch %.2f s   course is %.2fx faster", seconds, seconds / swift.total)
            case .failure(let error): line += "   PyTorch: \(error.description)"
            }
        } else {
            line += "   PyTorch column missing (no --torch-python / TORCH_PYTHON)"
        }
        print(line)
    }
}
