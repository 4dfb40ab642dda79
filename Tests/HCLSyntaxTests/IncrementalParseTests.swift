import Testing
import TextCore

@testable import HCLSyntax

/// A parse that resumes after the items an edit left untouched is the parse of the whole edited text.
@Suite struct IncrementalParseTests {
    static let texts = [
        """
        # a header comment
        variable "region" {
          type    = string
          default = "eu-west-1" // trailing
        }

        locals {
          tags = merge(var.tags, { Name = "x" })
          n    = var.a + var.b * 2 > 3 ? 1 : 0
        }
        /* a block
           comment */
        resource "aws_s3_bucket" "b" {
          bucket = "${var.prefix}-b"
          policy = <<EOT
        {"Version": "2012-10-17"}
        EOT
          dynamic "rule" {
            for_each = var.rules
            content { id = rule.value.id }
          }
        }
        output "arn" { value = aws_s3_bucket.b.arn }

        """,
        "\u{FEFF}a = 1\r\nb = [1, 2,\r\n  3]\r\n# c\r\nblock \"x\" {\r\n  y = true\r\n}\r\n",
        // An unclosed block ends at a block header in column 1, read up to its `{` across a lone carriage return.
        "resource \"a\" \"b\" {\n  x\no \"\r\" \"b\" {\n  y = 1\n}\n",
        """
        resource "a" "b" {
          x = 
        }
        }
        oops here
        module "m" {
          source = "./m"
        resource "c" "d" {
          z = 1
        }
        """,
    ]

    /// Everything a parse yields, as text.
    static func dump(_ file: HCLFile) -> String {
        [
            String(reflecting: file.body), String(reflecting: file.comments), String(reflecting: file.diagnostics),
            String(reflecting: file.checkpoints),
        ].joined(separator: "\n")
    }

    /// Edits at every position: a character typed, one deleted, a comment line and a closing brace inserted.
    static func edits(of text: String) -> [String] {
        let bytes = Array(text.utf8)
        var out: [String] = []
        for i in stride(from: 0, through: bytes.count, by: 1) {
            for insert in ["x", "\n# note\n", "}", "\"", " = "] {
                out.append(String(decoding: bytes[..<i] + Array(insert.utf8) + bytes[i...], as: UTF8.self))
            }
            if i < bytes.count { out.append(String(decoding: bytes[..<i] + bytes[(i + 1)...], as: UTF8.self)) }
        }
        return out
    }

    @Test(arguments: texts.indices)
    func aResumedParseOfAnEditIsTheFullParse(_ index: Int) {
        let parser = HCLParser()
        let old = parser.parse(SourceText(path: "main.tf", text: Self.texts[index]))
        for edited in Self.edits(of: Self.texts[index]) {
            let source = SourceText(path: "main.tf", text: edited)
            let resumed = parser.parse(source, reusing: old)
            #expect(Self.dump(resumed) == Self.dump(parser.parse(source)), "edit: \(edited.debugDescription)")
        }
    }

    @Test func aParseOfAnEditAtTheEndResumesAtTheLastItem() {
        let text = "a = 1\nb = 2\nc = 3\n"
        let old = HCLParser().parse(text)
        #expect(old.checkpoints.map(\.position) == [0, 6, 12])
        let resumed = HCLParser().parse(SourceText(path: "<string>", text: text + "# done\n"), reusing: old)
        #expect(resumed.body.attributes.map(\.name) == ["a", "b", "c"])
        #expect(resumed.comments.map(\.text) == [" done"])
        #expect(resumed.checkpoints.map(\.position) == [0, 6, 12])
    }
}
