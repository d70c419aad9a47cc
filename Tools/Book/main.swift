// make book: the course as Markdown pages, from the transcripts of the committed default
// runs (Figures/NN-name/transcript.jsonl), with no training. Writes Book/NN-name.md for
// every chapter with a transcript and Book/README.md, the index.
import Foundation
import Notebook

let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let figures = root.appendingPathComponent("Figures"), book = root.appendingPathComponent("Book")
let folders = ((try? FileManager.default.contentsOfDirectory(atPath: figures.path)) ?? []).sorted()
var index = ["# RLHF From Scratch, in Swift: the book", "",
             "Each page is what one chapter printed in the committed default run, with its figures.", "",
             "| chapter | headline | time |", "| --- | --- | --- |"]
var written = 0
for folder in folders {
    let file = figures.appendingPathComponent(folder).appendingPathComponent(TranscriptEntry.fileName)
    guard let data = try? Data(contentsOf: file) else { continue }
    do {
        let entries = try TranscriptEntry.read(data, file: "Figures/\(folder)/\(TranscriptEntry.fileName)")
        let page = BookPage.markdown(entries, figurePath: "../Figures/\(folder)")
        try FileManager.default.createDirectory(at: book, withIntermediateDirectories: true)
        try page.write(to: book.appendingPathComponent("\(folder).md"), atomically: true, encoding: .utf8)
        let summary = BookPage.summary(entries)
        index.append("| [\(summary.title)](\(folder).md) | \(summary.headline ?? "") | \(summary.time ?? "") |")
        written += 1
    } catch {
        FileHandle.standardError.write(Data("book: \(ArtifactMessage.reason(error))\n".utf8))
        exit(65)
    }
}
try (index.joined(separator: "\n") + "\n").write(to: book.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
print("wrote \(written) pages and Book/README.md")
