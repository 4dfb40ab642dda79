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
    # values.yaml alone is clean (containerSecurityContext, resourcesPreset: nano, metrics off); the override
    # writes a password, makes the root filesystem writable and turns metrics on, bringing its latest tag back.
    assert findings(goldpath, "examples/session-cache") == [
        ("K8S001", "values.yaml", 41, False),
        ("K8S010", "values-prod.yaml", 9, True),
        ("K8S022", "values-prod.yaml", 4, False),
    ]


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
        ("K8S001", "values.yaml", 41, False),
        ("K8S022", "values-prod.yaml", 4, False),
    ]
