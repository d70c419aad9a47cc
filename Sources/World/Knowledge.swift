/// The world's catalogue of knowledge: every topic, in a fixed order.
///
/// The catalogue is plain data written for this course. It is the same for every seed; the
/// seed only decides how the knowledge is phrased, sampled and split.
public enum Knowledge {
    /// All topics, area by area. The order is part of the world's definition: splits and
    /// samples index into it.
    public static let topics: [Topic] =
        technologyTopics + physicsTopics + earthTopics + lifeTopics + bodyTopics + spaceTopics

    /// The topic with this name, if there is one.
    public static func topic(named name: String) -> Topic? {
        topics.first { $0.name == name }
    }

    /// Topics that never appear in a training demonstration. They are in the pretraining
    /// corpus (so the model knows the facts) but the model never sees an instruction about
    /// them during SFT; held-out prompts about them measure whether following instructions
    /// generalizes to knowledge learned only in pretraining.
    public static let heldOutTopicNames: [String] = [
        "friction", "tides", "tornadoes", "sharks", "digestion", "comets", "solar power",
    ]
}
