import PolicyModel
import Terraform
import Testing
import TextCore

@Suite struct TerraformLoweringTests {
    let language = TerraformLanguage()

    func lower(_ files: [(String, String)]) -> LoweredUnit {
        language.lower(AnalysisUnit(language: "terraform", name: "m", files: files.map { SourceText(path: $0.0, text: $0.1) }))
    }

    func subject(_ lowered: LoweredUnit, _ address: String) throws -> Subject {
        try #require(lowered.subjects.first { $0.address == address })
    }

    @Test func subjectsForEveryKindOfTopLevelBlock() {
        let lowered = lower([
            (
                "main.tf",
                """
                terraform { required_version = ">= 1.5" }
                provider "aws" { region = "eu-west-1" }
                provider "aws" {
                  alias  = "us"
                  region = "us-east-1"
                }
                variable "name" {}
                locals { x = 1 }
                data "aws_ami" "ubuntu" {}
                resource "aws_s3_bucket" "logs" {}
                module "vpc" { source = "./vpc" }
                output "id" { value = aws_s3_bucket.logs.id }
                """
            )
        ])
        #expect(
            lowered.subjects.map(\.address) == [
                "terraform", "provider.aws", "provider.aws.us", "var.name", "data.aws_ami.ubuntu", "aws_s3_bucket.logs", "module.vpc",
                "output.id",
            ])
        #expect(
            lowered.subjects.map(\.type) == [
                "terraform", "provider.aws", "provider.aws", "variable", "data.aws_ami", "resource.aws_s3_bucket", "module", "output",
            ])
    }

    @Test func variablePrecedenceIsDefaultThenTerraformTfvarsThenAutoTfvars() throws {
        let main = """
            variable "a" { default = "default" }
            variable "b" { default = "default" }
            variable "c" { default = "default" }
            variable "d" {}
            resource "x" "y" {
              a = var.a
              b = var.b
              c = var.c
              d = var.d
            }
            """
        let lowered = lower([
            ("main.tf", main), ("terraform.tfvars", "b = \"tfvars\"\nc = \"tfvars\"\n"), ("z.auto.tfvars", "c = \"auto\"\n"),
        ])
        let s = try subject(lowered, "x.y")
        #expect(s.value.value(at: "a") == .string("default"))
        #expect(s.value.value(at: "b") == .string("tfvars"))
        #expect(s.value.value(at: "c") == .string("auto"))
        #expect(s.value.value(at: "d") == .unknown("depends on module input var.d"))
        #expect(
            s.origins["c"]?.definition
                == Origin.Definition(file: "z.auto.tfvars", range: SourceRange(start: 4, end: 10), description: "z.auto.tfvars (c = …)"))
        #expect(s.origins["a"]?.definition?.description == "the default of variable \"a\"")
    }

    @Test func localsFunctionsTemplatesAndConditionals() throws {
        let lowered = lower([
            (
                "main.tf",
                """
                variable "env" { default = "prod" }
                locals {
                  name   = "app-${var.env}"
                  tags   = merge({ Team = "web" }, { Env = upper(var.env) })
                  sizes  = [for s in ["a", "bb"] : length(s)]
                  policy = jsonencode({ Version = "2012-10-17" })
                  loop   = local.loop
                }
                resource "x" "y" {
                  name     = local.name
                  tags     = local.tags
                  sizes    = local.sizes
                  big      = var.env == "prod" ? 3 : 1
                  policy   = local.policy
                  decoded  = jsondecode("{\\"a\\": [1, true]}")
                  loop     = local.loop
                  ref      = aws_s3_bucket.b.arn
                  splat    = aws_instance.web[*].id
                  fallback = try(var.missing, "x")
                  fmt      = format("%s-%d", "a", 1)
                }
                """
            )
        ])
        let s = try subject(lowered, "x.y")
        #expect(s.value.value(at: "name") == .string("app-prod"))
        #expect(s.value.value(at: "tags") == .map(ValueMap([("Team", .string("web")), ("Env", .string("PROD"))])))
        #expect(s.value.value(at: "sizes") == .list([.int(1), .int(2)]))
        #expect(s.value.value(at: "big") == .int(3))
        #expect(s.value.value(at: "policy") == .string("{\"Version\":\"2012-10-17\"}"))
        #expect(s.value.value(at: "decoded") == .map(ValueMap([("a", .list([.int(1), .bool(true)]))])))
        #expect(s.value.value(at: "loop") == .unknown("local.loop refers to itself"))
        #expect(s.value.value(at: "ref") == .reference("aws_s3_bucket.b.arn"))
        #expect(s.value.value(at: "splat")?.isUnknown == true)
        #expect(s.value.value(at: "fallback") == .string("x"))
        #expect(s.value.value(at: "fmt") == .string("a-1"))
    }

    @Test func nestedAndDynamicBlocksBecomeListsOfMaps() throws {
        let lowered = lower([
            (
                "main.tf",
                """
                variable "ports" { default = [80, 443] }
                resource "aws_security_group" "web" {
                  ingress {
                    from_port = 22
                  }
                  dynamic "ingress" {
                    for_each = var.ports
                    content {
                      from_port = ingress.value
                    }
                  }
                  dynamic "egress" {
                    for_each = var.unknown_rules
                    content {}
                  }
                }
                """
            )
        ])
        let s = try subject(lowered, "aws_security_group.web")
        #expect(
            s.value.value(at: "ingress")
                == .list([
                    .map(ValueMap([("from_port", .int(22))])), .map(ValueMap([("from_port", .int(80))])),
                    .map(ValueMap([("from_port", .int(443))])),
                ]))
        #expect(s.value.value(at: "egress")?.listValue?.first?.isUnknown == true)
        #expect(s.origins["ingress[2].from_port"] != nil)
    }

    @Test func knownCountAndForEachExpandIntoInstances() throws {
        let lowered = lower([
            (
                "main.tf",
                """
                variable "buckets" { default = { logs = "eu", data = "us" } }
                resource "aws_instance" "web" {
                  count = 2
                  tags  = { Name = "web-${count.index}" }
                }
                resource "aws_s3_bucket" "b" {
                  for_each = var.buckets
                  bucket   = "acme-${each.key}-${each.value}"
                }
                resource "aws_instance" "maybe" {
                  count = var.unset ? 1 : 0
                  ami   = "ami-${count.index}"
                }
                resource "aws_instance" "none" {
                  count = 0
                }
                """
            )
        ])
        #expect(
            lowered.subjects.map(\.address) == [
                "var.buckets", "aws_instance.web[0]", "aws_instance.web[1]", "aws_s3_bucket.b[\"data\"]", "aws_s3_bucket.b[\"logs\"]",
                "aws_instance.maybe", "aws_instance.none",
            ])
        // count = 0: judged once as written, and marked as absent with the default inputs.
        #expect(try subject(lowered, "aws_instance.none").context["absent_by_default"] == .bool(true))
        #expect(try subject(lowered, "aws_instance.maybe").context["absent_by_default"] == .bool(false))
        #expect(try subject(lowered, "aws_instance.web[1]").value.value(at: "tags.Name") == .string("web-1"))
        #expect(try subject(lowered, "aws_s3_bucket.b[\"logs\"]").value.value(at: "bucket") == .string("acme-logs-eu"))
        #expect(try subject(lowered, "aws_instance.maybe").value.value(at: "ami")?.isUnknown == true)
    }

    @Test func aStringDoubledPastAMegabyteIsUnknownNotAnOutOfMemory() throws {
        let lowered = lower([
            (
                "main.tf",
                "locals {\n  a0 = \"xxxxxxxxxxxxxxxx\"\n  a1 = \"${local.a0}${local.a0}\"\n  a2 = \"${local.a1}${local.a1}\"\n  a3 = \"${local.a2}${local.a2}\"\n  a4 = \"${local.a3}${local.a3}\"\n  a5 = \"${local.a4}${local.a4}\"\n  a6 = \"${local.a5}${local.a5}\"\n  a7 = \"${local.a6}${local.a6}\"\n  a8 = \"${local.a7}${local.a7}\"\n  a9 = \"${local.a8}${local.a8}\"\n  a10 = \"${local.a9}${local.a9}\"\n  a11 = \"${local.a10}${local.a10}\"\n  a12 = \"${local.a11}${local.a11}\"\n  a13 = \"${local.a12}${local.a12}\"\n  a14 = \"${local.a13}${local.a13}\"\n  a15 = \"${local.a14}${local.a14}\"\n  a16 = \"${local.a15}${local.a15}\"\n  a17 = \"${local.a16}${local.a16}\"\n  a18 = \"${local.a17}${local.a17}\"\n  a19 = \"${local.a18}${local.a18}\"\n  a20 = \"${local.a19}${local.a19}\"\n  a21 = \"${local.a20}${local.a20}\"\n  a22 = \"${local.a21}${local.a21}\"\n  a23 = \"${local.a22}${local.a22}\"\n  a24 = \"${local.a23}${local.a23}\"\n  a25 = \"${local.a24}${local.a24}\"\n  a26 = \"${local.a25}${local.a25}\"\n  a27 = \"${local.a26}${local.a26}\"\n  a28 = \"${local.a27}${local.a27}\"\n  a29 = \"${local.a28}${local.a28}\"\n  a30 = \"${local.a29}${local.a29}\"\n  a31 = \"${local.a30}${local.a30}\"\n  a32 = \"${local.a31}${local.a31}\"\n  a33 = \"${local.a32}${local.a32}\"\n  a34 = \"${local.a33}${local.a33}\"\n  a35 = \"${local.a34}${local.a34}\"\n  a36 = \"${local.a35}${local.a35}\"\n  a37 = \"${local.a36}${local.a36}\"\n  a38 = \"${local.a37}${local.a37}\"\n  a39 = \"${local.a38}${local.a38}\"\n  a40 = \"${local.a39}${local.a39}\"\n  a41 = \"${local.a40}${local.a40}\"\n  a42 = \"${local.a41}${local.a41}\"\n  a43 = \"${local.a42}${local.a42}\"\n  a44 = \"${local.a43}${local.a43}\"\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.a44\n}\n"
            )
        ])
        #expect(try subject(lowered, "aws_s3_bucket.b").value.value(at: "bucket") == .unknown("a string over 1 MiB"))
    }

    @Test func awsDefaultTagsMergeIntoResourceTags() throws {
        let lowered = lower([
            (
                "main.tf",
                """
                provider "aws" {
                  default_tags {
                    tags = { Team = "payments", Env = "prod" }
                  }
                }
                resource "aws_s3_bucket" "b" {
                  tags = { Env = "dev" }
                }
                resource "google_storage_bucket" "g" {}
                """
            )
        ])
        let s = try subject(lowered, "aws_s3_bucket.b")
        #expect(s.value.value(at: "tags") == .map(ValueMap([("Team", .string("payments")), ("Env", .string("dev"))])))
        #expect(s.origins["tags.Team"]?.range == SourceRange(start: 54, end: 64))
        #expect(try subject(lowered, "google_storage_bucket.g").value.value(at: "tags") == nil)
    }

    @Test func aHalfTypedFileStillYieldsTheOtherSubjects() {
        let lowered = lower([
            ("main.tf", "resource \"a\" \"one\" {\n  x = \n}\n\nresource \"a\" \"two\" {\n  y = [1,\n\nresource \"a\" \"three\" {}\n")
        ])
        #expect(lowered.subjects.map(\.address) == ["a.one", "a.two", "a.three"])
        #expect(lowered.diagnostics.count == 3)
    }
}
