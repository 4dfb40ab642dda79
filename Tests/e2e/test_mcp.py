"""goldpath mcp driven by the Python MCP client: tools, bad input, sandbox escapes and the agent loop."""
import asyncio
import json
import os
import pathlib
import shutil
import subprocess
import threading

import jsonschema
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = pathlib.Path(__file__).resolve().parents[2]

NONCOMPLIANT_RDS = '''resource "aws_db_instance" "orders" {
  engine                  = "postgres"
  instance_class          = "db.m6g.large"
  storage_encrypted       = false
  backup_retention_period = 1
  publicly_accessible     = false
  multi_az                = true
  iam_database_authentication_enabled = true
  monitoring_interval                 = 60
  monitoring_role_arn                 = "arn:aws:iam::123456789012:role/rds-monitoring"
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  performance_insights_enabled        = true
  copy_tags_to_snapshot               = true
}
'''


def binary():
    return os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")


@pytest.fixture
def workspace(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "examples", ws)
    (tmp_path / "secret.tf").write_text('resource "aws_s3_bucket" "secret" {}\n')
    os.symlink(tmp_path, ws / "escape")
    return ws


def session(ws, *extra):
    async def run(body):
        params = StdioServerParameters(command=binary(), args=["mcp", "--root", str(ws), *extra])
        async with stdio_client(params) as (r, w):
            async with ClientSession(r, w) as s:
                init = await s.initialize()
                return await body(s, init)
    return run


def call(ws, name, args, *extra):
    async def body(s, _):
        return await s.call_tool(name, args)
    return asyncio.run(session(ws, *extra)(body))


def test_initialize_lists_tools_with_valid_schemas_and_instructions(workspace):
    async def body(s, init):
        tools = await s.list_tools()
        resources = await s.list_resources()
        pack = await s.read_resource("goldpath://rulepacks/aws/aws-rds.yaml")
        return init, tools, resources, pack
    init, tools, resources, pack = asyncio.run(session(workspace)(body))
    assert init.protocol_version == "2025-11-25"
    assert "golden_paths" in init.instructions and "request_review" in init.instructions
    names = [t.name for t in tools.tools]
    assert names == ["golden_paths", "check", "fix", "explain_rule", "request_review"]
    for t in tools.tools:
        jsonschema.Draft202012Validator.check_schema(t.input_schema)
        assert t.input_schema["additionalProperties"] is False
        assert all(p.get("description") for p in t.input_schema["properties"].values())
    assert [t.annotations.read_only_hint for t in tools.tools] == [True, True, True, True, False]
    assert "goldpath://rulepacks/kubernetes/k8s-workload.yaml" in [str(r.uri) for r in resources.resources]
    assert "pack: aws" in pack.contents[0].text and "  - id: aws-rds\n" in pack.contents[0].text


def test_agent_loop_golden_paths_check_fix_check(workspace):
    async def body(s, _):
        guidance = await s.call_tool("golden_paths", {"subject_type": "resource.aws_db_instance"})
        draft = await s.call_tool("check", {"content": NONCOMPLIANT_RDS, "filename": "infra/db/main.tf"})
        fixed = await s.call_tool("fix", {"content": NONCOMPLIANT_RDS, "filename": "infra/db/main.tf"})
        content = fixed.structured_content["files"][0]["content"]
        again = await s.call_tool("check", {"content": content, "filename": "infra/db/main.tf"})
        return guidance, draft, fixed, again
    guidance, draft, fixed, again = asyncio.run(session(workspace)(body))
    paths = guidance.structured_content["golden_paths"]
    assert "aws-rds" in [p["id"] for p in paths]
    rds = next(p for p in paths if p["id"] == "aws-rds")
    assert any(r["id"] == "AWS001" and r["compliant_example"] for r in rds["rules"])
    assert draft.is_error is False
    rules = {(f["rule"], f["start"]["line"], f["start"]["column"]) for f in draft.structured_content["findings"]}
    assert ("AWS001", 4, 3) in rules and ("AWS002", 5, 3) in rules and ("AWS003", 1, 1) in rules
    assert draft.structured_content["verdicts"][0]["status"] == "deviates"
    assert fixed.structured_content["findings_before"] == 3
    assert fixed.structured_content["findings_after"] == 0
    assert "  storage_encrypted                   = true\n" in fixed.structured_content["files"][0]["content"]
    assert again.structured_content["findings"] == []
    assert again.structured_content["summary"]["conforms"] is True
    assert again.structured_content["verdicts"][0]["status"] == "conforms"


