import XCTest
@testable import LanguageModel

final class ChatFormatTests: XCTestCase {
    private let tokenizer = BytePairTokenizer.train(
        texts: ["User: Explain magnets to a child\n\nAssistant: Imagine a magnet as a tiny hand. Great question!",
                "Question: What is 37 + 45?\nAnswer: 37 + 45 = 82."],
        vocabularySize: 300)

    /// Prompt and response are tokenized apart, split at the space after "Assistant:";
    /// the tokens must be exactly those of the whole exchange, so that what SFT trains on
    /// and what generation is conditioned on agree token for token.
    func testSplitTokenizationEqualsWholeText() {
        for (prompt, response) in [("Explain magnets to a child", "Imagine a magnet as a tiny hand."),
                                   ("What is 37 + 45?", "37 + 45 = 82."),
                                   ("Say hi", "Hi!\n\nHave a nice day.")] {
            let split = ChatFormat.promptTokens(prompt, tokenizer: tokenizer)
                + ChatFormat.responseTokens(response, tokenizer: tokenizer).dropLast()
            XCTAssertEqual(split, tokenizer.encode(ChatFormat.text(prompt: prompt, response: response)), prompt)
        }
    }

    /// Responses end with <|endoftext|>, and responseText takes it and the space back off.
    func testResponseRoundTrip() {
        let tokens = ChatFormat.responseTokens("Imagine a magnet.", tokenizer: tokenizer)
        XCTAssertEqual(tokens.last, tokenizer.endOfText)
        XCTAssertEqual(ChatFormat.responseText(tokens, tokenizer: tokenizer), "Imagine a magnet.")
        XCTAssertEqual(ChatFormat.text(prompt: "Hi", response: "Hello"), "User: Hi\n\nAssistant: Hello")
    }
}
