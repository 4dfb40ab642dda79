import Foundation
import HCLSyntax
import Testing
import TextCore

@Suite struct HCLParserTests {
    func parse(_ text: String) -> HCLFile { HCLParser().parse(text) }

    func text(_ file: HCLFile, _ range: SourceRange) -> String { file.source.slice(range) }

    /// The single attribute's expression of a one-line file `x = ...`.
    func expr(_ source: String) throws -> (HCLFile, HCLExpression) {
        let file = parse("x = \(source)\n")
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        return (file, try #require(file.body.attribute("x")).expression)
    }

    @Test func blocksWithLabelsAndAttributesHaveExactRanges() throws {
        let file = parse(
            """
            resource "aws_db_instance" "db" {
              engine            = "postgres"
              storage_encrypted = false
              tags = { Name = "db" }
            }
            locals {}
            """)
        #expect(file.diagnostics.isEmpty)
        let block = try #require(file.body.blocks.first)
        #expect(block.type == "resource")
        #expect(block.labels.map(\.value) == ["aws_db_instance", "db"])
        #expect(text(file, block.headerRange) == "resource \"aws_db_instance\" \"db\"")
        let enc = try #require(block.body.attribute("storage_encrypted"))
        #expect(text(file, enc.nameRange) == "storage_encrypted")
        #expect(text(file, enc.expression.range) == "false")
        #expect(text(file, block.range).hasSuffix("}"))
        #expect(file.body.blocks.map(\.type) == ["resource", "locals"])
    }

    @Test func oneLineBlocksAndBareLabels() throws {
        let file = parse("variable ami { default = \"x\" }\nterraform { required_version = \">= 1.5\" }\nempty \"a\" {}\n")
        #expect(file.diagnostics.isEmpty)
        #expect(file.body.blocks.map(\.type) == ["variable", "terraform", "empty"])
        #expect(file.body.blocks[0].labels.map(\.value) == ["ami"])
        #expect(file.body.blocks[0].body.attribute("default") != nil)
    }

    @Test func longChainsOfStepsOrOperatorsAreASyntaxErrorNotACrash() {
        let steps = parse("locals {\n  b = local.b" + String(repeating: ".x", count: 100_000) + "\n}\n")
        #expect(steps.diagnostics.map(\.message) == ["the expression nests too deeply (a chain of attribute or index steps)"])
        let sum = parse("locals {\n  c = " + String(repeating: "1 + ", count: 105_000) + "1\n}\n")
        #expect(sum.diagnostics.map(\.message) == ["the expression nests too deeply (a chain of operators)"])
        // A real chain stays well inside the limit.
        #expect(parse("locals {\n  d = " + String(repeating: "1 + ", count: 200) + "1\n}\n").diagnostics.isEmpty)
    }

    @Test func operatorPrecedence() throws {
        let (_, e) = try expr("a || b && c == d + e * -f")
        guard case .binary("||", _, let rhs) = e.kind, case .binary("&&", _, let and) = rhs.kind,
            case .binary("==", _, let sum) = and.kind, case .binary("+", _, let product) = sum.kind,
            case .binary("*", _, let neg) = product.kind, case .unary("-", _) = neg.kind
        else {
            Issue.record("wrong tree: \(e.kind)")
            return
        }
    }

    @Test func conditionalsAndCalls() throws {
        let (file, e) = try expr("var.enabled ? merge(local.tags, { a = 1 }...) : null")
        guard case .conditional(let c, let t, _) = e.kind, case .call("merge", _, let args, let expand) = t.kind else {
            Issue.record("wrong tree")
            return
        }
        #expect(text(file, c.range) == "var.enabled")
        #expect(args.count == 2)
        #expect(expand)
    }

    @Test func providerFunctions() throws {
        let (_, e) = try expr("provider::aws::arn_parse(var.arn)")
        guard case .call(let name, _, _, _) = e.kind else {
            Issue.record("not a call")
            return
        }
        #expect(name == "provider::aws::arn_parse")
    }

    @Test func traversalsSplatsAndLegacyIndex() throws {
        let (file, e) = try expr("aws_instance.web[0].private_ip")
        #expect(text(file, e.range) == "aws_instance.web[0].private_ip")
        let (_, splat) = try expr("aws_instance.web[*].id")
        guard case .splat(_, full: true, let steps) = splat.kind else {
            Issue.record("no full splat")
            return
        }
        #expect(steps.count == 1)
        let (_, attrSplat) = try expr("var.list.*.id")
        guard case .splat(_, full: false, _) = attrSplat.kind else {
            Issue.record("no attribute splat")
            return
        }
        let (_, legacy) = try expr("var.list.0.name")
        guard case .getAttribute(let inner, "name", _) = legacy.kind, case .legacyIndex(_, 0) = inner.kind else {
            Issue.record("no legacy index")
            return
        }
        _ = try expr("a.b[*].c[*].d")
    }

    @Test func forExpressions() throws {
        let (_, t) = try expr("[for s in var.list : upper(s) if s != \"\"]")
        guard case .forTuple(let intro, _, let cond) = t.kind else {
            Issue.record("no for tuple")
            return
        }
        #expect(intro.valueName == "s" && intro.keyName == nil && cond != nil)
        let (_, o) = try expr("{ for k, v in var.map : k => v... }")
        guard case .forObject(let intro2, _, _, let group, nil) = o.kind else {
            Issue.record("no for object")
            return
        }
        #expect(intro2.keyName == "k" && group)
    }

    @Test func objectsAcceptEqualsColonsAndNewlines() throws {
        let (_, e) = try expr("{\n  a = 1\n  \"b\" : 2,\n  (var.k) = 3\n}")
        guard case .object(let items) = e.kind else {
            Issue.record("no object")
            return
        }
        #expect(items.count == 3)
        #expect(items.map(\.keyIsIdentifier) == [true, false, false])
    }

    @Test func templatesWithEscapesInterpolationsAndDirectives() throws {
        let (_, e) = try expr(#""a\tb\"\u00e9 $${lit} ${var.x} %{ if var.y }yes%{ else }no%{ endif }""#)
        guard case .template(let t) = e.kind else {
            Issue.record("no template")
            return
        }
        guard case .literal(let first, _) = t.parts[0] else {
            Issue.record("no literal")
            return
        }
        #expect(first == "a\tb\"é ${lit} ")
        guard case .interpolation = t.parts[1], case .ifDirective(_, let then, let otherwise) = t.parts[3] else {
            Issue.record("wrong parts \(t.parts)")
            return
        }
        #expect(then.count == 1 && otherwise?.count == 1)
    }

    @Test func stripMarkersTrimAdjacentLiterals() throws {
        let (_, e) = try expr(#""hello ${~ "world" ~} !""#)
        guard case .template(let t) = e.kind, case .literal(let a, _) = t.parts[0], case .literal(let b, _) = t.parts[2] else {
            Issue.record("wrong parts")
            return
        }
        #expect(a == "hello" && b == "!")
    }

    @Test func heredocs() throws {
        let file = parse(
            "policy = <<EOT\n{\n  \"a\": \"${var.b}\"\n}\nEOT\nindented = <<-EOT\n    line one\n      line two\n    EOT\nnext = 1\n")
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        #expect(file.body.attributes.map(\.name) == ["policy", "indented", "next"])
        guard case .template(let t) = try #require(file.body.attribute("indented")).expression.kind else {
            Issue.record("no heredoc")
            return
        }
        #expect(t.literal == "line one\n  line two\n")
        #expect(t.isHeredoc)
    }

    @Test func commentsOfAllThreeStylesAreCollected() {
        let file = parse("# one\n// two\na = 1 /* three */ # four\n/* multi\nline */\n")
        #expect(file.diagnostics.isEmpty)
        #expect(file.comments.map(\.text) == [" one", " two", " three ", " four", " multi\nline "])
        #expect(file.comments.map(\.ownLine) == [true, true, false, false, true])
    }

    @Test func tfvarsAreBodiesOfAttributes() {
        let file = parse("region = \"eu-west-1\"\ntags = {\n  team = \"platform\"\n}\nazs = [\"a\", \"b\"]\n")
        #expect(file.diagnostics.isEmpty)
        #expect(file.body.attributes.map(\.name) == ["region", "tags", "azs"])
    }

    @Test func aSyntaxErrorIsReportedAndTheNextAttributeStillParses() {
        let file = parse("resource \"a\" \"b\" {\n  x = = 1\n  y = 2\n}\n")
        #expect(file.diagnostics.map(\.message) == ["expected an expression, found '='"])
        #expect(file.diagnostics[0].range == SourceRange(start: 25, end: 26))
        #expect(file.body.blocks.first?.body.attributes.map(\.name) == ["y"])
    }

    @Test func anUnclosedBlockDoesNotSwallowTheBlocksAfterIt() {
        let file = parse("resource \"a\" \"one\" {\n  tags = {\n    Name = \"x\"\n\nresource \"a\" \"two\" {\n  y = 2\n}\n")
        #expect(!file.diagnostics.isEmpty)
        #expect(file.body.blocks.map { $0.labels.last?.value } == ["one", "two"])
        #expect(file.body.blocks.last?.body.attribute("y") != nil)
    }

    @Test func unterminatedStringsAndHeredocsAreErrors() {
        #expect(parse("a = \"abc\nb = 1\n").diagnostics.first?.message == "unterminated string: a quoted string ends on the line it starts")
        #expect(parse("a = <<EOT\nnever closed\n").diagnostics.first?.message == "the heredoc EOT is not closed: no line holds only EOT")
    }

    @Test func everyPrefixOfAModuleParsesWithoutCrashingAndKeepsEarlierBlocks() {
        let module = """
            variable "enabled" {
              type    = bool
              default = true
            }

            locals {
              tags = merge(var.tags, { Team = "platform" })
              names = [for s in var.subnets : "${var.name}-${s}" if s != ""]
            }

            resource "aws_s3_bucket" "logs" {
              bucket = "${var.name}-logs"
              tags   = local.tags
              policy = <<EOT
            {"Version": "2012-10-17"}
            EOT
            }

            resource "aws_db_instance" "db" {
              count             = var.enabled ? 1 : 0
              storage_encrypted = true
              dynamic "ingress" {
                for_each = var.rules
                content {
                  from_port = ingress.value.port
                }
              }
            }
            """
        let bytes = Array(module.utf8)
        let firstBlockEnd = module.utf8.distance(from: module.utf8.startIndex, to: module.range(of: "}\n\nlocals")!.lowerBound) + 1
        for cut in 0...bytes.count {
            let file = HCLParser().parse(String(decoding: bytes[0..<cut], as: UTF8.self))
            for d in file.diagnostics { #expect(d.range.end <= cut) }
            if cut > firstBlockEnd {
                #expect(file.body.blocks.first?.type == "variable", "cut at \(cut)")
            }
        }
        #expect(HCLParser().parse(module).diagnostics.isEmpty)
    }
}
