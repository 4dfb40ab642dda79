"""goldpath lsp under pytest-lsp: a pygls client with the capabilities Neovim 0.7 and VS Code send,
and pytest-lsp's checks that every result fits what the client said it supports."""
import os
import pathlib
import shutil

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")


@pytest.fixture
def workspace(tmp_path):
    shutil.copytree(ROOT / "examples/terraform", tmp_path / "terraform")
    shutil.copytree(ROOT / "examples/migrations", tmp_path / "migrations")
    return tmp_path


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text().splitlines()) if needle in line)


async def start(client: LanguageClient, spec: str, root: pathlib.Path):
    client.registrations = []

    client.refreshes = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    # VS Code re-pulls code lenses when asked (pytest-lsp answers diagnostic refreshes itself).
    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(params):
        client.refreshes.append("codeLens")

    await client.initialize_session(types.InitializeParams(capabilities=client_capabilities(spec), root_uri=root.as_uri()))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BINARY, "lsp"]))
async def nvim(lsp_client: LanguageClient, workspace):
    await start(lsp_client, "neovim@v0.7.0", workspace)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BINARY, "lsp"]))
async def vscode(lsp_client: LanguageClient, workspace):
    await start(lsp_client, "visual-studio-code", workspace)
    yield
    await lsp_client.shutdown_session()


def open_file(client, path, language="terraform"):
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=path.as_uri(), language_id=language, version=1, text=path.read_text())))


@pytest.mark.asyncio
async def test_pushed_diagnostics_and_a_verified_quick_fix(nvim: LanguageClient, workspace):
    main = workspace / "terraform/main.tf"
    open_file(nvim, main)
    await nvim.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    diagnostics = nvim.diagnostics[main.as_uri()]
    line = line_of(main, "backup_retention_period")
    aws002 = next(d for d in diagnostics if d.code == "AWS002")
    assert aws002.range == types.Range(types.Position(line, 2), types.Position(line, 25))
    assert aws002.source == "goldpath" and aws002.severity == types.DiagnosticSeverity.Error
    actions = await nvim.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=main.as_uri()), range=aws002.range,
        context=types.CodeActionContext(diagnostics=[aws002])))
    fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.title.endswith("(AWS002)"))
    assert fix.kind == types.CodeActionKind.QuickFix
    assert list(fix.edit.changes[main.as_uri()]) == [types.TextEdit(
        range=types.Range(types.Position(line, 28), types.Position(line, 29)), new_text="7")]
    suppress = next(a for a in actions if a.title == "Suppress AWS002 with a reason…")
    assert suppress.edit.changes[main.as_uri()][0].new_text == '  # goldpath:ignore AWS002 reason=""\n'


@pytest.mark.asyncio
async def test_pull_diagnostics_code_lens_completion_and_hover(vscode: LanguageClient, workspace):
    main = workspace / "terraform/main.tf"
    open_file(vscode, main)
    report = await vscode.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=main.as_uri())))
    assert report.kind == "full"
    assert sorted(d.code for d in report.items) == ["AWS001", "AWS002", "AWS003", "AWS005", "AWS006", "AWS011", "AWS012", "AWS013", "AWS014",
                                                    "AWS200", "AWS201", "AWS204", "AWS205", "AWS260", "AWS261", "AWS262", "AWS263", "TF005"]
    again = await vscode.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=main.as_uri()), previous_result_id=report.result_id))
    assert again.kind == "unchanged" and again.result_id == report.result_id
    assert main.as_uri() not in vscode.diagnostics  # pulled, never pushed
    watched = next(r for r in vscode.registrations if r.method == "workspace/didChangeWatchedFiles")
    assert {w["globPattern"] for w in watched.register_options["watchers"]} >= {"**/.goldpath.yaml", "**/*.tf"}

    lenses = await vscode.text_document_code_lens_async(types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=main.as_uri())))
    titles = {l.range.start.line: l.command.title for l in lenses}
    assert titles[line_of(main, 'resource "aws_db_instance" "orders"')] == "✗ 9 deviations from Encrypted, backed-up, private RDS database"

    line = line_of(main, "instance_class")
    items = await vscode.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=main.as_uri()), position=types.Position(line, 30)))
    assert [i.label for i in items.items][:2] == ["db.t3.medium", "db.t3.large"]
    assert items.items[0].text_edit.new_text == '"db.t3.medium"'

    hover = await vscode.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=main.as_uri()), position=types.Position(line_of(main, "backup_retention_period"), 4)))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("**AWS002**")


