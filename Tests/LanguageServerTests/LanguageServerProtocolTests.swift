import Foundation
import JSONRPC
import Testing

@testable import LanguageServer

let acmePack = """
    pack: acme
    golden_paths:
      - id: acme-streams
        title: Encrypted event streams
        language: terraform
        select: [resource.aws_kinesis_stream]
        rules:
          - id: ACME001
            title: Streams are encrypted with KMS
            severity: warning
            require: has(self.encryption_type) && self.encryption_type == "KMS"
            at: encryption_type
            message: Encrypt the stream with KMS.
            examples:
              fail:
                - |
                  resource "aws_kinesis_stream" "s" {
                    name = "s"
                  }
              pass:
                - |
                  resource "aws_kinesis_stream" "s" {
                    name            = "s"
                    encryption_type = "KMS"
                  }

    """

@Suite("Language server protocol")
struct LanguageServerProtocolTests {
    @Test("pull diagnostics: full report with a result id, unchanged for the same id, full again after an edit; nothing pushed")
    func pullDiagnostics() async throws {
        let h = try await LSPHarness(
            files: ["main.tf": ordersModule], capabilities: .object(["textDocument": .object(["diagnostic": .object([:])])]))
        try await h.open("main.tf")
        await h.server.flush()
        #expect(!h.drain().contains { $0["method"]?.string == "textDocument/publishDiagnostics" })
        let first = try await h.pullDiagnostics("main.tf")
        #expect(first["kind"]?.string == "full")
        #expect(
            first["items"]?.array?.compactMap { $0["code"]?.string } == [
                "AWS002", "AWS003", "AWS005", "AWS006", "AWS007", "AWS200", "AWS201", "AWS204", "AWS205", "needs-review",
            ])
        let id = try #require(first["resultId"]?.string)
        #expect(try await h.pullDiagnostics("main.tf", previous: id) == .object(["kind": "unchanged", "resultId": .string(id)]))
        await h.change("main.tf", version: 2, LSPHarness.range(2, 23, 2, 34), "db.t3.large")
        let third = try await h.pullDiagnostics("main.tf", previous: id)
        #expect(third["kind"]?.string == "full")
        #expect(
            third["items"]?.array?.compactMap { $0["code"]?.string } == [
                "AWS002", "AWS003", "AWS005", "AWS006", "AWS200", "AWS201", "AWS204", "AWS205", "needs-review",
            ])
    }

    @Test("pull diagnostics: an edit that changes no diagnostic is answered unchanged; one that moves them, in full")
    func pullDiagnosticsUnchangedByEdit() async throws {
        let h = try await LSPHarness(
            files: ["main.tf": ordersModule], capabilities: .object(["textDocument": .object(["diagnostic": .object([:])])]))
        try await h.open("main.tf")
        let first = try await h.pullDiagnostics("main.tf")
        let id = try #require(first["resultId"]?.string)
        let items = try #require(first["items"]?.array)
        // A comment after the last block: every finding is where it was.
        await h.change("main.tf", version: 2, LSPHarness.range(8, 0, 8, 0), "# a note\n")
        #expect(try await h.pullDiagnostics("main.tf", previous: id) == .object(["kind": "unchanged", "resultId": .string(id)]))
        // A line above the first block moves every finding one line down.
        await h.change("main.tf", version: 3, LSPHarness.range(0, 0, 0, 0), "\n")
        let third = try await h.pullDiagnostics("main.tf", previous: id)
        #expect(third["kind"]?.string == "full")
        #expect(third["resultId"]?.string != id)
        let moved = items.map { item -> JSON in
            guard case .object(var d) = item, let r = item["range"], let s = r["start"], let e = r["end"] else { return item }
            d["range"] = LSPHarness.range(s["line"]!.int! + 1, s["character"]!.int!, e["line"]!.int! + 1, e["character"]!.int!)
            return .object(d)
        }
        #expect(third["items"]?.array == moved)
    }

    @Test("workspace diagnostics cover files that are not open, and open ones as edited")
    func workspaceDiagnostics() async throws {
        let h = try await LSPHarness(
            files: [
                "app/main.tf": ordersModule, "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
                "charts/web/values.yaml": "image:\n  repository: nginx\n  tag: latest\n",
            ],
            capabilities: .object(["textDocument": .object(["diagnostic": .object([:])])]))
        let report = try await h.request("workspace/diagnostic", .object(["previousResultIds": .array([])]))
        let items = report["items"]?.array ?? []
        let byURI = Dictionary(items.map { ($0["uri"]!.string!, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byURI[h.uri("app/main.tf")]?["items"]?.array?.count == 10)
        #expect(byURI[h.uri("charts/web/values.yaml")]?["items"]?.array?.contains { $0["code"]?.string == "K8S003" } == true)
        let previous = items.map { JSON.object(["uri": $0["uri"]!, "value": $0["resultId"]!]) }
        let again = try await h.request("workspace/diagnostic", .object(["previousResultIds": .array(previous)]))
        #expect(again["items"]?.array?.allSatisfy { $0["kind"]?.string == "unchanged" } == true)
    }

    @Test("a broken pack is shown and diagnosed in its own file while the other packs keep working; fixing it reloads")
    func brokenPackHotReload() async throws {
        let broken = acmePack.replacingOccurrences(of: "self.encryption_type == \"KMS\"", with: "self.encryption_type ==")
        let h = try await LSPHarness(files: [
            "main.tf": ordersModule, ".goldpath.yaml": "packs: [aws, packs/acme.yaml]\n", "packs/acme.yaml": broken,
        ])
        let startup = h.drain()
        let shown = startup.first { $0["method"]?.string == "window/showMessage" }
        #expect(shown?["params"]?["type"]?.int == 1)
        #expect(shown?["params"]?["message"]?.string?.contains("acme.yaml") == true)
        let packDiagnostics = startup.first {
            $0["method"]?.string == "textDocument/publishDiagnostics" && $0["params"]?["uri"]?.string == h.uri("packs/acme.yaml")
        }
        let problem = try #require(packDiagnostics?["params"]?["diagnostics"]?.array?.first)
        #expect(problem["range"]?["start"]?["line"]?.int == 10)
        #expect(problem["code"]?.string == "pack-badExpression")

        try await h.open("main.tf")
        let before = await h.publishedDiagnostics("main.tf").compactMap { $0["code"]?.string }
        #expect(before == ["AWS002", "AWS003", "AWS005", "AWS006", "AWS007", "AWS200", "AWS201", "AWS204", "AWS205", "needs-review"])

        try h.write("packs/acme.yaml", acmePack)
        await h.notify(
            "workspace/didChangeWatchedFiles",
            .object(["changes": .array([.object(["uri": .string(h.uri("packs/acme.yaml")), "type": .int(2)])])]))
        await h.server.flush()
        let after = h.drain()
        let cleared = after.first {
            $0["method"]?.string == "textDocument/publishDiagnostics" && $0["params"]?["uri"]?.string == h.uri("packs/acme.yaml")
        }
        #expect(cleared?["params"]?["diagnostics"] == .array([]))
        let main = after.last {
            $0["method"]?.string == "textDocument/publishDiagnostics" && $0["params"]?["uri"]?.string == h.uri("main.tf")
        }
        #expect(
            main?["params"]?["diagnostics"]?.array?.compactMap { $0["code"]?.string } == [
                "AWS002", "AWS003", "AWS005", "AWS006", "AWS007", "AWS200", "AWS201", "AWS204", "AWS205", "ACME001",
            ])
    }

    @Test("every language's files are watched, and a migration changed on disk re-analyses the open migration after it")
    func migrationChangedOnDisk() async throws {
        let classified = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCOMMENT ON COLUMN users.email IS 'classification=pii';\n"
        let h = try await LSPHarness(
            files: [
                "db/migrations/0001_users.up.sql": classified,
                "db/migrations/0002_drop_email.up.sql": "ALTER TABLE users DROP COLUMN email;\n",
            ],
            capabilities: .object(["workspace": .object(["didChangeWatchedFiles": .object(["dynamicRegistration": .bool(true)])])]))
        let registration = h.drain().first { $0["method"]?.string == "client/registerCapability" }
        let globs = registration?["params"]?["registrations"]?.array?.first?["registerOptions"]?["watchers"]?.array?.compactMap {
            $0["globPattern"]?.string
        }
        #expect(
            globs == [
                "**/.goldpath.yaml", "**/*.{yaml,yml}", "**/*.tpl", "**/*.tf", "**/*.tfvars", "**/*.tfvars.json", "**/*.sql",
                "**/sqitch.plan",
                "**/atlas.sum", "**/metadata.toml",
            ])

        try await h.open("db/migrations/0002_drop_email.up.sql")
        let before = await h.publishedDiagnostics("db/migrations/0002_drop_email.up.sql").compactMap { $0["code"]?.string }
        #expect(before.contains("PG083"))

        try h.write("db/migrations/0001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n")
        await h.notify(
            "workspace/didChangeWatchedFiles",
            .object(["changes": .array([.object(["uri": .string(h.uri("db/migrations/0001_users.up.sql")), "type": .int(2)])])]))
        let after = await h.publishedDiagnostics("db/migrations/0002_drop_email.up.sql").compactMap { $0["code"]?.string }
        #expect(!after.contains("PG083"))
        #expect(after.filter { $0 != "PG083" } == before.filter { $0 != "PG083" })
    }

    @Test("a config edited outside the editor applies without file watchers (Neovim 0.7): noticed before the next message")
    func configChangedWithoutWatchers() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        try await h.open("main.tf")
        let before = await h.publishedDiagnostics("main.tf").compactMap { $0["code"]?.string }
        #expect(before == ["AWS002", "AWS003", "AWS005", "AWS006", "AWS007", "AWS200", "AWS201", "AWS204", "AWS205", "needs-review"])
        try h.write(".goldpath.yaml", "severity: {AWS002: off}\n")
        _ = await h.call("textDocument/hover", .object(["textDocument": h.textDocument("main.tf"), "position": LSPHarness.position(0, 0)]))
        let after = await h.publishedDiagnostics("main.tf").compactMap { $0["code"]?.string }
        #expect(after == ["AWS003", "AWS005", "AWS006", "AWS007", "AWS200", "AWS201", "AWS204", "AWS205", "needs-review"])
    }

    @Test("an open rule pack gets diagnostics from its buffer: bad CEL, unknown keys")
    func packAuthoring() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        let text = acmePack.replacingOccurrences(of: "severity: warning", with: "severty: warning")
        try await h.open("packs/acme.yaml", text: text)
        let diagnostics = await h.publishedDiagnostics("packs/acme.yaml")
        #expect(diagnostics.count >= 1)
        #expect(diagnostics.first?["range"]?["start"]?["line"]?.int == 9)
        #expect(diagnostics.first?["message"]?.string?.contains("severty") == true)
    }

    @Test("fix-all is resolved lazily; a stale action is refused with ContentModified")
    func resolveFixAll() async throws {
        let capabilities: JSON = .object([
            "textDocument": .object(["codeAction": .object(["resolveSupport": .object(["properties": .array(["edit"])])])])
        ])
        let h = try await LSPHarness(files: ["main.tf": ordersModule], capabilities: capabilities)
        try await h.open("main.tf")
        let actions =
            try await h.request(
                "textDocument/codeAction",
                .object([
                    "textDocument": h.textDocument("main.tf"), "range": LSPHarness.range(0, 0, 0, 0),
                    "context": .object(["diagnostics": .array([]), "only": .array(["source.fixAll.goldpath"])]),
                ])
            ).array ?? []
        #expect(actions.count == 1)
        #expect(actions.first?["edit"] == nil)
        let resolved = try await h.request("codeAction/resolve", actions[0])
        let edits = resolved["edit"]?["changes"]?[h.uri("main.tf")]?.array ?? []
        #expect(edits.count == 1)
        #expect(edits.first?["newText"]?.string?.contains("backup_retention_period") == true)
        await h.notify(
            "textDocument/didChange",
            .object([
                "textDocument": .object(["uri": .string(h.uri("main.tf")), "version": .int(2)]),
                "contentChanges": .array([.object(["range": LSPHarness.range(8, 0, 8, 0), "text": "  shard_count = 1\n"])]),
            ]))
        let stale = await h.call("codeAction/resolve", actions[0])
        #expect(stale["error"]?["code"]?.int == ErrorCode.contentModified)
    }

    @Test("a request cancelled before it runs is answered with RequestCancelled")
    func cancellation() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        try await h.open("main.tf")
        h.server.cancelled.cancel(.number(2))
        let response = await h.call("textDocument/codeLens", .object(["textDocument": h.textDocument("main.tf")]))
        #expect(response["id"]?.int == 2)
        #expect(response["error"]?["code"]?.int == ErrorCode.requestCancelled)
        let next = await h.call("textDocument/codeLens", .object(["textDocument": h.textDocument("main.tf")]))
        #expect(next["result"]?.array?.count == 2)
    }

    @Test("errors per the spec: unknown method, bad params, bad JSON, invalid UTF-8, a second initialize")
    func errors() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        #expect(await h.call("textDocument/rename", .object([:]))["error"]?["code"]?.int == ErrorCode.methodNotFound)
        #expect(await h.call("textDocument/hover", .object([:]))["error"]?["code"]?.int == ErrorCode.invalidParams)
        #expect(await h.call("initialize", .object([:]))["error"]?["code"]?.int == ErrorCode.invalidRequest)
        await h.sendRaw(Data("Content-Length: 9\r\n\r\n{\"jsonrp".utf8) + Data("c".utf8))
        await h.sendRaw(Data("Content-Length: 4\r\n\r\n".utf8) + Data([0x7B, 0xFF, 0xFE, 0x7D]))
        let errors = h.drain().filter { $0["error"] != nil }
        #expect(errors.map { $0["error"]?["code"]?.int } == [ErrorCode.parseError, ErrorCode.parseError])
        #expect(errors.allSatisfy { $0["id"] == .null })
        #expect(
            await h.call("textDocument/codeLens", .object(["textDocument": h.textDocument("main.tf")]))["error"]?["code"]?.int
                == ErrorCode.invalidParams)
    }

    @Test("params are decoded to each method's type: a mismatch is InvalidParams naming the field; a bad notification is ignored")
    func typedParams() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        try await h.open("main.tf")
        _ = await h.publishedDiagnostics("main.tf")
        let hover = await h.call(
            "textDocument/hover",
            .object(["textDocument": h.textDocument("main.tf"), "position": .object(["line": "one", "character": .int(0)])]))
        #expect(hover["error"]?["code"]?.int == ErrorCode.invalidParams)
        #expect(hover["error"]?["message"]?.string == "position.line must be an integer")
        let action = await h.call("textDocument/codeAction", .object(["textDocument": h.textDocument("main.tf")]))
        #expect(action["error"]?["message"]?.string == "range is missing")
        let command = await h.call(
            "workspace/executeCommand", .object(["command": "goldpath.requestReview", "arguments": .array([.object([:])])]))
        #expect(command["error"]?["message"]?.string == "goldpath.requestReview takes one argument {uri, subject}: uri is missing")

        await h.notify("textDocument/didChange", .object(["textDocument": h.textDocument("main.tf"), "contentChanges": .array([.int(3)])]))
        let after = await h.call("textDocument/codeLens", .object(["textDocument": h.textDocument("main.tf")]))
        #expect(after["error"] == nil)
        #expect(after["result"]?.array?.isEmpty == false)
    }

    @Test("requests before initialize get ServerNotInitialized; exit without shutdown is code 1")
    func lifecycle() async throws {
        let server = LanguageServer { _ in }
        var framer = MessageFramer()
        let body = Data(#"{"jsonrpc":"2.0","method":"exit"}"#.utf8)
        for frame in framer.append(Array(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)) { await server.handle(frame) }
        #expect(await server.exitCode == 1)
    }

    @Test("a file outside the workspace root is read with its own directory's module")
    func fileOutsideTheRoot() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-other-\(UUID().uuidString)")
        try LSPHarness.write("variables.tf", "variable \"retention\" {\n  default = 1\n}\n", under: other)
        let text = "resource \"aws_db_instance\" \"db\" {\n  backup_retention_period = var.retention\n}\n"
        try LSPHarness.write("main.tf", text, under: other)
        defer { try? FileManager.default.removeItem(at: other) }
        let uri = other.appendingPathComponent("main.tf").absoluteString
        await h.notify(
            "textDocument/didOpen",
            .object([
                "textDocument": .object([
                    "uri": .string(uri), "languageId": "terraform", "version": .int(1), "text": .string(text),
                ])
            ]))
        await h.server.flush()
        let published = h.drain().last { $0["params"]?["uri"]?.string == uri }
        let aws002 = try #require(published?["params"]?["diagnostics"]?.array?.first { $0["code"]?.string == "AWS002" })
        #expect(aws002["range"] == LSPHarness.range(1, 2, 1, 25))
        let related = aws002["relatedInformation"]?.array?.first?["location"]
        #expect(related?["uri"]?.string == other.appendingPathComponent("variables.tf").absoluteString)
        #expect(related?["range"] == LSPHarness.range(1, 12, 1, 13))
    }
}
