"""goldpath lsp driven over stdio by a minimal LSP client: diagnostics, quick fixes, hover, bad input."""
import json
import os
import pathlib
import shutil
import subprocess
import threading
import queue

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


class Client:
    def __init__(self, cwd):
        binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
        self.proc = subprocess.Popen([binary, "lsp"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                c = out.read(1)
                if not c:
                    return
                header += c
            length = int([l for l in header.decode().split("\r\n") if l.lower().startswith("content-length")][0].split(":")[1])
            self.messages.put(json.loads(out.read(length)))

    def raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, payload):
        body = json.dumps(payload).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params or {}})
        return self.wait(lambda m: m.get("id") == self.next_id)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, predicate, timeout=30):
        while True:
            m = self.messages.get(timeout=timeout)
            if predicate(m):
                return m

    def diagnostics(self, uri, version):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri and m["params"].get("version") == version)["params"]["diagnostics"]


@pytest.fixture
def ws(tmp_path):
    shutil.copytree(ROOT / "examples/terraform", tmp_path / "terraform")
    return tmp_path


def start(ws, encodings=None):
    c = Client(ws)
    caps = {"general": {"positionEncodings": encodings}} if encodings else {}
    init = c.request("initialize", {"processId": None, "rootUri": ws.as_uri(), "capabilities": caps})
    c.notify("initialized", {})
    return c, init


def test_diagnostics_quick_fix_and_hover_on_an_unsaved_buffer(ws):
    c, init = start(ws)
    assert init["result"]["capabilities"]["positionEncoding"] == "utf-16"
    main = ws / "terraform/main.tf"
    uri = main.as_uri()
    text = main.read_text()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}})
    diags = c.diagnostics(uri, 1)
    aws002 = next(d for d in diags if d["code"] == "AWS002")
    assert aws002["range"] == {"start": {"line": 20, "character": 2}, "end": {"line": 20, "character": 25}}
    assert aws002["source"] == "goldpath" and aws002["severity"] == 1
    aws001 = next(d for d in diags if d["code"] == "AWS001")
    assert aws001["relatedInformation"][0]["location"]["uri"].endswith("terraform/terraform.tfvars")
    # An unsaved edit fixes the retention: the finding disappears without saving.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": 20, "character": 28}, "end": {"line": 20, "character": 29}}, "text": "14"}]})
    assert not any(d["code"] == "AWS002" for d in c.diagnostics(uri, 2))
    actions = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": aws001["range"], "context": {"diagnostics": [aws001]}})
    fix = next(a for a in actions["result"] if a["kind"] == "quickfix" and "AWS001" in a["title"])
    edits = fix["edit"]["changes"]
    tfvars = (ws / "terraform/terraform.tfvars").as_uri()
    assert edits[tfvars] == [{"range": {"start": {"line": 1, "character": 15}, "end": {"line": 1, "character": 19}}, "newText": "tru"}]
    assert any(a["kind"] == "source.fixAll.goldpath" for a in actions["result"])
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 19, "character": 5}})
    assert "**AWS001**" in hover["result"]["contents"]["value"] and "Golden path" in hover["result"]["contents"]["value"]
    assert c.request("shutdown")["result"] is None
    c.notify("exit", {})
    assert c.proc.wait(timeout=10) == 0


