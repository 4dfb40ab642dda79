"""The threat model, tried with the built binary: an agent with the developer's permissions edits the decisions
store with sqlite3, forges a reviewer, imports a pack it wrote, deletes denials and rewrites the audit trail.
Decisions apply only with a trusted reviewer's signature, and `audit verify --checkpoint` proves the trail."""
import hashlib
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def binary():
    return os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")


def run(ws, *args):
    return subprocess.run([binary(), *args], cwd=ws, capture_output=True, text=True, timeout=120)


@pytest.fixture
def ws(tmp_path, monkeypatch):
    config = tmp_path / "home-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples/terraform", repo / "terraform")
    (repo / ".goldpath.yaml").write_text("store: .goldpath/goldpath.db\n")
    made = run(repo, "review", "keygen", "--name", "alice")
    assert made.returncode == 0, made.stderr
    (config / "goldpath" / "trusted-reviewers").write_text(made.stdout.splitlines()[-1] + "\n")
    return repo


def findings(ws):
    return json.loads(run(ws, "check", "--format", "json", "terraform").stdout)["findings"]


def error_fingerprint(ws, rule="AWS001"):
    return next(f["fingerprint"] for f in findings(ws) if f["rule"] == rule)


def sql(ws, script, *args):
    with sqlite3.connect(ws / ".goldpath/goldpath.db") as db:
        db.execute(script, args)


def test_keygen_writes_a_private_key_outside_the_repository_and_refuses_one_inside(ws, tmp_path):
    key = pathlib.Path(os.environ["XDG_CONFIG_HOME"]) / "goldpath/reviewer.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    (ws / ".git").mkdir()
    inside = run(ws, "review", "keygen", "--name", "bob", "--output", str(ws / "keys/bob.key"))
    assert inside.returncode == 2 and "lies inside the repository" in inside.stderr
    assert not (ws / "keys/bob.key").exists()


def test_a_waiver_inserted_with_sqlite3_is_ignored_and_reported(ws):
    fingerprint = error_fingerprint(ws)
    sql(ws, "INSERT INTO decision (kind, fingerprint, reason, reviewer, until, time) VALUES ('waive', ?, 'x', 'alice', '2999-01-01', 't')",
        fingerprint)
    res = run(ws, "check", "terraform")
    assert res.returncode == 1 and "AWS001" in res.stdout
    assert f"warning: decision 1 (waiver of {fingerprint} by alice) is ignored: it is not signed" in res.stderr
    verify = run(ws, "audit", "verify")
    assert verify.returncode == 1
    assert f"TAMPERED decision 1 (waiver of {fingerprint} by alice) has no row in the audit trail" in verify.stdout


def test_a_signed_waiver_applies_and_one_whose_date_was_extended_does_not(ws):
    fingerprint = error_fingerprint(ws)
    assert run(ws, "review", "waive", fingerprint, "--until", "2999-01-01", "--reason", "accepted").returncode == 0
    assert fingerprint not in [f["fingerprint"] for f in findings(ws)]
    assert run(ws, "audit", "verify").returncode == 0
    sql(ws, "UPDATE decision SET reason = 'accepted for good'")
    assert fingerprint in [f["fingerprint"] for f in findings(ws)]
    assert "its signature does not verify" in run(ws, "check", "terraform").stderr


def test_no_trust_file_means_no_approval_or_waiver_applies(ws):
    fingerprint = error_fingerprint(ws)
    assert run(ws, "review", "waive", fingerprint, "--until", "2999-01-01", "--reason", "accepted").returncode == 0
    (pathlib.Path(os.environ["XDG_CONFIG_HOME"]) / "goldpath/trusted-reviewers").unlink()
    res = run(ws, "check", "terraform")
    assert res.returncode == 1
    assert "warning: no trusted reviewer keys (no trust file; give --trust FILE or GOLDPATH_TRUST)" in res.stderr
    missing = run(ws, "check", "--trust", "/nonexistent/trusted", "terraform")
    assert missing.returncode == 2 and "/nonexistent/trusted: cannot read the trust file" in missing.stderr


def test_by_must_name_the_signing_key(ws):
    rid = run(ws, "review", "request", "terraform/network.tf:20", "--justification", "x", "--by", "agent").stdout.split()[0]
    forged = run(ws, "review", "approve", rid, "--when", "true", "--reason", "ok", "--by", "bob")
    assert forged.returncode == 2
    assert "error: --by bob is not the signing key's name (alice)" in forged.stderr
    assert run(ws, "review", "list", "--status", "pending").stdout.startswith(rid)


