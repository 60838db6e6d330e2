import Foundation
import SmallChangesCore
import SmallChangesStore
import Synchronization
import Testing

@testable import smallchanges

/// A store whose writes of turns fail while told to, as on a full disk.
final class FillingStore: SessionStore {
    let inner = InMemorySessionStore()
    private let full = Mutex(false)

    func fill(_ isFull: Bool) { full.withLock { $0 = isFull } }

    private func check() throws {
        if full.withLock({ $0 }) { throw StoreError.diskFull(path: "sessions.sqlite") }
    }

    func create(_ record: SessionRecord) throws {
        try check()
        try inner.create(record)
    }
    func append(_ turn: Turn, to id: SessionID, record: SessionRecord) throws {
        try check()
        try inner.append(turn, to: id, record: record)
    }
    func append(_ turns: [Turn], to id: SessionID, record: SessionRecord, after expected: Int) throws {
        try check()
        try inner.append(turns, to: id, record: record, after: expected)
    }
    func turnCount(_ id: SessionID) throws -> Int { try inner.turnCount(id) }
    func update(_ record: SessionRecord) throws {
        try check()
        try inner.update(record)
    }
    func load(_ id: SessionID) throws -> StoredSession { try inner.load(id) }
    func records() throws -> [SessionRecord] { try inner.records() }
    func latest() throws -> SessionRecord? { try inner.latest() }
    func delete(_ id: SessionID) throws { try inner.delete(id) }
    func lookup(prefix: String) throws -> SessionID { try inner.lookup(prefix: prefix) }
}

@Suite struct LocalSessionTests {
    static let guide: Guide = {
        do {
            return try GuideSource.builtIn.loadGuide()
        } catch {
            fatalError("the built-in guide does not load: \(error)")
        }
    }()

    static let answers = [
        "We never have time to think because caseloads are too high",
        "Block half an hour on Friday mornings so the team can reflect together",
        "Try a Friday huddle where everyone shares one small win",
    ]

    static func session(_ store: any SessionStore) throws -> LocalSession {
        let flow = try #require(guide.flow("reflect"))
        return try LocalSession(guide: guide, flow: flow, store: store)
    }

    @Test func anAnswerThatCannotBeSavedLeavesTheSessionOnTheSameQuestion() throws {
        let store = FillingStore()
        var session = try Self.session(store)
        _ = try session.answer(Self.answers[0])
        let asked = session.prompt
        store.fill(true)
        #expect(throws: StoreError.self) { try session.answer(Self.answers[1]) }
        #expect(session.prompt == asked)
        #expect(session.conversation.turns.count == 1)
        store.fill(false)
        _ = try session.answer(Self.answers[1])
        #expect(try store.load(session.id).turns.map(\.text) == Array(Self.answers[0..<2]))
    }

    @Test func turnsAnotherProcessStoredAreTakenInBeforeTheNextAnswer() throws {
        let store = InMemorySessionStore()
        var session = try Self.session(store)
        _ = try session.answer(Self.answers[0])
        // A server on the same folder takes the next answer.
        var elsewhere = try LocalSession(resuming: session.id, guide: Self.guide, store: store)
        _ = try elsewhere.answer(Self.answers[1])

        // The words were meant for the question on screen, which the session has left: they are not filed under
        // the next one. The session now shows that one, and the answer to it is taken after the other's.
        #expect(throws: SessionHandle.MovedOn.self) { try session.answer("an answer to the question left behind") }
        _ = try session.answer(Self.answers[2])
        #expect(try store.load(session.id).turns.map(\.text) == Self.answers)
        #expect(session.conversation.turns.count == 3)
        var oneKeyboard = try Self.session(InMemorySessionStore())
        for answer in Self.answers { _ = try oneKeyboard.answer(answer) }
        #expect(session.conversation.plan == oneKeyboard.conversation.plan)
    }
}
