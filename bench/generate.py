"""A seeded, reproducible synthetic archive in the claimtrack native `jsonl` format.

Shape for N statements (see bench/README.md): N/10 claims, N/5 documents, 10,000 actors with
aliases, attribution chains of depth 1-10 (hops citing earlier hops through `via_hop`), and a
share of conflicts of every kind the conflicts query knows: opposing stances on one claim,
`contradicts` relations, quantity claims that share a counted subject, speakers who reverse
themselves, and verdicts that disagree.

The same (N, seed, actors) always gives the same bytes. The writer streams: memory stays flat in
N (only the actor table, a few kilobytes per thousand actors, is kept), and hops go to a sidecar
file while statements are written, then are appended, so the file is grouped by record type with
every reference pointing backwards, as the format requires.

    python bench/generate.py 100000 -o /tmp/bench-100k.jsonl [--seed 8] [--actors 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DEFAULT_SEED = 8
DEFAULT_ACTORS = 10_000
#: depth 1..10 of an attribution chain; mean about 1.8 hops per statement, a tail reaching 10
DEPTH_WEIGHTS = (75, 8, 5, 3, 2.5, 2, 1.5, 1, 1, 1)
#: documents span ten years, published in index order (never decreasing) so chains respect time
FIRST_DAY = date(2015, 1, 1)
SPAN_DAYS = 3_650
RETRIEVED_AT = "2026-01-01T00:00:00Z"

_SYLLABLES = ("ba", "ko", "ri", "dan", "mel", "vos", "tir", "lu", "gen", "sha",
              "pol", "ne", "cor", "ly", "fen", "ma", "zu", "tor", "vi", "hal")
_GIVEN = ("Anna", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jamal",
          "Katya", "Luis", "Mira", "Nikolai", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tariq",
          "Uma", "Viktor", "Wei", "Ximena", "Yusuf", "Zofia")
_WORDS = ("police", "detained", "protest", "minister", "budget", "election", "ballots", "vaccine",
          "border", "troops", "embassy", "leak", "data", "prices", "wages", "strike", "court",
          "ruling", "sanctions", "exports", "rally", "arrests", "report", "funding", "hospital",
          "school", "river", "pollution", "contract", "tender", "bribe", "audit", "census")
_DESCRIPTORS = ("a former ally", "a senior official", "a person familiar with the matter",
                "a government spokeswoman", "witnesses", "a diplomat")
_VAGUE = ("local media", "state-run media", "sources", "social media users", "officials")
_CUES = ("said", "told reporters", "wrote on Telegram", "told AFP", "said in a statement",
         "posted on Facebook", "said at a press conference", "according to")
_CHANNELS = ("telegram", "facebook", "press conference", "interview", "x")
_LABELS = ("true", "mostly-true", "half-true", "barely-true", "false", "pants-fire")
_FIGURES = ((3000, "more_than", 3700, "more_than"), (20, "at_least", 200, "about"),
            (15, "exact", 40, "exact"), (1000, "about", 1200, "at_most"))


@dataclass(frozen=True)
class Shape:
    """How many of each kind a run produces, derived from N."""

    statements: int
    seed: int = DEFAULT_SEED
    actors: int = DEFAULT_ACTORS

    @property
    def claims(self) -> int:
        return max(2, self.statements // 10)

    @property
    def documents(self) -> int:
        return max(40, self.statements // 5)

    # actor index ranges by kind: outlets, agencies, vague sources, organizations, persons
    @property
    def outlets(self) -> range:
        return range(max(10, self.actors // 100))

    @property
    def agencies(self) -> range:
        start = self.outlets.stop
        return range(start, start + max(3, self.actors // 500))

    @property
    def vague(self) -> range:
        start = self.agencies.stop
        return range(start, start + len(_VAGUE))

    @property
    def organizations(self) -> range:
        start = self.vague.stop
        return range(start, start + max(5, self.actors // 50))

    @property
    def persons(self) -> range:
        start = self.organizations.stop
        return range(start, max(start + 10, self.actors))

    @property
    def actor_count(self) -> int:
        return self.persons.stop


# ----------------------------------------------------------------------------- helpers


def _family(i: int) -> str:
    """A family name unique per index: the index written in base-20 syllables."""
    digits = []
    n = i + 400  # at least three syllables
    while n:
        n, d = divmod(n, len(_SYLLABLES))
        digits.append(_SYLLABLES[d])
    return "".join(digits).capitalize()


def _doc_date(shape: Shape, i: int) -> date:
    """Document i's publication day: non-decreasing in i, so a document citing an earlier-indexed
    one is never dated before it. (A random jitter of 0-2 days here, with chains only a fraction
    of a day of indexes long at 1M, used to date cited documents after their citers: the audit
    then flagged ~156k time-order hops that the generator never meant to write.)"""
    return FIRST_DAY + timedelta(days=i * SPAN_DAYS // shape.documents)


def _doc_kind(i: int) -> str:
    """By index, so chains can pick a primary source (a post or transcript) without state."""
    r = i % 20
    if r in (0, 1, 2):
        return "post"
    if r in (3, 4, 5):
        return "dispatch"
    return {6: "transcript", 7: "press_release", 8: "broadcast"}.get(r, "article")


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n))


def _partial(d: date, rng: random.Random) -> str | None:
    """A said-date at the precisions reporting gives: day mostly, some month/year, a few none."""
    roll = rng.random()
    if roll < 0.80:
        return d.isoformat()
    if roll < 0.92:
        return f"{d.year:04d}-{d.month:02d}"
    if roll < 0.97:
        return f"~{d.year:04d}"
    return None


# ----------------------------------------------------------------------------- records


def actor_records(shape: Shape) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{shape.seed}:actors")
    for i in range(shape.actor_count):
        if i in shape.outlets:
            name, kind = f"{_family(i)} Daily", "outlet"
            aliases = [f"The {name}", f"{_family(i)} News"]
        elif i in shape.agencies:
            name, kind = f"{_family(i).upper()} Press Agency", "agency"
            aliases = [_family(i).upper()]
        elif i in shape.vague:
            name, kind = _VAGUE[i - shape.vague.start], "unspecified"
            aliases = []
        elif i in shape.organizations:
            name = f"{_family(i)} {'Ministry' if i % 3 else 'Institute'}"
            kind = "government" if i % 3 else "organization"
            aliases = [f"the {name}"]
        else:
            given, family = rng.choice(_GIVEN), _family(i)
            name, kind = f"{given} {family}", "person"
            aliases = [f"{given[0]}. {family}"] + ([family] if rng.random() < 0.5 else [])
        record: dict[str, Any] = {"type": "actor", "key": f"a{i}", "name": name, "kind": kind,
                                  "aliases": aliases}
        if kind == "person" and rng.random() < 0.3:
            record["external_ids"] = {"wikidata": f"Q{1_000_000 + i}"}
        yield record
    # spokespeople: a few persons speak for an organization
    orgs = shape.organizations
    for i in shape.persons:
        if i % 40 == 0:
            yield {"type": "affiliation", "actor": f"a{i}", "organization": f"a{orgs.start + i % len(orgs)}",
                   "role": "spokesperson", "start": "2015", "end": None}


def document_records(shape: Shape) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{shape.seed}:documents")
    outlets, agencies = shape.outlets, shape.agencies
    for i in range(shape.documents):
        kind = _doc_kind(i)
        published = _doc_date(shape, i)
        if kind == "dispatch":
            outlet: str | None = f"a{agencies.start + i % len(agencies)}"
        elif kind == "post":
            outlet = None  # the speaker's own account
        else:
            outlet = f"a{outlets.start + rng.randrange(len(outlets))}"
        host = outlet or "social"
        yield {"type": "document", "key": f"d{i}", "outlet": outlet, "kind": kind,
               "url": f"https://{host}.example.org/{published.year}/{published.month:02d}/{i}",
               "title": f"{_words(rng, 6).capitalize()} ({i})", "author": None, "language": "en",
               "published": published.isoformat(), "retrieved_at": RETRIEVED_AT,
               "archive_url": None, "content_hash": None}


def _quantity(c: int) -> dict[str, Any] | None:
    """Claims c and c+1 (c % 40 == 0) count the same thing with different figures."""
    if c % 40 not in (0, 1):
        return None
    group = c // 40
    a, bound_a, b, bound_b = _FIGURES[group % len(_FIGURES)]
    value, bound = (a, bound_a) if c % 40 == 0 else (b, bound_b)
    return {"subject": f"people detained at event {group}", "value": value, "bound": bound,
            "unit": "people"}


def claim_records(shape: Shape) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{shape.seed}:claims")
    for c in range(shape.claims):
        record: dict[str, Any] = {"type": "claim", "key": f"c{c}",
                                  "text": f"Claim {c}: {_words(rng, 8)}", "language": "en"}
        quantity = _quantity(c)
        if quantity:
            record["quantity"] = quantity
        yield record


def _claim_of(shape: Shape, j: int, rng: random.Random) -> tuple[int, int]:
    """(claim, round): claims take statements in turn; 1% go to ten 'big story' claims."""
    if rng.random() < 0.01:
        return rng.randrange(min(10, shape.claims)), 99
    return j % shape.claims, j // shape.claims


def statement_and_hops(shape: Shape, j: int, rng: random.Random) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Statement j and the hops that carry it into documents (its attribution chain)."""
    c, rnd = _claim_of(shape, j, rng)
    persons = shape.persons
    # the stance pattern of the claim decides which conflicts exist
    if c % 20 == 0:  # opposing stances
        stance = "asserts" if rnd % 2 == 0 else rng.choice(("denies", "disputes"))
    elif c % 20 == 1 and rnd in (0, 1):  # one speaker asserts, later retracts: a reversal
        stance = "asserts" if rnd == 0 else "retracts"
    else:
        stance = rng.choices(("asserts", "confirms", "reports", "declines_to_comment"), (70, 15, 12, 3))[0]

    roll = rng.random()
    speaker: str | None = None
    descriptor: str | None = None
    if c % 20 == 1 and rnd in (0, 1):
        speaker = f"a{persons.start + c % len(persons)}"
    elif roll < 0.80:
        speaker = f"a{persons.start + rng.randrange(len(persons))}"
    elif roll < 0.85:
        speaker = f"a{shape.organizations.start + rng.randrange(len(shape.organizations))}"
    elif roll < 0.93:
        descriptor = rng.choice(_DESCRIPTORS)
    # else: the reporter's own voice (unattributed): no speaker, no quote

    attributed = speaker is not None or descriptor is not None
    quote = _words(rng, rng.randint(3, 12)) if attributed and rng.random() < 0.75 else None
    quote_kind = (rng.choice(("direct", "direct", "indirect", "mixed")) if quote else None)

    # where in time: a base document; the primary source is a post near it
    base = rng.randrange(shape.documents)
    primary_doc = min(shape.documents - 1, (base // 20) * 20 + rng.randrange(3))
    if c % 20 == 1 and rnd == 1:
        # the reversal is said about 30 days later: move its primary source (and so its whole
        # chain) that far on, in whole blocks of 20 documents so it stays a post
        primary_doc = min(primary_doc + -(-30 * shape.documents // SPAN_DAYS // 20) * 20,
                          (shape.documents - 1) // 20 * 20)
    # said on or before the day of its primary source; every hop's document comes at or after it
    said_day = _doc_date(shape, primary_doc) - timedelta(days=rng.randint(0, 1))
    said = _partial(said_day, rng)

    status, reason = "normal", None
    if rng.random() < 0.005:
        status, reason = "retracted", "logged against the wrong claim"
    parent = f"s{rng.randrange(max(0, j - 1000), j)}" if j > 0 and rng.random() < 0.01 else None
    on_behalf = None
    if speaker and rng.random() < 0.03:
        on_behalf = f"a{shape.organizations.start + rng.randrange(len(shape.organizations))}"

    statement = {"type": "statement", "key": f"s{j}", "claim": f"c{c}", "speaker": speaker,
                 "speaker_descriptor": descriptor, "on_behalf_of": on_behalf, "stance": stance,
                 "quote": quote, "quote_kind": quote_kind, "cue": rng.choice(_CUES) if attributed else None,
                 "channel": rng.choice(_CHANNELS) if rng.random() < 0.2 else None, "context": None,
                 "said": said, "language": "en", "original_text": None, "parent": parent,
                 "status": status, "status_reason": reason}

    # the chain: primary post (or an agency / a vague source), then outlets citing the hop before
    depth = rng.choices(range(1, 11), DEPTH_WEIGHTS)[0]
    later = range(primary_doc + 1, min(shape.documents, primary_doc + 1 + 40 * depth))
    if len(later) >= depth:
        chain_docs = sorted(rng.sample(later, depth))
    else:  # near the end of the archive: a shorter chain, still in time order after the primary
        tail = range(primary_doc, shape.documents)
        chain_docs = sorted(rng.sample(tail, min(depth, len(tail))))
    hops: list[dict[str, Any]] = []
    starts_primary = speaker is not None and rng.random() < 0.5
    if starts_primary:
        chain_docs[0] = primary_doc if primary_doc not in chain_docs[1:] else chain_docs[0]
    previous: str | None = None
    for k, doc in enumerate(chain_docs):
        hop_quote = quote
        if quote and k > 0 and rng.random() < 0.02:  # quote drift between hops
            hop_quote = quote + " " + rng.choice(_WORDS)
        via_actor: str | None = None
        if k == 0 and not starts_primary:
            if rng.random() < 0.6:
                via_actor = f"a{shape.agencies.start + rng.randrange(len(shape.agencies))}"
            else:
                via_actor = f"a{shape.vague.start + rng.randrange(len(shape.vague))}"
        key = f"h{j}-{k}"
        hops.append({"type": "hop", "key": key, "document": f"d{doc}", "statement": f"s{j}",
                     "via_hop": previous, "via_actor": via_actor,
                     "cue": "according to" if via_actor else None, "quote": hop_quote,
                     "primary": bool(starts_primary and k == 0)})
        previous = key
    return statement, hops


def relation_records(shape: Shape) -> Iterator[dict[str, Any]]:
    for c in range(shape.claims - 1):
        if c % 50 == 2:
            yield {"type": "relation", "source": f"c{c}", "target": f"c{c + 1}", "relation": "contradicts",
                   "status": "confirmed", "score": None, "note": None, "created_by": "bench", "decided_by": None}
        elif c % 100 == 5:
            yield {"type": "relation", "source": f"c{c}", "target": f"c{c + 1}", "relation": "supports",
                   "status": "suggested", "score": 0.82, "note": None, "created_by": "bench", "decided_by": None}


def verdict_records(shape: Shape) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{shape.seed}:verdicts")
    reviewers = shape.organizations
    for c in range(shape.claims):
        if c % 2:
            continue
        count = 2 if c % 10 == 4 else 1  # two reviewers who disagree
        for k in range(count):
            label = ("true", "false")[k] if count == 2 else rng.choice(_LABELS)
            day = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS))
            record: dict[str, Any] = {
                "type": "verdict", "key": f"v{c}-{k}", "claim": f"c{c}", "label": label,
                "rating_value": None, "best": None, "worst": None,
                "reviewer": f"a{reviewers.start + (c + k) % len(reviewers)}",
                "reviewed": day.isoformat(), "url": f"https://factcheck.example.org/{c}/{k}",
                "explanation": None, "evidence_urls": [], "language": "en",
                "status": "normal", "status_reason": None}
            if rng.random() < 0.3:
                record.update(rating_value=float(rng.randint(1, 5)), best=5.0, worst=1.0)
            yield record


# ----------------------------------------------------------------------------- writer


def write_jsonl(path: str | os.PathLike[str], n: int, *, seed: int = DEFAULT_SEED,
                actors: int = DEFAULT_ACTORS) -> dict[str, int]:
    """Write the archive for N statements to `path`; return the count of records per type."""
    shape = Shape(n, seed, actors)
    counts: Counter[str] = Counter()
    path = Path(path)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def emit(out: Any, record: dict[str, Any]) -> None:
        counts[record["type"]] += 1
        out.write(dumps(record))
        out.write("\n")

    with open(path, "w", encoding="utf-8") as out, tempfile.TemporaryFile(
        "w+", encoding="utf-8", dir=path.parent
    ) as sidecar:
        out.write('{"type":"claimtrack","format_version":1}\n')
        for generator in (actor_records(shape), document_records(shape), claim_records(shape)):
            for record in generator:
                emit(out, record)
        rng = random.Random(f"{seed}:statements")
        for j in range(n):
            statement, hops = statement_and_hops(shape, j, rng)
            emit(out, statement)
            for hop in hops:
                emit(sidecar, hop)
        sidecar.seek(0)
        shutil.copyfileobj(sidecar, out, 1 << 20)
        for generator in (relation_records(shape), verdict_records(shape)):
            for record in generator:
                emit(out, record)
    return dict(counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of statements")
    parser.add_argument("-o", "--output", required=True, help="the .jsonl file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--actors", type=int, default=DEFAULT_ACTORS)
    args = parser.parse_args(argv)
    counts = write_jsonl(args.output, args.n, seed=args.seed, actors=args.actors)
    print(json.dumps(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
