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
    /// Held-out measurements every this many steps.
    public var evaluationInterval: Int

    public init(promptsPerStep: Int = 8, epochs: Int, learningRate: Float, centeringCoefficient: Float = 0.01,
                evaluationInterval: Int) {
        self.promptsPerStep = promptsPerStep
        self.epochs = epochs
        self.learningRate = learningRate
        self.centeringCoefficient = centeringCoefficient
        self.evaluationInterval = evaluationInterval
    }

    /// What a run recorded, step by step.
    public struct Curves {
        public var trainLoss: [Double] = []
        public var trainAccuracy: [Double] = []
        /// (step, held-out loss, held-out accuracy against the annotators).
        public var heldOut: [(step: Int, loss: Double, accuracy: Double)] = []
    }

    /// Trains `model` on `groups` (each prompt's pairs), logging under `label`; `heldOut`
    /// measures the loss and accuracy on held-out data every `evaluationInterval` steps.
    public func train(_ model: RewardModel, groups: [[RewardModel.TokenizedPair]], chapter: Chapter, label: String,
                      heldOut: () -> (loss: Double, accuracy: Double)) -> Curves {
        let stepsPerEpoch = (groups.count + promptsPerStep - 1) / promptsPerStep
        let totalSteps = stepsPerEpoch * epochs
        let optimizer = AdamW(parameters: model.parameters, learningRate: learningRate, weightDecay: 0)
        let schedule = LearningRateSchedule(peak: learningRate, minimum: learningRate / 10,
                                            warmupSteps: max(totalSteps / 20, 1), totalSteps: totalSteps)
        var rng = chapter.random("batches \(label)")
        var order: [Int] = []
        var curves = Curves()
        let first = heldOut()
        curves.heldOut.append((0, first.loss, first.accuracy))
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
            curves.trainLoss.append(Double(result.loss.item))
            curves.trainAccuracy.append(Double(result.accuracy))
            for (name, value) in [("loss", Double(result.loss.item)), ("accuracy", Double(result.accuracy)),
                                  ("margin", Double(result.margin)), ("mean_reward", Double(result.meanReward))] {
                chapter.log(label, step: step + 1, name, value)
            }
            if (step + 1) % evaluationInterval == 0 || step + 1 == totalSteps {
                let measured = heldOut()
                curves.heldOut.append((step + 1, measured.loss, measured.accuracy))
                chapter.log(label + " held-out", step: step + 1, "loss", measured.loss)
                chapter.log(label + " held-out", step: step + 1, "accuracy", measured.accuracy)
            }
            progress.update(step: step + 1, ["loss": Double(result.loss.item), "accuracy": Double(result.accuracy),
                                             "margin": Double(result.margin), "held-out acc": curves.heldOut.last!.accuracy],
                            tokens: Set(batch.flatMap { [$0.chosen, $0.rejected] }).map(\.count).reduce(0, +))
        }
        progress.finish()
        return curves
    }
}
