import Foundation
import NIOCore
import Testing

@testable import SmallChangesCore
@testable import SmallChangesServer
@testable import TextClassification

/// Responses are written by `JSONEncoder` with sorted keys, and every line must read back as the value it was
/// written from.
@Suite struct ResponseEncoderTests {
    static let trickyStrings: [String] = [
        "plain",
        "",
        #"she said "no", then \"yes\""#,
        #"a\backslash\\and C:\path\"#,
        "new\nline, carriage\rreturn, tab\t, bell\u{07}, nul\u{00}, unit separator\u{1F}, escape\u{1B}",
        "backspace\u{08} form feed\u{0C} delete\u{7F}",
        "emoji 👩🏽‍🤝‍👨🏻 and 🎉, flags 🇬🇧",
        "line separator \u{2028} paragraph separator \u{2029}",
        "slashes / and </script>",
        "accents: café, naïve, e\u{301}, ﬁ, 日本語",
        "byte order mark\u{FEFF} and zero width\u{200B}space",
    ]

    static let confidences: [Double] = [0, 1, 0.5, 0.999, 1e-05, 8.707297555656887e-05, 0.1 + 0.2, 0.9991031971796225]

    static func turnResult(_ text: String, confidence: Double) -> TurnResult {
        let routing = Routing(
            intent: .barrier, confidence: confidence, theme: .autonomy,
            alternatives: [.init(intent: .skip, confidence: confidence / 3), .init(intent: .aim, confidence: 0)],
            items: [
                .init(text: text, intent: .barrier, theme: nil), .init(text: "x", intent: .idea, theme: .openness),
            ],
            needsConfirm: false)
        let prompt = Prompt(
            id: "barrier", text: "How might you get round \"\(text)\"?", expects: .idea, type: .choice,
            choices: [text, "second"], step: 2, of: 5, stage: "Reflect", source: text, speaker: text)
        let reply = Reply(
            accepted: true, routed: routing, needsConfirm: true,
            messages: [Message(.heard, text), Message(.example, text, card: text, speaker: text)], prompt: prompt)
        return TurnResult(reply, stands: "Reflect · step 2 of 5: \(text)", answering: [text, "Ben"])
    }

