"""The human review loop with the built binary: FOAK → request (MCP) → approve with conditions → learned
golden path → a variant is flagged → audit verify → tampering is detected; plus reliability."""
import asyncio
import json
import os
import pathlib
import random
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary():
    return os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")


def run(ws, *args):
    return subprocess.run([binary(), *args], cwd=ws, capture_output=True, text=True, timeout=120)


def findings(ws):
    return json.loads(run(ws, "check", "--format", "json", "terraform").stdout)["findings"]


def key(name):
    """The path of `name`'s signing key, made with `goldpath review keygen` and trusted on first use."""
    config = pathlib.Path(os.environ["XDG_CONFIG_HOME"]) / "goldpath"
    path = config / "keys" / f"{name}.key"
    if not path.exists():
        made = subprocess.run([binary(), "review", "keygen", "--name", name, "--output", str(path)], capture_output=True, text=True)
        assert made.returncode == 0, made.stderr
        with open(config / "trusted-reviewers", "a") as trust:
            trust.write(made.stdout.splitlines()[-1] + "\n")
    return ["--key", str(path)]


@pytest.fixture
def ws(tmp_path, monkeypatch):
    # Keys and the trust file live in the user's config directory, outside the workspace, as they would.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path.parent / (tmp_path.name + "-config")))
    shutil.copytree(ROOT / "examples/terraform", tmp_path / "terraform")
    # A configured store: `check` records its verdicts there (without one it writes nothing).
    (tmp_path / ".goldpath.yaml").write_text("store: .goldpath/goldpath.db\n")
    return tmp_path


def request_review_via_mcp(ws):
    async def go():
        params = StdioServerParameters(command=binary(), args=["mcp", "--root", str(ws)])
        async with stdio_client(params) as (r, w):
            async with ClientSession(r, w) as s:
                await s.initialize()
                return await s.call_tool("request_review", {
                    "path": "terraform/network.tf", "subject": "aws_kinesis_stream.events",
                    "justification": "Payments needs an event stream to replay the ledger."})
    return asyncio.run(go())


def test_the_review_loop(ws):
    assert any(f["rule"] == "needs-review" and f["file"] == "terraform/network.tf" for f in findings(ws))
    res = request_review_via_mcp(ws)
    assert res.is_error is False
    rid = res.structured_content["id"]
    approve = run(ws, "review", "approve", rid, "--when", "self.shard_count <= 4", "--reason", "small streams are routine", *key("alice"))
    assert approve.returncode == 0, approve.stderr
    after = findings(ws)
    assert not any(f["file"] == "terraform/network.tf" and f["start"]["line"] == 20 for f in after)
    network = ws / "terraform/network.tf"
    network.write_text(network.read_text().replace("shard_count = 2", "shard_count = 8"))
    variant = [f for f in findings(ws) if f["rule"].startswith("LEARNED-")]
    assert len(variant) == 1 and variant[0]["start"] == {"line": 20, "column": 1}
    assert "approved by alice" in variant[0]["message"] and "self.shard_count <= 4" in variant[0]["message"]
    exported = run(ws, "review", "export").stdout
    assert f"id: learned-{rid}" in exported and 'require: "self.shard_count <= 4"' in exported
    verify = run(ws, "audit", "verify")
    assert verify.returncode == 0 and "intact" in verify.stdout
    actions = [r["action"] for r in json.loads(run(ws, "audit", "log", "--format", "json").stdout)]
    assert "review.request" in actions and "review.approve" in actions and actions.count("cli.check") == 3


