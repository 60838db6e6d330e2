import Foundation
import SmallChangesTesting

@testable import SmallChangesCore

/// The real Prompts/ and Corpus/ of this package, loaded once for the tests.
enum TestGuide {
    static var sources: Guide.Sources { PackageGuide.sources() }

    static let guide: Guide = PackageGuide.build()

    static func conversation(_ flow: String, participants: [String] = []) -> Conversation {
        guard let flow = guide.flow(flow) else { fatalError("no flow \(flow)") }
        return Conversation(guide: guide, flow: flow, participants: participants)
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)
}
