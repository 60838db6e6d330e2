public import Foundation

/// The ways a plan is written out: Markdown, JSON, one printable HTML page, or its check-ins and review dates as
/// iCalendar (RFC 5545, a stable UID per event).
public enum PlanFormat: String, Codable, Sendable, CaseIterable {
    case markdown, json, html, ics

    /// A format as people type it: `md` is Markdown too; any case.
    public init?(named name: String) {
        let name = name.lowercased()
        self.init(rawValue: name == "md" ? "markdown" : name)
    }

    /// The file name's extension: `md` for Markdown.
    public var fileExtension: String { self == .markdown ? "md" : rawValue }
}

extension Conversation {
    /// The plan as a document, the same from every face.
    ///
    /// - Parameters:
    ///   - speaker: in a pair, only this partner's part and the shared agreements.
    ///   - about: who, when and where it stands, for the top of the Markdown and HTML.
    ///   - id: the plan's id, for the calendar's stable event ids (a review exports under its plan's id).
    ///   - stamp: when the plan last changed, so the same plan always gives the same calendar.
    /// - Throws: ``UnknownSpeaker`` when `speaker` is not one of the partners.
    public func document(
        _ format: PlanFormat, speaker: String? = nil, about: ChangePlan.About? = nil, id: String, stamp: Date
    ) throws -> String {
        var plan = self.plan
        // A review's plan holds the whole plan and its cycles: it is written out as the plan.
        var title = flow.review ? "Change plan" : flow.title
        if let speaker {
            guard let name = participants.first(where: { $0.caseInsensitiveCompare(speaker) == .orderedSame }) else {
                throw UnknownSpeaker(speaker: speaker, participants: participants)
            }
            plan = plan.forSpeaker(name)
            title += ": \(name)"
        }
        let gaps = plan.readiness(asking: askedFields)
        switch format {
        case .markdown: return plan.markdown(title: title, gaps: gaps, about: about)
        case .html: return plan.html(title: title, gaps: gaps, about: about)
        case .ics: return plan.icalendar(id: id, title: title, stamp: stamp)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n"
        }
    }

    /// A partner's plan was asked for by a name that is not one of the session's partners.
    public struct UnknownSpeaker: Error, CustomStringConvertible, Sendable {
        public var speaker: String
        public var participants: [String]
        public var description: String {
            participants.isEmpty
                ? "--speaker is for a pair's plan; this session has no named participants"
                : "\(speaker) is not a participant of this session (\(participants.joined(separator: ", ")))"
        }
    }
}
