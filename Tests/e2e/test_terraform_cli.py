"""goldpath on the bundled Terraform module: variable origins, cross-resource rules, FOAK, fixes."""
import json
import shutil
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def findings(goldpath, path):
    proc = goldpath("check", "--format", "json", str(path))
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_terraform_findings_point_at_the_attribute_and_name_the_tfvars_origin(goldpath):
    proc = goldpath("check", "examples/terraform", check_exit=1)
    assert ("examples/terraform/main.tf:20:3: error: RDS storage must be encrypted at rest "
            "(turning encryption on replaces an existing database). [AWS001]") in proc.stdout
    assert "    note: examples/terraform/terraform.tfvars:2:16: the value comes from terraform.tfvars (db_encrypted = …)" in proc.stdout
    rules = {(f["rule"], f["file"], f["start"]["line"]) for f in findings(goldpath, "examples/terraform")}
    assert ("AWS012", "examples/terraform/main.tf", 25) in rules          # no public access block for the bucket
    assert ("AWS010", "examples/terraform/main.tf", 25) not in rules      # versioning comes from its companion resource
    assert ("needs-review", "examples/terraform/network.tf", 20) in rules  # aws_kinesis_stream: first of a kind
    assert ("AWS020", "examples/terraform/network.tf", 5) in rules        # SSH open to the internet


def test_terraform_fix_edits_the_tfvars_origin_and_inserts_blocks(goldpath, tmp_path):
    module = tmp_path / "terraform"
    shutil.copytree(ROOT / "examples/terraform", module)
    goldpath("fix", str(module), check_exit=0)
    assert (module / "terraform.tfvars").read_text() == 'environment  = "prod"\ndb_encrypted = true\n'
    assert "  metadata_options {\n    http_tokens = \"required\"\n  }\n" in (module / "network.tf").read_text()
    after = findings(goldpath, module)
    assert [f for f in after if f["fixable"]] == []
    assert not any(f["rule"] in ("AWS001", "AWS002", "AWS003", "AWS030", "AWS031") for f in after)
