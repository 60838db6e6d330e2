import Foundation
import SmallChangesCore
import SmallChangesStore
import Synchronization
import Testing

@Suite("Writers sharing a folder")
struct ConcurrentWriterTests {
    /// Checks one writer's answers are all there, complete and in the order written.
    static func expectComplete(_ turns: [Turn], tag: String, count: Int) {
        let texts = turns.map(\.text).filter { $0.hasPrefix("answer-\(tag)-") }
        #expect(texts == (1...count).map { "answer-\(tag)-\($0)" })
    }

    @Test func twoStoresOnOneFileInterleaveWithoutLosingAWrite() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        let stores = [try SQLiteSessionStore(folder: folder), try SQLiteSessionStore(folder: folder)]
        let record = Sample.record()
        try stores[0].create(record)
        let perWriter = 60
        let failures = FailureLog()

        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let tag = writer == 0 ? "a" : "b"
            for n in 1...perWriter {
                do {
                    try stores[writer].append(
                        Turn(kind: .answer, text: "answer-\(tag)-\(n)", at: Sample.start), to: record.id, record: record
                    )
                    // Read through the other connection while this one writes.
                    _ = try stores[1 - writer].latest()
                } catch {
                    failures.record("\(tag)-\(n): \(error)")
                }
            }
        }

        #expect(failures.all.isEmpty)
        let turns = try stores[1].load(record.id).turns
        #expect(turns.count == 2 * perWriter)
        Self.expectComplete(turns, tag: "a", count: perWriter)
        Self.expectComplete(turns, tag: "b", count: perWriter)
        #expect(try stores[0].problems().isEmpty)
    }

    @Test func twoWriterProcessesOnOneFolderLoseNothing() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        let record = Sample.record()
        do {
            let store = try SQLiteSessionStore(folder: folder)
            try store.create(record)
            try store.close()
        }
        let writer = try CrashWriter.locate()
        let perWriter = 40
        let runs = [
            try writer.start(folder: folder.url, count: perWriter, tag: "a"),
            try writer.start(folder: folder.url, count: perWriter, tag: "b"),
        ]
        for run in runs {
            run.finish()
            #expect(run.process.terminationStatus == 0, "\(run.errorOutput)")
            #expect(run.lastAck == perWriter)
        }

        let store = try SQLiteSessionStore(folder: folder)
        let turns = try store.load(record.id).turns
        #expect(turns.count == 2 * perWriter)
        Self.expectComplete(turns, tag: "a", count: perWriter)
        Self.expectComplete(turns, tag: "b", count: perWriter)
        #expect(try store.problems().isEmpty)
    }
}

/// Errors collected from several threads.
final class FailureLog: Sendable {
    private let failures = Mutex<[String]>([])

    func record(_ failure: String) { failures.withLock { $0.append(failure) } }

    var all: [String] { failures.withLock { $0 } }
}