def test_first_of_a_kind_goes_to_request_review_and_is_merged(workspace):
    async def body(s, _):
        c = await s.call_tool("check", {"path": "terraform"})
        r1 = await s.call_tool("request_review", {"path": "terraform/network.tf", "subject": "aws_kinesis_stream.events",
                                                   "justification": "Payments needs an event stream for the ledger replay."})
        r2 = await s.call_tool("request_review", {"path": "terraform/network.tf", "subject": "aws_kinesis_stream.events",
                                                   "justification": "Asking again for the same unchanged stream."})
        return c, r1, r2
    c, r1, r2 = asyncio.run(session(workspace)(body))
    verdicts = {v["subject"]: v["status"] for v in c.structured_content["verdicts"]}
    assert verdicts["aws_kinesis_stream.events"] == "needs_review"
    assert r1.is_error is False and r1.structured_content["status"] == "pending" and r1.structured_content["first_of_a_kind"]
    assert r2.structured_content["id"] == r1.structured_content["id"] and r2.structured_content["merged"] is True
    import subprocess
    listed = subprocess.run([binary(), "review", "list", "--format", "json"], cwd=workspace, capture_output=True, text=True, check=True)
    stored = json.loads(listed.stdout)
    assert len(stored) == 1 and stored[0]["subject"] == "aws_kinesis_stream.events" and "aws_kinesis_stream" in stored[0]["snippet"]
    log = subprocess.run([binary(), "audit", "log", "--format", "json"], cwd=workspace, capture_output=True, text=True, check=True)
    audit = json.loads(log.stdout)
    assert [a["action"] for a in audit] == [
        "mcp.check", "review.request", "mcp.request_review", "review.request", "mcp.request_review"]
    assert audit[-1]["subject"] == "terraform/network.tf" and audit[-1]["outcome"].startswith("ok: Review request")


@pytest.mark.parametrize("path, message", [
    ("../secret.tf", "outside the workspace roots"),
    ("/etc/passwd", "outside the workspace roots"),
    ("escape/secret.tf", "leads outside the workspace roots through a symbolic link"),
    ("terraform/../../secret.tf", "outside the workspace roots"),
    ("nonexistent/main.tf", "no such file or folder"),
])
def test_sandbox_escapes_are_refused(workspace, path, message):
    res = call(workspace, "check", {"path": path})
    assert res.is_error is True
    assert message in res.content[0].text
    assert "field 'path'" in res.content[0].text


@pytest.mark.parametrize("tool, args, message", [
    ("check", {}, "give either 'path'"),
    ("check", {"path": 3}, "field 'path' must be a string"),
    ("check", {"path": "terraform", "content": "x"}, "not both"),
    ("check", {"content": "x = 1"}, "missing field 'filename'"),
    ("check", {"content": "x = 1", "filename": "/tmp/x.tf"}, "must be a relative file name"),
    ("check", {"content": "x = 1", "filename": "../x.tf"}, "outside the workspace roots"),
    ("check", {"content": "x", "filename": "notes.txt"}, "not a kind goldpath checks"),
    ("check", {"path": "terraform", "bogus": 1}, "unknown field 'bogus'"),
    ("check", {"path": "terraform", "cursor": "nope"}, "field 'cursor'"),
    ("fix", {"path": "../secret.tf"}, "outside the workspace roots"),
    ("golden_paths", {"language": "cobol"}, "field 'language' must be one of"),
    ("explain_rule", {}, "missing required field 'id'"),
    ("explain_rule", {"id": "NOPE1"}, "no rule NOPE1"),
    ("request_review", {"path": "terraform/network.tf", "subject": "aws_kinesis_stream.events", "justification": "short"}, "at least 20 characters"),
    ("request_review", {"path": "terraform/network.tf", "subject": "aws_nope.x", "justification": "a long enough justification"}, "no subject aws_nope.x"),
    ("request_review", {"path": "/etc/hosts", "subject": "x", "justification": "a long enough justification"}, "outside the workspace roots"),
    ("approve", {"id": "RR-1"}, "unknown tool 'approve'"),
])
def test_bad_input_is_a_tool_error_naming_the_problem(workspace, tool, args, message):
    res = call(workspace, tool, args)
    assert res.is_error is True
    assert message in res.content[0].text


