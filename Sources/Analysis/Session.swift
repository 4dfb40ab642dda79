import Foundation
import PolicyModel
import Rules

/// What a long-running front end (the language server, the MCP server) keeps between requests: the
/// workspace, loaded once and again only when the config, a rule pack, the decisions store's decisions or
/// the date changed (checked before each use: a few `stat` calls and one SQLite query, where a reload
/// parses every pack); the open documents that overlay files on disk; and the reports of units already
/// analysed, keyed by their files' contents, so an unchanged unit is never judged twice.
public final class Session: @unchecked Sendable {
    /// The config file named explicitly, if any.
    public let configPath: String?
    /// Extra rule packs.
    public let extraPacks: [String]
    /// The workspace root (the config is looked up there).
    public let root: String
    private let lock = NSLock()
    private var current: Workspace
    private var stamp: [String]
    private var loads = 1
    private var overlays: [String: String] = [:]
    private var reports: [ReportKey: UnitReport] = [:]
    /// The cached reports kept without their subjects.
    private var withoutSubjects = Set<ReportKey>()
    /// The key of the latest cached report of each unit: an edited unit's older reports are dropped, so a document
    /// edited a thousand times is not cached a thousand times.
    private var latest: [UnitID: ReportKey] = [:]
    /// The reports being judged now, so a second request for the same contents (the diagnostics published when
    /// the debounce ends, while the analysis started half way through it still runs) waits for that one.
    private var inFlight: [ReportKey: PendingReport] = [:]
    private var judged = 0
    private var served = 0
    /// The most unit reports kept; past it the cache starts again.
    static let reportLimit = 512

    /// Loads the workspace of `root`.
    /// Real paths every file read must lie in (the MCP server's roots), or nil for no confinement.
    public let confinement: [String]?

    /// The trust file named on the command line (`--trust`), or nil for `GOLDPATH_TRUST` or the user's default.
    public let trustPath: String?

    public init(configPath: String? = nil, extraPacks: [String] = [], trustPath: String? = nil, root: String, confinement: [String]? = nil)
    {
        self.configPath = configPath
        self.extraPacks = extraPacks
        self.trustPath = trustPath
        self.root = root
        self.confinement = confinement
        current = Workspace.load(configPath: configPath, extraPacks: extraPacks, trustPath: trustPath, root: root, confinement: confinement)
        current.confinement = confinement
        stamp = Session.stamp(of: current, configPath: configPath, extraPacks: extraPacks, root: root)
    }

    /// The workspace in force: the loaded one, or a fresh load when what it was loaded from changed.
    public var workspace: Workspace {
        lock.withLock {
            if Session.stamp(of: current, configPath: configPath, extraPacks: extraPacks, root: root) != stamp { reloadLocked() }
            return current
        }
    }

    /// The workspace as last loaded, without checking for changes (for work within one request that already
    /// read ``workspace``).
    public var loaded: Workspace { lock.withLock { current } }

    /// How many times the workspace was loaded: a front end that shows load problems compares it with the
    /// count it last saw (a reload may happen on any `workspace` read).
    public var loadCount: Int { lock.withLock { loads } }

    /// Loads the workspace again now (a watched pack or config changed).
    public func reload() { lock.withLock { reloadLocked() } }

    private func reloadLocked() {
        current = Workspace.load(configPath: configPath, extraPacks: extraPacks, trustPath: trustPath, root: root, confinement: confinement)
        current.confinement = confinement
        stamp = Session.stamp(of: current, configPath: configPath, extraPacks: extraPacks, root: root)
        loads += 1
        reports = [:]
        inFlight = [:]
        withoutSubjects = []
        latest = [:]
    }

    /// How many unit reports were judged and how many were served from the cache.
    public var reportCounts: (judged: Int, cached: Int) { lock.withLock { (judged, served) } }

    /// Sets (or, with nil, removes) the text of an open document at `path`, which then overlays the file on disk.
    public func setOverlay(_ path: String, text: String?) { lock.withLock { overlays[path] = text } }

    /// The unit with every open document it holds overlaid (except `path`).
    public func overlaid(_ unit: AnalysisUnit, except path: String? = nil) -> AnalysisUnit {
        let open = lock.withLock { overlays }
        var unit = unit
        for file in unit.files where file.path != path {
            if let text = open[file.path], text != file.text { unit = unit.replacing(file: file.path, with: text) }
        }
        return unit
    }

