import Foundation
import SmallChangesTesting
import Testing

/// Session logs saved by the build before the answer policy (Tests/SmallChangesStoreTests/Fixtures/legacy) still
/// replay to the same plan: every entry in the same field, with the same words, speaker and building block.
/// Extraction may add to an entry (a calendar day beside its words), never move or drop one.
@Suite struct LegacyLogReplayTests {
    static let folder = Binary.root.appendingPathComponent("Tests/SmallChangesStoreTests/Fixtures/legacy")

    static func placements(_ json: String) throws -> [String] {
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var rows: [String] = []
        func add(_ field: String, _ entries: [[String: Any]]) {
            for entry in entries {
                let parts = [entry["text"], entry["words"], entry["speaker"], entry["theme"]].map { "\($0 ?? "-")" }
                rows.append(field + "|" + parts.joined(separator: "|"))
                if let ways = entry["waysAround"] as? [[String: Any]] { add(field + ".waysAround", ways) }
            }
        }
        for (field, value) in plan {
            if let entries = value as? [[String: Any]], field != "cycles" { add(field, entries) }
        }
        return rows.sorted()
    }

    @Test func aLogSavedBeforeTheAnswerPolicyReplaysToTheSamePlan() throws {
        let data = try Binary.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: data) }
        // The data folder holds the database alone: SmallChanges refuses a folder holding other files.
        try FileManager.default.copyItem(
            at: Self.folder.appendingPathComponent("sessions.sqlite"),
            to: data.appendingPathComponent("sessions.sqlite"))
        let plans = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter {
            $0.hasSuffix(".plan.json")
        }
        #expect(plans.count == 4)
        // s-qu8kuyj8x5zn picked "2" when one idea was offered: the old engine stored the text "2" as the change (a
        // bug); the answer is now asked again, so that log alone replays differently from the choice on.
        for name in plans where !name.hasPrefix("s-qu8kuyj8x5zn") {
            let id = String(name.dropLast(".plan.json".count))
            let saved = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            let export = try Binary.run(["export", id, "--format", "json", "-o", "-", "--data-dir", data.path])
            #expect(export.status == 0, "export failed: \(export.stderr)")
            #expect(try Self.placements(export.stdout) == Self.placements(saved), "\(id) replays differently")
        }
    }
}
