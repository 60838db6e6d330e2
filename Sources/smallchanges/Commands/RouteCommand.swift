import ArgumentParser
import Foundation
import SmallChangesCore
import SmallChangesServer

/// `smallchanges route`: shows how the matcher hears one answer, or every line of stdin.
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Route an answer to an intent (and a theme for barriers and ideas).",
        discussion: """
            With TEXT, routes that text; without it, routes every line of stdin. --expect gives the intent the \
            question expects, which the matcher takes as a prior: 'smallchanges route --expect support Sam'.
            """
    )

    @Option(name: .long, help: "The intent the current question expects, such as support or barrier.")
    var expect: String?

    @Flag(name: .long, help: "Print one JSON object per line.")
    var json = false

    @OptionGroup var guideOptions: GuideOptions

    @Argument(help: "The answer to route; without it every line of stdin is routed.")
    var text: [String] = []

    func validate() throws {
        if let expect, Intent(rawValue: expect) == nil {
            let known = Intent.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown intent \"\(expect)\" for --expect (known: \(known))")
        }
    }

    func run() throws {
        let matcher = try MatcherFiles.locate(prompts: guideOptions.prompts).matcher()
        let expecting = expect.flatMap(Intent.init(rawValue:))
        if !text.isEmpty {
            print(render(matcher.route(text.joined(separator: " "), expecting: expecting)))
            return
        }
        while let line = readLine() {
            print(render(matcher.route(line, expecting: expecting)))
        }
    }

    private func render(_ routing: Routing) -> String {
        json ? Self.json(routing) : Self.human(routing)
    }

    /// The routing as JSON on one line: the same object a protocol reply carries as `routed`.
    static func json(_ routing: Routing) -> String {
        let encoder = ResponseEncoder.encoder()
        return (try? encoder.encode(routing)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// `barrier 0.93 theme=resources (then idea 0.04, aim 0.01)`, with one indented line per item.
    static func human(_ routing: Routing) -> String {
        var line = "\(routing.intent.rawValue) \(String(format: "%.2f", routing.confidence))"
        if let theme = routing.theme { line += " theme=\(theme.rawValue)" }
        if routing.needsConfirm { line += " [confirm]" }
        if !routing.alternatives.isEmpty {
            let others = routing.alternatives.map { "\($0.intent.rawValue) \(String(format: "%.2f", $0.confidence))" }
            line += " (then \(others.joined(separator: ", ")))"
        }
        for item in routing.items {
            line += "\n  - \(item.text): \(item.intent.rawValue)"
            if let theme = item.theme { line += " theme=\(theme.rawValue)" }
        }
        return line
    }
}
