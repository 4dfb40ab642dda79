"""The agent configurations in editors/agents start goldpath mcp as their agents would."""
import asyncio
import json
import os
import pathlib
import shutil
import tomllib

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = pathlib.Path(__file__).resolve().parents[2]
AGENTS = ROOT / "editors/agents"


def server_entry(config):
    if config.suffix == ".toml":
        return tomllib.loads(config.read_text())["mcp_servers"]["goldpath"]
    doc = json.loads(config.read_text())
    return (doc.get("mcpServers") or doc.get("servers"))["goldpath"]


@pytest.mark.parametrize("config", ["claude-code/.mcp.json", "cursor/mcp.json", "vscode/mcp.json", "codex/config.toml"])
def test_agent_config_starts_the_server(config, tmp_path):
    entry = server_entry(AGENTS / config)
    assert entry["command"] == "goldpath"
    assert entry.get("type", "stdio") == "stdio"
    workspace = tmp_path / "project"
    shutil.copytree(ROOT / "examples", workspace)
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    args = [a.replace("${workspaceFolder}", str(workspace)) for a in entry["args"]]

    async def run():
        params = StdioServerParameters(command=binary, args=args, cwd=str(workspace))
        async with stdio_client(params) as (r, w):
            async with ClientSession(r, w) as s:
                await s.initialize()
                tools = await s.list_tools()
                checked = await s.call_tool("check", {"path": "terraform"})
                return [t.name for t in tools.tools], checked
    names, checked = asyncio.run(run())
    assert names == ["golden_paths", "check", "fix", "explain_rule", "request_review"]
    assert checked.is_error is False
