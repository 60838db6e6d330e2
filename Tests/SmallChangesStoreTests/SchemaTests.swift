import Foundation
import GRDB
import SmallChangesCore
import Testing

@testable import SmallChangesStore

@Suite("Schema versions")
struct SchemaTests {
    @Test func aDatabaseFromANewerProgramIsRefusedAndLeftUntouched() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        let record = Sample.record()
        do {
            let store = try SQLiteSessionStore(folder: folder)
            try store.create(record)
            try store.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-from-the-future')")
            try store.close()
        }
        let bytes = try Data(contentsOf: folder.databaseURL)

        let error = #expect(throws: StoreError.self) { try SQLiteSessionStore(folder: folder) }
        #expect(error?.code == .newerSchema)
        #expect(error?.description.contains("newer SmallChanges") == true)
        #expect(error?.description.contains("v2-from-the-future") == true)
        #expect(try Data(contentsOf: folder.databaseURL) == bytes)
    }

    @Test func aCurrentDatabaseOpensAgainWithoutChange() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        try SQLiteSessionStore(folder: folder).close()
        let bytes = try Data(contentsOf: folder.databaseURL)
        try SQLiteSessionStore(folder: folder).close()
        #expect(try Data(contentsOf: folder.databaseURL) == bytes)
    }

    @Test func whereOlderSessionsStoodIsKeptAsNumbersAndTheirWordsLeaveTheFile() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        try FileManager.default.createDirectory(at: folder.url, withIntermediateDirectories: true)
        let id = SessionID.mint()
        do {
            let queue = try DatabaseQueue(path: folder.databaseURL.path)
            try SQLiteSessionStore.migrator.migrate(queue, upTo: "v3-client-msg-id")
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO session
                            (id, flow, participants, started_at, last_active_at, stage, readiness, finished)
                        VALUES (?, 'plan', '[]', 0, 0, 'Sparking-legacy-words · step 5 of 12', '3 gaps', 0)
                        """, arguments: [id.rawValue])
            }
        }
        let store = try SQLiteSessionStore(folder: folder)
        let record = try store.load(id).record
        #expect(record.position == SessionRecord.Position(stepID: nil, step: 5, of: 12))
        #expect(record.gaps == 3)
        try store.close()
        let bytes = try Data(contentsOf: folder.databaseURL)
        #expect(bytes.range(of: Data("Sparking-legacy-words".utf8)) == nil)
    }
}
