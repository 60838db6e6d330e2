/// Compares a presented token with the configured one in time that does not depend on where they differ.
public enum TokenCheck {
    static func matches(_ presented: String, _ expected: String) -> Bool {
        let presented = Array(presented.utf8)
        let expected = Array(expected.utf8)
        var difference = UInt8(presented.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            let byte = index < presented.count ? presented[index] : 0
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }

    /// Why a token is too easy to guess, or `nil` when it will do: at least 16 characters, at least 8 of them
    /// different (a token of one repeated letter, or two in turn, is refused).
    public static func weakness(of token: String) -> String? {
        if token.count < 16 { return "it must be at least 16 characters" }
        if Set(token).count < 8 { return "it must have at least 8 different characters; generate a random one" }
        return nil
    }
}
