import Yams

/// A parsed YAML data file that remembers where each value came from, so every problem found while
/// reading it can be reported as `FILE:LINE: what is wrong`.
struct YAMLSource {
    let file: String
    let root: Node

    init(text: String, file: String) throws(SourceError) {
        self.file = file
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw SourceError(file: file, line: 1, "the file is empty")
            }
            root = node
        } catch let error as SourceError {
            throw error
        } catch let error as YamlError {
            throw Self.describe(error, file: file)
        } catch {
            throw SourceError(file: file, line: 0, "could not be read as YAML: \(error)")
        }
    }

    static func describe(_ error: YamlError, file: String) -> SourceError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let where_ = context.map { " (\($0.text))" } ?? ""
            return SourceError(file: file, line: mark.line, "not valid YAML: \(problem)\(where_)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return SourceError(
                file: file, line: context.mark.line,
                "the key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) appears twice")
        default:
            return SourceError(file: file, line: 0, "not valid YAML: \(error)")
        }
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    func fail(_ node: Node, _ message: String) -> SourceError {
        SourceError(file: file, line: line(node), message)
    }

    /// The ordered key/value pairs of a mapping, with its keys as strings.
    func mapping(_ node: Node, _ what: String) throws(SourceError) -> [(key: String, keyNode: Node, value: Node)] {
        guard let mapping = node.mapping else { throw fail(node, "\(what) should be a mapping of keys to values") }
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw fail(key, "\(what) has a key that is not text") }
            pairs.append((name, key, value))
        }
        return pairs
    }

    func sequence(_ node: Node, _ what: String) throws(SourceError) -> [Node] {
        guard let sequence = node.sequence else { throw fail(node, "\(what) should be a list") }
        return Array(sequence)
    }

    func string(_ node: Node, _ what: String) throws(SourceError) -> String {
        guard case .scalar(let scalar) = node else { throw fail(node, "\(what) should be text") }
        return scalar.string
    }

    func strings(_ node: Node, _ what: String) throws(SourceError) -> [String] {
        if case .scalar(let scalar) = node, scalar.string.isEmpty { return [] }
        var result: [String] = []
        for item in try sequence(node, what) { result.append(try string(item, "each of \(what)")) }
        return result
    }

    /// Reads a mapping, checking that every key is one the caller knows and every required key is present.
    func fields(
        _ node: Node, _ what: String, required: Set<String>, optional: Set<String>
    ) throws(SourceError) -> [String: Node] {
        var result: [String: Node] = [:]
        for pair in try mapping(node, what) {
            guard required.contains(pair.key) || optional.contains(pair.key) else {
                let known = (required.union(optional)).sorted().joined(separator: ", ")
                throw fail(pair.keyNode, "\(what) has an unknown key \"\(pair.key)\" (known keys: \(known))")
            }
            result[pair.key] = pair.value
        }
        for key in required.sorted() where result[key] == nil {
            throw fail(node, "\(what) is missing \"\(key)\"")
        }
        return result
    }
}
