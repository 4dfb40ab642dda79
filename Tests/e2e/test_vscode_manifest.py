"""The VS Code extension's manifest: what `vsce package` and the marketplace need, a safe untrusted-workspace
declaration, and activation only where goldpath has something to read (checked against the bundled examples); and
its TypeScript type-checked."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "editors/vscode"


def manifest():
    return json.loads((EXTENSION / "package.json").read_text())


def glob_regex(glob):
    """VS Code's glob: `**/` any folders (or none), `*` within a name."""
    out = ""
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif glob.startswith("**", i):
            out += ".*"
            i += 2
        elif glob[i] == "*":
            out += "[^/]*"
            i += 1
        else:
            out += re.escape(glob[i])
            i += 1
    return re.compile(out + r"\Z")


def test_the_manifest_has_what_packaging_needs():
    m = manifest()
    assert m["license"] == "Apache-2.0" and (EXTENSION / "LICENSE").read_text() == (ROOT / "LICENSE").read_text()
    assert m["repository"]["url"].startswith("https://") and m["repository"]["directory"] == "editors/vscode"
    assert m["scripts"]["vscode:prepublish"] == "npm run compile"
    assert m["main"] == "./out/extension.js"
    ignored = (EXTENSION / ".vscodeignore").read_text().splitlines()
    assert "src/**" in ignored and "!out/**/*.js" in ignored


def test_an_untrusted_workspace_cannot_choose_the_binary():
    m = manifest()
    untrusted = m["capabilities"]["untrustedWorkspaces"]
    assert untrusted["supported"] == "limited"
    assert set(untrusted["restrictedConfigurations"]) == {"goldpath.path", "goldpath.config"}
    properties = m["contributes"]["configuration"]["properties"]
    assert properties["goldpath.path"]["scope"] == "machine-overridable"


def test_activation_only_in_workspaces_holding_what_goldpath_reads():
    events = manifest()["activationEvents"]
    assert not [e for e in events if e.startswith("onLanguage:")], events
    patterns = [glob_regex(e.removeprefix("workspaceContains:")) for e in events]
    examples = [str(p.relative_to(ROOT)) for p in (ROOT / "examples").rglob("*") if p.is_file()]
    for wanted in ("examples/terraform/main.tf", "examples/shop-api/Chart.yaml",
                   "examples/migrations/orders-service/000001_create_customers.up.sql",
                   "examples/migrations/accounts-service/V1__create_accounts.sql"):
        assert wanted in examples
    # Each kind of workspace activates the extension...
    for folder in ("terraform", "shop-api", "migrations/orders-service"):
        files = [f.split(f"examples/{folder}/", 1)[1] for f in examples if f.startswith(f"examples/{folder}/")]
        assert any(p.match(f) for p in patterns for f in files), folder
    # ...and a workspace of YAML and SQL that is neither a chart nor migrations does not.
    for unrelated in ("docker-compose.yaml", ".github/workflows/ci.yml", "queries/report.sql", "schema.sql"):
        assert not any(p.match(unrelated) for p in patterns), unrelated


@pytest.mark.skipif(shutil.which("tsc") is None and not os.environ.get("CI_REQUIRE_TSC"), reason="tsc is not installed")
def test_the_extension_type_checks_and_a_type_error_fails_the_check(tmp_path):
    # Debian's TypeScript against typings/ (the used part of @types/vscode and vscode-languageclient: no npm here).
    ok = subprocess.run(["tsc", "-p", str(EXTENSION / "tsconfig.ci.json")], capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    copy = tmp_path / "vscode"
    shutil.copytree(EXTENSION, copy, ignore=shutil.ignore_patterns("node_modules", "out"))
    source = copy / "src/extension.ts"
    source.write_text(source.read_text().replace('args: ["lsp"]', 'args: "lsp"'))
    broken = subprocess.run(["tsc", "-p", str(copy / "tsconfig.ci.json")], capture_output=True, text=True, timeout=300)
    assert broken.returncode != 0
    assert "src/extension.ts" in broken.stdout and "Type 'string' is not assignable to type 'string[]'" in broken.stdout, broken.stdout
