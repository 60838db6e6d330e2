import Foundation
import SmallChangesPostgres
import Testing

/// The PostgreSQL database the tests may use: `SMALLCHANGES_TEST_DATABASE_URL` (`.ci/run` starts one and sets it).
///
/// Each test works in a schema of its own, so tests run in parallel and leave each other's sessions alone.
enum TestDatabase {
    static let variable = "SMALLCHANGES_TEST_DATABASE_URL"

    /// Why the PostgreSQL tests did not run, shown beside each skipped one.
    static let skipped: Comment = "\(variable) is unset: the PostgreSQL store tests are skipped"

    static let url: DatabaseURL? = {
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return nil }
        do {
            return try DatabaseURL(text)
        } catch {
            fatalError("\(variable): \(error)")
        }
    }()

    /// The data directory of the test cluster, when the tests may read its files (`SMALLCHANGES_TEST_PGDATA`).
    static let dataDirectory: URL? = ProcessInfo.processInfo.environment["SMALLCHANGES_TEST_PGDATA"].map {
        URL(fileURLWithPath: $0, isDirectory: true)
    }

    /// The test database, with a new empty schema as its search path.
    static func freshSchema() throws -> DatabaseURL {
        guard let url else { throw CocoaError(.featureUnsupported) }
        return try url.withFreshSchema()
    }
}

@Suite("PostgreSQL availability")
struct PostgresAvailabilityTests {
    @Test(.enabled(if: TestDatabase.url != nil, TestDatabase.skipped))
    func theTestDatabaseOpensAndMigrates() throws {
        let store = try PostgresSessionStore(url: TestDatabase.freshSchema())
        defer { store.close() }
        #expect(try store.records().isEmpty)
    }
}
