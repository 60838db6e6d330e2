import Foundation
import Testing

@testable import SmallChangesServer

/// A line is held to strict JSON, then read by `JSONDecoder` as its method's `Params`: what the line may hold, and
/// how a wrong field is named.
@Suite struct RequestDecodingTests {
    let parser = MessageParser(maximumDepth: 64)

    private func isValid(_ text: String) -> Bool {
        JSONSyntax.checked(Data(text.utf8), maximumDepth: 512) != nil
    }

    private func ping(_ value: String) -> Int? {
        let line = #"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":"# + value + "}}"
        guard case .invalid(_, let error) = parser.parse(Data(line.utf8)) else { return nil }
        return error.code
    }

    @Test(arguments: [
        "{}", "[]", " {\"a\" : [ 1 , -2.5e+3, 0, 0.125, 1E9, true, false, null, \"x\" ] } ", "\"\"", "-0",
        #"{"a":{"b":{"c":[[],{}]}}}"#,
    ])
    func acceptsWhatJSONSerializationAccepts(text: String) throws {
        #expect(isValid(text))
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil)
        #expect(ping(text) == nil)
    }

    @Test(arguments: [
        #"{"a":1,}"#, "[1,]", #"{"a" 1}"#, "01", "1.", "-", ".5", "1e", "+1", "NaN", "tru", "nul", #"{"a":1}}"#,
        "{'a':1}", #""\x""#, #""\ud800""#, #""\udc00x""#, #""\ud800\u0041""#, "\"a\tb\"", "\"open", "[1 2]",
        #"{"a":1 "b":2}"#, "", "   ",
    ])
    func refusesWhatIsNotStrictJSON(text: String) {
        #expect(!isValid(text))
        // Even in a member no method reads, as a parse error.
        if !text.trimmingCharacters(in: .whitespaces).isEmpty && text != #"{"a":1}}"# {
            #expect(ping(text) == -32700, "\(text)")
        }
    }

    private func request(_ method: String, _ params: String) throws -> Request {
        let line = #"{"jsonrpc":"2.0","id":1,"method":""# + method + #"","params":"# + params + "}"
        guard case .request(let request) = parser.parse(Data(line.utf8)) else { throw CancellationError() }
        return request
    }

    @Test func escapesBecomeTheCharactersTheyName() throws {
        let params = #"{"sessionId":"s-a4zq5cp94fc2","text":"\u00e9\ud83d\ude00\n\t\"\\\/ caf\u00E9 ok"}"#
        let answer = try request(SessionAnswer.name, params).decodeParams(SessionAnswer.Params.self)
        #expect(answer.text == "é😀\n\t\"\\/ café ok")
    }

    @Test func aRepeatedKeyKeepsTheLastValue() throws {
        let params = #"{"sessionId":"s-a4zq5cp94fc2","text":"first","text":"second"}"#
        #expect(try request(SessionAnswer.name, params).decodeParams(SessionAnswer.Params.self).text == "second")
        guard case .request(let ping) = parser.parse(Data(#"{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}"#.utf8))
        else {
            Issue.record("not a request")
            return
        }
        #expect(ping.id == .number(2))
    }

    @Test(arguments: [
        #"{"sessionId":"s-a4zq5cp94fc2","text":"a","text":"b" , "text":"second"}"#,
        #"{"sessionId":"s-a4zq5cp94fc2","t\u0065xt":"first","text":"second"}"#,
        #"{"text":{"a":1,"a":2},"sessionId":"s-a4zq5cp94fc2","text":"second"}"#,
        #"{"sessionId":"s-a4zq5cp94fc2","text":"second","speaker":"Ana","speaker":null}"#,
    ])
    func theLastOfARepeatedKeyCountsWhateverItsSpellingOrDepth(params: String) throws {
        let answer = try request(SessionAnswer.name, params).decodeParams(SessionAnswer.Params.self)
        #expect(answer.text == "second" && answer.speaker == nil)
    }

    @Test func numbersKeepEveryDigit() {
        guard
            case .request(let request) = parser.parse(
                Data(#"{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}"#.utf8))
        else {
            Issue.record("not a request")
            return
        }
        #expect(request.id == .number(9_007_199_254_740_993))
    }

    private func message(_ method: String, _ params: String) -> String {
        do {
            let request = try request(method, params)
            switch method {
            case SessionAnswer.name: _ = try SessionAnswer.params(of: request)
            case SessionResume.name: _ = try SessionResume.params(of: request)
            case CorpusSearch.name: _ = try CorpusSearch.params(of: request)
            default: _ = try SessionStart.params(of: request)
            }
            return "decoded"
        } catch let error as ErrorObject {
            return error.message
        } catch {
            return "not a request"
        }
    }

    @Test func decodingErrorsNameTheFieldAndTheProblem() {
        #expect(message(SessionStart.name, "{}") == "params.flow: missing")
        #expect(message(SessionStart.name, "null") == "params.flow: missing")
        #expect(message(SessionStart.name, #"{"flow":7}"#) == "params.flow: expected a string")
        #expect(message(SessionStart.name, #"{"flow":null}"#) == "params.flow: expected a string, got null")
        #expect(
            message(SessionStart.name, #"{"flow":"a","participants":["x",3]}"#)
                == "params.participants[1]: expected a string")
        #expect(
            message(SessionResume.name, #"{"sessionId":"s-a4zq5cp94fc2","since":1.5}"#)
                == "params.since: invalid value")
        #expect(message(CorpusSearch.name, #"{"query":"time","limit":1e30}"#) == "params.limit: invalid value")
        #expect(message(CorpusSearch.name, #"{"query":"time","limit":"5"}"#) == "params.limit: expected a number")
        #expect(message(CorpusSearch.name, #"{"query":"time","limit":5.0}"#) == "decoded")
        #expect(message(SessionStart.name, #"["a"]"#) == "params: expected an object")
    }

    @Test func turnParamsThatAreNotAsExpectedNameTheField() {
        #expect(message(SessionAnswer.name, #"{"sessionId":"s-a4zq5cp94fc2"}"#) == "params.text: missing")
        #expect(message(SessionAnswer.name, #"{"sessionId":"nope","text":"x"}"#) == "params.sessionId: invalid value")
        #expect(
            message(SessionAnswer.name, #"{"sessionId":"s-a4zq5cp94fc2","text":"x","speaker":3}"#)
                == "params.speaker: expected a string")
    }
}
