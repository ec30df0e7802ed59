"""Run one command and write its own wall time and rusage as JSON: `python childrss.py REPORT CMD...`.

Why a separate small process: Linux keeps a process's peak RSS (`ru_maxrss`) across `exec`,
and a child created by fork or vfork starts with its parent's memory. A child spawned straight
from the benchmark, which holds hundreds of MB after the raw load of a 1M archive, therefore
reports at least the benchmark's own peak, whatever the child itself uses (this made a 1M
import look like 515 MB when it peaked near 200 MB, issue 19). Started from this ~10 MB
process instead, the command's `ru_maxrss` is its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> None:
    report, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    process = subprocess.Popen(command)  # stdout/stderr: this process's, which the caller captures
    _pid, status, usage = os.wait4(process.pid, 0)
    with open(report, "w", encoding="utf-8") as out:
        json.dump({"wall": time.perf_counter() - started, "maxrss_kb": usage.ru_maxrss,
                   "cpu": usage.ru_utime + usage.ru_stime, "exit": os.waitstatus_to_exitcode(status)}, out)


if __name__ == "__main__":
    main()
