/// One training or test example: a text and the label it should get.
public struct LabeledText: Sendable, Hashable, Codable {
    public var text: String
    public var label: String

    public init(text: String, label: String) {
        self.text = text
        self.label = label
    }
}
