import Foundation
import JSONRPC
import Testing

/// The built `goldpath lsp` binary, driven over pipes.
final class LSPProcess: @unchecked Sendable {
    let process = Process()
    private let stdin = Pipe()
    private let stdout = Pipe()
    private let condition = NSCondition()
    private var received: [JSON] = []
    private var framer = MessageFramer()

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["GOLDPATH_BIN"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/goldpath")
    }

    init(cwd: URL) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw CocoaError(
                .fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "build goldpath first (swift build): \(Self.binary.path)"])
        }
        process.executableURL = Self.binary
        process.arguments = ["lsp"]
        process.currentDirectoryURL = cwd
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.condition.lock()
            for frame in self.framer.append(Array(data)) {
                if case .message(let body) = frame, let json = try? JSONDecoder().decode(JSON.self, from: body) {
                    self.received.append(json)
                }
            }
            self.condition.broadcast()
            self.condition.unlock()
        }
        try process.run()
    }

    func raw(_ data: Data) { stdin.fileHandleForWriting.write(data) }

    func send(_ json: JSON) {
        let body = try! JSONEncoder().encode(json)
        raw(Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    func request(_ id: Int, _ method: String, _ params: JSON = .object([:])) {
        send(.object(["jsonrpc": "2.0", "id": .number(Double(id)), "method": .string(method), "params": params]))
    }

    func notify(_ method: String, _ params: JSON = .object([:])) {
        send(.object(["jsonrpc": "2.0", "method": .string(method), "params": params]))
    }

    /// Waits (up to `timeout` seconds) for a message matching `predicate` and removes it.
    func wait(timeout: TimeInterval = 60, _ predicate: (JSON) -> Bool) -> JSON? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let i = received.firstIndex(where: predicate) { return received.remove(at: i) }
            guard condition.wait(until: deadline) else { return nil }
        }
    }

    func response(_ id: Int) -> JSON? { wait { $0["id"]?.int == id && $0["method"] == nil } }

    func closeInput() { try? stdin.fileHandleForWriting.close() }

    /// The exit code, after waiting for the process to end.
    func exitCode(timeout: TimeInterval = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    func initialize(root: URL) {
        request(1, "initialize", .object(["processId": .null, "rootUri": .string(root.absoluteString), "capabilities": .object([:])]))
        _ = response(1)
        notify("initialized")
    }
}

@Suite("goldpath lsp over pipes", .serialized)
struct BinaryProtocolTests {
    func workspace(_ files: [String: Data]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("goldpath-lsp-bin-\(UUID().uuidString)")
        for (path, data) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        return root
    }

    @Test("malformed input gets errors and the server goes on; shutdown then exit is code 0")
    func malformedInput() throws {
        let root = try workspace(["main.tf": Data(ordersModule.utf8)])
        let lsp = try LSPProcess(cwd: root)
        lsp.request(7, "textDocument/hover")
        #expect(lsp.response(7)?["error"]?["code"]?.int == ErrorCode.serverNotInitialized)
        lsp.initialize(root: root)
        lsp.raw(Data("Content-Length: 12\r\n\r\n{not json!!}".utf8))
        #expect(lsp.wait { $0["error"] != nil }?["error"]?["code"]?.int == ErrorCode.parseError)
        let body = #"{"jsonrpc":"2.0","id":8,"method":"shutdown"}"#
        lsp.raw(Data("Content-Length: 5\r\n\r\n\(body)".utf8))
        // The five bytes are not JSON, and the rest of the body is skipped when the next header comes: no shutdown.
        #expect(lsp.wait { $0["error"] != nil }?["error"]?["message"]?.string == "the message is not valid JSON")
        lsp.raw(Data("Content-Length: 4\r\n\r\n".utf8) + Data([0x7B, 0xC3, 0x28, 0x7D]))
        #expect(
            lsp.wait { $0["error"] != nil }?["error"]?["message"]?.string
                == "skipped \(body.utf8.count - 5) bytes that are not a message header")
        #expect(lsp.wait { $0["error"] != nil }?["error"]?["code"]?.int == ErrorCode.parseError)
        lsp.request(9, "textDocument/prepareCallHierarchy")
        #expect(lsp.response(9)?["error"]?["code"]?.int == ErrorCode.methodNotFound)
        lsp.send(.object(["jsonrpc": "1.0", "id": .int(10), "method": "shutdown"]))
        #expect(lsp.wait { $0["error"] != nil }?["error"]?["code"]?.int == ErrorCode.invalidRequest)
        lsp.notify(
            "textDocument/didOpen",
            .object([
                "textDocument": .object([
                    "uri": .string(root.appendingPathComponent("main.tf").absoluteString), "languageId": "terraform", "version": .int(1),
                    "text": .string(ordersModule),
                ])
            ]))
        let diagnostics = lsp.wait { $0["method"]?.string == "textDocument/publishDiagnostics" }
        #expect(diagnostics?["params"]?["diagnostics"]?.array?.count == 10)
        lsp.request(11, "shutdown")
        #expect(lsp.response(11)?["result"] == .null)
        lsp.notify("exit")
        #expect(lsp.exitCode() == 0)
    }

    @Test("a 5 MB document is analysed; a sibling file that is not UTF-8 does not stop the module's diagnostics")
    func largeAndNonUTF8() throws {
        var latin1 = Data("variable \"region\" {\n  default = \"".utf8)
        latin1.append(contentsOf: [0x4D, 0xFC, 0x6E, 0x63, 0x68, 0x65, 0x6E])
        latin1.append(Data("\"\n}\n".utf8))
        let root = try workspace(["main.tf": Data(ordersModule.utf8), "variables.tf": latin1])
        let lsp = try LSPProcess(cwd: root)
        lsp.initialize(root: root)
        let filler = String(
            repeating: "  # padding line to make the document large, with no findings of its own\n", count: 5 * 1024 * 1024 / 74)
        let big = ordersModule + "locals {\n" + filler + "}\n"
        #expect(big.utf8.count > 5_000_000)
        let uri = root.appendingPathComponent("main.tf").absoluteString
        lsp.notify(
            "textDocument/didOpen",
            .object([
                "textDocument": .object([
                    "uri": .string(uri), "languageId": "terraform", "version": .int(1), "text": .string(big),
                ])
            ]))
        let published = lsp.wait { $0["method"]?.string == "textDocument/publishDiagnostics" && $0["params"]?["uri"]?.string == uri }
        #expect(
            published?["params"]?["diagnostics"]?.array?.compactMap { $0["code"]?.string } == [
                "AWS002", "AWS003", "AWS005", "AWS006", "AWS007", "AWS200", "AWS201", "AWS204", "AWS205", "needs-review",
            ])
        lsp.request(2, "textDocument/codeLens", .object(["textDocument": .object(["uri": .string(uri)])]))
        #expect(lsp.response(2)?["result"]?.array?.count == 2)
        lsp.closeInput()
        #expect(lsp.exitCode() == 1)
    }
}
