import LanguageModel
import Notebook
import RLHF
import World

/// What every alignment chapter (05-09) starts from, loaded the same way in each: the SFT
/// policy with a fresh adapter, chapter 04's reward model, the world, the course's held-out
/// evaluation for this kind of run, and the SFT baseline measured on it.
public struct AlignmentStart {
    public let policy: SFTPolicy
    public let rewardModel: RewardModel
    public let world: SyntheticWorld
    public let evaluator: HeldOutEvaluation
    public let baseline: PolicyEvaluation
}

extension Chapter {
    /// Loads the alignment chapters' starting point; `lora` is the fresh adapter the chapter trains.
    public func loadAlignmentStart(lora: LoRAConfig = LoRAConfig()) -> AlignmentStart {
        let policy = loadSFTPolicy(lora: lora)
        let rewardModel = loadRewardModel(tokenizer: policy.tokenizer)
        let world = SyntheticWorld(seed: options.seed)
        let evaluator = HeldOutEvaluation(world: world, tokenizer: policy.tokenizer, rewardModel: rewardModel,
                                          chapter: name.folder, quick: options.quick, seed: options.seed)
        return AlignmentStart(policy: policy, rewardModel: rewardModel, world: world, evaluator: evaluator,
                              baseline: loadSFTBaseline(matching: evaluator))
    }
}
