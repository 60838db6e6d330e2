import Foundation
import SmallChangesCore
import SmallChangesPostgres
import Testing

@testable import SmallChangesStore

/// The stores under test; every behaviour here must hold for each, so the in-memory twin can stand in.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, memory, postgres

    var testDescription: String { rawValue }

    /// Every store that can run here: PostgreSQL only when a test database is given.
    static let available: [StoreKind] = TestDatabase.url == nil ? [.sqlite, .memory] : allCases

    func make(in folder: borrowing TemporaryFolder) throws -> any SessionStore {
        switch self {
        case .sqlite: try SQLiteSessionStore(folder: folder.dataFolder)
        case .memory: InMemorySessionStore()
        case .postgres: try PostgresSessionStore(url: TestDatabase.freshSchema())
        }
    }
}

/// Builds sessions and turns with times on whole milliseconds, the precision every store keeps.
enum Sample {
    static let start = Date(timeIntervalSince1970: 1_790_000_000.125)

    static func record(
        _ id: SessionID = .mint(), minutes: Double = 0, participants: [String] = ["Ana"], reviewOf: SessionID? = nil
    ) -> SessionRecord {
        SessionRecord(
            id: id, flow: "plan", participants: participants, startedAt: start,
            lastActiveAt: start.addingTimeInterval(minutes * 60),
            position: SessionRecord.Position(stepID: "barriers", step: 1, of: 12), gaps: 3, reviewOf: reviewOf)
    }

    static func turn(_ text: String, second: Int) -> Turn {
        Turn(
            kind: .answer, speaker: "Ana", text: text, at: start.addingTimeInterval(Double(second)),
            routing: Routing(
                intent: .barrier, confidence: 0.8125, theme: .resources,
                alternatives: [.init(intent: .idea, confidence: 0.1)],
                items: [.init(text: "no time", intent: .barrier, theme: nil)], needsConfirm: true))
    }
}

@Suite("Session stores")
struct SessionStoreTests {
    @Test(arguments: StoreKind.available)
    func turnsAndRecordComeBackAsTheyWereWrittenInOrder(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        var record = Sample.record(participants: ["Ana", "Ben, \"the lead\""])
        try store.create(record)
        var turns: [Turn] = []
        for n in 1...5 {
            let turn = Sample.turn("answer \(n): ü 🚶 \u{202E} 'quoted' \"double\"\nsecond line", second: n)
            turns.append(turn)
            record.lastActiveAt = turn.at
            record.position = SessionRecord.Position(stepID: "step-\(n)", step: n, of: 5)
            record.finished = n == 5
            try store.append(turn, to: record.id, record: record)
        }
        turns.append(Turn(kind: .command, text: "who", argument: "Ben", at: Sample.start.addingTimeInterval(9)))
        try store.append(turns[5], to: record.id, record: record)

        let loaded = try store.load(record.id)
        #expect(loaded == StoredSession(record: record, turns: turns))
    }

    @Test(arguments: StoreKind.available)
    func aMeasurementTurnKeepsItsFigureMeasureAndDay(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        let record = Sample.record()
        try store.create(record)
        let figure = Turn(
            kind: .measurement, text: "7.5", argument: "balancing", at: Sample.start,
            value: MeasureValue(measure: 1, day: CalendarDay(year: 2026, month: 11, day: 30), value: 7.5))
        try store.append(figure, to: record.id, record: record)
        try store.append(Sample.turn("no time", second: 1), to: record.id, record: record)
        // The append that first checks no other process moved the session on keeps the figure too.
        try store.append([figure], to: record.id, record: record, after: 2)
        #expect(try store.load(record.id).turns == [figure, Sample.turn("no time", second: 1), figure])
    }

    @Test func aReopenedSQLiteStoreReadsWhatTheLastOneWrote() throws {
        let folder = try TemporaryFolder()
        let record = Sample.record()
        let turn = Sample.turn("kept across runs", second: 1)
        do {
            let store = try SQLiteSessionStore(folder: folder.dataFolder)
            try store.create(record)
            try store.append(turn, to: record.id, record: record)
            try store.close()
        }
        let reopened = try SQLiteSessionStore(folder: folder.dataFolder)
        #expect(try reopened.load(record.id) == StoredSession(record: record, turns: [turn]))
        #expect(try reopened.problems().isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func timesAreKeptToTheMillisecond(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        var record = Sample.record()
        record.startedAt = Date(timeIntervalSince1970: 1_790_000_000.123_456)
        try store.create(record)
        let loaded = try store.load(record.id).record.startedAt
        #expect(loaded == Date(timeIntervalSince1970: 1_790_000_000.123))
    }

