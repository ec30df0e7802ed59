"""The bad-input corpus (issue 18): hostile files for every import format, generated here.

Each `Case` is one file (or a brat folder) built from the small fixture of its format with one
hostile thing put in: JSON nested far too deep (also as the first line of delimited files),
fields longer than the csv module's default limit, NaN/Infinity and numbers too large for a
float, a 5,000-digit integer, lone surrogates, NUL characters and bytes, malformed IPv6 and
port URLs, timestamps that leave the years 1-9999 in UTC, duplicate JSON keys, one key for
two different records, locale-formatted numbers, stray carriage returns, bytes that are not
UTF-8. `expect` says whether the file must import ("ok") or be refused ("error"); either way
no input may end in a traceback (tests/test_hostile_inputs.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
DEEP = 100_000
LONG = 200_000  # characters: past csv's default field limit of 131,072
BIG_INT = "7" * 5000

CSV_MAP = ("--map", "claim=Statement", "--map", "speaker=Who", "--map", "stance=Position", "--map", "quote=Words",
           "--map", "said=When", "--map", "outlet=Paper", "--map", "url=Link", "--map", "verdict=Rating",
           "--map", "reviewer=Checker", "--map", "rating_value=Score", "--map", "best=Best", "--map", "worst=Worst")


@dataclass
class Case:
    name: str
    format: str
    filename: str
    content: bytes | dict[str, bytes]  # a file, or the files of a brat folder (relative paths)
    expect: str  # "ok" or "error"
    args: tuple[str, ...] = ()
    #: what the import must have stored, checked on success: (query over the export, value)
    check: Callable[[list[dict[str, object]]], bool] | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return f"{self.format}:{self.name}"

    def write(self, folder: Path) -> Path:
        path = folder / self.filename
        if isinstance(self.content, bytes):
            path.write_bytes(self.content)
            return path
        for relative, data in self.content.items():
            (path / relative).parent.mkdir(parents=True, exist_ok=True)
            (path / relative).write_bytes(data)
        return path


def _lines(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


def _join(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _deep_array() -> str:
    return "[" * DEEP + "]" * DEEP


def _deep_object() -> str:
    return '{"a":' * DEEP + "1" + "}" * DEEP


# --------------------------------------------------------------------------- native


def _native_cases() -> Iterator[Case]:
    base = _lines("native_small.jsonl")
    claim = '{"type": "claim", "key": "h", "text": %s%s}'
    quantity = ', "quantity": {"subject": "people detained", "value": %s, "bound": "exact"}'
    doc = '{"type": "document", "key": "hd", "url": %s%s}'
    records: list[tuple[str, str, str]] = [
        ("deep-array", _deep_array(), "error"),
        ("deep-object", _deep_object(), "error"),
        ("deep-in-record", claim % ('"x"', ', "quantity": ' + "[" * 150 + "]" * 150), "error"),
        ("long-text", claim % (json.dumps("x" * LONG), ""), "ok"),
        ("nan", claim % ('"x"', quantity % "NaN"), "error"),
        ("infinity", claim % ('"x"', quantity % "Infinity"), "error"),
        ("minus-infinity", claim % ('"x"', quantity % "-Infinity"), "error"),
        ("1e999", claim % ('"x"', quantity % "1e999"), "error"),
        ("5000-digit-int", claim % ('"x"', quantity % BIG_INT), "error"),
        ("400-digit-int", claim % ('"x"', quantity % ("9" * 400)), "error"),
        ("lone-surrogate", claim % ('"bad \\ud800 text"', ""), "error"),
        ("surrogate-pair", claim % ('"ok \\ud83d\\ude00 text"', ""), "ok"),
        ("nul-escape", claim % ('"bad \\u0000 text"', ""), "error"),
        ("nul-byte", claim % ('"bad \x00 text"', ""), "error"),
        ("nul-in-key", '{"type": "claim", "key": "k\\u0000", "text": "x"}', "error"),
        ("ipv6-unclosed", doc % ('"http://[::1/page"', ""), "error"),
        ("ipv6-bad", doc % ('"http://[zz::1]/page"', ""), "error"),
        ("port-letters", doc % ('"https://example.com:8o8o/"', ""), "error"),
        ("port-too-big", doc % ('"https://example.com:99999/"', ""), "error"),
        ("year-1-offset", doc % ('"https://e.org/x"', ', "retrieved_at": "0001-01-01T00:00:00+01:00"'), "error"),
        ("year-9999-offset", doc % ('"https://e.org/y"', ', "retrieved_at": "9999-12-31T23:00:00-05:00"'), "error"),
        ("duplicate-json-key", '{"type": "claim", "key": "d", "text": "one", "text": "two"}', "error"),
        ("duplicate-nested-key", claim % ('"x"', ', "quantity": {"subject": "a", "subject": "b", "value": 1}'),
         "error"),
    ]
    # every case gets its own keys: a key already imported by an earlier case would be matched
    records = [(name, line.replace('"key": "h', f'"key": "{name}'), expect) for name, line, expect in records]
    for name, line, expect in records:
        yield Case(name, "jsonl", f"{name}.jsonl", _join([*base, line]), expect)
    yield Case("same-key-other-content", "jsonl", "twice.jsonl", _join([
        *base, '{"type": "claim", "key": "k", "text": "first wording"}',
        '{"type": "claim", "key": "k", "text": "another claim"}']), "error")
    yield Case("same-key-same-content", "jsonl", "twice-same.jsonl", _join([
        *base, '{"type": "claim", "key": "k", "text": "first wording"}',
        '{"text": "first wording", "key": "k", "type": "claim", "language": null}']), "ok")
    yield Case("nested-text-line", "jsonl", "deep-first.jsonl", _join([_deep_array(), *base]), "error")
    yield Case("not-utf8", "jsonl", "latin1.jsonl", _join(base) + b'{"type": "claim", "text": "caf\xe9"}\n', "error")

    # the json document: the same hostile records inside "records"
    parsed = [json.loads(line) for line in base[1:]]
    body = ",\n".join(json.dumps(r) for r in parsed)
    for name, line, expect in records:
        if name == "nul-byte":
            continue  # a raw control character is malformed JSON in both forms; once is enough
        text = '{"claimtrack_format": 1, "records": [\n' + body + ",\n" + line + "\n]}\n"
        yield Case(name, "json", f"{name}.json", text.encode("utf-8"), expect)
    text = ('{"claimtrack_format": 1, "records": [\n' + body + ',\n{"type": "claim", "key": "k", "text": "a"},\n'
            '{"type": "claim", "key": "k", "text": "b"}\n]}\n')
    yield Case("same-key-other-content", "json", "twice.json", text.encode("utf-8"), "error")
    yield Case("duplicate-top-key", "json", "dup-top.json",
               b'{"claimtrack_format": 1, "records": [], "records": [{"type": "claim", "text": "x"}]}', "error")


# --------------------------------------------------------------------------- ClaimReview and Google


def _review(**changes: object) -> dict[str, object]:
    review: dict[str, object] = {
        "@context": "http://schema.org", "@type": "ClaimReview", "url": "https://factcheck.example.org/r/h",
        "claimReviewed": "A hostile claim", "datePublished": "2021-01-08",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5,
                         "worstRating": 1},
    }
    review.update(changes)
    return review


def _rating(value: str) -> str:
    return json.dumps(_review()).replace('"ratingValue": 1', f'"ratingValue": {value}')


def _claimreview_cases() -> Iterator[Case]:
    base = _lines("claimreview_feed.jsonl")
    lines: list[tuple[str, str, str]] = [
        ("deep", _deep_array(), "error"),
        ("long-text", json.dumps(_review(claimReviewed="x" * LONG)), "ok"),
        ("nan", _rating("NaN"), "error"),
        ("infinity", _rating("Infinity"), "error"),
        ("1e999", _rating("1e999"), "error"),
        ("5000-digit-int", _rating(BIG_INT), "error"),
        ("lone-surrogate", json.dumps(_review(claimReviewed="bad \ud800 text")), "error"),
        ("nul", json.dumps(_review(claimReviewed="bad \x00 text")), "error"),
        ("ipv6-unclosed", json.dumps(_review(url="http://[::1/review")), "error"),
        ("port-letters", json.dumps(_review(url="https://example.com:8o8o/review")), "error"),
        ("year-1-offset", json.dumps(_review(datePublished="0001-01-01T00:00:00+01:00")), "either"),
        ("duplicate-json-key", json.dumps(_review()).replace('"claimReviewed"', '"claimReviewed": "one", '
                                                             '"claimReviewed"', 1), "error"),
    ]
    lines = [(name, line.replace("/r/h", f"/r/{name}"), expect) for name, line, expect in lines]
    for name, line, expect in lines:
        yield Case(name, "claimreview", f"{name}.jsonl", _join([*base, line]), expect)
        document = "[\n" + ",\n".join([json.dumps(_review(url="https://factcheck.example.org/r/base")), line]) + "\n]\n"
        yield Case(name, "claimreview", f"{name}-array.json", document.encode("utf-8"), expect)

    google = json.loads((FIXTURES / "google_factcheck_small.json").read_text(encoding="utf-8"))

    def variant(claim_changes: dict[str, object], review_changes: dict[str, object]) -> bytes:
        data = json.loads(json.dumps(google))
        data["claims"][0].update(claim_changes)
        data["claims"][0]["claimReview"][0].update(review_changes)
        return json.dumps(data, indent=1).encode("utf-8")

    google_cases: list[tuple[str, bytes, str]] = [
        ("deep", json.dumps({"claims": [{"text": "x", "claimReview": [{"url": "https://e.org", "x": []}]}]})
         .replace("[]", _deep_array()).encode(), "error"),
        ("long-text", variant({"text": "x" * LONG}, {}), "ok"),
        ("lone-surrogate", variant({"text": "bad \ud800"}, {}), "error"),
        ("nul", variant({"claimant": "Jane \x00 Doe"}, {}), "error"),
        ("ipv6-unclosed", variant({}, {"url": "http://[::1/r"}), "error"),
        ("port-letters", variant({}, {"url": "https://example.com:8o8o/r"}), "error"),
        ("year-1-offset", variant({"claimDate": "0001-01-01T00:00:00+01:00"}, {}), "either"),
        ("nan", variant({}, {}).replace(b'"textualRating": "False"', b'"textualRating": NaN', 1), "error"),
        ("duplicate-json-key", variant({}, {}).replace(b'"textualRating": "False"',
                                                       b'"textualRating": "True", "textualRating": "False"', 1),
         "error"),
    ]
    for index, (name, data, expect) in enumerate(google_cases):
        data = data.replace(b"/reviews/budget", f"/reviews/budget-{index}".encode())
        yield Case(name, "google-factcheck", f"{name}.json", data, expect)


# --------------------------------------------------------------------------- delimited files


def _delimited_cases() -> Iterator[Case]:
    liar = _lines("liar_small.tsv")
    row = liar[0].split("\t")

    def liar_row(**changes: str) -> str:
        fields = list(row)
        fields[0] = changes.pop("id", "901.json")
        if "statement" in changes:
            fields[2] = changes["statement"]
        return "\t".join(fields)

    liar_cases: list[tuple[str, bytes, str]] = [
        ("deep-first-line", _join([_deep_array(), *liar]), "error"),
        ("json-first-line", _join(['{"type": "claimtrack", "format_version": 1}', *liar]), "error"),
        ("long-field", _join([*liar, liar_row(statement="x" * LONG)]), "ok"),
        ("nul", _join([*liar, liar_row(statement="bad \x00 statement")]), "error"),
        ("not-utf8", _join(liar) + b"904.json\tfalse\tcaf\xe9\t\t\t\t\t\t0\t0\t0\t0\t0\t\n", "error"),
        ("surrogate-bytes", _join(liar) + b"905.json\tfalse\tbad " + b"\xed\xa0\x80"
         + b"\t\t\t\t\t\t0\t0\t0\t0\t0\t\n", "error"),
        ("stray-cr", _join([*liar, liar_row(statement="one\rtwo")]), "either"),
        ("same-id-other-statement", _join([*liar, liar_row(id="101.json", statement="A different statement")]),
         "error"),
    ]
    for name, data, expect in liar_cases:
        yield Case(name, "liar", f"{name}.tsv", data, expect)

    emergent = _lines("emergent_small.csv")
    emergent_cases: list[tuple[str, bytes, str]] = [
        ("deep-first-line", _join([_deep_array(), *emergent[1:]]), "error"),
        ("long-field", _join([*emergent, f'9,"{"x" * LONG}",Headline,for,a-9,c-9']), "ok"),
        ("nul", _join([*emergent, "9,Claim \x00 here,Headline,for,a-9,c-9"]), "error"),
        ("stray-cr", _join([*emergent, "9,Claim\rhere,Headline,for,a-9,c-9"]), "either"),
        ("not-utf8", _join(emergent) + b"9,caf\xe9,Headline,for,a-9,c-9\n", "error"),
    ]
    for name, data, expect in emergent_cases:
        yield Case(name, "emergent", f"{name}.csv", data, expect)

    polnear = _lines("polnear_small.tsv")
    prow = polnear[1].split("\t")

    def polnear_row(content: str) -> str:
        fields = list(prow)
        fields[6] = "E9"
        fields[9] = content
        return "\t".join(fields)

    polnear_cases: list[tuple[str, bytes, str]] = [
        ("deep-first-line", _join([_deep_array(), *polnear[1:]]), "error"),
        ("long-field", _join([*polnear, polnear_row("x" * LONG)]), "ok"),
        ("nul", _join([*polnear, polnear_row("bad \x00 content")]), "error"),
        ("not-utf8", _join(polnear) + polnear_row("caf").encode() + b"\xe9\n", "error"),
    ]
    for name, data, expect in polnear_cases:
        yield Case(name, "polnear", f"{name}.tsv", data, expect)

    brat = {str(p.relative_to(FIXTURES / "polnear_brat")): p.read_bytes()
            for p in (FIXTURES / "polnear_brat").rglob("*") if p.is_file()}
    ann = next(k for k in brat if k.endswith(".ann"))

    def brat_with(extra: bytes) -> dict[str, bytes]:
        files = dict(brat)
        files[ann] = brat[ann] + extra
        return files

    yield Case("nul", "polnear", "brat-nul", brat_with(b"T90\tSource 0 5\tbad \x00 src\nT91\tCue 6 9\tsaid\n"
                                                         b"E90\tAttribution:T91 Source:T90\n"), "error")
    yield Case("not-utf8", "polnear", "brat-latin1", brat_with(b"T90\tSource 0 5\tcaf\xe9\n"), "error")
    yield Case("long-span", "polnear", "brat-long", brat_with(
        b"T90\tSource 0 5\tThe Post\nT91\tCue 6 9\tsaid\nT92\tContent 10 20\t" + b"x" * LONG
        + b"\nE90\tAttribution:T91 Source:T90 Cue:T91 Content:T92\n"), "ok")

    sheet = _lines("sheet.csv")
    header = sheet[0] + ",Score,Best,Worst"
    rows = [line + ",,," for line in sheet[1:]]

    def sheet_row(claim: str = "A hostile claim", url: str = "", score: str = "", said: str = "",
                  best: str = "5", worst: str = "1") -> str:
        return f"{claim},Jane Doe,asserts,,{said},Daily Planet,{url},False,Example Checks,{score},{best},{worst}"

    csv_cases: list[tuple[str, bytes, str, Callable[[list[dict[str, object]]], bool] | None]] = [
        ("deep-first-line", _join([_deep_array(), *rows]), "error", None),
        ("long-field", _join([header, *rows, sheet_row(claim=f'"{"x" * LONG}"')]), "ok",
         lambda records: any(r.get("type") == "claim" and len(str(r.get("text"))) == LONG for r in records)),
        ("nul", _join([header, *rows, sheet_row(claim="bad \x00 claim")]), "error", None),
        ("not-utf8", _join([header, *rows]) + b"caf\xe9,,,,,,,,,,,\n", "error", None),
        ("stray-cr", _join([header, *rows, sheet_row(claim="one\rtwo")]), "either", None),
        ("ipv6-unclosed", _join([header, *rows, sheet_row(url="http://[::1/x")]), "error", None),
        ("port-letters", _join([header, *rows, sheet_row(url="https://example.com:8o8o/")]), "error", None),
        ("nan", _join([header, *rows, sheet_row(score="NaN")]), "error", None),
        ("infinity", _join([header, *rows, sheet_row(score="inf")]), "error", None),
        ("5000-digit-int", _join([header, *rows, sheet_row(score=BIG_INT, best=BIG_INT)]), "error", None),
        ("thousands", _join([header, *rows, sheet_row(score='"1,000"', best='"2,000"', worst="0")]), "ok",
         lambda records: any(r.get("type") == "verdict" and r.get("rating_value") == 1000 for r in records)),
        ("decimal-comma", _join([header, *rows, sheet_row(score='"3,5"')]), "ok",
         lambda records: any(r.get("type") == "verdict" and r.get("rating_value") == 3.5 for r in records)),
        ("indian-grouping", _join([header, *rows, sheet_row(score='"1,00,000"')]), "error", None),
        ("year-1-offset", _join([header, *rows, sheet_row(said="0001-01-01T00:00:00+01:00")]), "either", None),
    ]
    for name, data, expect, check in csv_cases:
        yield Case(name, "csv", f"{name}.csv", data, expect, CSV_MAP, check)


def corpus() -> list[Case]:
    """Every hostile input, for every import format."""
    return [*_native_cases(), *_claimreview_cases(), *_delimited_cases()]


def formats() -> list[str]:
    return sorted({case.format for case in corpus()})