def test_a_denial_flags_the_subject_and_a_waiver_expires(ws):
    rid = request_review_via_mcp(ws).structured_content["id"]
    assert run(ws, "review", "deny", rid, "--reason", "use the shared event bus", *key("bob")).returncode == 0
    denied = [f for f in findings(ws) if f["rule"].startswith("DENIED-")]
    assert [f["start"]["line"] for f in denied] == [20] and "bob denied this change" in denied[0]["message"]
    sg = next(f for f in findings(ws) if f["rule"] == "AWS020")
    assert run(ws, "review", "waive", sg["fingerprint"], "--until", "2999-01-01", "--reason", "bastion migration", *key("carol")).returncode == 0
    assert not any(f["rule"] == "AWS020" for f in findings(ws))
    # A waiver that would already have expired, a date that does not exist and a made-up fingerprint are refused.
    past = run(ws, "review", "waive", sg["fingerprint"], "--until", "2000-01-01", "--reason", "old", *key("carol"))
    assert past.returncode == 2 and "--until 2000-01-01 is in the past" in past.stderr
    bad_date = run(ws, "review", "waive", sg["fingerprint"], "--until", "2027-13-45", "--reason", "x", *key("carol"))
    assert bad_date.returncode == 2 and "--until must be a date YYYY-MM-DD, not '2027-13-45'" in bad_date.stderr
    bogus = run(ws, "review", "waive", "not-a-fingerprint", "--until", "2999-01-01", "--reason", "x", *key("carol"))
    assert bogus.returncode == 2 and "is not a finding's fingerprint" in bogus.stderr
    assert not any(f["rule"] == "AWS020" for f in findings(ws))
    status = run(ws, "review", "list", "--status", "bogus")
    assert status.returncode == 2 and "--status must be one of pending, approved, denied, not 'bogus'" in status.stderr
    since = run(ws, "audit", "log", "--since", "yesterday")
    assert since.returncode == 2 and "--since must be an ISO 8601 date or time" in since.stderr
    assert run(ws, "audit", "log", "--since", "2026-11-01T09:30:00Z").returncode == 0


def test_a_waiver_holds_for_one_diesel_migration_not_for_another_that_repeats_its_statement(ws):
    # Every Diesel migration is an up.sql: its statements' addresses, and so the findings' fingerprints, name the folder.
    for folder, text in [("2020-01-01-000000_create", "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE VIEW v AS SELECT id FROM users;\n"),
                         ("2020-01-02-000000_replace", "DROP VIEW v;\nCREATE VIEW v AS SELECT id FROM users;\n"),
                         ("2020-01-03-000000_drop", "DROP VIEW v;\n")]:
        (ws / "migrations" / folder).mkdir(parents=True)
        (ws / "migrations" / folder / "up.sql").write_text(text)

    def timeouts():
        report = json.loads(run(ws, "check", "--format", "json", "migrations").stdout)["findings"]
        return [f for f in report if f["rule"] == "PG060"]

    before = timeouts()
    assert [(f["file"].split("/")[-2], f["subject"]) for f in before] == [
        ("2020-01-02-000000_replace", "2020-01-02-000000_replace/up.sql#drop_view v"),
        ("2020-01-03-000000_drop", "2020-01-03-000000_drop/up.sql#drop_view v")]
    assert before[0]["fingerprint"] != before[1]["fingerprint"]
    waived = run(ws, "review", "waive", before[0]["fingerprint"], "--until", "2999-01-01", "--reason", "view swap", *key("carol"))
    assert waived.returncode == 0, waived.stderr
    assert [f["file"].split("/")[-2] for f in timeouts()] == ["2020-01-03-000000_drop"]


def tamper(ws, sql):
    db = sqlite3.connect(ws / ".goldpath/goldpath.db")
    db.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;" + sql)
    db.commit()
    db.close()


@pytest.mark.parametrize("sql, message", [
    ("UPDATE audit_log SET outcome = 'pass: 0 findings' WHERE seq = 2;", "row 2: its content does not match its hash"),
    ("DELETE FROM audit_log WHERE seq = 2;", "row 3: expected row 2 here"),
    ("INSERT INTO audit_log (seq, time, actor, action, subject, outcome, prev_hash, hash) VALUES (99, '2026-01-01', 'x', 'cli.check', 'x', 'pass', 'forged', 'forged');", "row 99: expected row 5 here"),
    ("UPDATE audit_log SET seq = -seq WHERE seq IN (2, 3); UPDATE audit_log SET seq = 3 WHERE seq = -2; UPDATE audit_log SET seq = 2 WHERE seq = -3;",
     "row 2: its link to the previous row is broken"),
])
def test_audit_verify_detects_tampering(ws, sql, message):
    for _ in range(4):
        run(ws, "check", "terraform")
    assert run(ws, "audit", "verify").returncode == 0
    db = sqlite3.connect(ws / ".goldpath/goldpath.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit_log SET outcome = 'x' WHERE seq = 1")
    db.close()
    tamper(ws, sql)
    verify = run(ws, "audit", "verify")
    assert verify.returncode == 1
    assert message in verify.stdout


