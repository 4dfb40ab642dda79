import PolicyModel
import Terraform
import Testing
import TextCore

/// A called module's blocks are lowered per call only when they can read one of the call's inputs; the others are
/// shared between calls, and must come out as each call's own lowering would.
@Suite struct CalledModuleLoweringTests {
    let language = TerraformLanguage()

    static let module = """
        variable "name" { default = "default-name" }
        variable "region" { default = "eu-west-1" }
        locals {
          prefixed = "logs-${local.base}"
          base     = var.name
        }
        provider "aws" {
          default_tags { tags = { Region = var.region } }
        }
        resource "aws_s3_bucket" "through_local" { bucket = local.prefixed }
        resource "aws_s3_bucket" "direct" { bucket = var.name }
        resource "aws_s3_bucket" "fixed" { bucket = "fixed" }
        resource "aws_kms_key" "tagged" { description = "key" }
        data "aws_iam_policy_document" "none" {}
        """

    func lower(caller: String, name: String) -> LoweredUnit {
        language.lower(
            AnalysisUnit(
                language: "terraform", name: caller,
                files: [SourceText(path: "\(caller)/main.tf", text: "module \"m\" {\n  source = \"../mod\"\n  name = \"\(name)\"\n}\n")],
                contextFiles: [SourceText(path: "mod/main.tf", text: CalledModuleLoweringTests.module)]))
    }

    func value(_ lowered: LoweredUnit, _ address: String, _ path: ValuePath) throws -> Value? {
        try #require(lowered.subjects.first { $0.address == address }).value.value(at: path)
    }

    @Test func blocksReadingAnInputAreLoweredPerCallAndTheRestAreShared() throws {
        let first = lower(caller: "a", name: "one")
        let second = lower(caller: "b", name: "two")
        #expect(try value(first, "module.m.aws_s3_bucket.through_local", "bucket") == .string("logs-one"))
        #expect(try value(second, "module.m.aws_s3_bucket.through_local", "bucket") == .string("logs-two"))
        #expect(try value(first, "module.m.aws_s3_bucket.direct", "bucket") == .string("one"))
        #expect(try value(second, "module.m.aws_s3_bucket.direct", "bucket") == .string("two"))
        #expect(try value(second, "module.m.aws_s3_bucket.fixed", "bucket") == .string("fixed"))
        #expect(try value(second, "module.m.aws_kms_key.tagged", "tags.Region") == .string("eu-west-1"))
        for (lowered, caller) in [(first, "a"), (second, "b")] {
            let fixed = try #require(lowered.subjects.first { $0.address == "module.m.aws_s3_bucket.fixed" })
            #expect(fixed.context["module"] == .string(caller))
            #expect(fixed.context["called_from"] == .string("\(caller)/main.tf"))
            #expect(
                lowered.subjects.filter { $0.context["called_from"] != nil }.map(\.address) == [
                    "module.m.var.name", "module.m.var.region", "module.m.provider.aws", "module.m.aws_s3_bucket.through_local",
                    "module.m.aws_s3_bucket.direct", "module.m.aws_s3_bucket.fixed", "module.m.aws_kms_key.tagged",
                    "module.m.data.aws_iam_policy_document.none",
                ])
        }
        // A call that sets the region: the default tags every AWS resource takes read it.
        let third = language.lower(
            AnalysisUnit(
                language: "terraform", name: "c",
                files: [SourceText(path: "c/main.tf", text: "module \"m\" {\n  source = \"../mod\"\n  region = \"us-east-2\"\n}\n")],
                contextFiles: [SourceText(path: "mod/main.tf", text: CalledModuleLoweringTests.module)]))
        #expect(try value(third, "module.m.aws_kms_key.tagged", "tags.Region") == .string("us-east-2"))
        #expect(try value(third, "module.m.aws_s3_bucket.fixed", "tags.Region") == .string("us-east-2"))
        #expect(try value(third, "module.m.aws_s3_bucket.direct", "bucket") == .string("default-name"))
    }

    @Test func aCalledSubjectWithNoValueFromTheCallIsKeptOnlyWhenARelationCanReachIt() throws {
        let unit = AnalysisUnit(
            language: "terraform", name: "a",
            files: [SourceText(path: "a/main.tf", text: "module \"m\" {\n  source = \"../mod\"\n  name = \"one\"\n}\n")],
            contextFiles: [SourceText(path: "mod/main.tf", text: CalledModuleLoweringTests.module)])
        func called(_ targets: Set<String>?) -> [String] {
            TerraformLanguage(relationTargets: targets).lower(unit).subjects.filter { $0.context["called_from"] != nil }.map(\.address)
        }
        // `direct` takes `name` from a/main.tf, where the engine judges it. The others only a relation reads: the
        // value of `through_local` is the module's own template (its origin is in mod/main.tf), `fixed` reads nothing
        // of the call, and `related("aws_s3_bucket", …)` reaches both; a data source needs its `data.` type.
        #expect(
            called(["aws_s3_bucket", "data.aws_iam_policy_document"]) == [
                "module.m.aws_s3_bucket.through_local", "module.m.aws_s3_bucket.direct", "module.m.aws_s3_bucket.fixed",
                "module.m.data.aws_iam_policy_document.none",
            ])
        #expect(called(["aws_iam_policy_document"]) == ["module.m.aws_s3_bucket.direct"])
        #expect(called(nil).count == 8)
    }
}
