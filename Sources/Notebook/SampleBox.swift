/// Draws a prompt and a model's response in a box, so a sample stands apart from prose:
///
///     ┌─ SFT model, step 400 ──────────────────────────────
///     │ User: Explain quantum computing to a 10-year-old.
///     │
///     │ Assistant: Imagine a coin spinning in the air ...
///     └────────────────────────────────────────────────────
///
/// The response is wrapped to the box's width; its own line breaks are kept.
public enum SampleBox {
    /// How the two parts are labelled.
    public enum Style: Sendable {
        /// A chat turn: "User: prompt" and "Assistant: response".
        case chat
        /// Raw text and what a model appended to it (a pretrained model has no turns); with
        /// an empty prompt, the response alone (a document, say).
        case continuation
    }

    /// The box as lines of text, at most `width` columns wide.
    public static func render(prompt: String, response: String, note: String?, width: Int,
                              style: Style = .chat) -> [String] {
        let inner = max(20, width - 2)
        let heading = note.map { "┌─ \($0) " } ?? "┌"
        let top = heading + String(repeating: "─", count: max(3, width - heading.count))
        var lines = [top]
        func add(_ text: String) {
            for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if paragraph.allSatisfy({ $0 == " " }) {
                    lines.append("│")
                    continue
                }
                for wrapped in TextWrapping.fill(paragraph.split(separator: " "), width: inner,
                                                 firstIndent: "", hangingIndent: "") {
                    lines.append("│ " + wrapped)
                }
            }
        }
        switch style {
        case .chat:
            add("User: " + prompt)
            lines.append("│")
            add("Assistant: " + response)
        case .continuation where prompt.isEmpty:
            add(response)
        case .continuation:
            add("text:         " + prompt)
            add("continuation: " + response)
        }
        lines.append("└" + String(repeating: "─", count: max(3, width - 1)))
        return lines
    }
}
