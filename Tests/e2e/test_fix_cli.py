"""`goldpath fix` as a user runs it: a dry-run diff, then fixes in place that keep comments, modes and links."""
import json
import re


def test_dry_run_prints_a_diff_and_changes_nothing(goldpath, example_copy):
    before = (example_copy / "values.yaml").read_text()
    proc = goldpath("fix", "--dry-run", str(example_copy), check_exit=0)
    assert (example_copy / "values.yaml").read_text() == before
    assert f"--- {example_copy}/values.yaml" in proc.stdout
    assert "-  tag: latest\n+  tag: \"2.4.0\"\n" in proc.stdout
    assert "-    tag: 1.10\n+    tag: \"1.10\"\n" in proc.stdout


def test_fix_in_place_keeps_comments_and_clears_fixable_findings(goldpath, example_copy):
    goldpath("fix", str(example_copy), check_exit=0)
    values = (example_copy / "values.yaml").read_text()
    assert "# Overrides the image tag whose default is the chart appVersion.\n  tag: \"2.4.0\"\n" in values
    assert "securityContext:\n  runAsNonRoot: true\n  readOnlyRootFilesystem: true\n" in values
    assert "  # capabilities:\n" in values
    prod = (example_copy / "values-prod.yaml").read_text()
    assert "    privileged: false\n" in prod
    assert prod.startswith("# Production overrides")
    doc = json.loads(goldpath("check", "--format", "json", str(example_copy)).stdout)
    assert [f for f in doc["findings"] if f["fixable"]] == []
    # What is left needs a human: the plain-text secret, and the single replica: a second one would also need
    # anti-affinity or a spread over nodes (K8S050), which the values cannot say safely, so no fix is offered.
    assert sorted({f["rule"] for f in doc["findings"]}) == ["K8S021", "K8S030"]


DB = 'resource "aws_db_instance" "db" {\n  storage_encrypted = true\n  backup_retention_period = 1\n}\n'


def run_in(cwd, *args):
    import os
    import subprocess
    binary = os.environ.get("GOLDPATH_BIN")
    return subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_fix_keeps_mode_bom_and_hard_links(tmp_path):
    import os
    ws = tmp_path / "ws"
    (ws / "db").mkdir(parents=True)
    main = ws / "db/main.tf"
    main.write_bytes(b"\xef\xbb\xbf" + DB.encode())
    os.chmod(main, 0o640)
    other_name = tmp_path / "same-file.tf"
    os.link(main, other_name)
    run_in(ws, "fix", "db")
    assert oct(os.stat(main).st_mode & 0o777) == "0o640"
    assert main.read_bytes().startswith(b"\xef\xbb\xbf")
    assert re.search(rb"backup_retention_period +=  *7\n", main.read_bytes())
    # Both names still share one file, which holds the fix.
    assert os.stat(main).st_ino == os.stat(other_name).st_ino and other_name.read_bytes() == main.read_bytes()


def test_fix_edits_a_links_target_inside_and_refuses_one_outside(tmp_path):
    import os
    ws = tmp_path / "ws"
    (ws / "shared").mkdir(parents=True)
    (ws / "db").mkdir()
    (ws / "shared/db.tf").write_text(DB)
    os.symlink("../shared/db.tf", ws / "db/main.tf")
    outside = tmp_path / "outside.tf"
    outside.write_text(DB)
    (ws / "ext").mkdir()
    os.symlink(outside, ws / "ext/main.tf")
    proc = run_in(ws, "fix", "db", "ext")
    assert proc.returncode == 2
    assert os.path.islink(ws / "db/main.tf") and re.search(r"backup_retention_period +=  *7\n", (ws / "shared/db.tf").read_text())
    assert f"ext/main.tf: error: is a link to {outside}, outside" in proc.stderr
    assert outside.read_text() == DB
