// swift-tools-version:6.0
//
// One package, a library per layer, an executable per chapter.
// Layers depend downward only:
//   chapters -> Course -> RLHF / World / Notebook -> LanguageModel -> TensorCore -> COpenBLAS
// (World uses LanguageModel only for the chat format.) Course is what chapters share:
// loading earlier chapters' files and the one held-out evaluation every policy gets.
import PackageDescription

let chapters: [(folder: String, product: String)] = [
    ("01-pretrained-model", "chapter-01"),
    ("02-supervised-fine-tuning", "chapter-02"),
    ("03-rl-basics", "chapter-03"),
    ("04-reward-model", "chapter-04"),
    ("05-trpo", "chapter-05"),
    ("06-ppo", "chapter-06"),
    ("07-grpo", "chapter-07"),
    ("08-dpo", "chapter-08"),
    ("09-tpo", "chapter-09"),
    ("10-showdown", "chapter-10"),
]

let package = Package(
    name: "RLHFFromScratch",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "LanguageModel", targets: ["LanguageModel"]),
        .library(name: "World", targets: ["World"]),
        .library(name: "Notebook", targets: ["Notebook"]),
        .library(name: "RLHF", targets: ["RLHF"]),
        .library(name: "Course", targets: ["Course"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]
        ),
        .target(name: "TensorCore", dependencies: ["COpenBLAS"]),
        .target(name: "LanguageModel", dependencies: ["TensorCore"]),
        .target(name: "World", dependencies: ["LanguageModel", "TensorCore"]),
        .executableTarget(name: "book", dependencies: ["Notebook"], path: "Tools/Book"),
        .executableTarget(name: "world-tour", dependencies: ["World", "LanguageModel", "TensorCore"], path: "Tools/WorldTour"),
        .target(name: "RLHF", dependencies: ["LanguageModel", "TensorCore"]),
        .target(
            name: "Notebook",
            dependencies: ["TensorCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "Course", dependencies: ["RLHF", "World", "Notebook", "LanguageModel", "TensorCore"]),
        .executableTarget(name: "Bench", dependencies: ["LanguageModel", "RLHF", "TensorCore"], path: "Benchmarks"),
        // Test helpers shared by the test targets (the finite-difference gradient checker).
        .target(name: "TestSupport", dependencies: ["TensorCore"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TestSupport"]),
        .testTarget(name: "LanguageModelTests", dependencies: ["LanguageModel", "TensorCore", "TestSupport"]),
        .testTarget(name: "WorldTests", dependencies: ["World", "LanguageModel"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook"]),
        .testTarget(name: "RLHFTests", dependencies: ["RLHF", "LanguageModel", "TensorCore"]),
        .testTarget(name: "CourseTests", dependencies: ["Course", "RLHF", "World", "Notebook", "LanguageModel", "TensorCore"]),
    ] + chapters.map { chapter in
        .executableTarget(
            name: chapter.product,
            dependencies: ["TensorCore", "LanguageModel", "World", "Notebook", "RLHF", "Course",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Chapters/\(chapter.folder)"
        )
    },
    // Swift 5 mode: the numeric kernels hand unsafe buffer pointers to parallel loops,
    // which Swift 6's strict Sendable checking rejects without making them any safer.
    swiftLanguageModes: [.v5]
)
