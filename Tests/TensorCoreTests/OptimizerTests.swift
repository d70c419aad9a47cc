import XCTest
@testable import TensorCore

/// AdamW, SGD with momentum, global-norm clipping and the learning-rate schedule, each
/// against numbers worked out by hand.
final class OptimizerTests: XCTestCase {
    /// AdamW, two steps, η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0.01, θ₀ = [1, -2].
    ///
    /// Step 1, g = [0.5, -1]:
    ///   m = 0.1 g = [0.05, -0.1]            v = 0.001 g² = [0.00025, 0.001]
    ///   m̂ = m / (1 - 0.9) = [0.5, -1]        v̂ = v / (1 - 0.999) = [0.25, 1]
    ///   m̂ / (√v̂ + ε) = [1, -1] (to 1e-8)
    ///   θ = θ (1 - ηλ) - η · [1, -1] = [0.999 - 0.1, -1.998 + 0.1] = [0.899, -1.898]
    /// Step 2, g = [0.2, 0.4]:
    ///   m = 0.9 [0.05, -0.1] + 0.1 [0.2, 0.4] = [0.065, -0.05]
    ///   v = 0.999 [0.00025, 0.001] + 0.001 [0.04, 0.16] = [0.00028975, 0.001159]
    ///   m̂ = m / (1 - 0.81) = [0.3421053, -0.2631579]
    ///   v̂ = v / (1 - 0.998001) = [0.1449475, 0.5797899],  √v̂ = [0.3807197, 0.7614394]
    ///   m̂ / (√v̂ + ε) = [0.8985752, -0.3456058]
    ///   θ = [0.899 · 0.999 - 0.0898575, -1.898 · 0.999 + 0.0345606] = [0.8082435, -1.8615414]
    func testAdamWMatchesTheHandWorkedTwoSteps() {
        let theta = Tensor(parameter: [1, -2], shape: [2], name: "theta")
        let adam = AdamW(parameters: [theta], learningRate: 0.1, weightDecay: 0.01,
                         beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        theta.grad = [0.5, -1]
        adam.update()
        XCTAssertEqual(theta.data[0], 0.899, accuracy: 1e-6)
        XCTAssertEqual(theta.data[1], -1.898, accuracy: 1e-6)
        theta.grad = [0.2, 0.4]
        adam.update()
        XCTAssertEqual(theta.data[0], 0.8082435, accuracy: 1e-6)
        XCTAssertEqual(theta.data[1], -1.8615414, accuracy: 1e-6)
        XCTAssertEqual(adam.step, 2)
    }

    func testAdamWParameterGroupsDecayOnlyWhereAsked() {
        // With a zero gradient, m = v = 0 and the Adam step is 0: only the decay moves θ,
        // θ ← θ (1 - ηλ) = 2 · (1 - 0.1 · 0.5) = 1.9 in the decayed group, 2 in the other.
        let matrix = Tensor(parameter: [2, 2, 2, 2], shape: [2, 2], name: "w")
        let bias = Tensor(parameter: [2, 2], shape: [2], name: "b")
        let groups = ParameterGroup.standard([matrix, bias], weightDecay: 0.5)
        XCTAssertEqual(groups[0].parameters.map(\.name), ["w"])
        XCTAssertEqual(groups[1].parameters.map(\.name), ["b"])
        let adam = AdamW(groups: groups, learningRate: 0.1)
        matrix.grad = [0, 0, 0, 0]
        bias.grad = [0, 0]
        adam.update()
        assertClose(matrix.data, [1.9, 1.9, 1.9, 1.9], tolerance: 1e-6)
        assertClose(bias.data, [2, 2], tolerance: 1e-6)
    }

    func testAdamWLeavesParametersWithoutGradientAlone() {
        let used = Tensor(parameter: [1], shape: [1], name: "used")
        let unused = Tensor(parameter: [1], shape: [1], name: "unused")
        let adam = AdamW(parameters: [used, unused], learningRate: 0.1, weightDecay: 0.1)
        used.grad = [1]
        adam.update()
        XCTAssertEqual(unused.data, [1])
        XCTAssertEqual(used.data[0], 1 * 0.99 - 0.1, accuracy: 1e-6)
        adam.zeroGrad()
        XCTAssertTrue(used.grad.isEmpty)
    }

    /// SGD, η = 0.1, μ = 0.9, θ₀ = [1, -1].
    /// Step 1, g = [1, 2]: b = g = [1, 2];  θ = [1 - 0.1, -1 - 0.2] = [0.9, -1.2].
    /// Step 2, g = [0.5, -1]: b = 0.9 [1, 2] + [0.5, -1] = [1.4, 0.8];
    ///   θ = [0.9 - 0.14, -1.2 - 0.08] = [0.76, -1.28].
    func testSGDWithMomentumMatchesTheHandWorkedTwoSteps() {
        let theta = Tensor(parameter: [1, -1], shape: [2], name: "theta")
        let sgd = SGD(parameters: [theta], learningRate: 0.1, momentum: 0.9)
        theta.grad = [1, 2]
        sgd.update()
        assertClose(theta.data, [0.9, -1.2], tolerance: 1e-6)
        theta.grad = [0.5, -1]
        sgd.update()
        assertClose(theta.data, [0.76, -1.28], tolerance: 1e-6)
    }

    func testPlainSGDStepsByTheLearningRateTimesTheGradient() {
        let theta = Tensor(parameter: [1, -1], shape: [2], name: "theta")
        let sgd = SGD(parameters: [theta], learningRate: 0.5)
        theta.grad = [1, 2]
        sgd.update()
        sgd.update()
        assertClose(theta.data, [0, -3], tolerance: 1e-6)
    }

    /// Gradients [3, 4] and [12] have global norm √(9 + 16 + 144) = 13. Clipping to 6.5
    /// scales both by 6.5 / 13 = ½: [1.5, 2] and [6].
    func testGradientClippingScalesByTheGlobalNorm() {
        let a = Tensor(parameter: [0, 0], shape: [2], name: "a")
        let b = Tensor(parameter: [0], shape: [1], name: "b")
        let idle = Tensor(parameter: [0], shape: [1], name: "idle")
        a.grad = [3, 4]
        b.grad = [12]
        XCTAssertEqual(clipGradientNorm([a, b, idle], maxNorm: 6.5), 13, accuracy: 1e-5)
        assertClose(a.grad, [1.5, 2], tolerance: 1e-6)
        assertClose(b.grad, [6], tolerance: 1e-6)
        XCTAssertTrue(idle.grad.isEmpty)
        // Under the limit nothing changes, and the norm is still reported.
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 100), 6.5, accuracy: 1e-5)
        assertClose(a.grad, [1.5, 2], tolerance: 1e-6)
    }

    /// Peak 1e-3, minimum 1e-4, 10 warmup steps, 110 in total:
    ///   step 0: 1e-3 · 1/10 = 1e-4;  step 9: 1e-3 (end of warmup);  step 10: the peak;
    ///   step 60 (halfway through the decay): cosine 1e-4 + ½ · 9e-4 · (1 + cos(π/2)) = 5.5e-4,
    ///   linear 1e-3 - 9e-4 · ½ = 5.5e-4; step 35 (a quarter): cosine 1e-4 + 4.5e-4 · (1 + cos(π/4))
    ///   = 8.681981e-4, linear 1e-3 - 9e-4 · ¼ = 7.75e-4; step 110 and after: the minimum.
    func testLearningRateScheduleAtWarmupPeakAndEnd() {
        let cosine = LearningRateSchedule(peak: 1e-3, minimum: 1e-4, warmupSteps: 10, totalSteps: 110, decay: .cosine)
        let linear = LearningRateSchedule(peak: 1e-3, minimum: 1e-4, warmupSteps: 10, totalSteps: 110, decay: .linear)
        let constant = LearningRateSchedule(peak: 1e-3, warmupSteps: 10, totalSteps: 110, decay: .constant)
        let expected: [(Int, Float, Float, Float)] = [   // step, cosine, linear, constant
            (0, 1e-4, 1e-4, 1e-4), (4, 5e-4, 5e-4, 5e-4), (9, 1e-3, 1e-3, 1e-3), (10, 1e-3, 1e-3, 1e-3),
            (35, 8.681981e-4, 7.75e-4, 1e-3), (60, 5.5e-4, 5.5e-4, 1e-3),
            (110, 1e-4, 1e-4, 1e-3), (500, 1e-4, 1e-4, 1e-3),
        ]
        for (step, c, l, k) in expected {
            XCTAssertEqual(cosine.rate(at: step), c, accuracy: 1e-9, "cosine at \(step)")
            XCTAssertEqual(linear.rate(at: step), l, accuracy: 1e-9, "linear at \(step)")
            XCTAssertEqual(constant.rate(at: step), k, accuracy: 1e-9, "constant at \(step)")
        }
        XCTAssertEqual(LearningRateSchedule(peak: 1, warmupSteps: 0, totalSteps: 10).rate(at: 0), 1)
    }
}