def test_content_size_limit_and_explain_rule(workspace):
    big = call(workspace, "check", {"content": "# " + "x" * 1_100_000, "filename": "big.tf"})
    assert big.is_error is True and "the limit is 1000000" in big.content[0].text
    explained = call(workspace, "explain_rule", {"id": "K8S001"})
    assert explained.structured_content["golden_path"] == "k8s-workload"
    assert explained.structured_content["failing_examples"]


def test_long_results_are_paged_under_the_budget(workspace):
    async def body(s, _):
        first = await s.call_tool("check", {"path": "."})
        pages = [first]
        while pages[-1].structured_content.get("next_cursor"):
            pages.append(await s.call_tool("check", {"path": ".", "cursor": pages[-1].structured_content["next_cursor"]}))
        return pages
    pages = asyncio.run(session(workspace, "--token-budget", "1000")(body))
    assert len(pages) > 2
    for p in pages:
        assert len(json.dumps(p.structured_content)) <= 1000 * 4 + 800
    total = pages[0].structured_content["summary"]["findings"]
    assert sum(len(p.structured_content["findings"]) for p in pages) == total


def test_stdout_carries_only_json_and_eof_exits_0(workspace):
    import subprocess
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}
    proc = subprocess.run([binary(), "mcp", "--root", str(workspace)], input=json.dumps(init) + "\n{not json\n",
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0
    messages = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]   # every stdout line is JSON
    by_id = {m.get("id"): m for m in messages}
    assert by_id[1]["result"]["protocolVersion"] == "2025-06-18"
    # The malformed line gets a JSON-RPC parse error, and the server goes on.
    assert [m["error"]["code"] for m in messages if "error" in m] == [-32700]


def test_changed_only_reports_what_the_change_introduced(workspace):
    base = 'resource "aws_ebs_volume" "a" {\n  size = 10\n}\n'
    changed = base + 'resource "aws_kms_key" "k" {\n  description = "x"\n}\n'
    res = call(workspace, "check", {"content": changed, "filename": "infra/main.tf", "changed_only": True, "base_content": base})
    assert res.is_error is False
    # The new key is not rotated and has no key policy; the volume's own findings were there before.
    assert [f["rule"] for f in res.structured_content["findings"]] == ["AWS040", "AWS286"]
    missing = call(workspace, "check", {"content": changed, "filename": "infra/main.tf", "changed_only": True})
    assert missing.is_error is True and "base_content" in missing.content[0].text


def test_fix_on_a_path_returns_content_and_writes_nothing(workspace):
    before = (workspace / "terraform/terraform.tfvars").read_text()
    res = call(workspace, "fix", {"path": "terraform"})
    files = {f["file"]: f for f in res.structured_content["files"]}
    assert files["terraform/terraform.tfvars"]["content"] == 'environment  = "prod"\ndb_encrypted = true\n'
    assert files["terraform/terraform.tfvars"]["edits"] == [
        {"start": {"line": 2, "column": 16}, "end": {"line": 2, "column": 20}, "new_text": "tru"}]
    assert (workspace / "terraform/terraform.tfvars").read_text() == before


def test_agent_drafts_a_migration_against_the_replayed_schema(workspace):
    draft_sql = "CREATE INDEX orders_placed_at_idx ON orders (placed_at);\n"
    name = "migrations/orders-service/000005_index_orders_by_date.up.sql"

    async def body(s, _):
        draft = await s.call_tool("check", {"content": draft_sql, "filename": name})
        fixed = await s.call_tool("fix", {"content": draft_sql, "filename": name})
        content = fixed.structured_content["files"][0]["content"]
        again = await s.call_tool("check", {"content": content, "filename": name})
        return draft, content, again
    draft, content, again = asyncio.run(session(workspace)(body))
    rules = {(f["rule"], f["start"]["line"], f["start"]["column"]) for f in draft.structured_content["findings"]}
    # orders was created by 000002: the index would lock a table that holds data.
    assert ("PG001", 1, 1) in rules
    assert content == "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_placed_at_idx ON orders (placed_at);\n"
    assert again.structured_content["findings"] == []


