import Foundation
import LanguageModel
import Notebook
import RLHF
import TensorCore

/// The chapters of the course by folder name, the producers of what later chapters load.
/// `Package.swift` names the same folders, as the targets it builds; a test checks that
/// the two lists and the folders under `Chapters/` agree.
public enum CourseChapter {
    public static let pretrainedModel = "01-pretrained-model"
    public static let supervisedFineTuning = "02-supervised-fine-tuning"
    public static let rlBasics = "03-rl-basics"
    public static let rewardModel = "04-reward-model"
    public static let trpo = "05-trpo"
    public static let ppo = "06-ppo"
    public static let grpo = "07-grpo"
    public static let dpo = "08-dpo"
    public static let tpo = "09-tpo"
    public static let showdown = "10-showdown"

    /// Every chapter, in course order.
    public static let all = [pretrainedModel, supervisedFineTuning, rlBasics, rewardModel, trpo, ppo, grpo, dpo, tpo, showdown]

    /// The chapters before `folder`, in course order.
    public static func before(_ folder: String) -> [String] {
        all.filter { $0 < folder }
    }
}

/// The artifact chain: what each chapter hands to later ones, and what each needs. The
/// loaders below read these files; the Makefile's ARTIFACTS_NN and NEEDS_NN lines say the
/// same for `make` (which runs a missing chapter first), and a test checks that they agree.
public enum CourseChain {
    /// The files a chapter hands on, in its run folder, by chapter number. A chapter not
    /// listed hands on nothing by name; its finished run (the `.complete` stamp) is what counts.
    public static let artifacts: [String: [String]] = [
        "01": [GPT.weightsFileName],
        "02": [GPT.weightsFileName, PolicyEvaluation.fileName()],
        "04": [RewardModel.fileName, PreferenceData.fileName, PolicyEvaluation.fileName("SFT")],
    ]

    /// What each chapter needs: "NN/file" is one artifact of chapter NN, a bare "NN" a
    /// finished run of chapter NN.
    public static let needs: [String: [String]] = {
        let sftPolicy = ["02/" + GPT.weightsFileName]
        let alignment = sftPolicy + ["04/" + RewardModel.fileName, "04/" + PolicyEvaluation.fileName("SFT")]
        return [
            "02": ["01/" + GPT.weightsFileName],
            "03": sftPolicy,
            "04": sftPolicy + ["02/" + PolicyEvaluation.fileName()],
            "05": alignment, "06": alignment, "07": alignment, "09": alignment,
            "08": alignment + ["04/" + PreferenceData.fileName],
            "10": alignment + ["04/" + PreferenceData.fileName, "03", "05", "06", "07", "08", "09"],
        ]
    }()

    /// The chapters (folders) whose finished runs chapter `folder` needs (its bare "NN" needs).
    public static func finishedRunsNeeded(by folder: String) -> [String] {
        let numbers = (needs[ChapterName(folder).number] ?? []).filter { !$0.contains("/") }
        return CourseChapter.all.filter { numbers.contains(ChapterName($0).number) }
    }
}

/// Loading what earlier chapters left, one call each. Every call looks in the folder of
/// this kind of run (`runs/` for a default run, `runs/quick/` for a quick one, ...), and a
/// missing, corrupt or foreign file stops the chapter with one line that names the file
/// and the `make` target that writes it.
extension Chapter {
    /// Chapter 01's tokenizer and pretrained GPT (`runs/01-pretrained-model/`).
    public func loadPretrainedModel() -> PretrainedLLM {
        load(GPT.weightsFileName, from: CourseChapter.pretrainedModel) { url in
            try PretrainedLLM.load(from: url.deletingLastPathComponent())
        }
    }

    /// Chapter 02's SFT model, with its tokenizer (`runs/02-supervised-fine-tuning/`).
    public func loadSFTModel() -> PretrainedLLM {
        load(GPT.weightsFileName, from: CourseChapter.supervisedFineTuning) { url in
            try PretrainedLLM.load(from: url.deletingLastPathComponent())
        }
    }

    /// The starting point of every chapter after SFT: chapter 02's model with a fresh
    /// adapter of `lora` on top (B = 0, so the policy starts exactly at π_SFT; with the
    /// fresh adapter off, the network is π_SFT, the reference). The fresh adapter's A is
    /// drawn from the stream `label`.
    public func loadSFTPolicy(lora: LoRAConfig = LoRAConfig(), label: String = "policy adapter") -> SFTPolicy {
        let llm = loadSFTModel()
        var rng = random(label)
        return SFTPolicy(tokenizer: llm.tokenizer, model: llm.model, config: lora, rng: &rng)
    }

