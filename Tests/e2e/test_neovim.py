"""A real editor as the client: Neovim (headless) runs goldpath lsp through editors/neovim/."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# What `goldpath check examples/shop-api` reports in values.yaml: the editor must show the same.
VALUES_CODES = ['K8S001', 'K8S002', 'K8S004', 'K8S005', 'K8S009', 'K8S010', 'K8S011', 'K8S012', 'K8S018', 'K8S018', 'K8S021', 'K8S030', 'K8S038', 'K8S039', 'K8S039']


@pytest.mark.skipif(shutil.which("nvim") is None and not os.environ.get("CI_REQUIRE_NVIM"), reason="nvim is not installed")
def test_neovim_applies_a_verified_quick_fix(tmp_path):
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    shutil.copytree(ROOT / "examples/terraform", tmp_path / "terraform")
    shutil.copytree(ROOT / "examples/shop-api", tmp_path / "shop-api")
    (tmp_path / ".goldpath.yaml").write_text("store: .goldpath/goldpath.db\n")
    result_file = tmp_path / "result.json"
    env = dict(os.environ, GOLDPATH_REPO=str(ROOT), GOLDPATH_BIN=binary, GOLDPATH_RESULT=str(result_file),
               GOLDPATH_TF=str(tmp_path / "terraform/main.tf"), GOLDPATH_VALUES=str(tmp_path / "shop-api/values.yaml"))
    proc = subprocess.run(["nvim", "--headless", "--clean", "-c", f"luafile {ROOT / 'Tests/e2e/nvim/quickfix.lua'}"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    result = json.loads(result_file.read_text())
    assert proc.returncode == 0 and result["ok"], (result, proc.stderr)
    assert result["terraform_codes"] == ["AWS001", "AWS002", "AWS003", "AWS005", "AWS006", "AWS011", "AWS012", "AWS013", "AWS014",
                                         "AWS200", "AWS201", "AWS204", "AWS205", "AWS260", "AWS261", "AWS262", "AWS263", "TF005"]
    assert result["action_title"] == "Set backup_retention_period to 7 (AWS002)"
    assert result["fixed_line"] == "  backup_retention_period = 7"
    assert result["codes_after_fix"] == ["AWS001", "AWS003", "AWS005", "AWS006", "AWS011", "AWS012", "AWS013", "AWS014",
                                         "AWS200", "AWS201", "AWS204", "AWS205", "AWS260", "AWS261", "AWS262", "AWS263", "TF005"]
    assert result["values_codes"] == VALUES_CODES, result["values_codes"]
    # The buffer was edited, not the file: the copy on disk still holds the deviation.
    assert "backup_retention_period = 1" in (tmp_path / "terraform/main.tf").read_text()


@pytest.mark.skipif(shutil.which("nvim") is None and not os.environ.get("CI_REQUIRE_NVIM"), reason="nvim is not installed")
def test_neovim_applies_a_fix_that_creates_a_migration(tmp_path):
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    migrations = tmp_path / "db/migrations"
    migrations.mkdir(parents=True)
    (migrations / "000001_users.up.sql").write_text("CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, nickname text);\n")
    (migrations / "000001_users.down.sql").write_text("DROP TABLE users;\n")
    (migrations / "000002_nick.up.sql").write_text(
        "ALTER TABLE users ADD COLUMN IF NOT EXISTS handle text;\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n")
    (tmp_path / ".goldpath.yaml").write_text("store: .goldpath/goldpath.db\n")
    result_file = tmp_path / "result.json"
    env = dict(os.environ, GOLDPATH_REPO=str(ROOT), GOLDPATH_BIN=binary, GOLDPATH_RESULT=str(result_file),
               GOLDPATH_MIGRATION=str(migrations / "000002_nick.up.sql"))
    proc = subprocess.run(["nvim", "--headless", "--clean", "-c", f"luafile {ROOT / 'Tests/e2e/nvim/new_migration.lua'}"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    result = json.loads(result_file.read_text())
    assert proc.returncode == 0 and result["ok"], (result, proc.stderr)
    assert result["action_title"] == "Move it to a new migration of its own (PG006)"
    assert "PG006" not in result["codes_after_fix"] and "PG003" not in result["codes_after_fix"]
    assert sorted(p.name for p in migrations.iterdir()) == [
        "000001_users.down.sql", "000001_users.up.sql", "000002_nick.up.sql",
        "000003_create_users_nickname_idx.down.sql", "000003_create_users_nickname_idx.up.sql"]
    assert (migrations / "000002_nick.up.sql").read_text() == "ALTER TABLE users ADD COLUMN IF NOT EXISTS handle text;\n"
    assert (migrations / "000003_create_users_nickname_idx.up.sql").read_text() == (
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_nickname_idx ON users (nickname);\n")
    assert (migrations / "000003_create_users_nickname_idx.down.sql").read_text() == (
        "DROP INDEX CONCURRENTLY IF EXISTS users_nickname_idx;\n")


@pytest.mark.skipif(shutil.which("nvim") is None and not os.environ.get("CI_REQUIRE_NVIM"), reason="nvim is not installed")
def test_neovim_hover_request_review_and_a_config_edited_on_disk(tmp_path):
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    shutil.copytree(ROOT / "examples/terraform", tmp_path / "terraform")
    (tmp_path / ".goldpath.yaml").write_text("store: .goldpath/goldpath.db\n")
    result_file = tmp_path / "result.json"
    env = dict(os.environ, GOLDPATH_REPO=str(ROOT), GOLDPATH_BIN=binary, GOLDPATH_RESULT=str(result_file),
               GOLDPATH_TF=str(tmp_path / "terraform/network.tf"))
    proc = subprocess.run(["nvim", "--headless", "--clean", "-c", f"luafile {ROOT / 'Tests/e2e/nvim/review_hover_config.lua'}"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    result = json.loads(result_file.read_text())
    assert proc.returncode == 0 and result["ok"], (result, proc.stderr)
    # enable() on Neovim 0.7 (no vim.lsp.config) falls back to setup().
    assert result["started_by"] == "setup"
    assert "AWS020" in result["codes_before"] and "needs-review" in result["codes_before"]
    assert result["hover_kind"] == "markdown" and result["hover_first_line"].startswith("**AWS020**"), result
    assert any(t.startswith("Request review of aws_kinesis_stream.events") for t in result["offered"]), result["offered"]
    [request] = result["requests"]
    assert request["subject"] == "aws_kinesis_stream.events" and request["status"] == "pending"
    assert request["requester"].startswith("lsp:")
    assert "AWS020" not in result["codes_after_config"] and "needs-review" in result["codes_after_config"]