    /// What `JSONEncoder` writes for a response, as `ResponseEncoder` did before results wrote themselves.
    static func reference(id: JSONRPCID, result: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(Success(id: id, result: result)), as: UTF8.self) + "\n"
    }

    struct Success<Result: Encodable>: Encodable {
        var jsonrpc = "2.0"
        var id: JSONRPCID
        var result: Result
    }

    struct Decoded<Result: Decodable>: Decodable {
        var jsonrpc: String
        var id: JSONRPCID
        var result: Result
    }

    @Test(arguments: trickyStrings)
    func aTurnResultIsWrittenAsJSONEncoderWritesIt(text: String) throws {
        for confidence in Self.confidences {
            let result = Self.turnResult(text, confidence: confidence)
            for id in [JSONRPCID.number(7), .string(text), .null] {
                let line = String(buffer: ResponseEncoder().success(id: id, result: result))
                #expect(line == (try Self.reference(id: id, result: result)))
            }
        }
    }

    @Test(arguments: trickyStrings)
    func trickyStringsRoundTripThroughOneValidLine(text: String) throws {
        let result = Self.turnResult(text, confidence: 0.75)
        let buffer = ResponseEncoder().success(id: .string(text), result: result)
        let bytes = Array(buffer.readableBytesView)
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") && $0 >= 0x20 })
        let decoded = try JSONDecoder().decode(Decoded<TurnResult>.self, from: Data(bytes.dropLast()))
        #expect(decoded.jsonrpc == "2.0")
        #expect(decoded.id == .string(text))
        #expect(decoded.result == result)
        // A second, independent parser agrees.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let messages = try #require((object["result"] as? [String: Any])?["messages"] as? [[String: Any]])
        #expect(messages.first?["text"] as? String == text)
    }

    @Test func aFinishedTurnWithoutRoutingOrPromptOmitsThem() throws {
        let result = TurnResult(
            Reply(accepted: true, messages: [Message(.info, "Skipped for now.")], prompt: nil, finished: true),
            stands: "finished")
        let line = String(buffer: ResponseEncoder().success(id: .number(3), result: result))
        #expect(line == (try Self.reference(id: .number(3), result: result)))
        #expect(!line.contains("\"prompt\"") && !line.contains("\"routed\"") && !line.contains("\"answering\""))
    }

    @Test(arguments: trickyStrings)
    func aSessionStartResultIsWrittenAsJSONEncoderWritesIt(text: String) throws {
        let id = try #require(SessionID(rawValue: "s-a4zq5cp94fc2"))
        let prompt = Prompt(
            id: "barrier", text: text, expects: nil, type: .text, step: 1, of: 5, stage: "Reflect", source: text)
        var result = SessionStart.Result(
            sessionId: id, messages: [Message(.info, text)], prompt: prompt, stands: text, answering: [text])
        result.joinCode = text
        let line = String(buffer: ResponseEncoder().success(id: .number(4), result: result))
        #expect(line == (try Self.reference(id: .number(4), result: result)))
    }

    @Test func aResultWithAJoinExpiryStillEncodesItsDate() throws {
        let id = try #require(SessionID(rawValue: "s-a4zq5cp94fc2"))
        var result = SessionStart.Result(sessionId: id, messages: [], prompt: nil, stands: "Pairs · step 1 of 11")
        result.joinCode = "SPQ9-TDGQ"
        result.joinExpiresAt = Date(timeIntervalSince1970: 1_790_000_000)
        let line = String(buffer: ResponseEncoder().success(id: .number(4), result: result))
        #expect(line == (try Self.reference(id: .number(4), result: result)))
        #expect(line.contains(#""joinExpiresAt":"2026-09-21T"#))
    }

    @Test func aConfidenceThatIsNotANumberIsAnInternalErrorNotBrokenJSON() throws {
        let result = Self.turnResult("text", confidence: .nan)
        let line = String(buffer: ResponseEncoder().success(id: .number(9), result: result))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((object["error"] as? [String: Any])?["code"] as? Int == -32603)
        #expect(object["id"] as? Int == 9)
    }

    @Test func aTurnResultIsOneObjectWithTheReplysMembersBesideWhereItStands() throws {
        let line = String(
            buffer: ResponseEncoder().success(id: .number(5), result: Self.turnResult("x", confidence: 1)))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let result = try #require(object["result"] as? [String: Any])
        #expect(
            result.keys.sorted() == [
                "accepted", "answering", "finished", "messages", "needsConfirm", "prompt", "quit", "routed", "stands",
            ])
        // Keys are written sorted, so a line's bytes are stable.
        #expect(line.hasPrefix(#"{"id":5,"jsonrpc":"2.0","result":{"accepted":true,"answering":["x","Ben"],"#))
    }

    @Test func numbersAreWrittenAsTheirDescriptionWithoutATrailingPointZero() throws {
        var generator = StableRandom(seed: 20_261_122)  // the same numbers every run, so a failure repeats
        var numbers: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.5, 100, 1e-7, 1e21, 1e22, 123_456_789, 0.873_451_232_910_156_2, 2.5e-308,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        ]
        for _ in 0..<20_000 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &generator)
            let number = Double(bitPattern: bits)
            if number.isFinite { numbers.append(number) }
            numbers.append(Double.random(in: 0...1, using: &generator))
        }
        let line = String(buffer: ResponseEncoder().success(id: .number(1), result: numbers))
        let prefix = #"{"id":1,"jsonrpc":"2.0","result":["#
        #expect(line.hasPrefix(prefix) && line.hasSuffix("]}\n"))
        let texts = line.dropFirst(prefix.count).dropLast(3).split(separator: ",")
        #expect(texts.count == numbers.count)
        for (number, text) in zip(numbers, texts) {
            var expected = number.description
            if expected.hasSuffix(".0") { expected.removeLast(2) }
            #expect(String(text) == expected)
            // And it reads back as the same number: no digit lost between the two.
            #expect(Double(text) == number, "\(text)")
        }
        for number in [Double.nan, .infinity] {
            let refused = ResponseEncoder().success(id: .number(2), result: [number])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(refused.readableBytesView)) as? [String: Any])
            #expect((object["error"] as? [String: Any])?["code"] as? Int == -32603 && object["result"] == nil)
        }
    }
}
