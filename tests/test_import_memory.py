"""The importer's memory is flat in N (issue 19): a guard on the property, not on a time.

An archive-scale import (1M statements) must stay under 300 MB. Nothing in the importer may
hold something per record imported: only the key maps, which are bounded (MAX_MAP_ENTRIES,
dropped after a flush) and a chunk of items. At test scale the bounds are scaled down by the same
factor as the archive, so a small archive already runs through many buffers, chunks and map
drops; then importing four times as many statements must not raise the peak of Python's traced
memory by more than a small bound. A change that keeps anything per record (a list of row
hashes, a set of every key, a log of ids) grows it by ≈ 100 bytes or more per statement and fails.
The absolute figures at 100k and 1M are measured by bench/run.py (docs/performance.md).
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import generated_jsonl

SMALL, LARGE = 2_000, 8_000
#: the allowed growth of the peak from SMALL to LARGE statements: ≈ 170 bytes per extra statement
#: (what is measured today: ≈ 0.45 MB, the last chunk's records and buffers differing in content;
#: the leak behind the old 1M figure of 515 MB would have been ≈ 400 bytes per statement)
BOUND = 1_000_000


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("flat")
    return {n: generated_jsonl(folder / f"{n}.jsonl", n, actors=300) for n in (SMALL, LARGE)}


@pytest.fixture
def fresh_urls(template_url: str, tmp_path: Path) -> Iterator[Any]:
    """Makes fresh migrated databases (copies of the session's template), dropped at the end."""
    from tests.conftest import copied_database

    with ExitStack() as stack:
        yield lambda: stack.enter_context(copied_database(template_url, tmp_path))


def _peak_of_import(url: str, path: Path) -> int:
    from claimtrack.db import Database
    from claimtrack.formats import apply, import_file

    apply._DATE_CACHE.clear()  # a cache shared between imports: each starts from nothing

    database = Database(url, user="tester")
    try:
        with database.write() as session:
            tracemalloc.start(1)
            try:
                import_file(session, path, "jsonl")
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    finally:
        database.dispose()


def test_import_peak_memory_does_not_grow_with_the_archive(monkeypatch: pytest.MonkeyPatch, fresh_urls: Any,
                                                           archives: dict[int, Path]) -> None:
    from claimtrack.formats import apply

    # 1M statements : 8k ≈ 100 : 1 — scale the bounds alike, so both imports fill many buffers
    # and drop their maps several times (the small one too), as an archive-scale import does
    monkeypatch.setattr(apply, "MAX_MAP_ENTRIES", 3_000)
    monkeypatch.setattr(apply, "BATCH_ROWS", 500)
    monkeypatch.setattr(apply, "CHUNK_ITEMS", 200)
    monkeypatch.setattr(apply, "LOOKUP_BATCH", 250)
    monkeypatch.setattr(apply, "DATE_CACHE_ENTRIES", 500)
    monkeypatch.setattr(apply, "_DATE_CACHE", {})
    _peak_of_import(fresh_urls(), archives[SMALL])  # warm-up: imports, caches, compiled statements
    small = _peak_of_import(fresh_urls(), archives[SMALL])
    large = _peak_of_import(fresh_urls(), archives[LARGE])
    assert large - small < BOUND, (
        f"import peak traced memory grew from {small / 1e6:.2f} MB ({SMALL:,} statements) to "
        f"{large / 1e6:.2f} MB ({LARGE:,}): something is kept per record")
