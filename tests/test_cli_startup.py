"""`claimtrack --help` must stay fast: the database layer is imported only when a command runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from claimtrack.cli.app import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
heavy = [m for m in ("sqlalchemy", "alembic", "psycopg", "rapidfuzz") if m in sys.modules]
print("HEAVY:" + ",".join(heavy))
"""


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["report", "--help"], ["log", "--help"],
                                  ["import", "--help"], ["audit", "--help"], ["claim", "--help"]])
def test_help_does_not_import_the_database_layer(argv):
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=False)
    assert "HEAVY:" in result.stdout, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:", f"{argv} imported {result.stdout.splitlines()[-1]}"


def test_version_and_module_entry_point():
    from claimtrack import __version__

    result = subprocess.run([sys.executable, "-m", "claimtrack", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.strip() == f"claimtrack {__version__}"


def test_usage_errors_exit_2(cli):
    result = cli("no-such-command")
    assert result.exit_code == 2
