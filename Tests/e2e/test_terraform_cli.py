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
    assert ("AWS020", "examples/terraform/network.tf", 10) in rules       # SSH open to the internet: its cidr_blocks


def test_terraform_fix_edits_the_tfvars_origin_and_inserts_blocks(goldpath, tmp_path):
    module = tmp_path / "terraform"
    shutil.copytree(ROOT / "examples/terraform", module)
    goldpath("fix", str(module), check_exit=0)
    assert (module / "terraform.tfvars").read_text() == 'environment  = "prod"\ndb_encrypted = true\n'
    assert "  metadata_options {\n    http_tokens = \"required\"\n  }\n" in (module / "network.tf").read_text()
    after = findings(goldpath, module)
    assert [f for f in after if f["fixable"]] == []
    assert not any(f["rule"] in ("AWS001", "AWS002", "AWS003", "AWS030", "AWS031") for f in after)


def write_module(tmp_path, text):
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text(text)
    return module


def test_an_attribute_in_a_nested_block_is_the_finding_and_a_disabled_metadata_service_passes(goldpath, tmp_path):
    module = write_module(tmp_path, '''resource "aws_instance" "optional" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }
}

resource "aws_instance" "no_metadata" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  metadata_options {
    http_endpoint = "disabled"
  }
}
''')
    aws030 = [f for f in findings(goldpath, module) if f["rule"] == "AWS030"]
    assert [(f["subject"], f["start"], f["end"]) for f in aws030] == [
        ("aws_instance.optional", {"line": 6, "column": 5}, {"line": 6, "column": 16})]


def test_null_is_an_omitted_argument_and_an_unknowable_value_cannot_be_verified(goldpath, tmp_path):
    module = write_module(tmp_path, '''variable "rule" {
  type    = object({ cidr_blocks = optional(list(string)) })
  default = {}
}

data "http" "my_ip" {
  url = "https://ipv4.icanhazip.com"
}

resource "aws_security_group" "ssh" {
  name = "ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = null
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["${chomp(data.http.my_ip.response_body)}/32"]
  }
}

resource "random_pet" "name" {}
''')
    found = findings(goldpath, module)
    aws020 = [f for f in found if f["rule"] == "AWS020"]
    # cidr_blocks = null opens nothing; the data source's address is known only when the plan runs (reported at the
    # ingress blocks, naming what it depends on).
    assert [(f["severity"], f["start"]["line"], f["message"]) for f in aws020] == [
        ("info", 12, 'Cannot verify "No admin port is open to the internet": depends on data.http.my_ip.response_body.')]
    assert not any(f["fixable"] for f in aws020)
    # A random name is routine (the utility golden path), not a first-of-a-kind review.
    assert not any(f["rule"] == "needs-review" and f["subject"] == "random_pet.name" for f in found)


def test_a_callers_argument_into_a_local_module_is_reported_and_fixed_at_the_caller(goldpath, tmp_path):
    root = tmp_path / "root"
    (root / "modules/db").mkdir(parents=True)
    (root / "main.tf").write_text('''module "orders" {
  source            = "./modules/db"
  name              = "orders"
  storage_encrypted = false
}

module "billing" {
  source = "./modules/db"
  name   = "billing"
}
''')
    shared = '''variable "name" {
  description = "The database identifier."
  type        = string
}

variable "storage_encrypted" {
  description = "Encrypt the storage."
  type        = bool
  default     = true
}

resource "aws_db_instance" "this" {
  identifier                          = var.name
  engine                              = "postgres"
  instance_class                      = "db.t3.medium"
  storage_encrypted                   = var.storage_encrypted
  backup_retention_period             = 7
  deletion_protection                 = true
  multi_az                            = true
  publicly_accessible                 = false
  iam_database_authentication_enabled = true
  monitoring_interval                 = 60
  monitoring_role_arn                 = "arn:aws:iam::123456789012:role/rds-monitoring"
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  performance_insights_enabled        = true
  copy_tags_to_snapshot               = true
}
'''
    (root / "modules/db/main.tf").write_text(shared)
    proc = goldpath("check", "--format", "json", str(root))
    found = json.loads(proc.stdout)["findings"]
    aws001 = [f for f in found if f["rule"] == "AWS001"]
    # Only the caller that passes false, at its argument; the shared module's default is fine.
    assert [(f["file"], f["start"], f["subject"]) for f in aws001] == [
        (f"{root}/main.tf", {"line": 4, "column": 3}, "module.orders.aws_db_instance.this")]
    text = goldpath("check", str(root)).stdout
    assert f'note: {root}/modules/db/main.tf:12:1: module.orders.aws_db_instance.this is declared here, in module "orders" (./modules/db)' in text
    assert aws001[0]["fixable"]
    goldpath("fix", str(root))
    assert (root / "main.tf").read_text().splitlines()[3] == "  storage_encrypted = true"
    assert (root / "modules/db/main.tf").read_text() == shared
    assert not [f for f in json.loads(goldpath("check", "--format", "json", str(root)).stdout)["findings"] if f["rule"] == "AWS001"]


def test_a_value_from_a_locals_element_through_dynamic_names_the_element(goldpath, tmp_path):
    module = write_module(tmp_path, '''locals {
  rules = [
    { port = 443, cidr = "0.0.0.0/0" },
    { port = 22, cidr = "0.0.0.0/0" },
  ]
}

resource "aws_security_group" "sg" {
  name = "sg"
  dynamic "ingress" {
    for_each = local.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }
}
''')
    text = goldpath("check", str(module)).stdout
    assert f"{module}/main.tf:16:7: error: An ingress rule opens an admin port" in text
    assert f"note: {module}/main.tf:4:25: the value comes from local.rules[1].cidr" in text
