/// A short code that lets a partner join a shared session from another terminal.
///
/// Eight characters from an alphabet without look-alikes (no 0, O, 1 or I), so it can be read aloud
/// or copied by hand: 32^8 = 2^40 codes, minted with the system's secure random generator. Case,
/// spaces and dashes in a typed code do not matter.
struct JoinCode: Hashable, Sendable, CustomStringConvertible {
    static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    static let length = 8

    /// The code's characters, upper case, without the dash.
    let value: String

    /// A fresh random code.
    static func mint() -> JoinCode {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }
        return JoinCode(value: String(characters))
    }

    private init(value: String) {
        self.value = value
    }

    /// Reads a typed code; `nil` when it cannot be one (wrong length or characters).
    init?(typed: String) {
        var characters: [Character] = []
        for character in typed.uppercased() where character != "-" && character != " " {
            guard characters.count < Self.length, Self.alphabet.contains(character) else { return nil }
            characters.append(character)
        }
        guard characters.count == Self.length else { return nil }
        value = String(characters)
    }

    /// As shown to people: two groups of four, `K7M2-QX9P`.
    var description: String {
        "\(value.prefix(4))-\(value.dropFirst(4))"
    }
}
