import Foundation

extension String {
    /// Whether `other` occurs in this text, as Foundation's `contains` finds it. ASCII text, where Foundation's
    /// comparison is byte for byte, is searched without a trip through `NSString`; anything else goes through
    /// Foundation.
    func includes(_ other: String) -> Bool {
        guard !other.isEmpty, utf8.allSatisfy({ $0 < 0x80 }), other.utf8.allSatisfy({ $0 < 0x80 }) else {
            return contains(other)
        }
        let text = Array(utf8)
        let wanted = Array(other.utf8)
        guard wanted.count <= text.count else { return false }
        return (0...(text.count - wanted.count)).contains { start in
            text[start..<(start + wanted.count)].elementsEqual(wanted)
        }
    }
}
