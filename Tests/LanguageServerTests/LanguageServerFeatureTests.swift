import Decisions
import Foundation
import JSONRPC
import Testing

@testable import LanguageServer

let ordersModule = """
    resource "aws_db_instance" "orders" {
      engine            = "postgres"
      instance_class    = "db.t3.micro"
      storage_encrypted = true
    }

    resource "aws_kinesis_stream" "events" {
      name = "events"
    }

    """

@Suite("Language server features")
struct LanguageServerFeatureTests {
    @Test("code lens: deviations per subject, and a review command for a first-of-a-kind subject")
    func codeLens() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        try await h.open("main.tf")
        let lenses = try await h.request("textDocument/codeLens", .object(["textDocument": h.textDocument("main.tf")])).array ?? []
        #expect(lenses.count == 2)
        #expect(lenses[0]["range"] == LSPHarness.range(0, 0, 0, 37))
        #expect(lenses[0]["command"]?["title"]?.string == "✗ 9 deviations from Encrypted, backed-up, private RDS database")
        #expect(lenses[1]["range"] == LSPHarness.range(6, 0, 6, 40))
        #expect(lenses[1]["command"]?["title"]?.string == "needs review (first of a kind)")
        #expect(lenses[1]["command"]?["command"]?.string == "goldpath.requestReview")
        #expect(lenses[1]["command"]?["arguments"]?.array?.first?["subject"]?.string == "aws_kinesis_stream.events")
    }

    @Test("code lens: a compliant subject shows its golden path")
    func compliantLens() async throws {
        let h = try await LSPHarness(files: [
            "main.tf": """
            resource "aws_s3_bucket_versioning" "logs" {
              bucket = "logs"
              versioning_configuration {
                status = "Enabled"
              }
            }

            """
        ])
        try await h.open("main.tf")
        let lenses = try await h.request("textDocument/codeLens", .object(["textDocument": h.textDocument("main.tf")])).array ?? []
        #expect(lenses.map { $0["command"]?["title"]?.string } == ["✓ golden path S3 bucket settings resources"])
    }

    @Test("completion offers the allowed instance classes, replacing the value being typed")
    func completionOfAllowedValues() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        try await h.open("main.tf")
        let list = try await h.request(
            "textDocument/completion",
            .object([
                "textDocument": h.textDocument("main.tf"), "position": LSPHarness.position(2, 26),
            ]))
        let items = list["items"]?.array ?? []
        #expect(
            items.compactMap { $0["label"]?.string } == [
                "db.t3.medium", "db.t3.large", "db.m6g.large", "db.m6g.xlarge", "db.r6g.large", "db.r6g.xlarge",
            ])
        #expect(items.first?["textEdit"] == .object(["range": LSPHarness.range(2, 22, 2, 35), "newText": "\"db.t3.medium\""]))
        #expect(items.first?["detail"]?.string == "allowed by AWS007 (Encrypted, backed-up, private RDS database)")
        // The key part of the line, and a key no rule restricts, get nothing.
        let onKey = try await h.request(
            "textDocument/completion", .object(["textDocument": h.textDocument("main.tf"), "position": LSPHarness.position(2, 4)]))
        #expect(onKey["items"]?.array?.isEmpty ?? true)
        let other = try await h.request(
            "textDocument/completion", .object(["textDocument": h.textDocument("main.tf"), "position": LSPHarness.position(1, 24)]))
        #expect(other["items"]?.array?.isEmpty == true)
    }

    @Test("completion works on a line the parser has not got a value for yet")
    func completionWhileTyping() async throws {
        let text = ordersModule.replacingOccurrences(of: "instance_class    = \"db.t3.micro\"", with: "instance_class    = ")
        let h = try await LSPHarness(files: ["main.tf": text])
        try await h.open("main.tf")
        let list = try await h.request(
            "textDocument/completion", .object(["textDocument": h.textDocument("main.tf"), "position": LSPHarness.position(2, 22)]))
        #expect(
            list["items"]?.array?.first?["textEdit"] == .object(["range": LSPHarness.range(2, 22, 2, 22), "newText": "\"db.t3.medium\""]))
    }

    @Test("a code action with nothing to resolve comes back unchanged from codeAction/resolve (Neovim resolves every action)")
    func resolveReturnsCommandActionsUnchanged() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        try await h.open("main.tf")
        let action: JSON = .object([
            "title": "Request review of aws_kinesis_stream.events (first of a kind)", "kind": "quickfix",
            "command": .object(["title": "Request review", "command": "goldpath.requestReview", "arguments": .array([])]),
        ])
        #expect(try await h.request("codeAction/resolve", action) == action)
    }

    @Test("hover is plain text for a client whose contentFormat leaves markdown out")
    func hoverInPlainText() async throws {
        let h = try await LSPHarness(
            files: ["main.tf": ordersModule],
            capabilities: .object(["textDocument": .object(["hover": .object(["contentFormat": .array(["plaintext"])])])]))
        try await h.open("main.tf")
        let hover = try await h.request(
            "textDocument/hover", .object(["textDocument": h.textDocument("main.tf"), "position": LSPHarness.position(2, 4)]))
        #expect(hover["contents"]?["kind"] == "plaintext")
        let text = try #require(hover["contents"]?["value"]?.string)
        #expect(text.hasPrefix("AWS007 "))
        #expect(!text.contains("**") && !text.contains("`"), "\(text)")
        #expect(text.contains("Golden path: Encrypted, backed-up, private RDS database (aws-rds)"))
    }

    @Test("Suppress with a reason puts the cursor between the quotes where the client shows documents on request")
    func suppressPlacesTheCursor() async throws {
        let capabilities: JSON = .object(["window": .object(["showDocument": .object(["support": .bool(true)])])])
        let h = try await LSPHarness(files: ["main.tf": ordersModule], capabilities: capabilities)
        try await h.open("main.tf")
        let params: JSON = .object([
            "textDocument": h.textDocument("main.tf"), "range": LSPHarness.range(2, 4, 2, 4),
            "context": .object(["diagnostics": .array([])]),
        ])
        let actions = try await h.request("textDocument/codeAction", params).array ?? []
        let suppress = try #require(actions.first { $0["title"]?.string == "Suppress AWS007 with a reason…" })
        let command = try #require(suppress["command"])
        let quote = "  # goldpath:ignore AWS007 reason=\"".utf16.count
        #expect(command["command"]?.string == "goldpath.editReason")
        #expect(command["title"]?.string == "Write the reason")
        let argument: JSON = .object(["uri": .string(h.uri("main.tf")), "line": .number(2), "character": .number(Double(quote))])
        #expect(command["arguments"] == .array([argument]))
        _ = h.drain()
        let execute: JSON = .object(["command": "goldpath.editReason", "arguments": .array([argument])])
        let result = try await h.request("workspace/executeCommand", execute)
        #expect(result == .null)
        let show = try #require(h.drain().first { $0["method"]?.string == "window/showDocument" })
        let at = LSPHarness.position(2, quote)
        let expected: JSON = .object([
            "uri": .string(h.uri("main.tf")), "takeFocus": .bool(true), "selection": .object(["start": at, "end": at]),
        ])
        #expect(show["params"] == expected)
    }

    @Test("Suppress with a reason inserts a comment the engine holds malformed until the reason is written")
    func suppressWithReason() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        try await h.open("main.tf")
        let actions =
            try await h.request(
                "textDocument/codeAction",
                .object([
                    "textDocument": h.textDocument("main.tf"), "range": LSPHarness.range(2, 4, 2, 4),
                    "context": .object(["diagnostics": .array([])]),
                ])
            ).array ?? []
        let suppress = try #require(actions.first { $0["title"]?.string == "Suppress AWS007 with a reason…" })
        let edits = suppress["edit"]?["changes"]?[h.uri("main.tf")]?.array ?? []
        #expect(edits == [.object(["range": LSPHarness.range(2, 0, 2, 0), "newText": "  # goldpath:ignore AWS007 reason=\"\"\n"])])
        // This client cannot be asked to show a document: no cursor command.
        #expect(suppress["command"] == nil)
        // Instance classes have no verified fix (the choice is the author's): no quick fix for AWS007.
        #expect(!actions.contains { ($0["title"]?.string ?? "").hasSuffix("(AWS007)") })

        var lines = ordersModule.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert("  # goldpath:ignore AWS007 reason=\"\"", at: 2)
        await h.notify(
            "textDocument/didChange",
            .object([
                "textDocument": .object(["uri": .string(h.uri("main.tf")), "version": .int(2)]),
                "contentChanges": .array([.object(["text": .string(lines.joined(separator: "\n"))])]),
            ]))
        let malformed = await h.publishedDiagnostics("main.tf")
        #expect(
            malformed.compactMap { $0["code"]?.string }.sorted() == [
                "AWS002", "AWS003", "AWS005", "AWS006", "AWS007", "AWS200", "AWS201", "AWS204", "AWS205", "needs-review",
                "suppression-malformed",
            ])
        lines[2] = "  # goldpath:ignore AWS007 reason=\"burst class approved for the batch window\""
        await h.notify(
            "textDocument/didChange",
            .object([
                "textDocument": .object(["uri": .string(h.uri("main.tf")), "version": .int(3)]),
                "contentChanges": .array([.object(["text": .string(lines.joined(separator: "\n"))])]),
            ]))
        let suppressed = await h.publishedDiagnostics("main.tf")
        #expect(
            suppressed.compactMap { $0["code"]?.string }.sorted() == [
                "AWS002", "AWS003", "AWS005", "AWS006", "AWS200", "AWS201", "AWS204", "AWS205", "needs-review",
            ])
    }

    @Test("Request review: a code action on a first-of-a-kind finding runs a command that records the request")
    func requestReview() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        try await h.open("main.tf")
        let actions =
            try await h.request(
                "textDocument/codeAction",
                .object([
                    "textDocument": h.textDocument("main.tf"), "range": LSPHarness.range(6, 2, 6, 2),
                    "context": .object(["diagnostics": .array([])]),
                ])
            ).array ?? []
        let review = try #require(actions.first { $0["title"]?.string == "Request review of aws_kinesis_stream.events (first of a kind)" })
        let command = try #require(review["command"])
        let result = try await h.request(
            "workspace/executeCommand", .object(["command": command["command"]!, "arguments": command["arguments"]!]))
        #expect(result["status"]?.string == "pending")
        #expect(result["merged"]?.bool == false)
        let messages = h.drain().filter { $0["method"]?.string == "window/showMessage" }
        #expect(
            messages.last?["params"]?["message"]?.string
                == "goldpath: review requested for aws_kinesis_stream.events (\(result["id"]!.string!))")
        let store = try DecisionStore(path: h.root.appendingPathComponent(".goldpath/goldpath.db").path)
        let requests = try store.requests()
        #expect(requests.map(\.subject) == ["aws_kinesis_stream.events"])
        #expect(requests.first?.requester.hasPrefix("lsp:") == true)
        #expect(requests.first?.file == "main.tf")
        // Asking again for the unchanged subject returns the same request.
        let again = try await h.request(
            "workspace/executeCommand", .object(["command": command["command"]!, "arguments": command["arguments"]!]))
        #expect(again["id"] == result["id"])
        #expect(again["merged"]?.bool == true)
        await #expect(throws: LSPHarness.RPCError.self) {
            _ = try await h.request(
                "workspace/executeCommand", .object(["command": "goldpath.approve", "arguments": command["arguments"]!]))
        }
    }

    @Test("hover on a subject's header names the golden paths and how far it follows them")
    func hoverOnSubject() async throws {
        let h = try await LSPHarness(files: ["main.tf": ordersModule])
        try await h.open("main.tf")
        let hover = try await h.request(
            "textDocument/hover", .object(["textDocument": h.textDocument("main.tf"), "position": LSPHarness.position(6, 3)]))
        let text = hover["contents"]?["value"]?.string ?? ""
        #expect(text.contains("needs-review"))
        let onHeader = try await h.request(
            "textDocument/hover", .object(["textDocument": h.textDocument("main.tf"), "position": LSPHarness.position(0, 2)]))
        let value = onHeader["contents"]?["value"]?.string ?? ""
        #expect(value.contains("Golden path: *Encrypted, backed-up, private RDS database*"))
        #expect(value.contains("AWS002"))
        let onValue = try await h.request(
            "textDocument/hover", .object(["textDocument": h.textDocument("main.tf"), "position": LSPHarness.position(2, 5)]))
        #expect(onValue["contents"]?["value"]?.string?.contains("Allowed values: `db.t3.medium`, `db.t3.large`") == true)
    }

    @Test("a rule with alternative fixes gets one verified quick fix each, the first preferred")
    func alternativeFixes() async throws {
        let pack = """
            pack: acme
            golden_paths:
              - id: acme-queues
                title: Queues keep messages long enough
                language: terraform
                select: [resource.aws_sqs_queue]
                rules:
                  - id: ACME010
                    title: Messages are kept at least four days
                    severity: warning
                    require: has(self.message_retention_seconds) && self.message_retention_seconds >= 345600
                    at: message_retention_seconds
                    message: Keep messages at least four days.
                    fix:
                      - title: Keep messages four days
                        set: {message_retention_seconds: 345600}
                      - title: Keep messages fourteen days (the maximum)
                        set: {message_retention_seconds: 1209600}
                    examples:
                      fail: ["resource \\"aws_sqs_queue\\" \\"q\\" {\\n  message_retention_seconds = 60\\n}\\n"]
                      pass: ["resource \\"aws_sqs_queue\\" \\"q\\" {\\n  message_retention_seconds = 345600\\n}\\n"]

            """
        let module = "resource \"aws_sqs_queue\" \"jobs\" {\n  message_retention_seconds = 60\n}\n"
        let h = try await LSPHarness(files: ["main.tf": module, ".goldpath.yaml": "packs: [packs/acme.yaml]\n", "packs/acme.yaml": pack])
        try await h.open("main.tf")
        let actions =
            try await h.request(
                "textDocument/codeAction",
                .object([
                    "textDocument": h.textDocument("main.tf"), "range": LSPHarness.range(1, 2, 1, 2),
                    "context": .object(["diagnostics": .array([]), "only": .array(["quickfix"])]),
                ])
            ).array ?? []
        let fixes = actions.filter { ($0["title"]?.string ?? "").hasSuffix("(ACME010)") }
        #expect(
            fixes.map { $0["title"]?.string } == [
                "Keep messages four days (ACME010)", "Keep messages fourteen days (the maximum) (ACME010)",
            ])
        #expect(fixes.map { $0["isPreferred"]?.bool } == [true, false])
        // Minimal edits: "60" becomes "345600" by replacing its "6" with "34560".
        #expect(
            fixes.map { $0["edit"]?["changes"]?[h.uri("main.tf")]?.array ?? [] } == [
                [.object(["range": LSPHarness.range(1, 30, 1, 31), "newText": "34560"])],
                [.object(["range": LSPHarness.range(1, 30, 1, 31), "newText": "120960"])],
            ])
    }

    @Test("a migration gets one lens per statement line, its columns' deviations counted in")
    func migrationLenses() async throws {
        let sql = "CREATE TABLE events (\n  id serial PRIMARY KEY,\n  at timestamp\n);\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
        let h = try await LSPHarness(files: ["migrations/0001_events.sql": sql])
        try await h.open("migrations/0001_events.sql")
        let lenses =
            try await h.request("textDocument/codeLens", .object(["textDocument": h.textDocument("migrations/0001_events.sql")])).array
            ?? []
        #expect(lenses.map { $0["range"]?["start"]?["line"]?.int } == [0, 4])
        #expect(
            lenses.first?["command"]?["title"]?.string == "✗ 4 deviations from Personal data is classified + Column types that age well")
        #expect(lenses.last?["command"]?["title"]?.string == "needs review (first of a kind)")
    }
}
