/// Reads the session id in a `session/start` reply without a JSON parser or a regular expression: the clients must
/// cost as little as possible, since they share the machine with the server.
public enum SessionIDScan {
    public static func sessionID<Bytes: Collection<UInt8>>(in reply: Bytes) -> String? {
        let key = Array(#""sessionId":""#.utf8)
        var index = reply.startIndex
        while index != reply.endIndex {
            if reply[index] == key[0], reply[index...].starts(with: key) {
                let start = reply.index(index, offsetBy: key.count)
                guard let end = reply[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                return String(decoding: reply[start..<end], as: UTF8.self)
            }
            reply.formIndex(after: &index)
        }
        return nil
    }
}