def test_an_imported_pack_nobody_trusted_signed_is_refused(ws, tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text("""pack: learned
learned: true
golden_paths:
  - id: learned-RR-00000001
    title: "Approved"
    language: terraform
    select: resource.aws_kinesis_stream
    decision: {kind: approve, request: RR-00000001, reviewer: alice, time: "2026-01-01T00:00:00Z"}
    rules:
      - {id: LEARNED-00000001, title: t, severity: error, require: "true", message: m}
""")
    res = run(ws, "review", "import", str(evil))
    assert res.returncode == 1
    assert "refused learned-RR-00000001 (by alice): it is not signed" in res.stderr
    assert any(f["rule"] == "needs-review" and "aws_kinesis_stream" in f["message"] for f in findings(ws))


def test_a_deleted_denial_and_a_forged_appended_approval_are_found(ws):
    rid = run(ws, "review", "request", "terraform/network.tf:20", "--justification", "x", "--by", "agent").stdout.split()[0]
    assert run(ws, "review", "deny", rid, "--reason", "use the bus").returncode == 0
    assert any(f["rule"].startswith("DENIED-") for f in findings(ws))
    sql(ws, "DELETE FROM decision WHERE kind = 'deny'")
    # A back-dated approval row with a correct hash, as anyone can compute it.
    with sqlite3.connect(ws / ".goldpath/goldpath.db") as db:
        seq, prev = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        row = [str(seq + 1), "2025-01-01T00:00:00.000Z", "alice", "review.approve", "aws_kinesis_stream.events", f"{rid}: ok"]
        digest = hashlib.sha256("\x1f".join([prev, *row]).encode()).hexdigest()
        db.execute("INSERT INTO audit_log (seq, time, actor, action, subject, outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (seq + 1, *row[1:], prev, digest))
    verify = run(ws, "audit", "verify")
    assert verify.returncode == 1
    assert "which is no longer in the store: the decision was deleted or changed" in verify.stdout
    assert f"TAMPERED row {seq + 1}: a review.approve by alice that no trusted key of alice signed: it is not signed" in verify.stdout


@pytest.mark.parametrize("attack, message", [
    ("truncate", "but the trail ends at row 2: it was truncated or replaced"),
    ("empty", "but the trail is empty: the store was replaced or emptied"),
    ("rechain", "hash differs from the checkpoint"),
])
def test_a_checkpoint_kept_outside_detects_a_rewritten_trail(ws, tmp_path, attack, message):
    for _ in range(3):
        run(ws, "check", "terraform")
    head = tmp_path / "head.txt"
    assert run(ws, "audit", "checkpoint", "--output", str(head)).returncode == 0
    assert run(ws, "audit", "verify", "--checkpoint", str(head)).returncode == 0
    db_path = ws / ".goldpath/goldpath.db"
    if attack == "empty":
        db_path.unlink()
        for suffix in ("-wal", "-shm"):
            pathlib.Path(str(db_path) + suffix).unlink(missing_ok=True)
    else:
        with sqlite3.connect(db_path) as db:
            db.executescript("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
            db.execute("DELETE FROM audit_log WHERE seq >= 3")
            if attack == "rechain":
                # Row 2 edited and the chain recomputed so that the hashes alone look intact, then a row appended.
                (prev,) = db.execute("SELECT hash FROM audit_log WHERE seq = 1").fetchone()
                for seq in (2, 3):
                    row = [str(seq), "2026-12-07T00:00:00.000Z", "cli:x", "cli.check", "terraform", "pass: 0 findings"]
                    digest = hashlib.sha256("\x1f".join([prev, *row]).encode()).hexdigest()
                    db.execute("DELETE FROM audit_log WHERE seq = ?", (seq,))
                    db.execute("INSERT INTO audit_log (seq, time, actor, action, subject, outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               (seq, *row[1:], prev, digest))
                    prev = digest
    if attack == "rechain":
        # Without a checkpoint, a recomputed chain of unsigned rows cannot be told from the real one.
        assert run(ws, "audit", "verify").returncode == 0
    verify = run(ws, "audit", "verify", "--checkpoint", str(head))
    assert verify.returncode == 1, verify.stdout + verify.stderr
    assert message in verify.stdout


def test_a_checkpoint_signed_by_an_untrusted_key_is_refused(ws, tmp_path):
    other = tmp_path / "mallory.key"
    assert run(ws, "review", "keygen", "--name", "mallory", "--output", str(other)).returncode == 0
    head = tmp_path / "head.txt"
    assert run(ws, "audit", "checkpoint", "--key", str(other), "--output", str(head)).returncode == 0
    verify = run(ws, "audit", "verify", "--checkpoint", str(head))
    assert verify.returncode == 1
    assert "TAMPERED the checkpoint cannot be trusted: it is signed by a key the trust file does not list for mallory" in verify.stdout


def test_the_language_server_says_which_decisions_it_does_not_apply(ws):
    from test_lsp import start  # the minimal LSP client of test_lsp.py

    fingerprint = error_fingerprint(ws)
    sql(ws, "INSERT INTO decision (kind, fingerprint, reason, reviewer, until, time) VALUES ('waive', ?, 'x', 'alice', '2999-01-01', 't')",
        fingerprint)
    client, _ = start(ws)
    shown = client.wait(lambda m: m.get("method") == "window/showMessage")["params"]
    assert shown == {"type": 2, "message": f"goldpath: decision 1 (waiver of {fingerprint} by alice) is ignored: it is not signed"}
    main = ws / "terraform/main.tf"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": main.as_uri(), "languageId": "terraform", "version": 1,
                                                            "text": main.read_text()}})
    assert any(d["code"] == "AWS001" for d in client.diagnostics(main.as_uri(), 1))
    assert client.request("shutdown")["result"] is None
    client.notify("exit", {})
    assert client.proc.wait(timeout=10) == 0
