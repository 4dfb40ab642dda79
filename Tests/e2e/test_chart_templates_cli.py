"""A bitnami-style chart with templates, checked and fixed as a user runs goldpath on it."""
import json
import shutil
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def findings(goldpath, path):
    proc = goldpath("check", "--format", "json", str(path), check_exit=1)
    return sorted((f["rule"], pathlib.Path(f["file"]).name, f["start"]["line"], f["fixable"])
                  for f in json.loads(proc.stdout)["findings"])


def test_the_chart_is_judged_the_way_its_templates_render_it(goldpath):
    # values.yaml alone is clean (containerSecurityContext, resourcesPreset: nano, metrics off, one replica, the
    # Role's own rule); the override writes a password, makes the root filesystem writable, turns metrics on
    # (bringing its latest tag back), runs three replicas with the budget switched off and adds a rule that reads
    # Secrets to the chart's Role.
    assert findings(goldpath, "examples/session-cache") == [
        ("K8S001", "values.yaml", 46, False),
        ("K8S010", "values-prod.yaml", 13, True),
        ("K8S022", "values-prod.yaml", 4, False),
        ("K8S049", "values-prod.yaml", 10, False),
        ("K8S053", "values-prod.yaml", 23, False),
    ]


def test_the_charts_role_is_judged_with_the_rules_the_values_add(goldpath):
    proc = goldpath("check", "--format", "json", "examples/session-cache", check_exit=1)
    role = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "K8S053"]
    assert [(f["subject"], f["start"], f["message"].split(";")[0]) for f in role] == [(
        "examples/session-cache@values-prod.yaml:role:templates/role.yaml", {"line": 23, "column": 7},
        "The Role in templates/role.yaml can read Secrets")]


def test_a_fix_writes_into_the_context_the_chart_reads(goldpath, tmp_path):
    chart = tmp_path / "session-cache"
    shutil.copytree(ROOT / "examples/session-cache", chart)
    goldpath("fix", str(chart), check_exit=0)
    prod = (chart / "values-prod.yaml").read_text()
    assert "  containerSecurityContext:\n    # The cache writes its dump next to the binary; someone made the root " \
           "filesystem writable.\n    readOnlyRootFilesystem: true\n" in prod
    # The exporter's tag does not default to the chart's appVersion (the template renders its own tag), so no
    # fix guesses one; the literal password has no fix either.
    assert findings(goldpath, chart) == [
        ("K8S001", "values.yaml", 46, False),
        ("K8S022", "values-prod.yaml", 4, False),
        ("K8S049", "values-prod.yaml", 10, False),
        ("K8S053", "values-prod.yaml", 23, False),
    ]
