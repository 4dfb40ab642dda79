import Foundation
import PolicyModel

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
        let names = paths.map(\.fileName)
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
        guard name.hasSuffix(".sql") else { return false }
        if name.hasPrefix("R__") { return true }
        guard name.first == "V", name.utf8.count > 3, contains(name, "__") else { return false }
        let version = name.dropFirst().prefix { $0 != "_" || false }
        return !version.isEmpty && version.first!.isNumber
    }

    /// Whether a file takes part (down and undo migrations do not).
    public func isForward(_ path: String) -> Bool {
        let name = path.fileName
        switch self {
        case .golangMigrate: return !name.hasSuffix(".down.sql")
        case .diesel: return name == "up.sql"
        case .flyway: return !name.hasPrefix("U")
        default: return !name.hasSuffix(".down.sql") && !name.hasSuffix("_down.sql")
        }
    }

    /// The files in the order the tool applies them. Each path's sort key is computed once (this runs on
    /// every re-check of a fix, over every migration of the folder).
    public func order(_ paths: [String]) -> [String] {
        switch self {
        case .flyway:
            let named = paths.map { (path: $0, name: $0.fileName) }
            let versioned = named.filter { $0.name.hasPrefix("V") }.map { (path: $0.path, key: Self.versionKey($0.path)) }
            let repeatable = named.filter { $0.name.hasPrefix("R__") }.map(\.path).sorted()
            return versioned.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.path) + repeatable
        case .diesel:
            return paths.map { (path: $0, folder: $0.parentPath) }.sorted { $0.folder < $1.folder }.map(\.path)
        case .sqitch:
            // sqitch.plan (beside deploy/) lists the changes in deploy order: `name [deps] date author <email> # note`.
            guard let first = paths.first else { return [] }
            let plan = first.parentPath.parentPath + "/sqitch.plan"
            let names = ((try? String(contentsOfFile: plan, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line -> String? in
                let t = line.trimmingCharacters(in: .whitespaces)
                guard !t.isEmpty, !t.hasPrefix("%"), !t.hasPrefix("#"), !t.hasPrefix("@") else { return nil }
                return t.split(separator: " ").first.map(String.init)
            }
            let rank = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let ranked = paths.map { path in (path: path, rank: rank[Self.droppingExtension(path.fileName)] ?? Int.max) }
            return ranked.sorted { a, b in a.rank != b.rank ? a.rank < b.rank : a.path < b.path }.map(\.path)
        default:
            let keyed = paths.map { path in (path: path, name: path.fileName, number: Self.leadingNumber(path)) }
            return keyed.sorted { a, b in
                if let ka = a.number, let kb = b.number, ka != kb { return ka < kb }
                return a.name < b.name
            }.map(\.path)
        }
    }

    /// `deploy/add_users.sql` → `add_users`.
    static func droppingExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// `V2_10__x.sql` → [2, 10].
    static func versionKey(_ path: String) -> [Int] {
        let name = path.fileName.dropFirst()
        let version = name.components(separatedBy: "__").first ?? ""
        return version.split(whereSeparator: { $0 == "_" || $0 == "." }).map { Int($0) ?? 0 }
    }

    static func leadingNumber(_ path: String) -> Int? {
        let digits = path.fileName.prefix { $0.isNumber }
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
