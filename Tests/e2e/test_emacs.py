"""A real editor as the client: Emacs (batch, no window system) with Eglot runs goldpath lsp through
editors/emacs/goldpath-eglot.el, on a Terraform file without any Terraform package, a values file and a migration."""
import collections
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
NEEDED = shutil.which("emacs") is not None or os.environ.get("CI_REQUIRE_EMACS")


def codes_from_check(binary, ws):
    """What `goldpath check` reports per file: the editor must show the same."""
    report = json.loads(subprocess.run([binary, "check", "--format", "json", "."], cwd=ws, capture_output=True, text=True,
                                       timeout=120).stdout)
    by_file = collections.defaultdict(list)
    for f in report["findings"]:
        by_file[f["file"]].append(f["rule"])
    return {k: sorted(v) for k, v in by_file.items()}


@pytest.mark.skipif(not NEEDED, reason="emacs is not installed")
def test_emacs_eglot_diagnostics_quick_fix_and_review_request(tmp_path):
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    ws = tmp_path / "ws"
    for example in ("terraform", "shop-api", "migrations"):
        shutil.copytree(ROOT / "examples" / example, ws / example)
    subprocess.run(["git", "init", "-q", str(ws)], check=True)
    (ws / ".goldpath.yaml").write_text("store: .goldpath/goldpath.db\n")
    expected = codes_from_check(binary, ws)
    migration = "migrations/orders-service/000003_index_orders_by_customer.up.sql"
    result_file = tmp_path / "result.json"
    env = dict(os.environ, GOLDPATH_REPO=str(ROOT), GOLDPATH_BIN=binary, GOLDPATH_RESULT=str(result_file),
               GOLDPATH_TF=str(ws / "terraform/main.tf"), GOLDPATH_NETWORK=str(ws / "terraform/network.tf"),
               GOLDPATH_VALUES=str(ws / "shop-api/values.yaml"), GOLDPATH_MIGRATION=str(ws / migration))
    proc = subprocess.run(["emacs", "--batch", "-l", str(ROOT / "Tests/e2e/emacs/goldpath-test.el")], cwd=ws, env=env,
                          capture_output=True, text=True, timeout=300)
    result = json.loads(result_file.read_text())
    assert proc.returncode == 0 and result["ok"] is True, (result, proc.stderr[-2000:])
    # No Terraform or YAML package is installed: the setup's own minimal modes carry Eglot.
    assert result["terraform_mode"] == "goldpath-terraform-mode"
    assert result["values_mode"] == "goldpath-yaml-mode"
    assert result["migration_mode"] == "sql-mode"
    assert result["terraform_codes"] == expected["terraform/main.tf"]
    assert result["values_codes"] == expected["shop-api/values.yaml"]
    assert result["migration_codes"] == expected[migration]
    assert result["hover_kind"] == "plaintext"
    assert result["hover_first_line"].startswith("AWS001 ") and "**" not in result["hover_first_line"], result
    assert result["fix_offered"][0] == "Set backup_retention_period to 7 (AWS002)"
    assert result["fixed_line"] == "  backup_retention_period = 7"
    assert result["codes_after_fix"] == [c for c in expected["terraform/main.tf"] if c != "AWS002"]
    assert result["review_offered"][0] == "Request review of aws_kinesis_stream.events (first of a kind)"
    [request] = result["requests"]
    assert request["subject"] == "aws_kinesis_stream.events" and request["status"] == "pending"
    # The buffer was edited, not the file.
    assert "backup_retention_period = 1" in (ws / "terraform/main.tf").read_text()