def test_fix_returns_a_created_migration_and_writes_nothing(workspace):
    folder = workspace / "db/migrations"
    folder.mkdir(parents=True)
    (folder / "000001_users.up.sql").write_text("CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, nickname text);\n")
    (folder / "000002_nick.up.sql").write_text(
        "ALTER TABLE users ADD COLUMN IF NOT EXISTS handle text;\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n")
    res = call(workspace, "fix", {"path": "db/migrations"})
    assert res.is_error is False, res.content[0].text
    files = {f["file"]: f for f in res.structured_content["files"]}
    created = files["db/migrations/000003_create_users_nickname_idx.up.sql"]
    assert created["created"] is True
    assert created["content"] == "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_nickname_idx ON users (nickname);\n"
    assert files["db/migrations/000003_create_users_nickname_idx.down.sql"]["content"] == (
        "DROP INDEX CONCURRENTLY IF EXISTS users_nickname_idx;\n")
    # The timeouts come from the other fixes applied to the file the index left.
    assert files["db/migrations/000002_nick.up.sql"]["content"] == (
        "SET lock_timeout = '2s';\nSET statement_timeout = '5min';\nALTER TABLE users ADD COLUMN IF NOT EXISTS handle text;\n")
    assert "created" not in files["db/migrations/000002_nick.up.sql"] or files["db/migrations/000002_nick.up.sql"]["created"] is None
    assert sorted(p.name for p in folder.iterdir()) == ["000001_users.up.sql", "000002_nick.up.sql"]


@pytest.mark.parametrize("tool", ["check", "fix"])
def test_a_file_in_a_folder_that_links_out_of_the_roots_is_not_read(workspace, tmp_path, tool):
    outside = tmp_path / "private.tf"
    outside.write_text('resource "aws_s3_bucket" "private_bucket_of_someone_else" {\n  acl = "private-data-here"\n}\n')
    (workspace / "linkmod").mkdir()
    os.symlink(outside, workspace / "linkmod/main.tf")
    res = call(workspace, tool, {"path": "linkmod"})
    text = " ".join(c.text for c in res.content)
    assert "private_bucket_of_someone_else" not in text and "private-data-here" not in text
    assert "leads outside the workspace roots through a symbolic link; not read" in text, text


def test_the_repositorys_config_cannot_point_packs_or_the_store_outside_the_roots(workspace, tmp_path):
    outside_pack = tmp_path / "outside-pack.yaml"
    outside_pack.write_text("pack: stolen\ngolden_paths: []\n# SECRET-MARKER\n")
    (workspace / ".goldpath.yaml").write_text(f"packs: [aws, {outside_pack}]\nstore: ../outside.db\n")

    async def body(s, _):
        resources = await s.list_resources()
        uris = [str(r.uri) for r in resources.resources]
        result = await s.call_tool("check", {"path": "terraform"})
        return uris, result

    uris, result = asyncio.run(session(workspace)(body))
    assert not any("stolen" in u or "outside-pack" in u for u in uris), uris
    assert result.is_error is False
    text = " ".join(c.text for c in result.content)
    assert "SECRET-MARKER" not in text
    assert not (tmp_path / "outside.db").exists()


RAW_INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}}


