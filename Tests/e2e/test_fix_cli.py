"""`goldpath fix` as a user runs it: a dry-run diff, then fixes in place that keep comments."""
import json


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
