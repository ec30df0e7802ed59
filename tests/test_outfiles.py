"""Files the user owns: --skip-bad, export -o and report --output never destroy a file.

An existing output is refused unless --force; the database (and its -wal/-shm siblings) and
the input are refused always; a failed write leaves neither a truncated file nor a temporary.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from claimtrack.errors import InvalidInput
from claimtrack.outfiles import check_output, open_output

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
NATIVE = FIXTURES / "native_small.jsonl"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def db_file(cli: Any) -> Path:
    if not cli.db_url.startswith("sqlite"):
        pytest.skip("the database is a file only on SQLite")
    return Path(cli.db_url.removeprefix("sqlite:///"))


def bad_input(tmp_path: Path) -> Path:
    lines = NATIVE.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "{broken")
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def refused(cli: Any, snapshot: Any, *args: str) -> str:
    before = snapshot()
    result = cli(*args)
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert snapshot() == before
    message = " ".join(result.stderr.split())
    assert message.startswith("Error: ")
    return message


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


# --------------------------------------------------------------------------- --skip-bad


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_skip_bad_never_writes_over_the_database(cli: Any, snapshot: Any, tmp_path: Path, suffix: str) -> None:
    target = Path(str(db_file(cli)) + suffix)
    cli.ok("stats")  # opens the database, so the WAL siblings exist
    target.touch()
    before = digest(target)
    message = refused(cli, snapshot, "import", str(bad_input(tmp_path)), "--skip-bad", str(target), "--force")
    assert f"--skip-bad {target}: that is the database" in message
    assert digest(target) == before


def test_skip_bad_through_a_symlink_to_the_database(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    database = db_file(cli)
    link = tmp_path / "elsewhere.jsonl"
    link.symlink_to(database)
    before = digest(database)
    message = refused(cli, snapshot, "import", str(bad_input(tmp_path)), "--skip-bad", str(link), "--force")
    assert "that is the database" in message
    assert digest(database) == before


def test_skip_bad_never_writes_over_the_input(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    source = bad_input(tmp_path)
    before = digest(source)
    message = refused(cli, snapshot, "import", str(source), "--skip-bad", str(source), "--force")
    assert f"--skip-bad {source}: that is the input file" in message
    assert digest(source) == before
    hard = tmp_path / "hard-link.jsonl"
    os.link(source, hard)
    message = refused(cli, snapshot, "import", str(source), "--skip-bad", str(hard), "--force")
    assert "that is the input file" in message
    assert digest(source) == before


def test_skip_bad_refuses_an_existing_file_unless_force(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    source = bad_input(tmp_path)
    rejects = tmp_path / "rejects.jsonl"
    rejects.write_text("my notes\n", encoding="utf-8")
    message = refused(cli, snapshot, "import", str(source), "--skip-bad", str(rejects))
    assert f"--skip-bad {rejects} already exists; give --force to replace it" in message
    assert rejects.read_text(encoding="utf-8") == "my notes\n"
    summary = cli.json("import", str(source), "--skip-bad", str(rejects), "--force")
    assert summary["rejected"] == 1
    assert json.loads(rejects.read_text(encoding="utf-8").splitlines()[0])["line"] == 4
    assert leftovers(tmp_path) == []


def test_skip_bad_file_appears_only_when_the_import_succeeds(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"type": "claimtrack", "format_version": 99}\n{"type": "claim", "text": "x"}\n', encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    refused(cli, snapshot, "import", str(source), "--skip-bad", str(rejects))
    assert not rejects.exists() and leftovers(tmp_path) == []


def test_skip_bad_in_a_missing_or_unwritable_folder(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    source = bad_input(tmp_path)
    message = refused(cli, snapshot, "import", str(source), "--skip-bad", str(tmp_path / "no" / "r.jsonl"))
    assert f"folder {tmp_path / 'no'} does not exist" in message
    # /proc refuses new files even to root, whom permission bits do not stop
    message = refused(cli, snapshot, "import", str(source), "--skip-bad", "/proc/claimtrack-rejects.jsonl")
    assert "--skip-bad /proc/claimtrack-rejects.jsonl" in message
    message = refused(cli, snapshot, "import", str(source), "--skip-bad", str(tmp_path))
    assert "is a folder; give a file name" in message


# --------------------------------------------------------------------------- export -o


def test_export_refuses_an_existing_file_unless_force(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    cli.ok("import", str(NATIVE))
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    message = refused(cli, snapshot, "export", "-o", str(out))
    assert f"--output {out} already exists; give --force to replace it" in message
    assert out.read_text(encoding="utf-8") == "keep me\n"
    os.chmod(out, 0o640)
    cli.ok("export", "-o", str(out), "--force")
    assert out.read_text(encoding="utf-8").startswith('{"type": "claimtrack"')
    assert out.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its permissions
    assert leftovers(tmp_path) == []


def test_export_never_writes_over_the_database(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    database = db_file(cli)
    cli.ok("import", str(NATIVE))
    before = digest(database)
    for target in (database, Path(str(database) + "-wal")):
        message = refused(cli, snapshot, "export", "-o", str(target), "--force")
        assert "that is the database" in message
    assert digest(database) == before


def test_failed_export_leaves_the_old_file_and_no_temporary(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("old\n", encoding="utf-8")
    refused(cli, snapshot, "export", "--claim", "nope", "-o", str(out), "--force")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- report --output


def test_report_output_refuses_an_existing_file_unless_force(cli: Any, snapshot: Any, tmp_path: Path) -> None:
    cli.ok("import", str(NATIVE))
    target = tmp_path / "c.html"
    target.write_text("<p>mine</p>", encoding="utf-8")
    message = refused(cli, snapshot, "report", "timeline", "--output", str(target))
    assert f"--output {target} already exists; give --force to replace it" in message
    message = refused(cli, snapshot, "conflicts", "--output", str(target))
    assert "already exists" in message
    assert target.read_text(encoding="utf-8") == "<p>mine</p>"
    cli.ok("report", "timeline", "--output", str(target), "--force")
    assert "<html" in target.read_text(encoding="utf-8").lower()
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- the helper


def test_open_output_removes_the_temporary_on_error(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    with pytest.raises(RuntimeError), open_output(target) as stream:
        stream.write("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_check_output_protects_folders_given_as_input(tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.ann").write_text("T1\tSource 0 1\tx\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="that is the input file"):
        check_output(folder / "a.ann", force=True, protect=[("the input file", folder)])
    assert check_output(folder / "new.jsonl", protect=[("the input file", folder)]) == folder / "new.jsonl"
