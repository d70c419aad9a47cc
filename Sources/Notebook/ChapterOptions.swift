import ArgumentParser
import TensorCore

/// The command-line options every chapter understands.
///
/// A chapter parses them in its first line:
///
///     let options = ChapterOptions.parseOrExit()
///
/// An unknown flag or a bad value prints the usual usage message and exits with code 64
/// (`EX_USAGE`), `--help` prints the options and exits with 0; nothing crashes.
///
/// A chapter that needs options of its own declares them beside these with an option group,
/// and passes `common` on to ``Chapter``:
///
///     struct DPOOptions: ParsableArguments {
///         @OptionGroup var common: ChapterOptions
///
///         /// beta: the strength of the implicit KL constraint (the paper's beta, 0.1 to 0.5).
///         @Option(help: "DPO's beta.") var beta: Double = 0.1
///     }
///     let options = DPOOptions.parseOrExit()
///     let chapter = Chapter("08-dpo", title: "Direct preference optimization", options: options.common)
public struct ChapterOptions: ParsableArguments, Sendable {
    /// Runs the same code path on tiny budgets, in seconds (CI uses it).
    @Flag(help: "Run the same code on tiny budgets, in seconds.")
    public var quick = false

    /// Seeds every random draw of the chapter; the same seed gives the same numbers.
    @Option(help: "Seed for every random draw (the same seed gives the same numbers).")
    public var seed: UInt64 = 0

    /// Prints results, tables, samples and progress only, without the explanations.
    @Flag(name: .customLong("no-prose"), help: "Print results only, without the explanations.")
    public var noProse = false

    /// Overrides the chapter's training budget (optimizer steps or iterations).
    @Option(help: "Override the chapter's training budget (steps or iterations).")
    public var steps: Int?

    public init() {}

    /// ArgumentParser's `parseOrExit`, after `BLASKernel.useBestAvailable()`: the chapter's
    /// first line is also where it may re-start once on the OpenBLAS kernel the CPU deserves.
    public static func parseOrExit(_ arguments: [String]? = nil) -> ChapterOptions {
        BLASKernel.useBestAvailable()
        do { return try parse(arguments) } catch { exit(withError: error) }
    }

    public mutating func validate() throws {
        if let steps, steps < 1 {
            throw ValidationError("--steps must be at least 1, not \(steps).")
        }
    }

    /// The number of steps to run: `--steps` when given, otherwise the quick or the full budget.
    public func budget(full: Int, quick quickBudget: Int) -> Int {
        steps ?? (quick ? quickBudget : full)
    }
}
