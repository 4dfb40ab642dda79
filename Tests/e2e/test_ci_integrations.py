"""The CI integrations as a user wires them: the pre-commit hook run by pre-commit itself, and the report formats
GitLab and JUnit readers take."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[2]


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True)


def test_the_pre_commit_hook_fails_a_commit_that_leaves_the_golden_path(tmp_path):
    binary = pathlib.Path(os.environ.get("GOLDPATH_BIN") or ROOT / ".build/debug/goldpath")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples/shop-api", repo / "charts/shop-api")
    git(repo.parent, "init", "-q", str(repo))
    git(repo, "-c", "user.email=dev@example.com", "-c", "user.name=dev", "add", ".")
    env = dict(os.environ, PATH=f"{binary.parent}:{os.environ['PATH']}", PRE_COMMIT_HOME=str(tmp_path / "cache"))
    pre_commit = pathlib.Path(sys.executable).parent / "pre-commit"

    def run():
        return subprocess.run([str(pre_commit), "try-repo", str(ROOT), "goldpath", "--all-files"], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=300)

    failed = run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "goldpath check" in failed.stdout and "Failed" in failed.stdout
    assert "charts/shop-api/values.yaml:8:3: error: Image registry.example.com/shop/api is not pinned" in failed.stdout
    # A repository whose chart follows the golden paths passes.
    shutil.rmtree(repo / "charts")
    shutil.copytree(ROOT / "examples/session-cache", repo / "charts/session-cache")
    (repo / "charts/session-cache/values-prod.yaml").unlink()
    git(repo, "add", "-A")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "goldpath check" in passed.stdout and "Passed" in passed.stdout


def test_gitlab_code_quality_report(goldpath):
    proc = goldpath("check", "--format", "gitlab", "examples/shop-api", check_exit=1)
    issues = json.loads(proc.stdout)
    latest = next(i for i in issues if i["check_name"] == "K8S001")
    assert latest["location"] == {"path": "examples/shop-api/values.yaml", "lines": {"begin": 8}}
    assert latest["severity"] == "critical"
    assert latest["description"].startswith("K8S001: Image registry.example.com/shop/api is not pinned")
    assert {i["severity"] for i in issues} <= {"critical", "major", "minor", "info"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_report(goldpath, tmp_path):
    out = tmp_path / "goldpath.xml"
    goldpath("check", "--format", "junit", "--output", str(out), "--fail-on", "error", "examples/shop-api", check_exit=1)
    suites = ET.parse(out).getroot()
    suite = suites.find("testsuite")
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suites.get("tests")) == len(cases) and int(suites.get("failures")) == len(failed)
    # Errors fail, warnings are recorded as output.
    assert {c.find("failure").get("type") for c in failed} == {"error"}
    names = [c.get("name") for c in cases]
    assert "K8S001 examples/shop-api/values.yaml:8:3" in names
    warning = next(c for c in cases if c.get("name").startswith("K8S036 "))
    assert warning.find("failure") is None and "warning" in warning.find("system-out").text
