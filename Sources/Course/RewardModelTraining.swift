import Foundation
import Notebook
import RLHF
import TensorCore

/// How chapter 04 trains a reward model on preference pairs, as InstructGPT batches them:
/// each step takes `promptsPerStep` prompts with all of their decisive pairs, so each
/// answer is read once per step however many pairs it is in.
public struct RewardModelTraining {
    /// Prompts per optimizer step (each brings all its pairs).
    public var promptsPerStep: Int
    /// Passes over the data. InstructGPT trains one epoch; more overfits sooner or later.
    public var epochs: Int
    /// Peak learning rate of AdamW on every weight (warmup then cosine decay to a tenth).
    public var learningRate: Float
    /// c of the centering term c · mean((r_c + r_r)²) (TRL suggests 0.01).
    public var centeringCoefficient: Float
    /// Held-out measurements per epoch (evenly spaced, the last at the epoch's end), and one
    /// before the first step.
    public var evaluationsPerEpoch: Int

    public init(promptsPerStep: Int = 8, epochs: Int, learningRate: Float, centeringCoefficient: Float = 0.01,
                evaluationsPerEpoch: Int = 1) {
        self.promptsPerStep = promptsPerStep
        self.epochs = epochs
        self.learningRate = learningRate
        self.centeringCoefficient = centeringCoefficient
        self.evaluationsPerEpoch = evaluationsPerEpoch
    }

    /// What a run recorded, step by step.
    public struct Curves {
        public var trainLoss: [Double] = []
        public var trainAccuracy: [Double] = []
        /// (step, held-out loss, held-out accuracy against the annotators).
        public var heldOut: [(step: Int, loss: Double, accuracy: Double)] = []
    }

    /// Trains `model` on `groups` (each prompt's pairs), logging under `label`; `heldOut`,
    /// when given, measures the loss and accuracy on held-out data `evaluationsPerEpoch`
    /// times an epoch.
    public func train(_ model: RewardModel, groups: [[RewardModel.TokenizedPair]], chapter: Chapter, label: String,
                      heldOut: (() -> (loss: Double, accuracy: Double))? = nil) -> Curves {
        let stepsPerEpoch = (groups.count + promptsPerStep - 1) / promptsPerStep
        let totalSteps = stepsPerEpoch * epochs
        let optimizer = AdamW(parameters: model.parameters, learningRate: learningRate, weightDecay: 0)
        let schedule = LearningRateSchedule(peak: learningRate, minimum: learningRate / 10,
                                            warmupSteps: max(totalSteps / 20, 1), totalSteps: totalSteps)
        var rng = chapter.random("batches \(label)")
        var order: [Int] = []
        var curves = Curves()
        if let first = heldOut?() { curves.heldOut.append((0, first.loss, first.accuracy)) }
        let evaluationSteps = Set((1...(epochs * max(evaluationsPerEpoch, 1))).map {
            ($0 * stepsPerEpoch) / max(evaluationsPerEpoch, 1)
        })
        let progress = chapter.progress(label, total: totalSteps)
        for step in 0..<totalSteps {
            if order.isEmpty { order = rng.shuffled(Array(groups.indices)) }
            let take = min(promptsPerStep, order.count)
            let batch = order.prefix(take).flatMap { groups[$0] }
            order.removeFirst(take)
            optimizer.learningRate = schedule.rate(at: step)
            optimizer.zeroGrad()
            let result = model.pairLoss(batch, centeringCoefficient: centeringCoefficient)
            result.loss.backward()
            let gradientNorm = clipGradientNorm(model.parameters, maxNorm: 1)
            chapter.stopIfDiverged(label, step: step + 1, loss: Double(result.loss.item), gradientNorm: Double(gradientNorm))
            optimizer.update()
            let (loss, accuracy, margin) = (Double(result.loss.item), Double(result.accuracy), Double(result.margin))
            curves.trainLoss.append(loss)
            curves.trainAccuracy.append(accuracy)
            for (name, value) in [("loss", loss), ("accuracy", accuracy), ("margin", margin), ("mean_reward", Double(result.meanReward))] {
                chapter.log(label, step: step + 1, name, value)
            }
            if let heldOut, evaluationSteps.contains(step + 1) || step + 1 == totalSteps {
                let measured = heldOut()
                curves.heldOut.append((step + 1, measured.loss, measured.accuracy))
                chapter.log(label + " held-out", step: step + 1, "loss", measured.loss)
                chapter.log(label + " held-out", step: step + 1, "accuracy", measured.accuracy)
            }
            let tokens = Set(batch.flatMap { [$0.chosen, $0.rejected] }).map(\.count).reduce(0, +)
            if let measured = curves.heldOut.last {
                progress.update(step: step + 1, ["loss": loss, "accuracy": accuracy, "margin": margin, "held-out acc": measured.accuracy],
                                tokens: tokens)
            } else {
                progress.update(step: step + 1, ["loss": loss, "accuracy": accuracy, "margin": margin], tokens: tokens)
            }
        }
        progress.finish()
        return curves
    }
}