@pytest.mark.asyncio
async def test_request_review_for_a_first_of_a_kind_resource(vscode: LanguageClient, workspace):
    network = workspace / "terraform/network.tf"
    open_file(vscode, network)
    line = line_of(network, 'resource "aws_kinesis_stream" "events"')
    actions = await vscode.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=network.as_uri()),
        range=types.Range(types.Position(line, 3), types.Position(line, 3)), context=types.CodeActionContext(diagnostics=[])))
    # lsprotocol reads a CodeAction that carries a command as a bare Command; the code lens carries the same command.
    assert any(a.title == "Request review of aws_kinesis_stream.events (first of a kind)" for a in actions)
    lenses = await vscode.text_document_code_lens_async(types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=network.as_uri())))
    lens = next(l for l in lenses if l.range.start.line == line)
    assert lens.command.title == "needs review (first of a kind)"
    result = await vscode.workspace_execute_command_async(types.ExecuteCommandParams(
        command=lens.command.command, arguments=lens.command.arguments))
    assert result["status"] == "pending" and result["id"].startswith("RR-")
    assert any(m.message == f"goldpath: review requested for aws_kinesis_stream.events ({result['id']})" for m in vscode.messages)


@pytest.mark.asyncio
async def test_a_migration_gets_diagnostics_and_a_verified_quick_fix(nvim: LanguageClient, workspace):
    index = workspace / "migrations/orders-service/000003_index_orders_by_customer.up.sql"
    open_file(nvim, index, language="sql")
    await nvim.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    diagnostics = nvim.diagnostics[index.as_uri()]
    assert sorted(d.code for d in diagnostics) == ["PG001", "PG060", "PG061", "PG092"]
    pg001 = next(d for d in diagnostics if d.code == "PG001")
    assert pg001.range == types.Range(types.Position(0, 0), types.Position(0, 38))
    assert pg001.code_description.href == "https://squawkhq.com/docs/require-concurrent-index-creation"
    actions = await nvim.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=index.as_uri()), range=pg001.range,
        context=types.CodeActionContext(diagnostics=[pg001])))
    fix = next(a for a in actions if a.title == "Add CONCURRENTLY (PG001)")
    assert list(fix.edit.changes[index.as_uri()]) == [types.TextEdit(
        range=types.Range(types.Position(0, 12), types.Position(0, 12)), new_text=" CONCURRENTLY")]
    suppress = next(a for a in actions if a.title == "Suppress PG001 with a reason…")
    assert suppress.edit.changes[index.as_uri()][0].new_text == '-- goldpath:ignore PG001 reason=""\n'


@pytest.mark.asyncio
async def test_an_earlier_migration_changed_on_disk_re_judges_the_open_one(vscode: LanguageClient, workspace):
    folder = workspace / "db/migrations"
    folder.mkdir(parents=True)
    earlier = folder / "000001_users.up.sql"
    earlier.write_text("CREATE TABLE users (id bigint PRIMARY KEY);\nCOMMENT ON TABLE users IS 'classification=internal';\n")
    (folder / "000001_users.down.sql").write_text("DROP TABLE users;\n")
    opened = folder / "000002_email.up.sql"
    opened.write_text("ALTER TABLE users ADD COLUMN email text;\nCOMMENT ON COLUMN users.email IS 'classification=pii';\n")
    (folder / "000002_email.down.sql").write_text("ALTER TABLE users DROP COLUMN email;\n")
    open_file(vscode, opened, language="sql")

    async def codes():
        report = await vscode.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=opened.as_uri())))
        return sorted(d.code for d in report.items)

    # A pii column in a table the earlier migration classified internal.
    assert "PG085" in await codes()
    watched = next(r for r in vscode.registrations if r.method == "workspace/didChangeWatchedFiles")
    assert "**/*.sql" in {w["globPattern"] for w in watched.register_options["watchers"]}
    # The earlier migration is raised to pii on disk (a git pull, another editor); the client reports the change.
    earlier.write_text(earlier.read_text().replace("classification=internal", "classification=pii"))
    vscode.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=earlier.as_uri(), type=types.FileChangeType.Changed)]))
    assert "PG085" not in await codes()
    assert "codeLens" in vscode.refreshes
