import Analysis
import PolicyModel
import TestSupport
import Testing
import TextCore

/// Findings of the built-in packs on Terraform fixtures, with the expected findings marked under the code.
@Suite struct TerraformFindingTests {
    static let workspace: Workspace = {
        var config = GoldpathConfig()
        config.foakSeverity = nil
        return Workspace(config: config, packSources: BuiltinPacks.all.map { SourceText(path: $0.path, text: $0.text) })
    }()

    func check(
        _ fixture: String, extraFiles: [(String, String)] = [], rules: Set<String>, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let (text, markers) = FixtureMarkers.parse(fixture)
        let unit = AnalysisUnit(
            language: "terraform", name: "m",
            files: [SourceText(path: "main.tf", text: text)] + extraFiles.map { SourceText(path: $0.0, text: $0.1) })
        let findings = TerraformFindingTests.workspace.analyze(unit, verifyFixes: false).findings.filter {
            rules.contains($0.ruleId) && $0.file == "main.tf"
        }
        let actual = Set(findings.map { ExpectedMarker(ruleId: $0.ruleId, severity: $0.severity.rawValue, range: $0.range) })
        #expect(actual == Set(markers), sourceLocation: sourceLocation)
    }

    @Test func findingsSitOnTheAttributeOrTheBlockHeader() {
        check(
            """
            resource "aws_db_instance" "db" {
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning AWS003
              storage_encrypted       = false
            # ^^^^^^^^^^^^^^^^^ error AWS001
              backup_retention_period = 1
            # ^^^^^^^^^^^^^^^^^^^^^^^ error AWS002
            }
            """, rules: ["AWS001", "AWS002", "AWS003"])
    }

    @Test func anUnknownValueCannotBeVerifiedAndIsNoViolation() {
        check(
            """
            variable "encrypted" {}
            resource "aws_db_instance" "db" {
              storage_encrypted       = var.encrypted
            # ^^^^^^^^^^^^^^^^^ info AWS001
              backup_retention_period = var.retention
            # ^^^^^^^^^^^^^^^^^^^^^^^ info AWS002
              deletion_protection     = true
            }
            """, rules: ["AWS001", "AWS002", "AWS003"])
    }

    @Test func aRuleWhoseApplicabilityIsUnknownCannotBeVerified() {
        // AWS006 applies to engines with IAM authentication; the engine is known only at plan time.
        check(
            """
            variable "engine" {}
            resource "aws_db_instance" "db" {
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ info AWS006
              engine = var.engine
            }
            resource "aws_db_instance" "oracle" {
              engine = "oracle-ee"
            }
            """, rules: ["AWS006"])
    }

    @Test func optionalAttributesOfAVariablesTypeGetTheirDefaults() {
        let module = """
            variable "encryption" {
              type = object({
                key_arn   = optional(string)
                resources = optional(list(string), ["secrets"])
              })
              default = {}
            }
            resource "aws_eks_cluster" "this" {
              name     = "main"
              role_arn = "arn:aws:iam::123456789012:role/eks"
              vpc_config {
                subnet_ids = ["subnet-1"]
              }
              dynamic "encryption_config" {
                for_each = var.encryption != null ? [var.encryption] : []
                content {
                  resources = encryption_config.value.resources
                }
              }
            }
            """
        // The declared default ["secrets"] fills the absent attribute: secrets are encrypted.
        check(module, rules: ["AWS081"])
        // Set to nothing, the default does not apply.
        check(
            module.replacingOccurrences(of: "default = {}", with: "default = { resources = [] }")
                .replacingOccurrences(
                    of: "resource \"aws_eks_cluster\" \"this\" {\n",
                    with: "resource \"aws_eks_cluster\" \"this\" {\n^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error AWS081\n"),
            rules: ["AWS081"])
    }

    @Test func aBlockWithNoInstancesByDefaultIsJudgedAsWritten() {
        check(
            """
            variable "create_replica" {
              default = false
            }
            resource "aws_db_instance" "replica" {
              count             = var.create_replica ? 1 : 0
              storage_encrypted = false
            # ^^^^^^^^^^^^^^^^^ error AWS001
            }
            """, rules: ["AWS001"])
    }

