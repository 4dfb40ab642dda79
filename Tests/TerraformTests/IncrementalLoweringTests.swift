import Foundation
import PolicyModel
import Testing
import TextCore

@testable import Terraform

/// Lowering an edited module again takes unchanged blocks from `BlockLoweringCache`; every edit must lower exactly as
/// a lowering from scratch.
@Suite(.serialized) struct IncrementalLoweringTests {
    let language = TerraformLanguage()

    static let files: [(String, String)] = [
        (
            "m/variables.tf",
            """
            variable "encrypted" { default = false }
            variable "names" {
              type    = list(string)
              default = ["a", "b"]
            }
            variable "region" { default = "eu-west-1" }

            """
        ),
        (
            "m/main.tf",
            """
            provider "aws" {
              default_tags { tags = { Region = var.region } }
            }
            locals {
              prefix = "logs-${local.env}"
              env    = "prod"
            }
            resource "aws_s3_bucket" "logs" {
              bucket = local.prefix
            }
            resource "aws_db_instance" "db" {
              storage_encrypted = var.encrypted
              engine            = "postgres"
            }
            resource "aws_s3_bucket" "each" {
              for_each = toset(var.names)
              bucket   = each.key
            }
            resource "aws_kms_key" "fixed" { description = "k" }

            """
        ),
        ("m/terraform.tfvars", "encrypted = false\n"),
    ]

    /// What a lowering says about each subject, field by field; values are compared as values (a map's printed
    /// form shows its hash index, whose order differs between equal maps).
    func described(_ lowered: LoweredUnit) -> [String] {
        var values: [Value] = []
        return describedFields(lowered, values: &values).enumerated().map { i, fields in
            fields + " | value #\(IncrementalLoweringTests.valueIDs.id(values[i]))"
        }
    }

    /// Equal values get equal ids.
    final class ValueIDs: @unchecked Sendable {
        private var known: [Value] = []
        func id(_ v: Value) -> Int {
            if let i = known.firstIndex(of: v) { return i }
            known.append(v)
            return known.count - 1
        }
    }
    static let valueIDs = ValueIDs()

    private func describedFields(_ lowered: LoweredUnit, values: inout [Value]) -> [String] {
        values = lowered.subjects.map(\.value)
        return describedWithoutValues(lowered)
    }

    private func describedWithoutValues(_ lowered: LoweredUnit) -> [String] {
        lowered.subjects.map { s in
            let origins = s.origins.sorted { $0.key.description < $1.key.description }.map { path, o in
                "\(path)=\(o.file)@\(o.range)/\(o.keyRange.map(\.description) ?? "-")/\(o.definition.map { "\($0.file)@\($0.range) \($0.description)" } ?? "-")"
            }
            let context = s.context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return [
                s.type, s.name, s.address, s.file, "\(s.headerRange)", "\(s.path)", s.crossFileNote ?? "-",
                context.joined(separator: ","), origins.joined(separator: ";"),
            ].joined(separator: " | ")
        }
    }

    func unit(_ files: [(String, String)]) -> AnalysisUnit {
        AnalysisUnit(language: "terraform", name: "m", files: files.map { SourceText(path: $0.0, text: $0.1) })
    }

    /// Lowers the files, then each edit after it: incrementally, and afresh with the cache emptied.
    func check(_ edits: [(file: Int, at: String, insert: String)]) {
        BlockLoweringCache.shared.removeAll()
        var files = IncrementalLoweringTests.files
        _ = language.lower(unit(files))
        for edit in edits {
            let text = files[edit.file].1
            let range = text.range(of: edit.at)!
            files[edit.file].1 = text.replacingCharacters(in: range, with: edit.insert + edit.at)
            let incremental = described(language.lower(unit(files)))
            BlockLoweringCache.shared.removeAll()
            let fresh = described(language.lower(unit(files)))
            #expect(incremental == fresh, "after inserting \(edit.insert.debugDescription) before \(edit.at.debugDescription)")
        }
    }

    @Test func blocksThatMovedOrReadAnEditedValueLowerAsAfresh() {
        check([
            // Lines above every resource: all move.
            (1, "provider", "# moved\n\n"),
            // Inside one resource: the others keep their place or move.
            (1, "engine", "multi_az = true\n  "),
            // A variable default: the database reads it.
            (0, "false }", "true || "),
            // A tfvars entry.
            (2, "false", "!"),
            // A local another local reads: the bucket reads it through both.
            (1, "\"prod\"", "\"staging\" == \"x\" ? \"a\" : "),
            // The provider's default tags: every resource takes them.
            (1, "Region =", "Team = \"x\", "),
            // A for_each list.
            (0, "\"b\"]", "\"c\", "),
            // Text after the last block.
            (1, "resource \"aws_kms_key\"", "\n"),
        ])
    }

    /// Opt-in: `GOLDPATH_LOWERING_CORPUS=DIR swift test --filter IncrementalLoweringTests` edits every module under DIR.
    @Test func everyModuleOfACorpusLowersAsAfreshAfterEdits() throws {
        guard let root = ProcessInfo.processInfo.environment["GOLDPATH_LOWERING_CORPUS"] else { return }
        var modules: [String: [(String, String)]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".tf") || path.hasSuffix(".tfvars"),
                let text = try? String(contentsOfFile: root + "/" + path, encoding: .utf8)
            else { continue }
            modules[(path as NSString).deletingLastPathComponent, default: []].append((path, text))
        }
        var generator = SystemRandomNumberGenerator()
        var compared = 0
        for (_, files) in modules.sorted(by: { $0.key < $1.key }) {
            BlockLoweringCache.shared.removeAll()
            var files = files.sorted { $0.0 < $1.0 }
            _ = language.lower(unit(files))
            for _ in 0..<4 {
                let i = Int.random(in: 0..<files.count, using: &generator)
                var bytes = Array(files[i].1.utf8)
                let at = Int.random(in: 0...bytes.count, using: &generator)
                let insert = ["\n", "# c\n", " ", "x", "\"", "}", "{\n", "= 1\n"].randomElement(using: &generator)!
                bytes.insert(contentsOf: Array(insert.utf8), at: at)
                files[i].1 = String(decoding: bytes, as: UTF8.self)
                let incremental = described(language.lower(unit(files)))
                BlockLoweringCache.shared.removeAll()
                let fresh = described(language.lower(unit(files)))
                if let k = (0..<min(incremental.count, fresh.count)).first(where: { incremental[$0] != fresh[$0] })
                    ?? (incremental.count == fresh.count ? nil : min(incremental.count, fresh.count))
                {
                    let a = k < incremental.count ? incremental[k] : "-"
                    let b = k < fresh.count ? fresh[k] : "-"
                    let common = zip(a, b).prefix { $0 == $1 }.count
                    Issue.record(
                        "\(files[i].0): inserted \(insert.debugDescription) at \(at): subject \(k) differs at \(common): …\(a.dropFirst(max(0, common - 80)).prefix(300)) VS …\(b.dropFirst(max(0, common - 80)).prefix(300))"
                    )
                }
                compared += 1
            }
        }
        print("compared \(compared) edits")
    }
}
