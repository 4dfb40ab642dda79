import Analysis
import Rules
import Testing

@Suite struct RelationTargetsTests {
    @Test func theTypesOfEveryRelatedCallAreFound() {
        let texts = [
            "require: size(related(\"aws_s3_bucket_versioning\", \"bucket\")) > 0\nrationale: a related setting",
            "when: related( 'aws_flow_log' ,\n \"vpc_id\").exists(f, true) && unrelated(\"x\") && self.related_ids == []",
        ]
        #expect(RelationTargets.named(in: texts) == ["aws_s3_bucket_versioning", "aws_flow_log"])
        #expect(RelationTargets.named(in: ["no relations here"]) == [])
    }

    @Test func theBuiltInPacksNameTheirTypes() throws {
        let types = try #require(RelationTargets.named(in: BuiltinPacks.all.map(\.text)))
        #expect(types.isSuperset(of: ["aws_s3_bucket_versioning", "aws_flow_log", "azurerm_private_endpoint", "aws_iam_role"]))
    }

    @Test func aTypeThatIsNotALiteralAloneMakesTheSetUnknown() {
        #expect(RelationTargets.named(in: ["require: related(params.kind, \"bucket\") == []"]) == nil)
        #expect(RelationTargets.named(in: ["ok: related(\"a\", \"b\")", "require: related(\"a\" + suffix, \"b\")"]) == nil)
        #expect(RelationTargets.named(in: ["require: \"related(\\\"aws_x\\\", \\\"b\\\")\""]) == nil)
        #expect(RelationTargets.named(in: ["require: related(\"\", \"b\")"]) == nil)
    }
}
