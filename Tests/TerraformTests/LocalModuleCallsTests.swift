import Testing
import TextCore

@testable import Terraform

@Suite("Local module calls")
struct LocalModuleCallsTests {
    static func may(_ text: String) -> Bool { TerraformLocalModules.mayCallModules(SourceText(path: "main.tf", text: text)) }

    @Test("a file is parsed for module calls when it holds a module block header, wherever it stands")
    func headers() {
        #expect(Self.may("module \"db\" {\n  source = \"./db\"\n}\n"))
        #expect(Self.may("  module db {\n}\n"))
        #expect(Self.may("/* the database */ module \"db\" { source = \"./db\" }\n"))
        #expect(Self.may("module\t\"db\" {}\n"))
        #expect(Self.may("module{}"))
    }

    @Test("a file that only refers to modules, or has the word inside another, is not")
    func noHeaders() {
        #expect(!Self.may("output \"id\" {\n  value = module.db.id\n}\n"))
        #expect(!Self.may("resource \"aws_s3_bucket\" \"submodule\" {\n  bucket = \"my_module\"\n}\n"))
        #expect(!Self.may("variable \"sub-module \" {}\n"))
        #expect(!Self.may("module"))
        #expect(!Self.may(""))
    }

    @Test("the calls of a file are its local module sources, resolved from its directory")
    func calls() {
        let file = SourceText(
            path: "app/main.tf",
            text:
                "/* db */ module \"db\" {\n  source = \"../shared/db\"\n}\nmodule \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n"
        )
        #expect(TerraformLocalModules.calls(in: [file], dir: "app") == ["shared/db"])
    }
}
