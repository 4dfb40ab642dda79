import CEL
import Foundation
import HCLSyntax
import JSONRPC
import MCPFraming
import PolicyModel
import SQLSyntax
import Terraform
import TextCore
import YAMLSyntax

/// A front end fed arbitrary bytes by libFuzzer (`scripts/fuzz`) or by a regression test: it must return, whatever
/// the input, without crashing, hanging or growing without bound.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The HCL parser (Terraform's native syntax).
    case hcl
    /// The YAML layer over libyaml (nodes, ranges, comments, aliases).
    case yaml
    /// The SQL splitter and statement parser, then PostgreSQL's own grammar check.
    case sql
    /// The CEL parser, checker and evaluator, over a small subject.
    case cel
    /// A Terraform module lowered to subjects: the HCL parser and the evaluator of expressions.
    case terraform
    /// The language server's framer (`Content-Length` headers) and JSON-RPC message parsing.
    case jsonrpc
    /// The MCP server's line framer: line limits, the nesting scan, JSON and JSON-RPC envelope checks.
    case mcp

    /// Stops the run (a crash the fuzzer reports) unless the parse of an edit of `bytes` (the byte at two thirds
    /// deleted, a line break typed at one third), resumed after `parsed`, is the full parse of the edited text.
    static func checkResumedParse(of bytes: [UInt8], after parsed: HCLFile) {
        var edited = bytes
        if !edited.isEmpty { edited.remove(at: edited.count * 2 / 3) }
        edited.insert(0x0A, at: edited.count / 3)
        let source = SourceText(path: "main.tf", text: String(decoding: edited, as: UTF8.self))
        let resumed = HCLParser().parse(source, reusing: parsed)
        let full = HCLParser().parse(source)
        func dump(_ file: HCLFile) -> String {
            String(reflecting: file.body) + String(reflecting: file.comments) + String(reflecting: file.diagnostics)
        }
        precondition(dump(resumed) == dump(full), "a resumed HCL parse differs from the full parse")
    }

    /// Runs the target on one input and returns the problems it reported (syntax errors, compile or evaluation
    /// errors, values left unknown because a work budget ran out, malformed frames): bounded work on hostile input
    /// shows up here, never as a crash.
    @discardableResult
    public func run(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .hcl:
            let parsed = HCLParser().parse(SourceText(path: "main.tf", text: text))
            Self.checkResumedParse(of: bytes, after: parsed)
            return parsed.diagnostics.map(\.message)
        case .yaml:
            return YAMLParser().parse(SourceText(path: "values.yaml", text: text)).diagnostics.map(\.message)
        case .sql:
            let file = SQLParser.parse(bytes).checkingGrammar(bytes)
            return file.errors.map(\.message) + file.grammarErrors.map(\.message)
        case .cel:
            do {
                let program = try CELProgram.compile(text, environment: Self.celEnvironment)
                switch program.evaluate(Self.celActivation) {
                case .failure(let error): return [error.message]
                case .success(.unknown(let reason)): return [reason]
                case .success: return []
                }
            } catch {
                return [error.message]
            }
        case .terraform:
            let unit = AnalysisUnit(language: TerraformLanguage.id, name: "m", files: [SourceText(path: "m/main.tf", text: text)])
            let lowered = TerraformLanguage().lower(unit)
            return lowered.diagnostics.map(\.message) + lowered.subjects.flatMap { Self.unknownReasons(in: $0.value) }
        case .jsonrpc:
            var framer = MessageFramer()
            // Split the input in two reads, as a pipe may deliver it.
            let cut = bytes.count / 2
            var problems: [String] = []
            for frame in framer.append(Array(bytes[..<cut])) + framer.append(Array(bytes[cut...])) {
                switch frame {
                case .malformed(let why): problems.append(why)
                case .message(let data): if case .failure(let error) = Message.parse(data) { problems.append(error.message) }
                }
            }
            return problems
        case .mcp:
            // Small limits, so the fuzzer reaches the over-long and too-deep paths; the input in three reads.
            var framer = MCPLineFramer(maxLineBytes: 4_096, maxNesting: 16)
            let cuts = [0, bytes.count / 3, 2 * bytes.count / 3, bytes.count]
            var outputs: [MCPLineFramer.Output] = []
            for i in 0..<3 { outputs += framer.append(bytes[cuts[i]..<cuts[i + 1]]) }
            outputs += framer.finish()
            return outputs.compactMap { output in
                guard case .rejected(let rejection) = output else { return nil }
                return rejection.message
            }
        }
    }

    /// The reasons of the unknown values inside a value.
    static func unknownReasons(in value: Value) -> [String] {
        switch value {
        case .unknown(let reason): return [reason]
        case .list(let items): return items.flatMap { unknownReasons(in: $0) }
        case .map(let map): return map.entries.flatMap { unknownReasons(in: $0.value) }
        default: return []
        }
    }

    /// The variables rule packs see, with the `absent is false` reading packs use.
    static let celEnvironment = CELEnvironment(
        variables: ["self", "params", "subject"], functions: [CELCustomFunction(name: "related", arities: [2])], absentIsFalse: true)

    /// A subject with strings, numbers, lists and nested maps, and a `related` that returns a list.
    static let celActivation = CELActivation(
        variables: [
            "self": .map(
                ValueMap([
                    ("name", .string("orders")), ("size", .int(3)), ("ratio", .double(0.5)), ("enabled", .bool(true)),
                    ("tags", .list([.string("a"), .string("b")])),
                    ("nested", .map(ValueMap([("port", .int(22)), ("cidr", .string("0.0.0.0/0"))]))), ("nothing", .null),
                ])),
            "params": .map(ValueMap([("max", .int(3)), ("pattern", .string("^[a-z]+$"))])),
            "subject": .map(ValueMap([("type", .string("resource.aws_s3_bucket")), ("address", .string("aws_s3_bucket.b"))])),
        ],
        functions: ["related": { _ throws(CELEvalError) -> Value in .list([]) }])
}
