import XCTest
@testable import RLHF

final class AdvantageTests: XCTestCase {
    /// rewards (0, 0, 1), values (0.5, 0.6, 0.7), γ = 1, λ = 0.9:
    /// δ₂ = 1 - 0.7 = 0.3            A₂ = 0.3
    /// δ₁ = 0 + 0.7 - 0.6 = 0.1      A₁ = 0.1 + 0.9·0.3 = 0.37
    /// δ₀ = 0 + 0.6 - 0.5 = 0.1      A₀ = 0.1 + 0.9·0.37 = 0.433
    /// returns = A + V = (0.933, 0.97, 1.0)
    func testGAEMatchesHandValues() {
        let (a, r) = generalizedAdvantages(rewards: [0, 0, 1], values: [0.5, 0.6, 0.7], gamma: 1, lambda: 0.9)
        for (x, y) in zip(a, [0.433, 0.37, 0.3] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        for (x, y) in zip(r, [0.933, 0.97, 1.0] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
    }

    /// λ = 1, γ = 1: A_t is the reward-to-go minus V_t: (1 - 0.5, 1 - 0.6, 1 - 0.7).
    /// λ = 0: A_t is the one-step TD error: (0.1, 0.1, 0.3).
    func testGAELimits() {
        let (monteCarlo, _) = generalizedAdvantages(rewards: [0, 0, 1], values: [0.5, 0.6, 0.7], gamma: 1, lambda: 1)
        for (x, y) in zip(monteCarlo, [0.5, 0.4, 0.3] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        let (td, _) = generalizedAdvantages(rewards: [0, 0, 1], values: [0.5, 0.6, 0.7], gamma: 1, lambda: 0)
        for (x, y) in zip(td, [0.1, 0.1, 0.3] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
    }

    /// rewards (1, 2, 1), γ = 0.5: G₂ = 1, G₁ = 2 + 0.5 = 2.5, G₀ = 1 + 1.25 = 2.25.
    func testDiscountedReturns() {
        XCTAssertEqual(discountedReturns(rewards: [1, 2, 1], gamma: 0.5), [2.25, 2.5, 1])
    }

    /// One group (1, 2, 3, 6): mean 3, sample variance (4 + 1 + 0 + 9) / 3 = 14/3, std 2.160247.
    /// Â = (-2, -1, 0, 3) / (2.160247 + 1e-4) = (-0.925777, -0.462889, 0, 1.388666); the
    /// second group's rewards are all equal, so its advantages are 0 and it has zero spread.
    func testGroupAdvantagesAgainstHandValues() {
        let group = GroupAdvantages(rewards: [1, 2, 3, 6, 5, 5, 5, 5], groupSize: 4)
        for (x, y) in zip(group.advantages, [-0.925777, -0.462889, 0, 1.388666, 0, 0, 0, 0] as [Float]) {
            XCTAssertEqual(x, y, accuracy: 1e-5)
        }
        XCTAssertEqual(group.zeroSpreadGroups, [1])
        XCTAssertEqual(group.zeroSpreadShare, 0.5)
        XCTAssertEqual(group.meanGroupStandardDeviation, (14 / 3 as Float).squareRoot() / 2, accuracy: 1e-6)
        let meanOnly = GroupAdvantages(rewards: [1, 2, 3, 6], groupSize: 4, scaling: .none)
        XCTAssertEqual(meanOnly.advantages, [-2, -1, 0, 3])
    }

    /// Group (1, 2, 3, 6), total 12: Â_i = r_i - (12 - r_i)/3 = (-8/3, -4/3, 0, 4).
    func testLeaveOneOutAdvantages() {
        let a = leaveOneOutAdvantages(rewards: [1, 2, 3, 6], groupSize: 4)
        for (x, y) in zip(a, [-8.0 / 3, -4.0 / 3, 0, 4] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
    }
}
