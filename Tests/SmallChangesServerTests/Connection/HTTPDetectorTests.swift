import NIOCore
import Testing

@testable import SmallChangesServer

@Suite struct HTTPDetectorTests {
    @Test(arguments: [
        "GET / HTTP/1.1", "post /rpc HTTP/1.1", "Host: 127.0.0.1:4747", "OPTIONS * HTTP/1.0", "BREW /pot HTTP/1.1",
    ])
    func anHTTPRequestLineOrHeaderIsRecognised(line: String) {
        #expect(HTTPDetector.looksLikeHTTP(ByteBuffer(string: line)))
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, " GET / HTTP/1.1", "", "G", "GETTING", "hello HTTP/2.0",
        "[1] HTTP/1.1",
    ])
    func anythingElseIsNot(line: String) {
        #expect(!HTTPDetector.looksLikeHTTP(ByteBuffer(string: line)))
    }
}
