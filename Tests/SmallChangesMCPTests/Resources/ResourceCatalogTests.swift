import Testing

@testable import SmallChangesMCP

@Suite struct ResourceCatalogTests {
    @Test(arguments: [
        (
            "smallchanges://plans/s-a4zq5cp94fc2.md",
            ResourceCatalog.Target.plan(session: "s-a4zq5cp94fc2", format: "markdown")
        ),
        ("smallchanges://plans/s-a4zq5cp94fc2.json", .plan(session: "s-a4zq5cp94fc2", format: "json")),
        ("smallchanges://cards/change-friday-huddle", .card("change-friday-huddle")),
    ])
    func aURINamesAPlanOrACard(uri: String, target: ResourceCatalog.Target) {
        #expect(ResourceCatalog.target(of: uri) == target)
    }

    @Test(arguments: [
        "smallchanges://plans/.md", "smallchanges://plans/s-a4zq5cp94fc2.html", "smallchanges://cards/",
        "file:///etc/passwd",
    ])
    func anythingElseNamesNothing(uri: String) {
        #expect(ResourceCatalog.target(of: uri) == nil)
    }
}
