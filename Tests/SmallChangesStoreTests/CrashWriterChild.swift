import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The writer's side of ``CrashWriter``: runs only in a child started by a crash test, and exits there as soon
/// as it has written, so nothing else of the test run happens in a process about to be killed.
@Suite struct CrashWriterChild {
    @Test(.enabled(if: CrashWriter.Role.current != nil, "only in a child started by a crash test"))
    func appendsAnswersAndAcknowledgesEachWhenStartedAsTheCrashWriter() {
        guard let role = CrashWriter.Role.current else { return }
        do {
            try role.write()
        } catch {
            FileHandle.standardError.write(Data("crash writer: \(error)\n".utf8))
            exit(1)
        }
        exit(0)
    }
}
