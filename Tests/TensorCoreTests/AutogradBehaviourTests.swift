import XCTest
@testable import TensorCore

/// What the autodiff engine promises beyond single-op derivatives: gradients accumulate,
/// no-grad mode records nothing, constants and detached tensors stop gradients, and a
/// value used twice collects both contributions.
final class AutogradBehaviourTests: XCTestCase {
    func testGradientsAccumulateAcrossTwoBackwardCalls() {
        // L = Σ w·x with x = [1, 2]: dL/dw = x. Two forward/backward passes give 2x.
        let w = Tensor(parameter: [0.5, -1], shape: [2], name: "w")
        let x = Tensor(shape: [2], data: [1, 2])
        sum(w * x).backward()
        XCTAssertEqual(w.grad, [1, 2])
        sum(w * x).backward()
        XCTAssertEqual(w.grad, [2, 4])
        w.zeroGrad()
        XCTAssertTrue(w.grad.isEmpty)
        sum(w * x).backward()
        XCTAssertEqual(w.grad, [1, 2])
    }

    func testNoGradModeBuildsNoGraph() {
        let w = Tensor(parameter: [1, 2, 3], shape: [3], name: "w")
        let y = Autograd.withoutGradients { () -> Tensor in
            XCTAssertFalse(Autograd.isRecording)
            return sum(exp(w) * 2)
        }
        XCTAssertTrue(Autograd.isRecording, "the previous mode comes back")
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(y.parents.isEmpty)
        XCTAssertNil(y.backwardStep)
        XCTAssertEqual(Double(y.item), 2 * (exp(1.0) + exp(2.0) + exp(3.0)), accuracy: 1e-4)
    }

    func testNoGradModeNestsAndRestores() {
        Autograd.withoutGradients {
            Autograd.withoutGradients { }
            XCTAssertFalse(Autograd.isRecording)
        }
        XCTAssertTrue(Autograd.isRecording)
    }

    func testOutputsOfConstantsNeedNoGradient() {
        let a = Tensor(shape: [2], data: [1, 2])
        XCTAssertFalse((a * a + 1).requiresGrad)
        let w = Tensor(parameter: [1, 2], shape: [2], name: "w")
        XCTAssertTrue((a * w).requiresGrad)
        XCTAssertTrue(w.isParameter)
        XCTAssertFalse((a * w).isParameter)
    }

    func testDetachedStopsTheGradient() {
        // L = Σ x · detached(x): only the first factor carries a gradient, so dL/dx = x.
        let x = Tensor(parameter: [3, -2], shape: [2], name: "x")
        sum(x * x.detached()).backward()
        XCTAssertEqual(x.grad, [3, -2])
    }

    func testAValueUsedOnSeveralPathsCollectsEveryContribution() {
        // y = x², z = y + 3y = 4x²: dz/dx = 8x. The shared node y is differentiated once,
        // after both of its consumers have added into it.
        let x = Tensor(parameter: [1.5], shape: [1], name: "x")
        let y = x * x
        sum(y + 3 * y).backward()
        XCTAssertEqual(x.grad[0], 12, accuracy: 1e-6)
    }

    func testDeepChainsDoNotOverflowTheStack() {
        let x = Tensor(parameter: [1], shape: [1], name: "x")
        var y = x
        for _ in 0..<20_000 { y = y * 1.0 }
        sum(y).backward()
        XCTAssertEqual(x.grad, [1])
    }

    func testBackwardFromAVectorTakesASeed() {
        let x = Tensor(parameter: [1, 2, 3], shape: [3], name: "x")
        square(x).backward(seed: [1, 0, -1])
        XCTAssertEqual(x.grad, [2, 0, -6])
    }
}