    @Test(arguments: StoreKind.available)
    func recordsListTheMostRecentlyActiveFirst(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        let old = Sample.record(minutes: 1)
        let newest = Sample.record(minutes: 30)
        let middle = Sample.record(minutes: 10)
        for record in [old, newest, middle] { try store.create(record) }
        #expect(try store.records().map(\.id) == [newest.id, middle.id, old.id])
        #expect(try store.latest()?.id == newest.id)

        var revived = old
        revived.lastActiveAt = Sample.start.addingTimeInterval(3600)
        try store.append(Sample.turn("back again", second: 3600), to: old.id, record: revived)
        #expect(try store.records().map(\.id) == [old.id, newest.id, middle.id])
    }

    @Test(arguments: StoreKind.available)
    func anEmptyStoreHasNoLatestSession(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        #expect(try store.latest() == nil)
        #expect(try store.records().isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func updateReplacesTheRecordAndKeepsTheTurns(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        var record = Sample.record()
        try store.create(record)
        try store.append(Sample.turn("first", second: 1), to: record.id, record: record)
        record.gaps = 0
        record.position = nil
        record.finished = true
        try store.update(record)
        let loaded = try store.load(record.id)
        #expect(loaded.record == record)
        #expect(loaded.turns.map(\.text) == ["first"])
    }

    @Test(arguments: StoreKind.available)
    func deleteRemovesTheSessionAndUnlinksItsReviews(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        let reviewed = Sample.record(minutes: 1)
        let review = Sample.record(minutes: 2, reviewOf: reviewed.id)
        try store.create(reviewed)
        try store.create(review)
        try store.append(Sample.turn("gone soon", second: 1), to: reviewed.id, record: reviewed)

        try store.delete(reviewed.id)

        #expect(try store.records().map(\.id) == [review.id])
        #expect(try store.load(review.id).record.reviewOf == nil)
        #expect(throws: StoreError.unknownSession(reviewed.id)) { try store.load(reviewed.id) }
        #expect(throws: StoreError.unknownSession(reviewed.id)) { try store.delete(reviewed.id) }
    }

    @Test(arguments: StoreKind.available)
    func unknownSessionsAndTakenIdsAreRefusedWithoutWriting(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        let stored = Sample.record()
        try store.create(stored)
        let missing = Sample.record()

        #expect(throws: StoreError.sessionExists(stored.id)) { try store.create(stored) }
        #expect(throws: StoreError.unknownSession(missing.id)) {
            try store.append(Sample.turn("lost", second: 1), to: missing.id, record: missing)
        }
        #expect(throws: StoreError.unknownSession(missing.id)) { try store.update(missing) }
        #expect(throws: StoreError.unknownSession(missing.id)) {
            try store.create(Sample.record(reviewOf: missing.id))
        }
        #expect(try store.records() == [stored])
        #expect(try store.load(stored.id).turns.isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func aUniquePrefixFindsItsSession(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        let ids = ["s-abc234567892", "s-abd234567892", "s-xyz234567892"].compactMap(SessionID.init(rawValue:))
        for id in ids { try store.create(Sample.record(id)) }

        #expect(try store.lookup(prefix: "x") == ids[2])
        #expect(try store.lookup(prefix: " S-ABD ") == ids[1])
        #expect(try store.lookup(prefix: ids[0].rawValue) == ids[0])
        let ambiguous = #expect(throws: StoreError.self) { try store.lookup(prefix: "ab") }
        #expect(ambiguous?.code == .ambiguousID)
        let unmatched = #expect(throws: StoreError.self) { try store.lookup(prefix: "s-777") }
        #expect(unmatched?.code == .unknownSession)
    }

    @Test(arguments: StoreKind.available)
    func aClientMessageIdIsStoredOnceAndFoundAgain(kind: StoreKind) throws {
        let folder = try TemporaryFolder()
        let store = try kind.make(in: folder)
        let record = Sample.record()
        try store.create(record)
        let first = Sample.turn("once only", second: 1)
        try store.append([first], to: record.id, record: record, after: 0, key: "m-1")

        #expect(throws: StoreError.moved(record.id)) {
            try store.append([first], to: record.id, record: record, after: 1, key: "m-1")
        }
        try store.append([Sample.turn("another", second: 2)], to: record.id, record: record, after: 1, key: "m-2")

        #expect(try store.sequence(ofKey: "m-1", in: record.id) == 1)
        #expect(try store.sequence(ofKey: "m-2", in: record.id) == 2)
        #expect(try store.sequence(ofKey: "m-3", in: record.id) == nil)
        #expect(try store.turnCount(record.id) == 2)
        #expect(try store.turns(of: record.id, after: 1).map(\.text) == ["another"])
        let missing = SessionID.mint()
        #expect(throws: StoreError.unknownSession(missing)) { try store.sequence(ofKey: "m-1", in: missing) }
    }
}
