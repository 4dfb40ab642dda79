import PolicyModel
import Terraform
import Testing
import TextCore

@Suite struct TerraformFixWriterTests {
    let language = TerraformLanguage()

    /// Applies `operations` to subject `address` and checks the exact new text of every changed file.
    func check(
        _ files: [(String, String)], _ address: String, _ operations: [FixOperation], _ expected: [String: String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let unit = AnalysisUnit(language: "terraform", name: "m", files: files.map { SourceText(path: $0.0, text: $0.1) })
        let subject = try #require(language.lower(unit).subjects.first { $0.address == address })
        let edits = try language.edits(for: FixPlan(operations), subject: subject, atPath: nil, in: unit)
        var result: [String: String] = [:]
        for fe in edits {
            let text = try #require(files.first { $0.0 == fe.file }).1
            result[fe.file] = try TextEdit.apply(fe.edits, to: text)
        }
        #expect(result == expected, sourceLocation: sourceLocation)
    }

    @Test func replaceAnAttributeValue() throws {
        try check(
            [("main.tf", "resource \"aws_db_instance\" \"db\" {\n  storage_encrypted = false # legacy\n}\n")], "aws_db_instance.db",
            [.set("storage_encrypted", .bool(true))],
            ["main.tf": "resource \"aws_db_instance\" \"db\" {\n  storage_encrypted = true # legacy\n}\n"])
    }

    @Test func insertAnAttributeAlignedWithTheOthers() throws {
        try check(
            [
                (
                    "main.tf",
                    "resource \"aws_db_instance\" \"db\" {\n  engine         = \"postgres\"\n  instance_class = \"db.t3.micro\"\n\n  tags = {}\n}\n"
                )
            ],
            "aws_db_instance.db", [.set("deletion_protection", .bool(true))],
            [
                "main.tf":
                    "resource \"aws_db_instance\" \"db\" {\n  engine         = \"postgres\"\n  instance_class = \"db.t3.micro\"\n\n  tags                = {}\n  deletion_protection = true\n}\n"
            ])
        try check(
            [("main.tf", "resource \"aws_kms_key\" \"k\" {\n  description = \"x\"\n}\n")], "aws_kms_key.k", [.set("enable", .bool(true))],
            ["main.tf": "resource \"aws_kms_key\" \"k\" {\n  description = \"x\"\n  enable      = true\n}\n"])
    }

    @Test func insertALongerNameRealignsTheGroupAsTerraformFmtDoes() throws {
        try check(
            [("main.tf", "resource \"x\" \"y\" {\n  a  = 1\n  bb = 2\n}\n")], "x.y", [.set("long_name", .bool(true))],
            ["main.tf": "resource \"x\" \"y\" {\n  a         = 1\n  bb        = 2\n  long_name = true\n}\n"])
    }

    @Test func insertACompanionResourceAfterTheSubject() throws {
        let body = ValueMap([
            ("bucket", .reference("aws_s3_bucket.b.id")),
            ("versioning_configuration", .list([.map(ValueMap([("status", .string("Enabled"))]))])),
        ])
        try check(
            [("main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n\noutput \"o\" {}\n")], "aws_s3_bucket.b",
            [.insertSibling(type: "aws_s3_bucket_versioning", name: "b", value: .map(body))],
            [
                "main.tf":
                    "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n\nresource \"aws_s3_bucket_versioning\" \"b\" {\n  bucket = aws_s3_bucket.b.id\n  versioning_configuration {\n    status = \"Enabled\"\n  }\n}\n\noutput \"o\" {}\n"
            ])
    }

    @Test func insertANestedBlock() throws {
        try check(
            [("main.tf", "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n}\n")], "aws_instance.web",
            [.set("metadata_options.http_tokens", .string("required"))],
            [
                "main.tf":
                    "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n  metadata_options {\n    http_tokens = \"required\"\n  }\n}\n"
            ])
    }

    @Test func setInsideAnExistingNestedBlock() throws {
        try check(
            [("main.tf", "resource \"aws_instance\" \"web\" {\n  root_block_device {\n    volume_size = 20\n  }\n}\n")], "aws_instance.web",
            [.set("root_block_device.encrypted", .bool(true))],
            [
                "main.tf":
                    "resource \"aws_instance\" \"web\" {\n  root_block_device {\n    volume_size = 20\n    encrypted   = true\n  }\n}\n"
            ])
    }

    @Test func anEmptyOneLineBlockOpensUp() throws {
        try check(
            [("main.tf", "resource \"aws_ebs_volume\" \"v\" {}\n")], "aws_ebs_volume.v", [.set("encrypted", .bool(true))],
            ["main.tf": "resource \"aws_ebs_volume\" \"v\" {\n  encrypted = true\n}\n"])
    }

    @Test func aValueFromAVariableIsFixedWhereItIsDefined() throws {
        try check(
            [
                (
                    "main.tf",
                    "variable \"enc\" { default = false }\nresource \"aws_db_instance\" \"db\" {\n  storage_encrypted = var.enc\n}\n"
                ),
                ("terraform.tfvars", "enc = false\n"),
            ], "aws_db_instance.db", [.set("storage_encrypted", .bool(true))], ["terraform.tfvars": "enc = true\n"])
        try check(
            [
                (
                    "main.tf",
                    "variable \"enc\" { default = false }\nresource \"aws_db_instance\" \"db\" {\n  storage_encrypted = var.enc\n}\n"
                )
            ],
            "aws_db_instance.db", [.set("storage_encrypted", .bool(true))],
            ["main.tf": "variable \"enc\" { default = true }\nresource \"aws_db_instance\" \"db\" {\n  storage_encrypted = var.enc\n}\n"])
    }

    @Test func setAKeyInsideAnObjectLiteral() throws {
        try check(
            [("main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  tags = {\n    Team = \"web\"\n  }\n}\n")], "aws_s3_bucket.b",
            [.set("tags.Owner", .string("platform"))],
            ["main.tf": "resource \"aws_s3_bucket\" \"b\" {\n  tags = {\n    Team = \"web\"\n    Owner = \"platform\"\n  }\n}\n"])
    }

    @Test func stringsAreEscapedSoNothingIsInterpolated() throws {
        try check(
            [("main.tf", "resource \"x\" \"y\" {\n  a = 1\n}\n")], "x.y", [.set("a", .string("say \"${hi}\"\n"))],
            ["main.tf": "resource \"x\" \"y\" {\n  a = \"say \\\"$${hi}\\\"\\n\"\n}\n"])
    }

    @Test func removeAnAttribute() throws {
        try check(
            [("main.tf", "resource \"x\" \"y\" {\n  a = 1\n  b = [\n    2,\n  ]\n  c = 3\n}\n")], "x.y", [.remove("b")],
            ["main.tf": "resource \"x\" \"y\" {\n  a = 1\n  c = 3\n}\n"])
    }

    @Test func crlfFilesKeepCRLF() throws {
        try check(
            [("main.tf", "resource \"x\" \"y\" {\r\n  a = 1\r\n}\r\n")], "x.y", [.set("b", .int(2))],
            ["main.tf": "resource \"x\" \"y\" {\r\n  a = 1\r\n  b = 2\r\n}\r\n"])
    }
}
