/// Which kind of run a chapter is doing, and so where its files go.
///
/// Only the default run (no `--quick`, seed 0, the chapter's own budget) writes where the
/// committed course lives: checkpoints in `runs/NN-name/`, figures in `Figures/NN-name/`.
/// Every other run keeps to a folder of its own, so that a quick check or another seed
/// can never overwrite a committed figure, and a default run can never load a quick
/// run's checkpoint by accident:
///
/// | run | reads earlier chapters from | writes to | figures |
/// |---|---|---|---|
/// | default | `runs/` | `runs/NN-name/` | `Figures/NN-name/` |
/// | `--quick` | `runs/quick/` | `runs/quick/NN-name/` | `runs/quick/NN-name/figures/` |
/// | `--seed 3` | `runs/seed-3/` | `runs/seed-3/NN-name/` | `runs/seed-3/NN-name/figures/` |
/// | `--quick --seed 3` | `runs/quick-seed-3/` | `runs/quick-seed-3/NN-name/` | inside it, likewise |
/// | `--steps 200` | as without it | `runs/steps-200/NN-name/` (quick: `runs/quick-steps-200/`) | inside it |
///
/// `--steps` changes one chapter's budget only, so it reads what the earlier chapters'
/// ordinary runs of the same kind left, and writes apart from them.
public struct RunVariant: Equatable, Sendable {
    public let quick: Bool
    public let seed: UInt64
    public let steps: Int?

    public init(quick: Bool, seed: UInt64, steps: Int? = nil) {
        self.quick = quick
        self.seed = seed
        self.steps = steps
    }

    public init(_ options: ChapterOptions) {
        self.init(quick: options.quick, seed: options.seed, steps: options.steps)
    }

    /// True for the run whose figures are committed.
    public var isDefault: Bool { !quick && seed == 0 && steps == nil }

    /// The folder under `runs/` of the runs this one reads from ("" for the default run).
    public var inputFolder: String { Self.folder([quick ? "quick" : nil, seed != 0 ? "seed-\(seed)" : nil]) }

    /// The folder under `runs/` this run writes to ("" for the default run).
    public var outputFolder: String {
        Self.folder([quick ? "quick" : nil, seed != 0 ? "seed-\(seed)" : nil, steps.map { "steps-\($0)" }])
    }

    /// The `make` variables that select the runs this one reads from, e.g. " QUICK=1 SEED=3".
    public var makeArguments: String {
        (quick ? " QUICK=1" : "") + (seed != 0 ? " SEED=\(seed)" : "")
    }

    /// "a default run", "a quick run", "a run with seed 3", "a quick run with seed 3".
    public var description: String {
        (quick ? "a quick run" : (seed == 0 ? "a default run" : "a run")) + (seed != 0 ? " with seed \(seed)" : "")
    }

    private static func folder(_ parts: [String?]) -> String {
        parts.compactMap { $0 }.joined(separator: "-")
    }
}
