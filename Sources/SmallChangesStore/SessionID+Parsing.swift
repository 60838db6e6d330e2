import Foundation
public import SmallChangesCore

extension SessionID {
    /// Reads a whole session id that a person typed or a client sent.
    ///
    /// Case and surrounding spaces are forgiven; anything else that is not an id (`../../etc/passwd`,
    /// an empty string, a thousand characters) is refused here, so it never reaches a query or a path.
    ///
    /// - Throws: ``StoreError`` `malformedID`.
    public static func parse(_ input: String) throws -> SessionID {
        guard input.utf8.count <= maximumInputLength, let id = SessionID(rawValue: normalized(input)) else {
            throw StoreError.malformedID(input)
        }
        return id
    }

    /// The canonical form of a typed id prefix (`7K2M` becomes `s-7k2m`).
    ///
    /// A prefix is valid when some id could start with it; the check borrows `SessionID`'s own rule by
    /// completing the prefix with the tail of a freshly minted id, so the two can never disagree.
    ///
    /// - Throws: ``StoreError`` `malformedID`.
    package static func canonicalPrefix(_ input: String) throws -> String {
        guard input.utf8.count <= maximumInputLength else { throw StoreError.malformedID(input) }
        var body = Substring(normalized(input))
        if body.hasPrefix("s-") { body = body.dropFirst(2) }
        let whole = SessionID.mint().rawValue.dropFirst(2)
        guard !body.isEmpty, body.count <= whole.count,
            SessionID(rawValue: "s-" + String(body) + String(whole.dropFirst(body.count))) != nil
        else { throw StoreError.malformedID(input) }
        return "s-" + String(body)
    }

    /// Longer input is refused without looking at it.
    private static let maximumInputLength = 64

    private static func normalized(_ input: String) -> String {
        input.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
