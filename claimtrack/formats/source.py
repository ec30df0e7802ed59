"""Reading import files: line-by-line UTF-8 decoding with exact line numbers, whole-JSON loading
with line and column on errors, and byte counting for the progress bar."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from claimtrack.errors import ImportFailed
from claimtrack.formats.plan import Bad
from claimtrack.formats.safejson import JsonProblem, parse_json

#: a CSV field may be as long as a text can be: a long quote or article is data, not an error
#: (Python's csv module stops at 131,072 characters by default)
CSV_FIELD_LIMIT = 2**31 - 1
csv.field_size_limit(CSV_FIELD_LIMIT)


class CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for the progress bar)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.bytes_read += n
        return n


@dataclass
class Source:
    """An import file (or an already open binary stream) and what we know about it."""

    name: str
    path: Path | None = None
    stream: IO[bytes] | None = None
    counter: CountingReader | None = None

    @classmethod
    def of(cls, path_or_stream: Any, name: str | None = None) -> Source:
        if isinstance(path_or_stream, (str, Path)):
            path = Path(path_or_stream)
            return cls(name=name or path.name, path=path)
        stream = path_or_stream
        if isinstance(stream, io.TextIOBase):
            stream = io.BytesIO(stream.read().encode("utf-8"))
        return cls(name=name or getattr(stream, "name", None) or "<stream>", stream=stream)

    @property
    def size(self) -> int | None:
        return self.path.stat().st_size if self.path is not None and self.path.is_file() else None

    def sha256(self) -> str | None:
        if self.path is None or not self.path.is_file():
            return None
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def open(self) -> IO[bytes]:
        """A buffered binary stream over the file, counting bytes for progress."""
        if self.path is not None:
            try:
                raw: IO[bytes] = self.path.open("rb")
            except IsADirectoryError:
                raise ImportFailed(f"{self.name} is a directory; give a file (or --format polnear for brat folders)") from None
            except OSError as exc:
                raise ImportFailed(f"cannot read {self.name}: {exc.strerror}") from None
        else:
            assert self.stream is not None
            raw = self.stream
        self.counter = CountingReader(raw)
        return io.BufferedReader(self.counter, buffer_size=1 << 20)

    def head(self, size: int = 4096) -> bytes:
        """The first bytes, for format detection (streams are not consumed)."""
        if self.path is not None and self.path.is_file():
            with self.path.open("rb") as handle:
                return handle.read(size)
        if self.stream is not None and self.stream.seekable():
            position = self.stream.tell()
            data = self.stream.read(size)
            self.stream.seek(position)
            return data
        return b""


def decode_lines(stream: IO[bytes]) -> Iterator[tuple[int, str] | Bad]:
    """(line number, text) for every line, or Bad for a line that is not UTF-8."""
    for number, raw in enumerate(stream, 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Bad(number, f"bytes are not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                              "save the file as UTF-8", raw.decode("utf-8", errors="replace"))


def decode_text_lines(source: Source, stream: IO[bytes]) -> Iterator[str]:
    """Lines as text for csv readers; an undecodable line stops the import with its line number."""
    for entry in decode_lines(stream):
        if isinstance(entry, Bad):
            raise ImportFailed(f"{source.name}, line {entry.line}: {entry.reason}")
        yield entry[1]


class CsvRows:
    """`csv.reader` over a source's lines, whose errors (a stray carriage return inside an
    unquoted field, …) become ImportFailed naming the file and line."""

    def __init__(self, source: Source, lines: Iterator[str], **options: Any) -> None:
        csv.field_size_limit(CSV_FIELD_LIMIT)
        self.source = source
        self._reader = csv.reader(lines, **options)

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def __iter__(self) -> CsvRows:
        return self

    def __next__(self) -> list[str]:
        try:
            return next(self._reader)
        except csv.Error as exc:
            reason = str(exc)
            if "new-line character" in reason:
                reason = "a carriage return (\\r) inside an unquoted field: quote the field or remove the \\r"
            raise ImportFailed(f"{self.source.name}, line {self._reader.line_num}: cannot read the row as "
                               f"CSV ({reason})") from None


def csv_reader(source: Source, stream: IO[bytes], **options: Any) -> CsvRows:
    """Rows of a delimited file (options as for csv.reader), with located errors."""
    return CsvRows(source, decode_text_lines(source, stream), **options)


def load_json(source: Source) -> Any:
    """The whole file parsed as JSON; errors name the line and column."""
    with source.open() as stream:
        data = stream.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ImportFailed(f"{source.name}, line {line}, column {column}: bytes are not UTF-8 text "
                           f"(byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None
    if not text.strip():
        raise ImportFailed(f"{source.name} is empty: nothing to import")
    try:
        return parse_json(text)
    except JsonProblem as exc:
        raise ImportFailed(f"{source.name}, line {exc.line}, column {exc.column}: {exc.reason}") from None
