import Foundation
import LanguageModel
import TensorCore

/// `Bench profile train|decode [small|medium] [repetitions]`: a fixed piece of work for a
/// profiler, the same training step and batch-1 generation the model benchmarks time.
/// Under callgrind, count only the work itself (not building the model), on one thread
/// (a worker that polls for jobs adds instructions that depend on timing):
///
///     RLHF_THREADS=1 valgrind --tool=callgrind --toggle-collect='*profiled*' .build/release/Bench profile train small 2
func runProfile(_ arguments: [String]) {
    let what = arguments.first ?? "train"
    let name = arguments.dropFirst().first ?? "small"
    let repetitions = arguments.dropFirst(2).first.flatMap { Int($0) } ?? 2
    guard ["train", "decode"].contains(what), let config = ["small": GPTConfig.small, "medium": .medium][name],
          repetitions > 0 else {
        FileHandle.standardError.write(Data("usage: Bench profile train|decode [small|medium] [repetitions]\n".utf8))
        exit(64)
    }
    var rng = RandomGenerator(seed: 0)
    let model = GPT(config: config, rng: &rng)
    let start = DispatchTime.now().uptimeNanoseconds
    let tokens: Int, checksum: Float
    if what == "train" {
        let batch = name == "small" ? 16 : 8, time = config.contextLength
        let optimizer = AdamW(groups: ParameterGroup.standard(model.parameters, weightDecay: 0.1), learningRate: 3e-4)
        let inputs = (0..<(batch * time)).map { _ in rng.int(below: config.vocabularySize) }
        let targets = (0..<(batch * time)).map { _ in rng.int(below: config.vocabularySize) }
        checksum = profiledTrainingSteps(model, optimizer, inputs, targets, batch: batch, time: time, steps: repetitions)
        tokens = repetitions * batch * time
    } else {
        let prompt = (0..<16).map { _ in rng.int(below: config.vocabularySize) }
        checksum = profiledDecoding(model, prompt: prompt, newTokens: 96, runs: repetitions, rng: &rng)
        tokens = repetitions * 96
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let label = what == "train" ? "last loss" : "last run's log-prob sum"
    print(String(format: "profile %@ %@: %d tokens in %.3f s (%.0f tok/s); %@ %.9g", what, name, tokens, seconds,
                 Double(tokens) / seconds, label, checksum))
}

/// Returns the last step's loss (printed, so that two builds can be checked for the same numbers).
@inline(never)
func profiledTrainingSteps(_ model: GPT, _ optimizer: AdamW, _ inputs: [Int], _ targets: [Int],
                           batch: Int, time: Int, steps: Int) -> Float {
    var last: Float = 0
    for _ in 0..<steps {
        optimizer.zeroGrad()
        let loss = model.loss(ids: inputs, targets: targets, batch: batch, time: time)
        loss.backward()
        optimizer.update()
        last = loss.item
    }
    return last
}

/// Returns the sum of the last run's token log-probs (printed, like the training loss).
@inline(never)
func profiledDecoding(_ model: GPT, prompt: [Int], newTokens: Int, runs: Int, rng: inout RandomGenerator) -> Float {
    let settings = GenerationSettings(maxNewTokens: newTokens, sampling: SamplingSettings(temperature: 1), stopToken: -1)
    var last: Float = 0
    for _ in 0..<runs { last = model.generate(prompts: [prompt], settings: settings, rng: &rng)[0].logProbs.reduce(0, +) }
    return last
}
