import Foundation

/// The tool that applies a migrations folder: it decides the files' order and, above all, whether each
/// file runs inside a transaction.
public enum MigrationTool: String, Sendable, CaseIterable {
    /// `NNN_name.up.sql` / `.down.sql`; a multi-statement file runs as one implicit transaction.
    case golangMigrate = "golang-migrate"
    /// `V<version>__name.sql`, then `R__name.sql`; each script in a transaction unless it holds a
    /// statement that cannot run in one (then mixing fails).
    case flyway
    /// `-- migrate:up` / `-- migrate:down` sections; a transaction unless `transaction:false`.
    case dbmate
    /// `-- +goose Up` / `-- +goose Down`; a transaction unless `-- +goose NO TRANSACTION`.
    case goose
    /// Diesel: `<version>_<name>/up.sql`; each migration in a transaction.
    case diesel
    /// Atlas: versioned files beside `atlas.sum`; a transaction per file unless `-- atlas:txmode none`.
    case atlas
    /// sqitch: `deploy/*.sql` in `sqitch.plan` order; no implicit transaction (scripts write BEGIN/COMMIT).
    case sqitch
    /// Plain `*.sql` files in name order; no implicit transaction unless configured.
    case plain

    /// Recognises a migrations directory's tool from its file names and, where they do not tell, its contents.
    public static func detect(paths: [String], texts: [String], directory: String) -> MigrationTool {
        let names = paths.map { ($0 as NSString).lastPathComponent }
        if names.contains(where: { $0.hasSuffix(".up.sql") || $0.hasSuffix(".down.sql") }) { return .golangMigrate }
        if names.contains(where: isFlywayName) { return .flyway }
        if names.contains("up.sql") { return .diesel }
        if texts.contains(where: { contains($0, "-- migrate:up") }) { return .dbmate }
        if texts.contains(where: { contains($0, "-- +goose Up") || contains($0, "-- +goose up") }) { return .goose }
        let fm = FileManager.default
        if fm.fileExists(atPath: (directory as NSString).appendingPathComponent("atlas.sum")) { return .atlas }
        if (directory as NSString).lastPathComponent == "deploy",
            fm.fileExists(atPath: ((directory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("sqitch.plan"))
        {
            return .sqitch
        }
        return .plain
    }

    /// A byte search (Foundation's string search is far slower on large texts, and this runs on every re-check).
    static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text
        let n = Array(needle.utf8)
        return text.withUTF8 { bytes in
            guard n.count <= bytes.count else { return false }
            var i = 0
            let last = bytes.count - n.count
            while i <= last {
                if bytes[i] == n[0] {
                    var j = 1
                    while j < n.count && bytes[i + j] == n[j] { j += 1 }
                    if j == n.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// `V1__init.sql`, `V2_1__add.sql`, `R__views.sql`.
    public static func isFlywayName(_ name: String) -> Bool {
        guard name.hasSuffix(".sql"), name.contains("__") else { return false }
        if name.hasPrefix("R__") { return true }
        guard name.first == "V" else { return false }
        let version = name.dropFirst().prefix { $0 != "_" || false }
        return !version.isEmpty && version.first!.isNumber
    }

    /// Whether a file takes part (down and undo migrations do not).
    public func isForward(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        switch self {
        case .golangMigrate: return !name.hasSuffix(".down.sql")
        case .diesel: return name == "up.sql"
        case .flyway: return !name.hasPrefix("U")
        default: return !name.hasSuffix(".down.sql") && !name.hasSuffix("_down.sql")
        }
    }

    /// The files in the order the tool applies them.
    public func order(_ paths: [String]) -> [String] {
        switch self {
        case .flyway:
            let versioned = paths.filter { ($0 as NSString).lastPathComponent.hasPrefix("V") }
            let repeatable = paths.filter { ($0 as NSString).lastPathComponent.hasPrefix("R__") }.sorted()
            return versioned.sorted { Self.versionKey($0).lexicographicallyPrecedes(Self.versionKey($1)) } + repeatable
        case .diesel:
            return paths.sorted { ($0 as NSString).deletingLastPathComponent < ($1 as NSString).deletingLastPathComponent }
        case .sqitch:
            // sqitch.plan (beside deploy/) lists the changes in deploy order: `name [deps] date author <email> # note`.
            guard let first = paths.first else { return [] }
            let deploy = (first as NSString).deletingLastPathComponent
            let plan = ((deploy as NSString).deletingLastPathComponent as NSString).appendingPathComponent("sqitch.plan")
            let names = ((try? String(contentsOfFile: plan, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line -> String? in
                let t = line.trimmingCharacters(in: .whitespaces)
                guard !t.isEmpty, !t.hasPrefix("%"), !t.hasPrefix("#"), !t.hasPrefix("@") else { return nil }
                return t.split(separator: " ").first.map(String.init)
            }
            let rank = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            return paths.sorted { a, b in
                let ra = rank[((a as NSString).lastPathComponent as NSString).deletingPathExtension] ?? Int.max
                let rb = rank[((b as NSString).lastPathComponent as NSString).deletingPathExtension] ?? Int.max
                return ra != rb ? ra < rb : a < b
            }
        default:
            return paths.sorted { a, b in
                let ka = Self.leadingNumber(a)
                let kb = Self.leadingNumber(b)
                if let ka, let kb, ka != kb { return ka < kb }
                return (a as NSString).lastPathComponent < (b as NSString).lastPathComponent
            }
        }
    }

    /// `V2_10__x.sql` → [2, 10].
    static func versionKey(_ path: String) -> [Int] {
        let name = (path as NSString).lastPathComponent.dropFirst()
        let version = name.components(separatedBy: "__").first ?? ""
        return version.split(whereSeparator: { $0 == "_" || $0 == "." }).map { Int($0) ?? 0 }
    }

    static func leadingNumber(_ path: String) -> Int? {
        let digits = (path as NSString).lastPathComponent.prefix { $0.isNumber }
        return digits.isEmpty || digits.count > 18 ? nil : Int(digits)
    }

    /// Whether the tool wraps a file in a transaction by default.
    public var wrapsInTransaction: Bool {
        switch self {
        case .golangMigrate, .flyway, .dbmate, .goose, .diesel, .atlas: return true
        case .sqitch, .plain: return false
        }
    }
}
