import Foundation
import SmallChangesCore
import SmallChangesStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Where data lives")
struct DataFolderResolutionTests {
    static let environment = [
        "SMALLCHANGES_HOME": "/srv/sc", "XDG_DATA_HOME": "/home/ana/.data", "HOME": "/home/ana",
    ]

    @Test func theFlagBeatsEverything() {
        let url = DataFolder.resolve(explicit: "/tmp/flag", environment: Self.environment)
        #expect(url.path == "/tmp/flag")
    }

    @Test func theHomeVariableBeatsXDG() {
        #expect(DataFolder.resolve(explicit: nil, environment: Self.environment).path == "/srv/sc")
    }

    @Test func xdgDataHomeBeatsTheDefault() {
        var environment = Self.environment
        environment["SMALLCHANGES_HOME"] = ""
        #expect(DataFolder.resolve(explicit: "", environment: environment).path == "/home/ana/.data/smallchanges")
    }

    @Test func aRelativeXDGDataHomeIsIgnored() {
        let environment = ["XDG_DATA_HOME": "relative/data", "HOME": "/home/ana"]
        #expect(
            DataFolder.resolve(explicit: nil, environment: environment).path == "/home/ana/.local/share/smallchanges")
    }

    @Test func theDefaultIsUnderTheHomeFolder() {
        #expect(
            DataFolder.resolve(explicit: nil, environment: ["HOME": "/home/ana"]).path
                == "/home/ana/.local/share/smallchanges")
    }
}

/// Mode bits of a file, without following a final symbolic link.
func permissions(_ path: String) -> mode_t {
    var info = stat()
    guard lstat(path, &info) == 0 else { return 0o7777 }
    return info.st_mode & 0o7777
}

/// Every file and folder under `url`, as paths.
func everything(under url: URL) -> [String] {
    let items = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)?.allObjects ?? []
    return items.compactMap { ($0 as? URL)?.path }
}

// The umask belongs to the whole process, so these tests run one at a time.
@Suite("File modes", .serialized)
struct FileModeTests {
    @Test func underUmask022EverythingIsStillPrivate() throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        // A folder and a file of its own left loose by an earlier run or by hand.
        #expect(mkdir(folder.url.path, 0o755) == 0)
        #expect(chmod(folder.url.path, 0o755) == 0)
        let loose = folder.url.appendingPathComponent("sessions.lock").path
        #expect(FileManager.default.createFile(atPath: loose, contents: Data("x".utf8)))
        #expect(chmod(loose, 0o644) == 0)

        try folder.prepare()
        let store = try SQLiteSessionStore(folder: folder)
        let record = Sample.record()
        try store.create(record)
        try store.append(Sample.turn("private", second: 1), to: record.id, record: record)
        let export = folder.url.appendingPathComponent("plan.md")
        try folder.writePrivately(Data("# Plan\n".utf8), to: export)

        let afterPrepare = umask(0o022)
        #expect(afterPrepare == 0o077)

