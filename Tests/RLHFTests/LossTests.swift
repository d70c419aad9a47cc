import Foundation
import XCTest
import TensorCore
@testable import RLHF

final class LossTests: XCTestCase {
    private func parameter(_ values: [Float], _ shape: [Int]) -> Tensor {
        Tensor(parameter: values, shape: shape, name: "test")
    }

    /// Sequence log-probs: row 0 = -1 - 2 = -3, row 1 = -0.5 (second token masked).
    /// L = -mean(2·(-3), (-1)·(-0.5)) = -mean(-6, 0.5) = 2.75.
    /// dL/dlogπ: row 0 tokens -2/2 = -1; row 1 token 0: +1/2 = 0.5; masked token: 0.
    func testReinforceLoss() {
        let logProbs = parameter([-1, -2, -0.5, -0.5], [2, 2])
        let loss = reinforceLoss(logProbs: logProbs, mask: Tensor(shape: [2, 2], data: [1, 1, 1, 0]), advantages: [2, -1])
        XCTAssertEqual(loss.item, 2.75, accuracy: 1e-6)
        loss.backward()
        XCTAssertEqual(logProbs.grad, [-1, -1, 0.5, 0])
    }

    /// Tokens (ratio, Â): (1.5, +1) clipped: max(-1.5, -1.2) = -1.2, no gradient;
    /// (1.5, -1): max(1.5, 1.2) = 1.5; (0.5, +1): max(-0.5, -0.8) = -0.5; 4th masked.
    /// L = (-1.2 + 1.5 - 0.5)/3 = -0.0666667; clip fraction 1/3;
    /// approx KL = ½ (ln²1.5 + ln²1.5 + ln²0.5)/3 = 0.1348762.
    /// dL/dlogπ = -Â ρ / 3 on unclipped tokens: (0, 0.5, -0.1666667, 0).
    func testClippedPolicyLoss() {
        let logProbs = parameter([Foundation.log(1.5), Foundation.log(1.5), Foundation.log(0.5), 0], [1, 4])
        let result = clippedPolicyLoss(
            logProbs: logProbs, oldLogProbs: Tensor.zeros([1, 4]),
            advantages: Tensor(shape: [1, 4], data: [1, -1, 1, 2]),
            mask: Tensor(shape: [1, 4], data: [1, 1, 1, 0]), clipRange: 0.2)
        XCTAssertEqual(result.loss.item, -0.0666667, accuracy: 1e-6)
        XCTAssertEqual(result.clipFraction, 1.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(result.approximateKL, 0.1348762, accuracy: 1e-6)
        result.loss.backward()
        for (x, y) in zip(logProbs.grad, [0, 0.5, -0.1666667, 0] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
    }

    /// V = (1, 0), V_old = (0.5, 0.5), R = (2, 0.4), ε = 0.2: V_clip = (0.7, 0.3);
    /// unclipped (1, 0.16), clipped (1.69, 0.01); L = ½ mean(1.69, 0.16) = 0.4625;
    /// clipped term active on the first token only.
    func testClippedValueLoss() {
        let values = parameter([1, 0], [2])
        let (loss, fraction) = clippedValueLoss(values: values, oldValues: Tensor(shape: [2], data: [0.5, 0.5]),
                                                returns: Tensor(shape: [2], data: [2, 0.4]),
                                                mask: Tensor(shape: [2], data: [1, 1]), clipRange: 0.2)
        XCTAssertEqual(loss.item, 0.4625, accuracy: 1e-6)
        XCTAssertEqual(fraction, 0.5)
        loss.backward()
        // First token clipped: no gradient. Second: ½ · ½ · 2 (0 - 0.4) = -0.2.
        XCTAssertEqual(values.grad[0], 0, accuracy: 1e-7)
        XCTAssertEqual(values.grad[1], -0.2, accuracy: 1e-6)
    }

    /// Uniform logits over 4 tokens: H = ln 4 = 1.3862944. A one-hot-like row: H ≈ 0.
    func testEntropy() {
        let h = entropy(logits: Tensor(shape: [2, 4], data: [0, 0, 0, 0, 100, 0, 0, 0]))
        XCTAssertEqual(h.data[0], 1.3862944, accuracy: 1e-6)
        XCTAssertEqual(h.data[1], 0, accuracy: 1e-6)
    }

    /// chosen (2, 0), rejected (1, 1): differences (1, -1);
    /// L = ½ (-log σ(1) - log σ(-1)) = ½ (0.3132617 + 1.3132617) = 0.8132617; accuracy ½.
    /// With margins (0.5, 0): ½ (-log σ(0.5) - log σ(-1)) = 0.8936693.
    func testBradleyTerryLoss() {
        let chosen = Tensor(shape: [2], data: [2, 0]), rejected = Tensor(shape: [2], data: [1, 1])
        let plain = bradleyTerryLoss(chosenRewards: chosen, rejectedRewards: rejected)
        XCTAssertEqual(plain.loss.item, 0.8132617, accuracy: 1e-6)
        XCTAssertEqual(plain.accuracy, 0.5)
        XCTAssertEqual(plain.meanMargin, 0)
        let withMargin = bradleyTerryLoss(chosenRewards: chosen, rejectedRewards: rejected, margins: [0.5, 0])
        XCTAssertEqual(withMargin.loss.item, 0.8936693, accuracy: 1e-6)
    }

    /// Soft targets: z = r_c - r_r = 1 with p = 0.75 gives -(0.75 log σ(1) + 0.25 log σ(-1))
    /// = 0.75·0.3132617 + 0.25·1.3132617 = 0.5632617; dL/dz = σ(z) - p = 0.7310586 - 0.75.
    /// At p = 1 it is the ordinary loss; at z = 0, p = ½ it is ln 2 with zero gradient.
    func testBradleyTerryLossWithSoftTargets() {
        let chosen = parameter([1, 0], [2]), rejected = parameter([0, 0], [2])
        let soft = bradleyTerryLoss(chosenRewards: chosen, rejectedRewards: rejected, targets: [0.75, 0.5])
        XCTAssertEqual(soft.loss.item, (0.5632617 + Float(Foundation.log(2.0))) / 2, accuracy: 1e-5)
        soft.loss.backward()
        XCTAssertEqual(chosen.grad[0], (0.7310586 - 0.75) / 2, accuracy: 1e-6)
        XCTAssertEqual(chosen.grad[1], 0, accuracy: 1e-7)
        XCTAssertEqual(rejected.grad[0], -(0.7310586 - 0.75) / 2, accuracy: 1e-6)
        let hard = bradleyTerryLoss(chosenRewards: chosen, rejectedRewards: rejected)
        let one = bradleyTerryLoss(chosenRewards: chosen, rejectedRewards: rejected, targets: [1, 1])
        XCTAssertEqual(hard.loss.item, one.loss.item, accuracy: 1e-6)
    }

    /// log π(y_c) = -10, log π(y_r) = -12, reference both -11, β = 0.1:
    /// z = 0.1 · ((−10 + 11) − (−12 + 11)) = 0.2; L = -log σ(0.2) = 0.5981389;
    /// implicit rewards 0.1 and -0.1; dL/d log π(y_c) = -(1 - σ(0.2)) · 0.1 = -0.0450166.
    func testDPOLoss() {
        let chosen = parameter([-10], [1])
        let result = dpoLoss(policyChosen: chosen, policyRejected: Tensor(shape: [1], data: [-12]),
                             referenceChosen: Tensor(shape: [1], data: [-11]),
                             referenceRejected: Tensor(shape: [1], data: [-11]), settings: DPOSettings(beta: 0.1))
        XCTAssertEqual(result.loss.item, 0.5981389, accuracy: 1e-6)
        XCTAssertEqual(result.chosenRewards[0], 0.1, accuracy: 1e-6)
        XCTAssertEqual(result.rejectedRewards[0], -0.1, accuracy: 1e-6)
        XCTAssertEqual(result.accuracy, 1)
        result.loss.backward()
        XCTAssertEqual(chosen.grad[0], -0.0450166, accuracy: 1e-6)
        XCTAssertEqual(result.margin, 0.2, accuracy: 1e-6)
        XCTAssertEqual(result.chosenLogProb, -10)
        XCTAssertEqual(result.rejectedLogProb, -12)
    }

    /// The same pair (h = 2, lengths 2 and 4) under each of the family's losses, as TRL
    /// defines them:
    /// cDPO ε = 0.1: −(0.9 log σ(0.2) + 0.1 log σ(−0.2)) = 0.9·0.5981389 + 0.1·0.7981389 = 0.6181389;
    /// hinge: max(0, 1 − 0.1·2) = 0.8;
    /// ipo on averages: h̄ = (−5 + 5.5) − (−3 + 2.75) = 0.75, (0.75 − 1/(2·0.1))² = 18.0625;
    /// simpo β = 2, γ = 0.5: −log σ(2·(−5 + 3) − 0.5) = −log σ(−4.5) = 4.5110477; rewards β ā = −10, −6.
    func testDPOFamilyAgainstHandValues() {
        let pc = Tensor(shape: [1], data: [-10]), pr = Tensor(shape: [1], data: [-12])
        let ref = Tensor(shape: [1], data: [-11])
        func loss(_ settings: DPOSettings) -> DPOLoss {
            dpoLoss(policyChosen: pc, policyRejected: pr, referenceChosen: ref, referenceRejected: ref,
                    chosenLengths: [2], rejectedLengths: [4], settings: settings)
        }
        XCTAssertEqual(loss(DPOSettings(beta: 0.1, labelSmoothing: 0.1)).loss.item, 0.6181389, accuracy: 1e-6)
        XCTAssertEqual(loss(DPOSettings(beta: 0.1, lossType: .hinge)).loss.item, 0.8, accuracy: 1e-6)
        XCTAssertEqual(loss(DPOSettings(beta: 10, lossType: .hinge)).loss.item, 0, "a pair won by the margin adds nothing")
        XCTAssertEqual(loss(DPOSettings(beta: 0.1, lossType: .ipo)).loss.item, 18.0625, accuracy: 1e-4)
        let simpo = loss(DPOSettings(beta: 2, lossType: .simpo, simpoGamma: 0.5))
        XCTAssertEqual(simpo.loss.item, 4.5110477, accuracy: 1e-5)
        XCTAssertEqual(simpo.chosenRewards, [-10])
        XCTAssertEqual(simpo.rejectedRewards, [-6])
        XCTAssertEqual(simpo.accuracy, 0)
    }
}