    @Test func aCompanionOffByDefaultDoesNotCountForABucketThatExists() {
        check(
            """
            variable "versioning" {
              default = {}
            }
            resource "aws_s3_bucket" "this" {
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ warning AWS010
              bucket = "logs"
            }
            resource "aws_s3_bucket_versioning" "this" {
              count  = length(keys(var.versioning)) > 0 ? 1 : 0
              bucket = aws_s3_bucket.this.id
              versioning_configuration {
                status = "Enabled"
              }
            }
            """, rules: ["AWS010"])
    }

    @Test func anArgumentSetToNullIsOmitted() {
        check(
            """
            resource "aws_security_group_rule" "ssh" {
              type        = "ingress"
              from_port   = 22
              to_port     = 22
              protocol    = "tcp"
              cidr_blocks = null
            }
            resource "aws_security_group_rule" "open" {
              type        = "ingress"
              from_port   = 22
              to_port     = 22
              protocol    = "tcp"
              cidr_blocks = ["0.0.0.0/0"]
            # ^^^^^^^^^^^ error AWS020
            }
            """, rules: ["AWS020"])
    }

    @Test func aKnownVariableIsJudgedWhereItIsUsed() {
        check(
            """
            variable "encrypted" {
              default = false
            }
            resource "aws_ebs_volume" "v" {
              encrypted = var.encrypted
            # ^^^^^^^^^ error AWS032
            }
            """, rules: ["AWS032"])
    }

    @Test func splitS3ResourcesCountForTheirBucket() {
        check(
            """
            resource "aws_s3_bucket" "ok" {}
            resource "aws_s3_bucket_public_access_block" "ok" {
              bucket                  = aws_s3_bucket.ok.id
              block_public_acls       = true
              block_public_policy     = true
              ignore_public_acls      = true
              restrict_public_buckets = true
            }
            resource "aws_s3_bucket" "open" {}
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error AWS012
            """, rules: ["AWS012"])
    }

    @Test func dynamicIngressRulesAreExpanded() {
        check(
            """
            variable "rules" {
              default = [{ port = 443, cidr = "0.0.0.0/0" }, { port = 22, cidr = "0.0.0.0/0" }]
            }
            resource "aws_security_group" "sg" {
              dynamic "ingress" {
                for_each = var.rules
                content {
                  from_port   = ingress.value.port
                  to_port     = ingress.value.port
                  cidr_blocks = [ingress.value.cidr]
            #     ^^^^^^^^^^^ error AWS020
                }
              }
            }
            """, rules: ["AWS020"])
    }

    @Test func aPolicyWithAnUnknownPartIsDecidedByItsKnownParts() {
        check(
            """
            resource "aws_iam_role_policy" "logs" {
              policy = jsonencode({
                Statement = [{
                  Effect   = "Allow"
                  Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
                  Resource = aws_cloudwatch_log_group.flow.arn
                }]
              })
            }
            resource "aws_iam_role_policy" "admin" {
              policy = jsonencode({
                Statement = [{
                  Effect    = "Allow"
                  Action    = "*"
            #     ^^^^^^ error AWS070
            #     ^^^^^^ warning AWS071
                  Resource  = "*"
                  Condition = { ArnEquals = { "aws:SourceArn" = aws_cloudwatch_log_group.flow.arn } }
                }]
              })
            }
            variable "actions" {
              type = list(string)
            }
            resource "aws_iam_role_policy" "unknown" {
              policy = jsonencode({ Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }] })
            # ^^^^^^ info AWS070
            # ^^^^^^ info AWS071
            }
            """, rules: ["AWS070", "AWS071"])
    }

    @Test func aWildcardInAPolicyDocumentSitsOnItsStatementsActions() {
        check(
            """
            data "aws_iam_policy_document" "p" {
              statement {
                actions   = ["s3:GetObject"]
                resources = ["*"]
              }
              statement {
                actions   = ["s3:*"]
            #   ^^^^^^^ warning AWS071
                resources = ["arn:aws:s3:::acme/*"]
              }
            }
            """, rules: ["AWS070", "AWS071"])
    }

    @Test func iamWildcardsInJsonencodeAndHeredocPoliciesSitOnTheAction() {
        check(
            """
            resource "aws_iam_policy" "a" {
              policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["*"], Resource = "*" }] })
            #                                                        ^^^^^^ error AWS070
            #                                                        ^^^^^^ warning AWS071
            }
            resource "aws_iam_role_policy" "b" {
              policy = <<EOT
            {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::x/*"}}
            #                                 ^^^^^^^^ warning AWS071
            EOT
            }
            """, rules: ["AWS070", "AWS071"])
    }
}
