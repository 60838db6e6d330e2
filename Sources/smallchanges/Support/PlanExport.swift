import Foundation
import SmallChangesCore
import SmallChangesStore

/// Writes a plan out as Markdown, JSON, one printable HTML page, or its check-ins and review dates as iCalendar.
enum PlanExport {
    enum Format: String, CaseIterable {
        case md, json, html, ics
    }

    /// Renders the plan.
    ///
    /// - Parameters:
    ///   - about: who, when and where it stands, for the top of the Markdown and HTML.
    ///   - id: the plan's id, for the calendar's stable event ids.
    ///   - stamp: when the plan last changed, so the same plan always gives the same calendar.
    static func render(
        _ conversation: Conversation, format: Format, speaker: String? = nil, about: ChangePlan.About? = nil,
        id: String = "plan", stamp: Date = Date()
    ) throws -> String {
        var plan = conversation.plan
        // A review's plan holds the whole plan and its cycles: it is written out as the plan.
        var title = conversation.flow.review ? "Change plan" : conversation.flow.title
        if let speaker {
            let participants = conversation.participants
            guard let name = participants.first(where: { $0.caseInsensitiveCompare(speaker) == .orderedSame }) else {
                throw UsageError(
                    participants.isEmpty
                        ? "--speaker is for a pair's plan; this session has no named participants"
                        : "\(speaker) is not a participant of this session (\(participants.joined(separator: ", ")))")
            }
            plan = plan.forSpeaker(name)
            title += ": \(name)"
        }
        let gaps = plan.readiness(asking: conversation.askedFields)
        switch format {
        case .md: return plan.markdown(title: title, gaps: gaps, about: about)
        case .html: return plan.html(title: title, gaps: gaps, about: about)
        case .json: return try json(plan)
        case .ics: return plan.icalendar(id: id, title: title, stamp: stamp)
        }
    }

    static func json(_ plan: ChangePlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n"
    }

    /// Writes privately (0600) and returns the path written; `-` writes to stdout.
    static func write(_ text: String, to path: String?, defaultName: String, folder: DataFolder?) throws -> String {
        if path == "-" {
            // On a terminal a long plan goes through the pager; piped, it is written as it is.
            Pager.show(text)
            return "stdout"
        }
        let url: URL
        if let path {
            url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        } else if let folder {
            let exports = folder.url.appendingPathComponent("exports", isDirectory: true)
            try FileManager.default.createDirectory(
                at: exports, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            url = exports.appendingPathComponent(defaultName)
        } else {
            url = URL(fileURLWithPath: defaultName)
        }
        try DataFolder(url: url.deletingLastPathComponent()).writePrivately(Data(text.utf8), to: url)
        return url.path
    }
}