def test_concurrent_writers_lose_no_row_and_killed_writers_leave_it_consistent(ws):
    procs = [subprocess.Popen([binary(), "check", "terraform"], cwd=ws, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(8)]
    for p in procs:
        p.wait(timeout=120)
    rows = json.loads(run(ws, "audit", "log", "--format", "json").stdout)
    assert len(rows) == 8
    victims = []
    for i in range(6):
        p = subprocess.Popen([binary(), "check", "terraform"], cwd=ws, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0.0, 0.3))
        if i % 2 == 0:
            p.send_signal(signal.SIGKILL)
        victims.append(p)
    finished = sum(1 for p in victims if p.wait(timeout=120) == 1)
    verify = run(ws, "audit", "verify")
    assert verify.returncode == 0, verify.stdout
    rows = json.loads(run(ws, "audit", "log", "--format", "json").stdout)
    assert 8 + finished <= len(rows) <= 8 + 6


def test_a_corrupt_store_is_reported_and_analysis_still_runs(ws):
    (ws / ".goldpath").mkdir()
    (ws / ".goldpath/goldpath.db").write_bytes(b"this is not a database" * 100)
    res = run(ws, "check", "terraform")
    assert res.returncode == 1
    assert "AWS001" in res.stdout
    assert "warning: decisions unavailable" in res.stderr
    assert run(ws, "audit", "verify").returncode == 2


def test_export_import_carries_decisions_to_another_store(ws, tmp_path):
    req = run(ws, "review", "request", "terraform/network.tf:20", "--justification", "ledger replay stream", "--by", "dev")
    assert req.returncode == 0, req.stderr
    rid = req.stdout.split()[0]
    assert run(ws, "review", "approve", rid, "--when", "self.shard_count <= 4", "--reason", "small streams", *key("alice")).returncode == 0
    exported = tmp_path / "learned.yaml"
    assert run(ws, "review", "export", "--output", str(exported)).returncode == 0
    other = tmp_path / "other"
    shutil.copytree(ws / "terraform", other / "terraform")
    network = other / "terraform/network.tf"
    network.write_text(network.read_text().replace("shard_count = 2", "shard_count = 8"))
    assert not any(f["rule"].startswith("LEARNED-") for f in findings(other))
    imported = run(other, "review", "import", str(exported), *key("ci"))
    assert imported.stdout.strip() == "1 decision imported"
    assert [f["rule"] for f in findings(other) if f["rule"].startswith("LEARNED-")] == [f"LEARNED-{rid[3:]}"]
    assert run(other, "review", "import", str(exported), *key("ci")).stdout.strip() == "0 decisions imported"


def test_import_keeps_the_reviewer_and_the_time(ws, tmp_path):
    req = run(ws, "review", "request", "terraform/network.tf:20", "--justification", "ledger replay stream", "--by", "dev")
    rid = req.stdout.split()[0]
    assert run(ws, "review", "approve", rid, "--when", "self.shard_count <= 4", "--reason", "small streams", *key("alice")).returncode == 0
    exported = tmp_path / "learned.yaml"
    assert run(ws, "review", "export", "--output", str(exported)).returncode == 0
    text = exported.read_text()
    assert "    decision:\n      kind: approve\n" in text
    assert '      reviewer: "alice"\n' in text or "      reviewer: alice\n" in text
    original_time = [l.split(":", 1)[1].strip().strip('"') for l in text.splitlines() if l.strip().startswith("time:")]
    assert len(original_time) == 1
    other = tmp_path / "other"
    shutil.copytree(ws / "terraform", other / "terraform")
    (other / ".goldpath.yaml").write_text("store: .goldpath/goldpath.db\n")
    assert run(other, "review", "import", str(exported), *key("ci")).returncode == 0
    learned = [f for f in findings(other) if f["rule"].startswith("LEARNED-")]
    network = other / "terraform/network.tf"
    network.write_text(network.read_text().replace("shard_count = 2", "shard_count = 8"))
    learned = [f for f in findings(other) if f["rule"].startswith("LEARNED-")]
    assert len(learned) == 1 and "approved by alice" in learned[0]["message"]
    reexported = run(other, "review", "export").stdout
    assert f"Approved by alice on {original_time[0][:10]} ({rid})" in reexported
    assert original_time[0] in reexported
    log = run(other, "audit", "log").stdout
    assert any("review.import" in l and "ci" in l and "decided by alice" in l for l in log.splitlines()), log


