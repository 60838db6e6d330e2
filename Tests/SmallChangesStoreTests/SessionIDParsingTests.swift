import Foundation
import SmallChangesCore
import SmallChangesStore
import Testing

@Suite("Typed session ids")
struct SessionIDParsingTests {
    static let malformed = [
        "../../etc/passwd", "", "   ", "s-", "s-../x", "s-7k2m9q4xw3ha/../x", "/etc/passwd", "..%2f..%2f",
        String(repeating: "a", count: 1000), "s-7k2m\u{0}", "s-７k2m", "s-7k2m9q4xw3hax", "s-0o1il", "s-7k2m%",
        "s-7k2m_", "s-7k2m'; DROP TABLE session; --",
    ]

    @Test(arguments: malformed)
    func aMalformedIdIsRefused(input: String) {
        let error = #expect(throws: StoreError.self) { try SessionID.parse(input) }
        #expect(error?.code == .malformedID)
    }

    @Test(arguments: malformed.filter { !$0.isEmpty && !$0.allSatisfy(\.isWhitespace) && $0 != "s-" })
    func aMalformedPrefixIsRefusedBeforeAnyQuery(input: String) throws {
        let folder = try TemporaryFolder()
        let store = try SQLiteSessionStore(folder: folder.dataFolder)
        try store.close()
        // The store is closed: a lookup that reached the database would fail with an I/O error instead.
        let error = #expect(throws: StoreError.self) { try store.lookup(prefix: input) }
        #expect(error?.code == .malformedID)
    }

    @Test func aWellFormedPrefixOnAClosedStoreFailsAsIONotAsMalformed() throws {
        let folder = try TemporaryFolder()
        let store = try SQLiteSessionStore(folder: folder.dataFolder)
        try store.close()
        let error = #expect(throws: StoreError.self) { try store.lookup(prefix: "s-7k2m") }
        #expect(error?.code == .io)
    }

    @Test func aWellFormedIdIsReadForgivingCaseAndSpaces() throws {
        #expect(try SessionID.parse("  S-7K2M9Q4XW3HA\n") == SessionID(rawValue: "s-7k2m9q4xw3ha"))
    }

    @Test func theMessageShowsTheTypedTextSafelyAndSaysWhatToDo() {
        let error = StoreError.malformedID("../\u{0}\u{1B}[31m" + String(repeating: "x", count: 500))
        let message = error.description
        #expect(!message.contains("\u{0}"))
        #expect(!message.contains("\u{1B}"))
        #expect(message.count < 200)
        #expect(message.contains("is not a session id"))
        #expect(message.contains("list your sessions"))
    }
}
