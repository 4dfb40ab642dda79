"""The CI integrations as a runner would run them, on this machine: the GitHub Action's shell steps (install from a
release archive served over HTTP, checksum verified, check with SARIF, the fail step) and the GitLab template's job
script (Code Quality report), each with the built binary packed the way scripts/release packs it; plus the README's
Install commands."""
import functools
import hashlib
import http.server
import json
import os
import pathlib
import re
import shutil
import subprocess
import tarfile
import threading

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary():
    return os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")


def version():
    return subprocess.run([binary(), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def archive_name():
    return f"goldpath-{version()}-linux-{os.uname().machine}"


@pytest.fixture
def release(tmp_path):
    """A release archive laid out as scripts/release lays it out (the release one when GOLDPATH_DIST names it)."""
    served = tmp_path / "served"
    served.mkdir()
    name = archive_name()
    archive = served / f"{name}.tar.gz"
    dist = os.environ.get("GOLDPATH_DIST")
    if dist:
        shutil.copy(dist, archive)
    else:
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(binary(), arcname=f"{name}/goldpath")
            tar.add(ROOT / "LICENSE", arcname=f"{name}/LICENSE")
            tar.add(ROOT / "README.md", arcname=f"{name}/README.md")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    (served / f"{name}.tar.gz.sha256").write_text(f"{digest}  {name}.tar.gz\n")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{name}.tar.gz", served
    server.shutdown()


@pytest.fixture
def repo(tmp_path):
    ws = tmp_path / "repo"
    shutil.copytree(ROOT / "examples/terraform", ws / "terraform")
    subprocess.run(["git", "init", "-q", str(ws)], check=True)
    return ws


def expand(text, context):
    """Evaluates the `${{ ... }}` expressions the action uses: contexts, `==`, `!=`, `&&` and always()."""

    def value(expr):
        expr = expr.strip()
        if "&&" in expr:
            return all(value(part) not in ("", "false", False) for part in expr.split("&&"))
        for op in ("==", "!="):
            if op in expr:
                left, right = (value(x) for x in expr.split(op))
                return (left == right) if op == "==" else (left != right)
        if expr == "always()":
            return True
        if expr.startswith("'") and expr.endswith("'"):
            return expr[1:-1]
        node = context
        for part in expr.split("."):
            node = node.get(part, "") if isinstance(node, dict) else ""
        return node

    def render(m):
        v = value(m.group(1))
        return ("true" if v else "false") if isinstance(v, bool) else str(v)

    return re.sub(r"\$\{\{(.*?)\}\}", render, text)


def run_action(repo, tmp_path, inputs):
    """Runs action.yml's steps like a runner: `run` steps with bash, their outputs read from GITHUB_OUTPUT;
    `uses` steps (the SARIF upload) are recorded with their inputs, not run."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    given = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    given.update(inputs)
    context = {"inputs": given, "steps": {},
               "github": {"action_repository": "example/goldpath", "action_ref": "main"}}
    ran, uploads = [], []
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    for i, step in enumerate(action["runs"]["steps"]):
        if "if" in step and expand("${{ " + step["if"].strip().removeprefix("${{").removesuffix("}}") + " }}", context) != "true":
            continue
        if "uses" in step:
            uploads.append({k: expand(str(v), context) for k, v in step.get("with", {}).items()})
            continue
        out = tmp_path / f"output-{i}"
        out.write_text("")
        env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "GITHUB_OUTPUT": str(out), "RUNNER_TEMP": str(temp)}
        env.update({k: expand(str(v), context) for k, v in step.get("env", {}).items()})
        # As the runner runs a composite action's bash step: `bash --noprofile --norc -eo pipefail {0}`.
        res = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
        ran.append((step.get("name", step.get("id")), res))
        outputs = dict(line.split("=", 1) for line in out.read_text().splitlines() if "=" in line)
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": outputs}
        if res.returncode != 0:
            break
    return ran, uploads


def test_github_action_installs_the_release_checks_and_uploads_sarif(repo, tmp_path, release):
    url, _ = release
    ran, uploads = run_action(repo, tmp_path, {"release-url": url, "paths": "terraform"})
    names = [name for name, _ in ran]
    assert names == ["Install goldpath", "goldpath check", "Fail on findings"], [(n, r.stderr) for n, r in ran]
    install = ran[0][1]
    assert install.returncode == 0 and f"{archive_name()}.tar.gz: OK" in install.stdout, install.stderr
    assert ran[1][1].returncode == 0, ran[1][1].stderr
    sarif = json.loads((repo / "goldpath.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"AWS001", "needs-review"}
    assert all(not r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("/") for r in results)
    assert uploads == [{"sarif_file": "goldpath.sarif", "category": "goldpath"}]
    assert ran[2][1].returncode == 1


def test_github_action_without_upload_annotates_and_can_pass_on_findings(repo, tmp_path):
    ran, uploads = run_action(
        repo, tmp_path, {"binary": binary(), "paths": "terraform", "upload": "false", "fail-on-findings": "false"})
    assert [name for name, _ in ran] == ["Install goldpath", "goldpath check"]
    check = ran[1][1]
    assert check.returncode == 0, check.stderr
    assert re.search(r"^::error file=terraform/[a-z_]+\.tf,line=\d+,", check.stdout, re.M), check.stdout
    assert uploads == []


def test_github_action_rejects_an_archive_whose_checksum_does_not_match(repo, tmp_path, release):
    url, served = release
    (served / f"{archive_name()}.tar.gz.sha256").write_text(f"{'0' * 64}  {archive_name()}.tar.gz\n")
    ran, _ = run_action(repo, tmp_path, {"release-url": url, "paths": "terraform"})
    assert [name for name, _ in ran] == ["Install goldpath"]
    assert ran[0][1].returncode != 0
    assert "FAILED" in ran[0][1].stdout + ran[0][1].stderr


def gitlab_job(repo, variables):
    template = yaml.safe_load((ROOT / "ci/gitlab/goldpath.gitlab-ci.yml").read_text())
    job = template["goldpath"]
    env = {"PATH": os.environ["PATH"], "HOME": str(repo)}
    env.update({k: str(v) for k, v in job["variables"].items()})
    env.update(variables)
    # GitLab runs a job's script lines in one bash session with errexit and pipefail.
    script = "\n".join(job["script"])
    res = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=repo, env=env, capture_output=True, text=True,
                         timeout=300)
    return job, res


def test_gitlab_template_writes_the_code_quality_report(repo, release):
    url, _ = release
    job, res = gitlab_job(repo, {"GOLDPATH_RELEASE_URL": url, "GOLDPATH_PATHS": "terraform"})
    assert res.returncode == 1, res.stderr
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    report = json.loads((repo / "gl-code-quality-report.json").read_text())
    assert report and all(set(i) >= {"description", "check_name", "fingerprint", "severity", "location"} for i in report)
    assert any(i["check_name"] == "AWS001" and i["location"]["path"].startswith("terraform/") for i in report)
    assert "AWS001" in res.stdout
    _, allowed = gitlab_job(repo, {"GOLDPATH_BINARY": binary(), "GOLDPATH_PATHS": "terraform",
                                   "GOLDPATH_ALLOW_FAILURE_ON_FINDINGS": "true"})
    assert allowed.returncode == 0, allowed.stderr


def test_gitlab_template_says_what_to_set_without_a_release(repo):
    _, res = gitlab_job(repo, {})
    assert res.returncode == 2
    assert "set GOLDPATH_RELEASE_URL" in res.stderr


def readme_block(heading):
    text = (ROOT / "README.md").read_text()
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def test_readme_install_commands_install_a_working_binary(tmp_path, release):
    url, served = release
    commands = readme_block("Install")
    prefix = tmp_path / "prefix"
    # The README installs into /usr/local/bin with sudo; here into a folder of the test.
    script = commands.replace("sudo ", "").replace("/usr/local/bin", str(prefix / "bin"))
    script = script.replace("https://github.com/<owner>/goldpath/releases/download/v$VERSION", url.rsplit("/", 1)[0])
    (prefix / "bin").mkdir(parents=True)
    env = {"PATH": f"{prefix / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "VERSION": version()}
    res = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert (prefix / "bin/goldpath").exists()
    assert res.stdout.strip().splitlines()[-1] == version()


def test_readme_baseline_flow_fails_only_on_a_new_violation(repo):
    section = (ROOT / "README.md").read_text().split("\n## In CI and pre-commit\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    save, gate = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert save.startswith("goldpath check") and gate.startswith("goldpath check")
    env = dict(os.environ, PATH=f"{pathlib.Path(binary()).parent}:{os.environ['PATH']}")

    def sh(command):
        return subprocess.run(["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, timeout=120)

    saved = sh(save)
    assert saved.returncode == 1 and json.loads((repo / "goldpath-baseline.json").read_text())["findings"]
    unchanged = sh(gate)
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert "in the baseline goldpath-baseline.json not reported" in unchanged.stderr
    network = repo / "terraform/network.tf"
    network.write_text(network.read_text() + '\nresource "aws_s3_bucket" "new_logs" {\n  bucket = "new-logs"\n  acl    = "public-read"\n}\n')
    changed = sh(gate + " --format json")
    assert changed.returncode == 1
    new = json.loads(changed.stdout)["findings"]
    assert new and all(f["file"] == "terraform/network.tf" and f["subject"] == "aws_s3_bucket.new_logs" for f in new), new
