"""The bad-input corpus (tests/hostile.py) over every import format, in every mode.

For every input, plain, `--dry-run`, `--skip-bad` and `--dry-run --skip-bad`:
- no traceback (the CLI runs in-process with catch_exceptions=False: any exception fails);
- a refusal is one `Error: FILE, line|record|object|entry N: …` line, exit 1;
- the database is unchanged after every failure and after every dry run (rows, and on SQLite
  the file's bytes);
- the dry run's verdict is the real one: same exit code, same message, same counts;
- a rejects file is standard JSON, one object per line.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.hostile import Case, corpus, formats

CASES = corpus()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def _file_digest(cli: Any) -> str | None:
    if not cli.db_url.startswith("sqlite"):
        return None
    return hashlib.sha256(Path(cli.db_url.removeprefix("sqlite:///")).read_bytes()).hexdigest()


def _run(cli: Any, *args: str) -> tuple[int, str, Any]:
    """The import through the CLI (its error boundary is what a user sees)."""
    result = cli("import", *args, "--json")
    summary = json.loads(result.stdout) if result.exit_code == 0 else None
    return result.exit_code, " ".join(result.stderr.split()), summary


def _service(database: Any, case: Case, path: Path, *, dry_run: bool, rejects: Path | None = None
             ) -> tuple[int, str, Any]:
    """The same import without the CLI around it, on one open Database (much faster on
    PostgreSQL than a new connection per run); a ClaimtrackError is what the CLI would print,
    anything else propagates and fails the test as the traceback a user would have seen."""
    from contextlib import ExitStack

    from claimtrack.cli.transfer import _parse_map
    from claimtrack.errors import ClaimtrackError
    from claimtrack.formats import import_file
    from claimtrack.outfiles import open_output

    options: dict[str, Any] = {}
    if case.args:
        options["mapping"] = _parse_map([value for flag, value in zip(case.args[::2], case.args[1::2], strict=True)
                                         if flag == "--map"])
    try:
        with ExitStack() as stack:
            stream = stack.enter_context(open_output(rejects, force=True)) if rejects is not None else None
            with (database.read() if dry_run else database.write()) as session:
                summary = import_file(session, path, case.format, dry_run=dry_run, skip_bad=rejects is not None,
                                      rejects=stream, **options)
    except ClaimtrackError as exc:
        return 1, " ".join(f"Error: {exc}".split()), None
    return 0, "", summary.to_dict()


def _located(message: str, case: Case) -> bool:
    name = re.escape(case.filename)
    if isinstance(case.content, dict):  # a brat folder: the message may name the .ann file in it
        name = rf"({name}|\S+\.ann)"
    return re.search(rf"Error: {name}, (line|record|object|entry) \d+", message) is not None


def _check_case(cli: Any, database: Any, snapshot: Any, case: Case, folder: Path) -> list[str]:
    problems: list[str] = []
    path = case.write(folder)
    base = [str(path), "--format", case.format, *case.args]
    rejects = folder / f"{case.filename}.rejects.jsonl"

    def unchanged(label: str, before: Any, digest: str | None) -> None:
        if snapshot() != before or _file_digest(cli) != digest:
            problems.append(f"{case.id} {label}: the database changed")

    def verdict(label: str, code: int, message: str) -> None:
        if code not in (0, 1):
            problems.append(f"{case.id} {label}: exit {code}: {message}")
        if code == 1:
            if not message.startswith("Error: ") or message.count("Error: ") != 1:
                problems.append(f"{case.id} {label}: not one Error line: {message[:300]}")
            elif not _located(message, case):
                problems.append(f"{case.id} {label}: message names no file and line: {message[:300]}")
            if len(message) > 600:
                problems.append(f"{case.id} {label}: message of {len(message)} characters")

    # plain, against its dry run
    before, digest = snapshot(), _file_digest(cli)
    dry_code, dry_message, dry_summary = _service(database, case, path, dry_run=True)
    unchanged("--dry-run", before, digest)
    code, message, summary = _run(cli, *base)
    verdict("plain", code, message)
    if code == 1:
        unchanged("plain (failed)", before, digest)
    if (dry_code, dry_message) != (code, message):
        problems.append(f"{case.id}: --dry-run said {dry_code} {dry_message[:200]!r}, the import {code} {message[:200]!r}")
    elif summary is not None and dry_summary["counts"] != summary["counts"]:
        problems.append(f"{case.id}: --dry-run counts {dry_summary['counts']} != import counts {summary['counts']}")
    if case.expect == "ok" and code != 0:
        problems.append(f"{case.id}: expected to import, got {message[:300]}")
    if case.expect == "error" and code == 0:
        problems.append(f"{case.id}: expected a refusal, but it imported")
    if code == 0 and case.check is not None:
        exported = cli("export")
        records = [json.loads(line) for line in exported.stdout.splitlines()]
        if not case.check(records):
            problems.append(f"{case.id}: imported, but not as expected")

    if code == 0:
        return problems  # nothing bad to skip: --skip-bad would do the same again

    # --skip-bad, against its dry run
    before, digest = snapshot(), _file_digest(cli)
    dry_code, dry_message, dry_summary = _service(database, case, path, dry_run=True, rejects=rejects)
    unchanged("--dry-run --skip-bad", before, digest)
    code, message, summary = _service(database, case, path, dry_run=False, rejects=rejects)
    verdict("--skip-bad", code, message)
    if code == 1:
        unchanged("--skip-bad (failed)", before, digest)
    if (dry_code, dry_message) != (code, message):
        problems.append(f"{case.id} --skip-bad: --dry-run said {dry_code} {dry_message[:200]!r}, "
                        f"the import {code} {message[:200]!r}")
    elif summary is not None and (dry_summary["counts"], dry_summary["rejected"]) != (summary["counts"],
                                                                                      summary["rejected"]):
        problems.append(f"{case.id} --skip-bad: --dry-run {dry_summary} != import {summary}")
    if code == 0 and rejects.exists():
        for line in rejects.read_text(encoding="utf-8").splitlines():
            try:
                json.loads(line, parse_constant=_refuse_constant)
            except ValueError as exc:
                problems.append(f"{case.id}: rejects file line is not standard JSON ({exc})")
    return problems


@pytest.mark.parametrize("format", formats())
def test_hostile_inputs_never_crash_and_dry_run_tells_the_truth(cli: Any, database: Any, snapshot: Any,
                                                               tmp_path: Path, format: str) -> None:
    problems: list[str] = []
    # a database with data in it, opened for writing once (SQLite switches the file to WAL then)
    cli.ok("import", str(Path(__file__).parent / "fixtures" / "formats" / "native_small.jsonl"))
    cases = [case for case in CASES if case.format == format]
    for index, case in enumerate(cases):
        folder = tmp_path / str(index)
        folder.mkdir()
        problems.extend(_check_case(cli, database, snapshot, case, folder))
    assert not problems, "\n".join(problems)


def test_the_corpus_covers_every_import_format_and_class() -> None:
    from claimtrack.formats import READERS

    assert set(formats()) == set(READERS)
    names = {case.name for case in CASES}
    for required in ("deep-array", "deep-first-line", "long-field", "nan", "infinity", "5000-digit-int",
                     "lone-surrogate", "nul", "ipv6-unclosed", "port-letters", "year-1-offset",
                     "duplicate-json-key", "same-key-other-content", "thousands"):
        assert required in names, required


@pytest.mark.parametrize("args", [
    ("claim", "add", "A figure", "--quantity-subject", "people", "--quantity-value", "nan"),
    ("claim", "add", "A figure", "--quantity-subject", "people", "--quantity-value", "inf"),
])
def test_nan_and_infinity_are_refused_from_the_command_line(cli: Any, snapshot: Any, args: tuple[str, ...]) -> None:
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 1, result.stdout
    assert "quantity value must be a finite number" in result.stderr
    assert snapshot() == before


def test_export_never_writes_nan_as_json(cli: Any, database: Any, tmp_path: Path) -> None:
    """A NaN stored before imports refused it (or by hand) stops the export with a message."""
    from sqlalchemy import text

    cli.ok("claim", "add", "A figure", "--key", "fig", "--quantity-subject", "people", "--quantity-value", "3")
    engine = database.engine()
    with engine.begin() as connection:
        connection.execute(text("UPDATE claims SET quantity_value = :v WHERE key = 'fig'"), {"v": float("inf")})  # SQLite stores NaN as NULL
    out = tmp_path / "out.jsonl"
    result = cli("export", "-o", str(out))
    assert result.exit_code == 1
    assert "claim 'fig' holds NaN or Infinity, which JSON cannot carry" in " ".join(result.stderr.split())
    assert not out.exists() and not [p for p in tmp_path.iterdir() if ".part" in p.name]
