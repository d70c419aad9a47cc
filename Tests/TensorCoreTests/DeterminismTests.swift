import XCTest
@testable import TensorCore

/// Same seed, same numbers, bit for bit: a small training loop run twice must end with
/// identical weights and losses (the reproducibility every chapter's `--seed` relies on).
final class DeterminismTests: XCTestCase {
    /// Trains a 2-layer MLP (8 -> 16 -> 4, GELU, cross-entropy, AdamW, clipping, dropout) on
    /// one fixed random batch for 20 steps and returns every loss followed by every final weight.
    private func trainTinyMLP(seed: UInt64) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        var initRng = rng.derived("init"), dataRng = rng.derived("data")
        let w1 = Tensor(parameter: Tensor.randomNormal([8, 16], std: 0.3, using: &initRng).data, shape: [8, 16], name: "w1")
        let b1 = Tensor(parameter: [Float](repeating: 0, count: 16), shape: [16], name: "b1")
        let w2 = Tensor(parameter: Tensor.randomNormal([16, 4], std: 0.3, using: &initRng).data, shape: [16, 4], name: "w2")
        let b2 = Tensor(parameter: [Float](repeating: 0, count: 4), shape: [4], name: "b2")
        let parameters = [w1, b1, w2, b2]
        let adam = AdamW(groups: ParameterGroup.standard(parameters, weightDecay: 0.1), learningRate: 1e-2)
        let x = Tensor.randomNormal([32, 8], using: &dataRng)
        let targets = (0..<32).map { _ in dataRng.int(below: 4) }
        var record: [Float] = []
        for _ in 0..<20 {
            let hidden = dropout(gelu(linear(x, weight: w1, bias: b1)), rate: 0.1, using: &rng)
            let loss = crossEntropy(linear(hidden, weight: w2, bias: b2), targets: targets)
            adam.zeroGrad()
            loss.backward()
            clipGradientNorm(parameters, maxNorm: 1)
            adam.update()
            record.append(loss.item)
        }
        return record + parameters.flatMap(\.data)
    }

    func testTrainingTwiceWithOneSeedIsBitIdentical() {
        let first = trainTinyMLP(seed: 11)
        let second = trainTinyMLP(seed: 11)
        XCTAssertEqual(first.map(\.bitPattern), second.map(\.bitPattern))
        XCTAssertNotEqual(first, trainTinyMLP(seed: 12), "another seed gives other numbers")
    }

    func testTrainingLowersTheLoss() {
        let record = trainTinyMLP(seed: 11)
        // The labels are random, so the loss can only fall by memorising the one batch; the
        // loop must at least do that (a sign error in any gradient or in the update would not).
        XCTAssertLessThan(record[19], 0.9 * record[0])
    }
}