    /// The report of a unit, from the cache when the same contents were judged since the last load.
    ///
    /// With `subjects: false` the caller reads only the findings (a workspace pull): the report is kept
    /// without its subjects, which are most of its memory in a large workspace, and a later call that
    /// wants them judges the unit again.
    public func analyze(_ unit: AnalysisUnit, verifyFixes: Bool = true, subjects: Bool = true) -> UnitReport {
        let key = ReportKey(unit, verifyFixes: verifyFixes)
        let (workspace, load, cached, running, pending) = lock.withLock {
            var hit = reports[key]
            if subjects && hit != nil && withoutSubjects.contains(key) { hit = nil }
            let running = hit == nil ? inFlight[key] : nil
            var pending: PendingReport?
            if hit == nil && running == nil {
                pending = PendingReport()
                inFlight[key] = pending
            }
            if hit == nil && running == nil { judged += 1 } else { served += 1 }
            return (current, loads, hit, running, pending)
        }
        if let cached { return cached }
        if let running { return running.wait() }
        var report = workspace.analyze(unit, verifyFixes: verifyFixes)
        let returned = report
        pending?.finish(returned)
        if !subjects {
            report.subjects = []
            // A workspace pull judges every unit once; the engine's memo is for the units being edited.
            workspace.engine.forgetJudgements(inFiles: unit.files.map(\.path) + unit.contextFiles.map(\.path))
        }
        lock.withLock {
            if let pending, inFlight[key] === pending { inFlight[key] = nil }
            // A report of the workspace a reload replaced meanwhile is not kept.
            guard loads == load else { return }
            if reports.count >= Session.reportLimit {
                reports.removeAll(keepingCapacity: true)
                withoutSubjects.removeAll(keepingCapacity: true)
                latest.removeAll(keepingCapacity: true)
            }
            if let older = latest.updateValue(key, forKey: key.unit), older != key {
                reports[older] = nil
                withoutSubjects.remove(older)
            }
            reports[key] = report
            if subjects { withoutSubjects.remove(key) } else { withoutSubjects.insert(key) }
        }
        return returned
    }

    /// The report of a draft (an unsaved buffer) named `filename` under `root`, with the open documents of
    /// its unit overlaid; nil when no language reads such a file.
    public func analyzeDraft(content: String, filename: String, root: String, path: String) -> UnitReport? {
        // The caller read `workspace` for this request already; the draft is judged against that snapshot.
        guard let unit = loaded.unit(forContent: content, filename: filename, root: root) else { return nil }
        return analyze(overlaid(unit, except: path), verifyFixes: false)
    }

    /// Every unit under `directory`, open documents overlaid.
    public func units(under directory: String) -> [AnalysisUnit] {
        workspace.discovery.units(for: [directory]).units.map { overlaid($0) }
    }

    /// What a workspace was loaded from: the config file's and every pack file's and directory's
    /// modification time and size, the decisions token and today's date (waivers expire).
    static func stamp(of workspace: Workspace, configPath: String?, extraPacks: [String], root: String) -> [String] {
        var paths = [configPath ?? (root == "." ? ".goldpath.yaml" : root + "/.goldpath.yaml")]
        paths += workspace.packSources.map(\.path).filter { !$0.hasPrefix("builtin:") && !$0.hasPrefix("decisions:") }
        paths += extraPacks
        if let trustFile = workspace.trustFile { paths.append(trustFile) }
        for name in workspace.config.packs ?? [] where !BuiltinPacks.all.contains(where: { $0.name == name }) {
            paths.append(name.hasPrefix("/") || workspace.config.baseDirectory.isEmpty ? name : workspace.config.baseDirectory + "/" + name)
        }
        var out = paths.map { path -> String in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "\(path) absent" }
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(path) \(modified) \(attributes[.size] as? Int ?? 0)"
        }
        out.append("decisions \(workspace.decisions?.decisionsToken() ?? "none")")
        out.append("today \(EngineConfig.currentDate())")
        return out
    }
}

/// What makes two unit reports the same: the unit's language, name and files' contents, and whether fixes were verified.
struct ReportKey: Hashable {
    var language: String
    var name: String
    var files: [FileKey]
    /// The paths a fix that creates a file must avoid (a new later migration changes what is offered).
    var existingPaths: [String]
    var verifyFixes: Bool

    /// The unit this key is a version of.
    var unit: UnitID { UnitID(language: language, name: name, files: files.map(\.path), verifyFixes: verifyFixes) }

    struct FileKey: Hashable {
        var path: String
        var judged: Bool
        var length: Int
        var digest: Int
    }

    init(_ unit: AnalysisUnit, verifyFixes: Bool) {
        language = unit.language
        name = unit.name
        files =
            unit.files.map { FileKey(path: $0.path, judged: true, length: $0.text.utf8.count, digest: $0.text.hashValue) }
            + unit.contextFiles.map { FileKey(path: $0.path, judged: false, length: $0.text.utf8.count, digest: $0.text.hashValue) }
        existingPaths = unit.existingPaths
        self.verifyFixes = verifyFixes
    }
}

/// A unit whatever its files hold: its language, name and files, and whether fixes were verified.
struct UnitID: Hashable {
    var language: String
    var name: String
    var files: [String]
    var verifyFixes: Bool
}

/// A report one caller is judging while others wait for it.
final class PendingReport: @unchecked Sendable {
    private let condition = NSCondition()
    private var report: UnitReport?

    /// Hands the report to every caller waiting for it.
    func finish(_ report: UnitReport) {
        condition.withLock {
            self.report = report
            condition.broadcast()
        }
    }

    /// The report, once the caller judging it finished.
    func wait() -> UnitReport {
        condition.withLock {
            while report == nil { condition.wait() }
            return report!
        }
    }
}
