import Foundation
import Testing

@testable import SmallChangesServer

@Suite struct JSONValueTests {
    private func parse(_ text: String) -> JSONValue? {
        Array(text.utf8).withUnsafeBytes { JSONValue.parse($0) }
    }

    @Test(arguments: [
        "{}", "[]", " {\"a\" : [ 1 , -2.5e+3, 0, 0.125, 1E9, true, false, null, \"x\" ] } ", "\"\"", "-0",
        #"{"a":{"b":{"c":[[],{}]}}}"#,
    ])
    func acceptsWhatJSONSerializationAccepts(text: String) throws {
        #expect(parse(text) != nil)
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil)
    }

    @Test(arguments: [
        #"{"a":1,}"#, "[1,]", #"{"a" 1}"#, "01", "1.", "-", ".5", "1e", "+1", "NaN", "tru", "nul", #"{"a":1}}"#,
        "{'a':1}", #""\x""#, #""\ud800""#, #""\udc00x""#, #""\ud800\u0041""#, "\"a\tb\"", "\"open", "[1 2]",
        #"{"a":1 "b":2}"#, "", "   ",
    ])
    func refusesWhatIsNotStrictJSON(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func escapesBecomeTheCharactersTheyName() {
        let value = parse(#"["\u00e9\ud83d\ude00\n\t\"\\\/", "plain", "caf\u00E9 ok"]"#)
        #expect(value == .array([.string("é😀\n\t\"\\/"), .string("plain"), .string("café ok")]))
    }

    @Test func aRepeatedKeyKeepsTheLastValue() {
        #expect(parse(#"{"id":1,"id":2}"#)?["id"] == .number("2"))
    }

    @Test func numbersKeepEveryDigit() {
        #expect(parse("9007199254740993") == .number("9007199254740993"))
    }

    private struct Params: Decodable, Equatable {
        var name: String
        var count: Int?
        var tags: [String]?
        var flag: Bool?
    }

    private func decode(_ params: String) throws -> Params {
        guard let value = parse(params) else { throw CancellationError() }
        return try JSONValueDecoder.decode(Params.self, from: value, codingPath: [JSONKey(stringValue: "params")])
    }

    @Test func decodesTheSameValuesAsJSONDecoder() throws {
        for text in [
            #"{"name":"a","count":3,"tags":["x","y"],"flag":true}"#, #"{"name":"b","count":null}"#,
            #"{"name":"c","count":2.0,"extra":{"ignored":[1]}}"#,
        ] {
            #expect(try decode(text) == (try JSONDecoder().decode(Params.self, from: Data(text.utf8))))
        }
    }

    @Test func decodingErrorsNameTheFieldAndTheProblem() {
        func message(_ text: String) -> String {
            guard let value = parse(text) else { return "not JSON" }
            let request = Request(id: .number(1), method: "x", params: value)
            do {
                _ = try request.decodeParams(Params.self)
                return "decoded"
            } catch {
                return error.message
            }
        }
        #expect(message("{}") == "params.name: missing")
        #expect(message(#"{"name":7}"#) == "params.name: expected a string")
        #expect(message(#"{"name":null}"#) == "params.name: expected a string, got null")
        #expect(message(#"{"name":"a","tags":["x",3]}"#) == "params.tags[1]: expected a string")
        #expect(message(#"{"name":"a","count":1.5}"#) == "params.count: invalid value")
        #expect(message(#"["a"]"#) == "params: expected an object")
    }

    @Test func turnParamsReadDirectlyAreWhatTheDecoderReads() throws {
        for text in [
            #"{"sessionId":"s-a4zq5cp94fc2","text":"no time"}"#,
            #"{"sessionId":"s-a4zq5cp94fc2","text":"no time","speaker":"Ana","extra":[1]}"#,
            #"{"sessionId":"s-a4zq5cp94fc2","text":"\u00e9","speaker":null}"#,
        ] {
            let value = try #require(parse(text))
            let fast = try #require(SessionAnswer.Params(reading: value))
            let general = try JSONValueDecoder.decode(SessionAnswer.Params.self, from: value)
            #expect(fast.sessionId == general.sessionId && fast.text == general.text && fast.speaker == general.speaker)
        }
        for text in [#"{"flow":"reflect"}"#, #"{"flow":"pair","participants":["Ana","Ben"]}"#] {
            let value = try #require(parse(text))
            let fast = try #require(SessionStart.Params(reading: value))
            let general = try JSONValueDecoder.decode(SessionStart.Params.self, from: value)
            #expect(fast.flow == general.flow && fast.participants == general.participants)
        }
    }

    @Test func turnParamsThatAreNotAsExpectedGoTheGeneralWayAndNameTheField() {
        func message(_ text: String) -> String {
            guard let value = parse(text) else { return "not JSON" }
            #expect(SessionAnswer.Params(reading: value) == nil)
            do {
                _ = try SessionAnswer.params(of: Request(id: .number(1), method: SessionAnswer.name, params: value))
                return "decoded"
            } catch {
                return error.message
            }
        }
        #expect(message(#"{"sessionId":"s-a4zq5cp94fc2"}"#) == "params.text: missing")
        #expect(message(#"{"sessionId":"nope","text":"x"}"#) == "params.sessionId: invalid value")
        #expect(
            message(#"{"sessionId":"s-a4zq5cp94fc2","text":"x","speaker":3}"#) == "params.speaker: expected a string")
    }
}
