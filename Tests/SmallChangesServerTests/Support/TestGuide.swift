import SmallChangesCore
import SmallChangesTesting

/// The real guide, built once from the package's Prompts/ and Corpus/ folders, with only the flows these tests play,
/// so a flow being edited elsewhere does not stop the others.
enum TestGuide {
    static let shared: Guide = PackageGuide.build(flows: ["plan.yaml", "reflect.yaml"])

    /// With the pair flow too, for the shared-session tests.
    static let withPair: Guide = PackageGuide.build(flows: ["plan.yaml", "reflect.yaml", "pair.yaml"])

    /// With the review flow too, for starting a review.
    static let withReview: Guide = PackageGuide.build(flows: ["plan.yaml", "reflect.yaml", "review.yaml"])
}
