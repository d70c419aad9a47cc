/// Reference-based text metrics for evaluating generations.

/// ROUGE-L (Lin, 2004): the longest common subsequence (LCS) of words between a candidate
/// and a reference, as an F-measure of LCS precision (LCS / candidate length) and recall
/// (LCS / reference length). It rewards saying the reference's words in the reference's
/// order without demanding that they be contiguous. Words are lowercased runs of letters,
/// digits and apostrophes.
public func rougeL(candidate: String, reference: String) -> Double {
    let c = rougeWords(candidate), r = rougeWords(reference)
    guard !c.isEmpty, !r.isEmpty else { return c.isEmpty && r.isEmpty ? 1 : 0 }
    // Classic dynamic programme over two rows: lcs[i][j] for prefixes c[..<i], r[..<j].
    var previous = [Int](repeating: 0, count: r.count + 1)
    var current = previous
    for i in 1...c.count {
        for j in 1...r.count {
            current[j] = c[i - 1] == r[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
        }
        swap(&previous, &current)
    }
    let lcs = Double(previous[r.count])
    if lcs == 0 { return 0 }
    let precision = lcs / Double(c.count), recall = lcs / Double(r.count)
    return 2 * precision * recall / (precision + recall)
}

func rougeWords(_ text: String) -> [Substring] {
    text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'") }
}