        #expect(permissions(folder.url.path) == 0o700)
        let files = everything(under: folder.url)
        let names = Set(files.map { URL(fileURLWithPath: $0).lastPathComponent })
        #expect(names.isSuperset(of: ["sessions.sqlite", "sessions.sqlite-wal", "sessions.sqlite-shm", "plan.md"]))
        for file in files {
            #expect(permissions(file) & 0o077 == 0, "\(file) is \(String(permissions(file), radix: 8))")
        }
    }

    @Test func aWriterStartedUnderUmask022LeavesOnlyPrivateFiles() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        let writer = try CrashWriter.locate()
        let run = try writer.start(folder: folder.url, count: 3, umask: "022")
        run.finish()
        #expect(run.process.terminationStatus == 0, "\(run.errorOutput)")
        #expect(run.lastAck == 3)

        #expect(permissions(folder.url.path) == 0o700)
        let files = everything(under: folder.url)
        #expect(!files.isEmpty)
        for file in files {
            #expect(permissions(file) & 0o077 == 0, "\(file) is \(String(permissions(file), radix: 8))")
        }
    }

    @Test func aPrivateWriteReplacesTheTargetWholeAndPrivately() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        try folder.prepare()
        let target = folder.url.appendingPathComponent("export.json")
        #expect(FileManager.default.createFile(atPath: target.path, contents: Data("old".utf8)))
        #expect(chmod(target.path, 0o644) == 0)

        try folder.writePrivately(Data("new".utf8), to: target)

        #expect(try Data(contentsOf: target) == Data("new".utf8))
        #expect(permissions(target.path) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["export.json"])
    }

    @Test func aPrivateWriteRefusesToFollowASymbolicLink() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        try folder.prepare()
        let elsewhere = temporary.url.appendingPathComponent("elsewhere.txt")
        #expect(FileManager.default.createFile(atPath: elsewhere.path, contents: Data("theirs".utf8)))
        let link = folder.url.appendingPathComponent("export.md")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: elsewhere)

        let error = #expect(throws: StoreError.self) { try folder.writePrivately(Data("ours".utf8), to: link) }
        #expect(error?.code == .io)
        #expect(try Data(contentsOf: elsewhere) == Data("theirs".utf8))
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give a folder to another user"))
    func aFolderOwnedBySomeoneElseIsRefused() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        #expect(mkdir(folder.url.path, 0o700) == 0)
        #expect(chown(folder.url.path, 65534, 65534) == 0)

        let error = #expect(throws: StoreError.self) { try folder.prepare() }
        #expect(error?.code == .unreadableFolder)
        #expect(error?.description.contains(folder.url.path) == true)
        #expect(error?.description.contains("--data-dir") == true)
    }

    @Test func aDatabaseThatIsASymbolicLinkIsRefused() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        try folder.prepare()
        let elsewhere = temporary.url.appendingPathComponent("elsewhere.sqlite")
        try FileManager.default.createSymbolicLink(at: folder.databaseURL, withDestinationURL: elsewhere)

        let error = #expect(throws: StoreError.self) { try SQLiteSessionStore(folder: folder) }
        #expect(error?.code == .unreadableFolder)
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
    }

    @Test func aFolderHoldingOtherFilesIsRefusedAndLeftUntouched() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        #expect(mkdir(folder.url.path, 0o755) == 0)
        #expect(chmod(folder.url.path, 0o755) == 0)
        let script = folder.url.appendingPathComponent("deploy.sh").path
        #expect(FileManager.default.createFile(atPath: script, contents: Data("#!/bin/sh\n".utf8)))
        #expect(chmod(script, 0o755) == 0)

        let error = #expect(throws: StoreError.self) { try SQLiteSessionStore(folder: folder) }
        #expect(error?.code == .unreadableFolder)
        #expect(error?.description.contains("deploy.sh") == true)
        #expect(permissions(script) == 0o755)
        #expect(permissions(folder.url.path) == 0o755)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["deploy.sh"])
    }

    @Test func theAnswerIdsKeptBySmallchangesMcpAreTheProgramsOwnFiles() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        try folder.prepare()
        for name in [DataFolder.answerIdsName, DataFolder.answerIdsName + "-wal"] {
            let path = folder.url.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            #expect(chmod(path, 0o644) == 0)
        }
        _ = try SQLiteSessionStore(folder: folder)
        #expect(permissions(folder.url.appendingPathComponent(DataFolder.answerIdsName).path) == 0o600)
    }

    @Test func aSymbolicLinkPlantedInTheFolderIsNotFollowed() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.dataFolder
        try folder.prepare()
        let elsewhere = temporary.url.appendingPathComponent("theirs.txt")
        #expect(FileManager.default.createFile(atPath: elsewhere.path, contents: Data("theirs".utf8)))
        #expect(chmod(elsewhere.path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            at: folder.url.appendingPathComponent("sessions.sqlite-wal"), withDestinationURL: elsewhere)

        let error = #expect(throws: StoreError.self) { try SQLiteSessionStore(folder: folder) }
        #expect(error?.code == .unreadableFolder)
        #expect(permissions(elsewhere.path) == 0o644)
        #expect(try Data(contentsOf: elsewhere) == Data("theirs".utf8))
    }

    @Test func aDataFolderThatIsASymbolicLinkIsRefused() throws {
        let temporary = try TemporaryFolder()
        let target = temporary.url.appendingPathComponent("target")
        #expect(mkdir(target.path, 0o755) == 0)
        #expect(chmod(target.path, 0o755) == 0)
        let folder = temporary.dataFolder
        try FileManager.default.createSymbolicLink(at: folder.url, withDestinationURL: target)

        let error = #expect(throws: StoreError.self) { try folder.prepare() }
        #expect(error?.code == .unreadableFolder)
        #expect(permissions(target.path) == 0o755)
    }
}
