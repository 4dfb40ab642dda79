"""Shared helpers for the end-to-end tests: they drive the built goldpath binary."""
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def goldpath():
    binary = os.environ.get("GOLDPATH_BIN") or str(ROOT / ".build/debug/goldpath")
    if not pathlib.Path(binary).exists():
        pytest.fail(f"goldpath binary not found at {binary}; run swift build first")

    def run(*args, cwd=ROOT, check_exit=None):
        proc = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
        if check_exit is not None:
            assert proc.returncode == check_exit, (proc.returncode, proc.stdout, proc.stderr)
        return proc

    return run


@pytest.fixture
def example_copy(tmp_path):
    """A writable copy of the bundled example chart."""
    dest = tmp_path / "shop-api"
    shutil.copytree(ROOT / "examples/shop-api", dest)
    return dest
