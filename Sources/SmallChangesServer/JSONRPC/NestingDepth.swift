/// A byte scan for how deeply a JSON text nests arrays and objects, run before any JSON parser so a
/// `[[[[…` line cannot exhaust a parser's stack.
enum NestingDepth {
    /// Returns true when `bytes` nests deeper than `limit`; brackets inside strings do not count.
    static func exceeds<Bytes: Sequence<UInt8>>(_ bytes: Bytes, limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
        return false
    }
}
