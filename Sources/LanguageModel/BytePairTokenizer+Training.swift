extension BytePairTokenizer {
    /// Learns a byte-level BPE tokenizer from `texts`.
    ///
    /// - Parameters:
    ///   - texts: the training corpus, one document (or any convenient piece) per element.
    ///     Special-token strings inside a text are cut out and not learned from.
    ///   - vocabularySize: the total number of ids wanted, counting the 256 bytes and the
    ///     special tokens; `vocabularySize - 256 - specialTokens.count` merges are learned.
    ///     Training stops early (giving a smaller vocabulary) only if the corpus runs out
    ///     of adjacent pairs. GPT-2 used 50,257; the course uses 512 to 2,048.
    ///   - specialTokens: tokens that the corpus never spells out, given the last ids.
    ///
    /// The algorithm:
    ///
    /// 1. Cut every text into chunks (`forEachChunk`) and count each distinct chunk once:
    ///    a corpus of millions of words has only tens of thousands of distinct chunks.
    /// 2. Count every adjacent pair of tokens, weighting by the chunk's count.
    /// 3. Repeat: take the most frequent pair (ties go to the smallest `(left, right)`
    ///    ids, so training is deterministic), record it as merge k with new id 256 + k,
    ///    and rewrite only the chunks that contain it, adjusting the pair counts of just
    ///    those chunks. A max-heap finds the most frequent pair; entries whose count went
    ///    stale are re-pushed with the true count when they reach the top.
    public static func train(texts: [String], vocabularySize: Int,
                             specialTokens: [String] = ["<|endoftext|>"]) -> BytePairTokenizer {
        let mergeTarget = vocabularySize - 256 - specialTokens.count
        precondition(mergeTarget >= 0,
                     "a vocabulary of \(vocabularySize) cannot hold the 256 bytes and \(specialTokens.count) special tokens")

        // 1. Distinct chunks and how often each occurs.
        var chunkCounts: [ChunkKey: Int] = [:]
        let specials = BytePairTokenizer(merges: [], specialTokens: specialTokens)
        for text in texts {
            for piece in specials.piecesBetweenSpecialTokens(text) {
                var piece = piece
                piece.withUTF8 { bytes in
                    forEachChunk(in: bytes) { range in
                        guard range.count > 1 else { return }  // a single byte has no pairs
                        chunkCounts[ChunkKey(UnsafeBufferPointer(rebasing: bytes[range])), default: 0] += 1
                    }
                }
            }
        }
        var words: [[Int32]] = []
        var counts: [Int] = []
        words.reserveCapacity(chunkCounts.count)
        counts.reserveCapacity(chunkCounts.count)
        for (chunk, count) in chunkCounts {
            words.append(chunk.bytes.map { Int32($0) })
            counts.append(count)
        }

        // 2. Pair counts, and for each pair the chunks where it may occur.
        var pairCounts: [UInt64: Int] = [:]
        var pairWords: [UInt64: [Int32]] = [:]
        for (w, word) in words.enumerated() {
            for i in 0..<(word.count - 1) {
                let key = pairKey(word[i], word[i + 1])
                pairCounts[key, default: 0] += counts[w]
                pairWords[key, default: []].append(Int32(w))
            }
        }
        var heap = PairHeap()
        for (key, count) in pairCounts { heap.push(count: count, key: key) }

        // Bytes of every token so far, to refuse a merge that would be a special token in
        // disguise: one with the same text (which would then have two ids) or the same
        // spelling in vocab.json (which would then have two equal keys).
        var tokenBytes = (0..<256).map { [UInt8($0)] }
        let forbiddenBytes = Set(specialTokens.map { Array($0.utf8) })
        let forbiddenSpellings = Set(specialTokens)

        // 3. Merge.
        var merges: [Merge] = []
        var lastVisit = [Int](repeating: -1, count: words.count)
        var grown: [UInt64: Int] = [:]
        while merges.count < mergeTarget, let top = heap.pop() {
            let actual = pairCounts[top.key] ?? 0
            if actual != top.count {
                if actual > 0 { heap.push(count: actual, key: top.key) }
                continue
            }
            let left = Int32(truncatingIfNeeded: top.key >> 32)
            let right = Int32(truncatingIfNeeded: top.key & 0xFFFF_FFFF)
            let bytes = tokenBytes[Int(left)] + tokenBytes[Int(right)]
            if forbiddenBytes.contains(bytes) || forbiddenSpellings.contains(fileSpelling(bytes)) {
                continue  // never pushed again: see below
            }
            let newId = Int32(256 + merges.count)
            merges.append(Merge(left: Int(left), right: Int(right)))
            tokenBytes.append(bytes)

            // Rewrite each chunk holding the pair. Its old pairs are taken out of the
            // counts and its new pairs put in; the only pairs that can gain are those
            // with the new token, so only those need a heap entry and a chunk list.
            grown.removeAll(keepingCapacity: true)
            for w in pairWords.removeValue(forKey: top.key) ?? [] {
                let w = Int(w)
                guard lastVisit[w] != merges.count else { continue }
                lastVisit[w] = merges.count
                let old = words[w]
                var merged: [Int32] = []
                merged.reserveCapacity(old.count)
                var i = 0
                while i < old.count {
                    if i + 1 < old.count && old[i] == left && old[i + 1] == right {
                        merged.append(newId)
                        i += 2
                    } else {
                        merged.append(old[i])
                        i += 1
                    }
                }
                guard merged.count < old.count else { continue }  // stale entry: pair already gone
                let count = counts[w]
                for i in 0..<(old.count - 1) {
                    pairCounts[pairKey(old[i], old[i + 1]), default: 0] -= count
                }
                for i in 0..<max(merged.count - 1, 0) {
                    let key = pairKey(merged[i], merged[i + 1])
                    pairCounts[key, default: 0] += count
                    if merged[i] == newId || merged[i + 1] == newId {
                        grown[key, default: 0] += 1
                        pairWords[key, default: []].append(Int32(w))
                    }
                }
                words[w] = merged
            }
            pairCounts[top.key] = nil
            for key in grown.keys.sorted() {
                if let count = pairCounts[key], count > 0 { heap.push(count: count, key: key) }
            }
        }
        // A refused pair (one spelling a special token) only involves tokens older than
        // the newest, so it is never pushed again and cannot come back.
        return BytePairTokenizer(merges: merges, specialTokens: specialTokens)
    }

    /// The parts of `text` between occurrences of special tokens.
    func piecesBetweenSpecialTokens(_ text: String) -> [String] {
        var pieces = [text]
        for special in specialTokens {
            pieces = pieces.flatMap { $0.split(separator: special, omittingEmptySubsequences: true).map(String.init) }
        }
        return pieces
    }
}

/// A binary max-heap of (count, pair) entries: the most frequent pair on top, and among
/// equal counts the smallest pair key (smallest left id, then smallest right id).
private struct PairHeap {
    private var entries: [(count: Int, key: UInt64)] = []

    @inline(__always) private func before(_ a: (count: Int, key: UInt64), _ b: (count: Int, key: UInt64)) -> Bool {
        a.count > b.count || (a.count == b.count && a.key < b.key)
    }

    mutating func push(count: Int, key: UInt64) {
        entries.append((count, key))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard before(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (count: Int, key: UInt64)? {
        guard let top = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            var parent = 0
            while true {
                let leftChild = 2 * parent + 1
                let rightChild = leftChild + 1
                var best = parent
                if leftChild < entries.count && before(entries[leftChild], entries[best]) { best = leftChild }
                if rightChild < entries.count && before(entries[rightChild], entries[best]) { best = rightChild }
                if best == parent { break }
                entries.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}