    /// Chapter 04's reward model.
    public func loadRewardModel(tokenizer: BytePairTokenizer) -> RewardModel {
        load(RewardModel.fileName, from: CourseChapter.rewardModel) { url in
            try RewardModel.load(from: url, tokenizer: tokenizer)
        }
    }

    /// Chapter 04's preference pairs (training and held-out).
    public func loadPreferencePairs() -> [PreferencePair] {
        load(PreferenceData.fileName, from: CourseChapter.rewardModel) { url in try PreferenceData.load(from: url) }
    }

    /// The adapter a later chapter trained on top of the SFT policy (saved with
    /// `savePolicyAdapter`), loaded into `policy`'s fresh adapter.
    public func loadTrainedPolicy(into policy: SFTPolicy, from producer: String, name: String? = nil) {
        let trained = load(Self.policyFileName(name), from: producer) { url in
            try LoRAAdapter.load(from: url, for: policy.model.config)
        }
        guard trained.config == policy.adapter.config else {
            stop("chapter \(self.name.number): \(artifacts.path(of: Self.policyFileName(name), from: producer)) holds a "
                 + "rank-\(trained.config.rank) adapter on \(trained.config.targets.map(\.rawValue)), not the "
                 + "rank-\(policy.adapter.config.rank) one this chapter builds", code: ArtifactExitCode.unreadable)
        }
        policy.adapter.parameters.copyWeights(from: trained.parameters)
    }

    /// A policy evaluation an earlier chapter saved. With `matching`, it must answer exactly
    /// that evaluation's prompts, in order (a file left by older code or another budget
    /// would otherwise be compared on the prompts the two happen to share).
    public func loadEvaluation(from producer: String, name: String? = nil,
                               matching evaluation: HeldOutEvaluation? = nil) -> PolicyEvaluation {
        let file = PolicyEvaluation.fileName(name)
        let loaded = load(file, from: producer) { url in try PolicyEvaluation.read(from: url) }
        if let evaluation, loaded.answers.map(\.prompt) != evaluation.prompts.map(\.text) {
            stop(ArtifactMessage.wrongRun(artifacts.path(of: file, from: producer), consumer: self.name,
                                          producer: ChapterName(producer),
                                          problem: "it answers \(loaded.answers.count) held-out prompts that are not this "
                                              + "evaluation's \(evaluation.prompts.count)",
                                          makeArguments: variant.makeArguments), code: ArtifactExitCode.unreadable)
        }
        return loaded
    }

    /// The SFT policy's evaluation with reward-model scores, the baseline every policy
    /// after chapter 04 is compared with (chapter 04 writes it from chapter 02's answers),
    /// checked to answer `evaluation`'s prompts.
    public func loadSFTBaseline(matching evaluation: HeldOutEvaluation) -> PolicyEvaluation {
        loadEvaluation(from: CourseChapter.rewardModel, name: "SFT", matching: evaluation)
    }

    /// Whether an earlier chapter's file exists for this kind of run (for chapters that
    /// compare with it when it is there, and say so when it is not).
    public func hasArtifact(_ file: String, from producer: String) -> Bool {
        if case .present = artifacts.check(file, from: producer) { return true }
        return false
    }

    // MARK: - Saving

    /// `policy.safetensors` (or `policy-NAME.safetensors`): the adapter a chapter trained.
    public static func policyFileName(_ name: String? = nil) -> String {
        name.map { "policy-\($0).safetensors" } ?? "policy.safetensors"
    }

    /// Saves the trained adapter into the run directory, atomically.
    public func savePolicyAdapter(_ adapter: LoRAAdapter, name: String? = nil) {
        let url = runFile(Self.policyFileName(name))
        do { try adapter.save(to: url) } catch {
            stop("chapter \(self.name.number) could not write \(runPath)/\(url.lastPathComponent): \(ArtifactMessage.reason(error))", code: 74)
        }
    }

    /// Saves an evaluation as `evaluation.json` (`name` nil: the chapter's main policy) or
    /// `evaluation-NAME.json`, atomically, and lists it in the run folder's
    /// `evaluations.json` with what it is to chapter 10: a method or a baseline of its
    /// comparison (`showdown`), a point of a sweep, or neither.
    public func save(_ evaluation: PolicyEvaluation, name: String? = nil, showdown: ShowdownRole? = nil, sweep: SweepPoint? = nil) {
        let file = PolicyEvaluation.fileName(name)
        do { try AtomicFile.write(try evaluation.json(), to: runFile(file)) } catch {
            stop("chapter \(self.name.number) could not write \(runPath)/\(file): \(ArtifactMessage.reason(error))", code: 74)
        }
        index(SavedEvaluation(name: name, policy: evaluation.policy, showdown: showdown, sweep: sweep))
    }
}
