"""Regenerate the SVG screenshots in docs/ from the demo database (Rich's SVG export).

    .venv/bin/python scripts/screenshots.py

The pictures are real output: a fresh demo database is built in a temporary folder, the tour's
sections are rendered into a recording console, and the reports are exported by the commands
themselves (`report … --output FILE.svg`). Run it after changing a renderer or the demo data.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
WIDTH = 100

# (file, command after `claimtrack --db DEMO`): reports exported by the commands themselves
REPORTS = [
    ("report-claim.svg", ["report", "claim", "protesters-detained-3000"]),
    ("report-speaker.svg", ["report", "speaker", "Alexey Navalny"]),
]


def tour_section(tour: object, renderer: object, name: str, title: str) -> None:
    from claimtrack.reports.common import svg_format
    from claimtrack.reports.text import make_console

    console = make_console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True, color_system="truecolor")
    renderer(tour, console)  # type: ignore[operator]
    console.save_svg(str(DOCS / name), title=title, code_format=svg_format())  # no remote font
    print(f"wrote docs/{name}")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from claimtrack.cli.app import app
    from claimtrack.demo import build_tour, create_demo_database
    from claimtrack.reports import tour as tour_render

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        database = create_demo_database(path)
        with database.read() as session:
            tour = build_tour(session, Path("~/.local/share/claimtrack/demo.db"))
            tour_section(tour, tour_render.render_conflicts, "demo-conflicts.svg", "claimtrack demo: conflicts")
            tour_section(tour, tour_render.render_chain, "demo-chain.svg", "claimtrack demo: a chain")
            tour_section(tour, tour_render.render_audit, "demo-audit.svg", "claimtrack demo: the audit")
        database.dispose()
        runner = CliRunner()
        for name, args in REPORTS:
            result = runner.invoke(app, ["--db", str(path), *args, "--output", str(DOCS / name)])
            if result.exit_code != 0:
                print(f"failed: claimtrack {' '.join(args)}\n{result.output}", file=sys.stderr)
                return 1
            print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
