"""ruff and mypy, as configured in pyproject.toml, find nothing (CI runs them through this test)."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

# Where each part of the `policyparse` package lives in the checkout (pyproject's package-dir).
PACKAGE_DIRS = {"": "pipeline", "extractors": "extractors", "rules": "rules"}


def _tool(name: str) -> str:
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_ruff_finds_nothing():
    result = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing(tmp_path):
    # mypy knows no package-dir: lay the package out as it is installed, with links, and check that.
    package = tmp_path / "policyparse"
    package.mkdir()
    for entry in (ROOT / "pipeline").iterdir():
        (package / entry.name).symlink_to(entry)
    for name, folder in PACKAGE_DIRS.items():
        if name:
            (package / name).symlink_to(ROOT / folder)
    result = subprocess.run([_tool("mypy"), "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir",
                             str(tmp_path / "cache"), "-p", "policyparse"], cwd=tmp_path, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout.replace(str(tmp_path), "") + result.stderr