def raw_answers(ws, lines, expect, timeout=60):
    """Writes raw lines to goldpath mcp and reads `expect` answers while its input is still open (so the
    server answers as it goes, not at the end of the input); then closes the input and expects exit 0.
    `timeout` bounds a hang; it is not a benchmark."""
    proc = subprocess.Popen([binary(), "mcp", "--root", str(ws)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    answers = []

    def read():
        while len(answers) < expect:
            line = proc.stdout.readline()
            if not line:
                return
            answers.append(json.loads(line))

    def write():
        try:
            for line in lines:
                proc.stdin.write(line + b"\n")
            proc.stdin.flush()
        except BrokenPipeError:
            pass

    reader = threading.Thread(target=read, daemon=True)
    writer = threading.Thread(target=write, daemon=True)
    reader.start()
    writer.start()
    reader.join(timeout)
    try:
        assert len(answers) == expect, answers
    finally:
        writer.join(5)
        if reader.is_alive() or writer.is_alive():
            proc.kill()
        else:
            proc.stdin.close()
        returncode = proc.wait(timeout=30)
    assert returncode == 0
    return answers


def raw(message):
    return json.dumps(message).encode()


def refused(code, message):
    return {"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}


def padded_request(size):
    """A valid tools/call request line of about `size` bytes."""
    head = b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"check","arguments":{"content":"'
    return head + b"x" * (size - len(head) - 4) + b'"}}}'


def test_an_overlong_line_is_answered_with_id_null_and_the_next_message_is_served(workspace):
    line = padded_request(6 << 20)
    first, second = raw_answers(workspace, [line, raw(RAW_INIT)], expect=2)
    assert first == refused(-32600, f"message of {len(line)} bytes is over the 4 MiB limit")
    assert second["id"] == 1 and second["result"]["protocolVersion"] == "2025-06-18"


def test_a_20_mb_line_is_dropped_without_hanging(workspace):
    line = padded_request(20 << 20)
    first, second = raw_answers(workspace, [line, raw(RAW_INIT)], expect=2, timeout=60)
    assert first == refused(-32600, f"message of {len(line)} bytes is over the 4 MiB limit")
    assert second["id"] == 1 and "result" in second


def test_deep_nesting_is_refused_with_id_null_before_decoding(workspace):
    deep = "[" * 99 + "]" * 99
    line = ('{"jsonrpc":"2.0","id":2,"method":"tools/call","params":' + deep + "}").encode()
    first, second = raw_answers(workspace, [line, raw(RAW_INIT)], expect=2, timeout=30)
    assert first == refused(-32600, "nesting deeper than 64 levels")
    assert second["id"] == 1 and "result" in second


@pytest.mark.parametrize("line", [b"{not json", b'{"jsonrpc":"2.0","id":3,"method":"ping"', b"\xff\xfe"])
def test_a_line_that_is_not_json_is_a_parse_error_with_id_null(workspace, line):
    first, second = raw_answers(workspace, [line, b"", raw(RAW_INIT)], expect=2, timeout=30)
    assert first == refused(-32700, "Parse error")
    assert second["id"] == 1 and "result" in second


def test_malformed_protocol_params_are_invalid_params_with_the_request_id(workspace):
    requests = [
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": 5},
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"arguments": {}}},
        {"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "check", "arguments": [1]}},
        {"jsonrpc": "2.0", "id": 5, "method": "resources/read", "params": {"url": "goldpath://rulepacks/aws/aws-rds.yaml"}},
        {"jsonrpc": "2.0", "id": 6, "method": "tools/list", "params": "all"},
        {"jsonrpc": "2.0", "id": 7, "method": "initialize", "params": []},
        {"jsonrpc": "2.0", "id": 8, "method": "no/such/method"},
        {"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "check", "arguments": {"bogus": 1}}},
    ]
    answers = raw_answers(workspace, [raw(RAW_INIT)] + [raw(r) for r in requests], expect=9, timeout=60)
    by_id = {a["id"]: a for a in answers}
    assert sorted(by_id) == list(range(1, 10))
    assert {i: by_id[i]["error"]["code"] for i in range(2, 9)} == {
        2: -32602, 3: -32602, 4: -32602, 5: -32602, 6: -32602, 7: -32602, 8: -32601}
    assert by_id[2]["error"]["message"] == "Invalid params: params of tools/call must be an object"
    assert by_id[3]["error"]["message"] == "Invalid params: 'name' in the params of tools/call is missing"
    assert by_id[4]["error"]["message"] == "Invalid params: 'arguments' in the params of tools/call must be an object"
    assert by_id[5]["error"]["message"] == "Invalid params: 'uri' in the params of resources/read is missing"
    # A bad tool argument stays a tool result with isError, as the MCP spec asks.
    assert by_id[9]["result"]["isError"] is True and "unknown field 'bogus'" in by_id[9]["result"]["content"][0]["text"]
