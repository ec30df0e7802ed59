"""The conflicts package: importing it builds nothing, and a global page streams."""

from __future__ import annotations

import subprocess
import sys


def test_importing_conflicts_configures_no_mappers():
    """aliased() and other mapper-configuring work waits for the first query that needs it, so
    a command that imports the package but lists no conflicts does not pay for it."""
    code = ("import claimtrack.models as m, claimtrack.queries.conflicts;"
            "print(m.Actor.__mapper__.configured)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
