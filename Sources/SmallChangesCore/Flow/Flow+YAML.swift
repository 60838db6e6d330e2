import Foundation
import Yams

extension Flow {
    /// Reads a flow from the text of a Prompts/ file, checking every step against the plan and the corpus.
    ///
    /// - Parameters:
    ///   - contents: the file's contents.
    ///   - file: the file's name as the user should see it in errors (`Prompts/plan.yaml`).
    ///   - corpus: cards that `examples:` may name; an unknown card id is an error.
    public static func parse(_ contents: String, file: String, corpus: Corpus) throws(SourceError) -> Flow {
        let source = try YAMLSource(text: contents, file: file)
        let top = try source.fields(
            source.root, "the flow", required: ["id", "title", "summary", "welcome", "farewell", "steps"],
            optional: ["pair", "review"])
        func text(_ key: String) throws(SourceError) -> String {
            try source.string(top[key] ?? source.root, "\"\(key)\"").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func flag(_ key: String) throws(SourceError) -> Bool {
            guard let node = top[key] else { return false }
            guard let value = node.bool else { throw source.fail(node, "\"\(key)\" should be true or false") }
            return value
        }
        var steps: [Step] = []
        var ids: Set<String> = []
        let stepNodes = try source.sequence(top["steps"] ?? source.root, "\"steps\"")
        guard !stepNodes.isEmpty else { throw source.fail(top["steps"] ?? source.root, "the flow has no steps") }
        for node in stepNodes {
            let step = try parseStep(node, source, corpus: corpus, earlier: steps)
            guard ids.insert(step.id).inserted else {
                throw source.fail(node, "step id \"\(step.id)\" is used twice")
            }
            steps.append(step)
        }
        return Flow(
            id: try text("id"), title: try text("title"), summary: try text("summary"), welcome: try text("welcome"),
            farewell: try text("farewell"), pair: try flag("pair"), review: try flag("review"), steps: steps)
    }

    private static func parseStep(
        _ node: Node, _ source: YAMLSource, corpus: Corpus, earlier: [Step]
    ) throws(SourceError) -> Step {
        let fields = try source.fields(
            node, "a step", required: ["id", "stage", "field", "ask", "source"],
            optional: ["more", "expects", "collect", "over", "choices", "examples", "hint", "to"])
        func text(_ key: String) throws(SourceError) -> String? {
            guard let value = fields[key] else { return nil }
            let string = try source.string(value, "\"\(key)\"").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !string.isEmpty else { throw source.fail(value, "\"\(key)\" is empty") }
            return string
        }
        func required(_ key: String) throws(SourceError) -> String { try text(key) ?? "" }
        let id = try required("id")
        func named<T: RawRepresentable & CaseIterable>(
            _ key: String, _ type: T.Type
        ) throws(SourceError) -> T? where T.RawValue == String {
            guard let name = try text(key) else { return nil }
            guard let value = T(rawValue: name) else {
                let known = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw source.fail(
                    fields[key] ?? node,
                    "step \"\(id)\" has \(key) \"\(name)\", which the plan does not have (known: \(known))")
            }
            return value
        }
        guard let field = try named("field", PlanField.self) else {
            throw source.fail(node, "step \"\(id)\" is missing \"field\"")
        }
        let expects = try named("expects", Intent.self)
        let over = try named("over", PlanField.self)
        var collect = Step.Collect.one
        if let name = try text("collect") {
            guard let value = Step.Collect(rawValue: name) else {
                throw source.fail(
                    fields["collect"] ?? node, "step \"\(id)\" has collect \"\(name)\" (known: one, list, each, choice)"
                )
            }
            collect = value
        }
        var audience = Step.Audience.anyone
        if let name = try text("to") {
            guard let value = Step.Audience(rawValue: name) else {
                throw source.fail(fields["to"] ?? node, "step \"\(id)\" has to \"\(name)\" (known: anyone, each, both)")
            }
            audience = value
        }
        let choices = try fields["choices"].map { value throws(SourceError) in try source.strings(value, "\"choices\"")
        }
        let examples =
            try fields["examples"].map { value throws(SourceError) in try source.strings(value, "\"examples\"") } ?? []
        for example in examples where corpus.card(example) == nil {
            throw source.fail(
                fields["examples"] ?? node, "step \"\(id)\" offers card \"\(example)\", which is not in Corpus/")
        }
        if collect == .list, try text("more") == nil {
            throw source.fail(
                node, "step \"\(id)\" collects a list but has no \"more\" question to ask for the next item")
        }
        if collect == .each, over == nil {
            throw source.fail(node, "step \"\(id)\" goes through each entry but does not say which field (\"over\")")
        }
        if collect == .choice, over == nil, (choices ?? []).isEmpty {
            throw source.fail(node, "step \"\(id)\" offers a choice but names neither \"choices\" nor \"over\"")
        }
        return Step(
            id: id, stage: try required("stage"), field: field, ask: try required("ask"), more: try text("more"),
            expects: expects, collect: collect, over: over, choices: choices, source: try required("source"),
            examples: examples, hint: try text("hint"), audience: audience)
    }
}
