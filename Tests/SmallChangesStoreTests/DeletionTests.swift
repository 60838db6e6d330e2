import Foundation
import SmallChangesCore
import SmallChangesStore
import Testing

@Suite("Deleting a session")
struct DeletionTests {
    /// How many times `phrase` occurs in each file under `folder`, read as raw bytes (db, -wal, -shm and all).
    static func occurrences(of phrase: String, under folder: URL) throws -> [String: Int] {
        let needle = Array(phrase.utf8)
        var counts: [String: Int] = [:]
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects ?? []
        for case let file as URL in files {
            // Folders are walked into; a file another test removed meanwhile held nothing of this test's.
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                let data = try? Data(contentsOf: file)
            else { continue }
            let bytes = [UInt8](data)
            var count = 0
            var index = bytes.startIndex
            while index + needle.count <= bytes.endIndex {
                if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { count += 1 }
                index += 1
            }
            counts[file.lastPathComponent] = count
        }
        return counts
    }

    /// Stores a session whose every text carries `canary` and, beside it, one that is kept; 60 turns each, several
    /// pages' worth. `halfway` runs after the 30th turn.
    static func storeSessions(
        marked canary: String, in store: any SessionStore, halfway: () throws -> Void = {}
    ) throws -> (kept: SessionRecord, doomed: SessionRecord) {
        var kept = Sample.record(minutes: 1)
        try store.create(kept)
        var doomed = Sample.record(minutes: 2, participants: ["Ana \(canary)"])
        try store.create(doomed)
        for n in 1...60 {
            let padding = String(repeating: "so the turns fill several pages ", count: 4)
            var turn = Sample.turn("\(canary) answer \(n) \(padding)", second: n)
            turn.routing?.items = [.init(text: "item \(canary)", intent: .barrier, theme: nil)]
            try store.append(turn, to: doomed.id, record: doomed)
            kept.lastActiveAt = turn.at
            try store.append(Sample.turn("kept answer \(n) \(padding)", second: n), to: kept.id, record: kept)
            if n == 30 { try halfway() }
        }
        return (kept, doomed)
    }

    @Test func noFileKeepsTheTextOfADeletedSession() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        let canary = "CANARY-\(UUID().uuidString)"
        let store = try SQLiteSessionStore(folder: folder)

        // Halfway, move the pages into the database file, so the phrase is in both it and the log.
        let (kept, doomed) = try Self.storeSessions(marked: canary, in: store, halfway: store.checkpoint)

        let before = try Self.occurrences(of: canary, under: folder.url)
        #expect(before["sessions.sqlite", default: 0] > 0, "the phrase should be in the database before deleting")
        #expect(before["sessions.sqlite-wal", default: 0] > 0, "the phrase should be in the log before deleting")

        try store.delete(doomed.id)

        let after = try Self.occurrences(of: canary, under: folder.url)
        #expect(after.values.allSatisfy { $0 == 0 }, "the phrase survives in \(after.filter { $0.value > 0 })")
        #expect(Set(after.keys).isSuperset(of: ["sessions.sqlite", "sessions.sqlite-shm"]))
        #expect(try store.load(kept.id).turns.count == 60)
        #expect(try store.problems().isEmpty)
    }
}