def test_utf8_positions_when_the_client_offers_them(ws):
    c, init = start(ws, ["utf-8", "utf-16"])
    assert init["result"]["capabilities"]["positionEncoding"] == "utf-8"
    uri = (ws / "terraform/x.tf").as_uri()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "terraform", "version": 1,
        "text": 'resource "aws_ebs_volume" "v" {\n  # é😀\n  encrypted = false # é😀\n}\n'}})
    d = next(d for d in c.diagnostics(uri, 1) if d["code"] == "AWS032")
    assert d["range"] == {"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 11}}


def test_malformed_input_never_stops_the_server(ws):
    c = Client(ws)
    early = c.request("textDocument/hover", {"textDocument": {"uri": "file:///x.tf"}, "position": {"line": 0, "character": 0}})
    assert early["error"]["code"] == -32002
    c.raw(b"Content-Length: 5\r\n\r\n{bad}")
    assert c.wait(lambda m: "error" in m and m["id"] is None)["error"]["code"] == -32700
    c.raw(b"Content-Length: nope\r\n\r\n")
    assert c.wait(lambda m: "error" in m and m["id"] is None)["error"]["code"] == -32700
    # A length no message may have, and a number no integer can hold, are errors, not a crash.
    c.raw(b"Content-Length: 9223372036854775807\r\n\r\n")
    assert "64 MiB" in c.wait(lambda m: "error" in m and m["id"] is None)["error"]["message"]
    c.raw(b'Content-Length: 62\r\n\r\n{"jsonrpc":"2.0","id":1e300,"method":"workspace/unknownThing"}')
    c.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///v.tf", "languageId": "terraform", "version": 1e300, "text": ""}})
    c.send({"jsonrpc": "2.0", "id": 99, "method": "initialize", "params": {"rootUri": ws.as_uri(), "capabilities": {}}})
    assert c.wait(lambda m: m.get("id") == 99)["result"]["capabilities"]
    assert c.request("workspace/unknownThing")["error"]["code"] == -32601
    uri = (ws / "terraform/broken.tf").as_uri()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": 'resource "x" {\n  a = = 1\n'}})
    assert any(d["code"] == "syntax-error" for d in c.diagnostics(uri, 1))
    big = "locals {\n" + "  x%d = 1\n" * 0 + "".join(f"  v{i} = \"{'a' * 80}\"\n" for i in range(50000)) + "}\n"
    c.notify("textDocument/didOpen", {"textDocument": {"uri": (ws / "terraform/big.tf").as_uri(), "languageId": "terraform", "version": 1, "text": big}})
    c.diagnostics((ws / "terraform/big.tf").as_uri(), 1)
    assert c.request("shutdown")["result"] is None
    c.notify("exit", {})
    assert c.proc.wait(timeout=10) == 0


def test_exit_without_shutdown_exits_1(ws):
    c = Client(ws)
    c.notify("exit", {})
    assert c.proc.wait(timeout=10) == 1


@pytest.mark.parametrize("creates", [True, False])
def test_a_fix_that_creates_a_migration_is_offered_only_to_a_client_that_creates_files(tmp_path, creates):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "000001_users.up.sql").write_text("CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, nickname text);\n")
    nick = migrations / "000002_nick.up.sql"
    text = "ALTER TABLE users ADD COLUMN IF NOT EXISTS handle text;\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n"
    nick.write_text(text)
    c = Client(tmp_path)
    caps = {"workspace": {"workspaceEdit": {"documentChanges": True, "resourceOperations": ["create"] if creates else []}}}
    c.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": caps})
    c.notify("initialized", {})
    c.notify("textDocument/didOpen", {"textDocument": {"uri": nick.as_uri(), "languageId": "sql", "version": 1, "text": text}})
    diagnostics = c.diagnostics(nick.as_uri(), 1)
    pg006 = next(d for d in diagnostics if d["code"] == "PG006")
    actions = c.request("textDocument/codeAction", {"textDocument": {"uri": nick.as_uri()}, "range": pg006["range"],
                                                    "context": {"diagnostics": [pg006]}})["result"]
    titles = [a["title"] for a in actions]
    if not creates:
        assert not any(t.startswith("Move it to a new migration") for t in titles), titles
        return
    move = next(a for a in actions if a["title"] == "Move it to a new migration of its own (PG006)")
    up = (migrations / "000003_create_users_nickname_idx.up.sql").as_uri()
    down = (migrations / "000003_create_users_nickname_idx.down.sql").as_uri()
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}
    assert move["edit"] == {"documentChanges": [
        {"textDocument": {"uri": nick.as_uri(), "version": 1},
         "edits": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 0}}, "newText": ""}]},
        {"kind": "create", "uri": up, "options": {"overwrite": False, "ignoreIfExists": False}},
        {"textDocument": {"uri": up, "version": None}, "edits": [
            {"range": whole, "newText": "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_nickname_idx ON users (nickname);\n"}]},
        {"kind": "create", "uri": down, "options": {"overwrite": False, "ignoreIfExists": False}},
        {"textDocument": {"uri": down, "version": None}, "edits": [
            {"range": whole, "newText": "DROP INDEX CONCURRENTLY IF EXISTS users_nickname_idx;\n"}]},
    ]}
    # The server only proposes: nothing is written until the client applies the edit.
    assert not (migrations / "000003_create_users_nickname_idx.up.sql").exists()
