"""How fast `claimtrack serve` renders its pages on a large archive ("well under 100 ms").

    python bench/serve.py [-n 100000] [--db FILE.db] [--repeat 7]

Builds (or reuses, with --db) a SQLite archive of N synthetic statements from
bench/generate.py, then times each page in-process through Starlette's test client (query,
view model and template, no network), median of --repeat runs after one warm-up, HTML and
JSON. The baseline, in the same process, is the same page on the demo database: the ratio says
what the archive's size costs, whatever the machine's load.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/claims/1", "/claims/500", "/actors/1", "/actors/2?view=outlet", "/documents/1",
         "/statements/1", "/search?q=police", "/conflicts", "/timeline?claim=1"]


def build(n: int, folder: Path) -> Path:
    data, db = folder / f"bench-{n}.jsonl", folder / f"bench-{n}.db"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(n), "-o", str(data)], check=True)
    subprocess.run([sys.executable, "-m", "claimtrack", "--db", str(db), "db", "upgrade"], check=True)
    subprocess.run([sys.executable, "-m", "claimtrack", "--db", str(db), "import", str(data)], check=True,
                   stdout=subprocess.DEVNULL)
    return db


def demo(folder: Path) -> Path:
    db = folder / "demo.db"
    subprocess.run([sys.executable, "-m", "claimtrack", "demo", "--db", str(db)], check=True, stdout=subprocess.DEVNULL)
    return db


def timings(db: Path, pages: list[str], repeat: int) -> dict[str, tuple[float, int]]:
    from starlette.testclient import TestClient

    from claimtrack.db import Database
    from claimtrack.web.app import create_app

    database = Database(f"sqlite:///{db}", user="bench")
    client = TestClient(create_app(database), base_url="http://127.0.0.1")
    result: dict[str, tuple[float, int]] = {}
    for page in pages:
        status = client.get(page).status_code  # warm-up: caches, template compilation
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(page)
            runs.append(time.perf_counter() - start)
        result[page] = (statistics.median(runs) * 1000, status)
    database.dispose()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an archive already imported (skips generating)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = args.db or build(args.n, folder)
        base = timings(demo(folder), PAGES, args.repeat)
        big = timings(db, PAGES, args.repeat)
        json_pages = [p + ("&" if "?" in p else "?") + "format=json" for p in PAGES]
        big_json = timings(db, json_pages, args.repeat)
    print(f"| page | demo ms | {args.n:,} statements ms | ratio | JSON ms |")
    print("|---|---:|---:|---:|---:|")
    for page, json_page in zip(PAGES, json_pages):
        (b, _), (t, status), (j, _) = base[page], big[page], big_json[json_page]
        note = "" if status == 200 else f" (HTTP {status})"
        print(f"| `{page}`{note} | {b:.1f} | {t:.1f} | {t / b:.1f}× | {j:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
