extension Character {
    /// `isLetter`, answered without a Unicode property lookup for ASCII, where only A-Z and a-z are letters: answers
    /// are split into words on every turn.
    var isWordLetter: Bool {
        guard let ascii = asciiValue else { return isLetter }
        return (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(ascii | 0x20)
    }
}
