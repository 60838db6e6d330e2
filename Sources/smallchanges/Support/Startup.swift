import ArgumentParser
import Foundation
import Logging
import SmallChangesCore
import SmallChangesStore

/// Options every command that works on sessions shares.
struct CommonOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The folder that keeps your sessions (default: $SMALLCHANGES_HOME, else $XDG_DATA_HOME/smallchanges).")
    var dataDir: String?

    @Flag(name: .long, help: "Log what the program does to stderr (never what you write).")
    var verbose = false
}

/// The option of every command that loads the flows and cards.
struct GuideOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A folder holding your own Prompts/ and Corpus/ (default: $SMALLCHANGES_ROOT, else the ones built in).",
            valueName: "dir"))
    var prompts: String?
}

/// Loading and start-up shared by the commands: one place that turns a broken data file into
/// `FILE:LINE: problem` on stderr and exit code 2.
enum Startup {
    static func bootstrapLogging(verbose: Bool) {
        // Off the caller's thread, dropping lines rather than blocking when stderr is not read (issue 14).
        let writer = LogWriter.standardError
        LoggingSystem.bootstrap { label in
            var handler = BackgroundLogHandler(label: label, writer: writer)
            handler.logLevel = verbose ? .debug : .warning
            return handler
        }
        atexit { LogWriter.standardError.flush() }
    }

    /// The guide the command runs on; `hearsAnswers: false` for commands that only read plans, which never need the
    /// matcher read.
    static func guide(_ options: GuideOptions, hearsAnswers: Bool = true) throws -> Guide {
        do {
            let environment = ProcessInfo.processInfo.environment
            let logger = Logger(label: "smallchanges.guide")
            return try GuideSource.choose(prompts: options.prompts, environment: environment).loadGuide(
                cache: GuideCache(environment: environment, logger: logger), logger: logger, hearsAnswers: hearsAnswers)
        } catch let error as SourceError {
            throw fail(error.description)
        } catch let error as UsageError {
            throw fail(error.description)
        }
    }

    static func store(_ options: CommonOptions) throws -> SQLiteSessionStore {
        do {
            // The folder is made private before the database is opened in it.
            let folder = DataFolder(explicit: options.dataDir, environment: ProcessInfo.processInfo.environment)
            try folder.prepare()
            return try SQLiteSessionStore(folder: folder, logger: Logger(label: "smallchanges.store"))
        } catch let error as StoreError {
            throw fail(error.description)
        }
    }

    /// Prints a message on stderr and gives the exit code for bad input or set-up.
    static func fail(_ message: String, code: Int32 = 2) -> ExitCode {
        FileHandle.standardError.write(Data("smallchanges: \(message)\n".utf8))
        return ExitCode(code)
    }

    /// Resolves an id, a unique prefix of one, or `latest`; a command that cannot go on without it exits 1.
    static func session(_ typed: String?, in store: any SessionStore) throws -> SessionID {
        do {
            return try resolve(typed ?? "latest", in: store)
        } catch let error as StoreError {
            throw fail(error.description, code: 1)
        } catch let error as UsageError {
            throw fail(error.description, code: 1)
        }
    }

    /// Resolves an id, a unique prefix of one, or `latest`, throwing what is wrong (the REPL shows it and goes on).
    static func resolve(_ typed: String, in store: any SessionStore) throws -> SessionID {
        guard typed == "latest" else { return try store.lookup(prefix: typed) }
        guard let latest = try store.latest() else { throw UsageError("there are no saved sessions yet") }
        return latest.id
    }

    /// The time now; with `SMALLCHANGES_TODAY=YYYY-MM-DD` in the environment, noon that day (UTC), moving on
    /// with real time so turns keep their order: transcripts then give the same dates on any day.
    static func now() -> Date {
        guard let day = pretendDay else { return Date() }
        return day.noon.addingTimeInterval(Date().timeIntervalSince(day.start))
    }

    private static let pretendDay: (noon: Date, start: Date)? = {
        guard let text = ProcessInfo.processInfo.environment["SMALLCHANGES_TODAY"],
            let day = CalendarDay(iso: text),
            let noon = DateComponents(
                calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: day.year,
                month: day.month, day: day.day, hour: 12
            ).date
        else { return nil }
        return (noon, Date())
    }()
}
