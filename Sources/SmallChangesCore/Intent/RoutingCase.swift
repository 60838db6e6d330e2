import Foundation

/// One labelled answer of a routing test set (`domain-test.jsonl`): the text, the intent its question expects, and
/// the intent and theme it should get.
public struct RoutingCase: Sendable, Hashable, Codable {
    public var text: String
    /// The expected intent of the question it answers, or `nil` when no question is pending.
    public var expect: Intent?
    public var intent: Intent
    /// The right theme for a barrier or idea; `nil` otherwise or when none fits.
    public var theme: Theme?

    public init(text: String, expect: Intent?, intent: Intent, theme: Theme?) {
        self.text = text
        self.expect = expect
        self.intent = intent
        self.theme = theme
    }

    /// Reads JSON Lines, one case per non-empty line.
    ///
    /// - Throws: `SourceError` with the line of the first case that cannot be read (unknown labels included).
    public static func parseLines(_ text: String, file: String) throws(SourceError) -> [RoutingCase] {
        let decoder = JSONDecoder()
        var cases: [RoutingCase] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy({ $0 == " " || $0 == "\r" }) else { continue }
            do {
                cases.append(try decoder.decode(RoutingCase.self, from: Data(line.utf8)))
            } catch {
                throw SourceError(file: file, line: number + 1, "not a routing case: \(error)")
            }
        }
        return cases
    }
}
