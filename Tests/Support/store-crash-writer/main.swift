// A writer for the store's crash tests, killed mid-write on purpose.
//
//     store-crash-writer DATA_DIR COUNT [TAG]
//
// Opens the store in DATA_DIR, takes the most recently active session (creating one if there is none),
// and appends COUNT answers one by one. After each append has returned it writes `ack <n>` to stdout,
// unbuffered, so the test knows exactly which answers were acknowledged before it killed the process.
// Without TAG the answers are `answer-<n>`, numbered on from the session's last turn; with TAG they are
// `answer-<TAG>-<n>` numbered from 1, so two writers can share a session.

import Foundation
import SmallChangesCore
import SmallChangesStore

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4, let count = Int(arguments[2]), count >= 0 else {
    FileHandle.standardError.write(Data("usage: store-crash-writer DATA_DIR COUNT [TAG]\n".utf8))
    exit(2)
}
let tag = arguments.count == 4 ? arguments[3] : nil

do {
    let store = try SQLiteSessionStore(folder: DataFolder(url: URL(fileURLWithPath: arguments[1], isDirectory: true)))
    var record: SessionRecord
    if let latest = try store.latest() {
        record = latest
    } else {
        let now = Date()
        record = SessionRecord(
            id: SessionID.mint(), flow: "plan", participants: ["writer"], startedAt: now, lastActiveAt: now)
        try store.create(record)
    }
    let first = tag == nil ? try store.load(record.id).turns.count + 1 : 1
    for n in first..<(first + count) {
        let text = tag.map { "answer-\($0)-\(n)" } ?? "answer-\(n)"
        record.lastActiveAt = Date()
        record.stage = "step \(n)"
        let routing = Routing(intent: .idea, confidence: 0.5, alternatives: [.init(intent: .barrier, confidence: 0.25)])
        try store.append(
            Turn(kind: .answer, text: text, at: record.lastActiveAt, routing: routing), to: record.id, record: record)
        FileHandle.standardOutput.write(Data("ack \(n)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("store-crash-writer: \(error)\n".utf8))
    exit(1)
}
