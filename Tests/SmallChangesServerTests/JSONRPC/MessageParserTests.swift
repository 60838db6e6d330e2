import Foundation
import Testing

@testable import SmallChangesServer

@Suite struct MessageParserTests {
    let parser = MessageParser(maximumDepth: 64)

    private func outcome(_ line: String) -> (id: JSONRPCID?, code: Int?, method: String?) {
        switch parser.parse(Data(line.utf8)) {
        case .request(let request): (request.id, nil, request.method)
        case .invalid(let id, let error): (id, error.code, nil)
        case .ignored: (nil, nil, nil)
        }
    }

    @Test(arguments: [
        (#"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#, -32700),
        (#"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#, -32600),
        (#"[]"#, -32600),
        (#"[1]"#, -32600),
        (#"[{"jsonrpc": "2.0", "method": "ping", "id": 1}]"#, -32600),
        (#"[{"jsonrpc": "2.0", "method": "ping", "id": "1"},{"jsonrpc": "2.0", "method""#, -32700),
        (#"1"#, -32600),
        (#""hello""#, -32600),
        (#"{"jsonrpc": 2.0, "method": "ping", "id": 1}"#, -32600),
        (#"{"method": "ping", "id": 1}"#, -32600),
        (#"{"jsonrpc": "2.0", "method": "ping", "params": 3, "id": 1}"#, -32600),
        (#"{"jsonrpc": "2.0", "method": "ping", "id": 1.5}"#, -32600),
        (#"{"jsonrpc": "2.0", "method": "ping", "id": {"a": 1}}"#, -32600),
    ])
    func theSpecificationsBrokenExamplesGetTheirCodes(line: String, code: Int) {
        #expect(outcome(line).code == code)
    }

    @Test func invalidUTF8IsAParseError() {
        var bytes = Array(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":""#.utf8)
        bytes += [0xC3, 0x28, 0xFF]
        bytes += Array(#""}}"#.utf8)
        guard case .invalid(let id, let error) = parser.parse(Data(bytes)) else {
            Issue.record("invalid UTF-8 was accepted")
            return
        }
        #expect(id == .null)
        #expect(error.code == -32700)
    }

    @Test func anIdKeepsItsType() {
        #expect(outcome(#"{"jsonrpc":"2.0","id":"7","method":"ping"}"#).id == .string("7"))
        #expect(outcome(#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#).id == .number(7))
        #expect(
            outcome(#"{"jsonrpc":"2.0","id":-9007199254740991,"method":"ping"}"#).id == .number(-9_007_199_254_740_991))
        #expect(outcome(#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#).id == .null)
    }

    @Test func aRequestWithoutAnIdIsANotification() {
        guard case .request(let request) = parser.parse(Data(#"{"jsonrpc":"2.0","method":"initialized"}"#.utf8)) else {
            Issue.record("not a request")
            return
        }
        #expect(request.isNotification)
    }

    @Test func aResponseFromTheClientAndABlankLineAreIgnored() {
        if case .ignored = parser.parse(Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8)) {
        } else {
            Issue.record("a response was not ignored")
        }
        if case .ignored = parser.parse(Data("  \t".utf8)) {} else { Issue.record("a blank line was not ignored") }
    }

    @Test func nestingIsCheckedBeforeParsing() {
        // The request object and params are two levels: 62 more make 64, the limit.
        let ok = String(repeating: "[", count: 62) + String(repeating: "]", count: 62)
        #expect(outcome(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":"# + ok + "}}").code == nil)
        let deep = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        #expect(outcome(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":"# + deep + "}}").code == -32600)
        #expect(outcome(String(repeating: "[", count: 100_000)).code == -32600)
        #expect(outcome(String(repeating: #"{"a":"#, count: 100_000)).code == -32600)
        // Brackets inside strings do not count.
        let quoted = "\"" + String(repeating: "[", count: 500) + "\""
        #expect(outcome(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":"# + quoted + "}}").code == nil)
    }

    @Test func aParamsErrorNamesTheFieldButNeverTheValue() throws {
        let line = #"{"jsonrpc":"2.0","id":1,"method":"route","params":{"text":"CANARY-1","expect":"CANARY-2"}}"#
        guard case .request(let request) = parser.parse(Data(line.utf8)) else {
            Issue.record("not a request")
            return
        }
        do {
            _ = try request.decodeParams(Route.Params.self)
            Issue.record("an unknown intent was accepted")
        } catch {
            #expect(error.code == -32602)
            #expect(error.message.contains("expect"))
            #expect(!error.message.contains("CANARY"))
        }
    }
}
