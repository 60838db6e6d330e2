import Foundation
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
}