def test_an_exported_pack_beside_its_own_store_does_not_conflict(ws, tmp_path):
    req = run(ws, "review", "request", "terraform/network.tf:20", "--justification", "ledger replay stream", "--by", "dev")
    rid = req.stdout.split()[0]
    assert run(ws, "review", "approve", rid, "--when", "self.shard_count <= 4", "--reason", "small streams", *key("alice")).returncode == 0
    (ws / "packs").mkdir()
    assert run(ws, "review", "export", "--output", "packs/learned.yaml").returncode == 0
    (ws / ".goldpath.yaml").write_text("store: .goldpath/goldpath.db\npacks: [aws, ./packs]\n")
    network = ws / "terraform/network.tf"
    network.write_text(network.read_text().replace("shard_count = 2", "shard_count = 8"))
    res = run(ws, "check", "--format", "json", "terraform")
    assert "already defined" not in res.stderr, res.stderr
    assert [f["rule"] for f in json.loads(res.stdout)["findings"] if f["rule"].startswith("LEARNED-")] == [f"LEARNED-{rid[3:]}"]
    # A different decision under the same id (another store's RR numbering) is still a conflict.
    pack = ws / "packs/learned.yaml"
    pack.write_text(pack.read_text().replace("self.shard_count <= 4", "self.shard_count <= 6"))
    res = run(ws, "check", "--format", "json", "terraform")
    assert f"rule id 'LEARNED-{rid[3:]}' is already defined by another pack" in res.stderr


def test_concurrent_decisions_on_one_request_store_exactly_one(ws):
    store = ws / ".goldpath/goldpath.db"
    streams = ws / "terraform/streams.tf"
    streams.write_text("".join(f'resource "aws_kinesis_stream" "s{t}" {{\n  name        = "s{t}"\n  shard_count = 1\n}}\n'
                               for t in range(8)))
    for trial in range(8):
        req = run(ws, "review", "request", f"terraform/streams.tf:{4 * trial + 1}", "--justification", f"trial {trial}", "--by", "dev")
        assert req.returncode == 0, req.stderr
        rid = req.stdout.split()[0]
        procs = [subprocess.Popen([binary(), "review", verb, rid, *extra, "--reason", f"{verb} {n}", *key(f"reviewer{n}")], cwd=ws,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n, (verb, extra) in enumerate([("approve", ["--when", "true"]), ("deny", []), ("approve", ["--when", "true"])])]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        assert sum(1 for rc, _ in results if rc == 0) == 1, results
        assert all("is already" in err for rc, err in results if rc != 0), results
        with sqlite3.connect(store) as db:
            assert db.execute("SELECT count(*) FROM decision WHERE request_id = ?", (rid,)).fetchone()[0] == 1


def test_review_show_escapes_terminal_sequences_in_a_justification(ws):
    hidden = "looks fine\x1b[8m (hidden: approve the admin role too)\x1b[0m"
    req = run(ws, "review", "request", "terraform/network.tf:20", "--justification", hidden, "--by", "agent")
    assert req.returncode == 0, req.stderr
    rid = req.stdout.split()[0]
    for out in (run(ws, "review", "show", rid).stdout, run(ws, "review", "list").stdout, run(ws, "audit", "log").stdout):
        assert "\x1b" not in out
    assert "justification: looks fine\\u{1B}[8m (hidden: approve the admin role too)\\u{1B}[0m" in run(ws, "review", "show", rid).stdout


def test_decisions_required_fails_closed_when_the_store_is_missing_or_corrupt(ws):
    (ws / ".goldpath.yaml").write_text("decisions: required\n")
    missing = run(ws, "check", "terraform")
    assert missing.returncode == 2
    assert "error: decisions unavailable and the config requires them (decisions: required)" in missing.stderr
    assert "does not exist" in missing.stderr
    (ws / ".goldpath.yaml").write_text("store: .goldpath/goldpath.db\ndecisions: required\n")
    assert run(ws, "review", "list").returncode == 0  # creates the store
    (ws / ".goldpath/goldpath.db").write_bytes(b"this is not a database" * 100)
    corrupt = run(ws, "check", "terraform")
    assert corrupt.returncode == 2 and "decisions: required" in corrupt.stderr
    # The findings are still reported.
    assert "AWS001" in corrupt.stdout
    (ws / ".goldpath.yaml").write_text("decisions: always\n")
    assert "decisions must be required or optional" in run(ws, "check", "terraform").stderr
