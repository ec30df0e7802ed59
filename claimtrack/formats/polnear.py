"""PolNeAR (Newell et al. 2018): source – cue – content attributions in 2016 US news.

Reads the flattened TSV (`article, annotator, publisher, publication_date, author, title,
attribution_id, source, cue, content, …`) or a folder of brat standoff files (`*.ann`, one per
article × annotator; `metadata.tsv` beside or above the folder gives titles and authors).

Per article: a document (key `polnear:<article>`) whose outlet is the publisher. Per
attribution (key `polnear:<article>:<annotator>:<E-id>`, so both inputs give the same records):
the content is a claim, and a statement with the cue and the content as quote; a hop links the
document to it. The source becomes the speaker by these rules, in order:

1. no source: the reporter's own voice — an unattributed statement (no quote allowed);
2. an outlet ("The New York Post", "the Post", "CNN", names ending in Times, Post, News, …):
   an actor of kind outlet, who is the speaker *and* the hop's via_actor (the article relies on
   that outlet's reporting);
3. a pronoun or relative ("he", "they", "who", "which"): an anonymous descriptor holding the
   pronoun — PolNeAR does not resolve the antecedent, and guessing would invent a speaker;
4. a vague source — no proper name: "sources", "a source", "officials", "experts", "other
   studies", "Republicans": an anonymous descriptor, so audits flag it as vague;
5. anything else is a named actor keyed by the slug of the name (kind organization when the
   name contains an organization word such as Campaign, Court, Department, FBI; else person).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from claimtrack.errors import ImportFailed
from claimtrack.formats.plan import Bad, Item, slug
from claimtrack.formats.source import Source, csv_reader

COLUMNS = ("article", "annotator", "publisher", "publication_date", "author", "title", "attribution_id",
           "source", "cue", "content")
PUBLISHERS = {
    "nyt": "The New York Times", "wash-post": "The Washington Post", "politico": "Politico",
    "breitbart": "Breitbart", "west-journal": "The Western Journal", "huff-post": "HuffPost",
    "usa-today": "USA Today",
}
OUTLET_NAMES = {
    "cnn", "fox news", "msnbc", "nbc", "nbc news", "abc", "abc news", "cbs", "cbs news", "npr", "reuters", "ap",
    "the associated press", "associated press", "afp", "bloomberg", "politico", "breitbart", "breitbart news",
    "buzzfeed", "buzzfeed news", "axios", "the hill", "huffpost", "the huffington post", "usa today",
    "the atlantic", "politifact", "wikileaks", "the guardian", "bbc", "the economist", "time", "newsweek",
    "the post", "the times", "the journal",
}
OUTLET_ENDINGS = re.compile(r"\b(Times|Post|Journal|News|Observer|Herald|Tribune|Gazette|Magazine|Daily|"
                            r"Chronicle|Network|Press|Reuters|Bloomberg|Politico|Breitbart|CNN|NPR)$")
PRONOUNS = {
    "he", "she", "they", "i", "we", "you", "it", "who", "which", "that", "his", "her", "its", "their", "our",
    "my", "him", "them", "us", "me", "this", "these", "those", "whom", "whose", "one", "said",
}
DETERMINERS = {"the", "a", "an", "some", "other", "many", "several", "most", "few", "two", "three", "four",
               "both", "all", "any", "more", "numerous", "various", "one", "another", "such"}
VAGUE_HEADS = {
    "sources", "source", "officials", "official", "experts", "expert", "critics", "analysts", "aides",
    "people", "studies", "study", "reports", "report", "protesters", "police", "residents", "observers",
    "republicans", "democrats", "voters", "supporters", "advocates", "opponents", "economists", "polls",
    "poll", "surveys", "survey", "researchers", "scientists", "documents", "data", "insiders", "others",
}
ORG_WORDS = re.compile(r"\b(Campaign|campaign|Court|Department|Committee|Party|FBI|CIA|Center|University|"
                       r"Council|Senate|Congress|Administration|Agency|Office|Institute|Foundation|Association|"
                       r"Commission|Bureau|Ministry|Government|Service|Police|Board|Union|Corp|Inc|Company|"
                       r"Group|Network|Organization|Coalition)\b")


def classify_source(source: str) -> tuple[str, str | None]:
    """('none'|'outlet'|'pronoun'|'vague'|'named', cleaned name): the rule applied to a source."""
    name = source.strip().strip(",;:").strip()
    if not name:
        return "none", None
    lowered = name.lower()
    if lowered in OUTLET_NAMES or OUTLET_ENDINGS.search(name):
        return "outlet", name
    if lowered in PRONOUNS:
        return "pronoun", name
    words = re.findall(r"[\w’'.-]+", name)
    if not words:
        return "vague", name
    rest = words[1:] if words[0].lower() in DETERMINERS else words
    capitalized = [w for w in (words[1:] if words[0].lower() not in DETERMINERS else rest) if w[:1].isupper()]
    head_is_vague = bool(rest) and rest[-1].lower() in VAGUE_HEADS or (rest and rest[0].lower() in VAGUE_HEADS)
    first_proper = words[0][:1].isupper() and words[0].lower() not in DETERMINERS and words[0].lower() not in VAGUE_HEADS
    if not capitalized and (head_is_vague or not first_proper):
        return "vague", name
    return "named", name


def outlet_record(name: str) -> dict[str, Any]:
    return {"type": "actor", "key": slug(name), "name": name, "kind": "outlet"}


def attribution_records(meta: dict[str, str], annotator: str, attribution_id: str, source: str, cue: str,
                        content: str) -> list[dict[str, Any]]:
    """The records of one attribution (the document's own records come first, matched after the first time)."""
    article = meta["article"]
    document_key = f"polnear:{article}"
    publisher = PUBLISHERS.get(meta.get("publisher", ""), meta.get("publisher") or None)
    records: list[dict[str, Any]] = []
    if publisher:
        records.append(outlet_record(publisher))
    records.append({"type": "document", "key": document_key, "kind": "article",
                    "outlet": slug(publisher) if publisher else None, "title": meta.get("title") or None,
                    "author": meta.get("author") or None, "language": "en",
                    "published": meta.get("publication_date") or None})
    key = f"polnear:{article}:{annotator}:{attribution_id}"
    content = content.strip()
    if not content:
        raise ValueError("the content is empty")
    records.append({"type": "claim", "key": key, "text": content, "language": "en"})
    rule, name = classify_source(source)
    speaker = descriptor = via_actor = None
    if rule == "outlet":
        assert name is not None
        records.append(outlet_record(name))
        speaker = via_actor = slug(name)
    elif rule == "named":
        assert name is not None
        records.append({"type": "actor", "key": slug(name), "name": name,
                        "kind": "organization" if ORG_WORDS.search(name) else "person"})
        speaker = slug(name)
    elif rule in ("pronoun", "vague"):
        descriptor = name
    quote = content if rule != "none" else None
    quote_kind = None
    if quote:
        quote_kind = "direct" if quote[:1] in "\"“‘'" else "indirect"
    records.append({"type": "statement", "key": key, "claim": key, "speaker": speaker,
                    "speaker_descriptor": descriptor, "stance": "asserts", "quote": quote, "quote_kind": quote_kind,
                    "cue": cue.strip() or None, "language": "en"})
    records.append({"type": "hop", "key": key, "document": document_key, "statement": key,
                    "via_actor": via_actor, "cue": cue.strip() or None, "quote": content})
    return records


def read_polnear(source: Source, **_options: Any) -> Iterator[Item | Bad]:
    if source.path is not None and source.path.is_dir():
        yield from _read_brat(source.path)
        return
    with source.open() as stream:
        reader = csv_reader(source, stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None:
            raise ImportFailed(f"{source.name} is empty: nothing to import")
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise ImportFailed(f"{source.name}, line 1: the PolNeAR header lacks {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                yield Bad(line, f"{len(row)} tab-separated fields; the header has {len(header)}", row)
                continue
            f = dict(zip(header, row))
            if not (f["source"].strip() or f["cue"].strip() or f["content"].strip()):
                yield Item(line, [], f, skipped="statement")  # an empty annotation: nothing to record
                continue
            try:
                records = attribution_records(f, f["annotator"], f["attribution_id"], f["source"], f["cue"],
                                              f["content"])
            except ValueError as exc:
                yield Bad(line, str(exc), f)
                continue
            yield Item(line, records, f)


def _metadata(folder: Path) -> dict[str, dict[str, str]]:
    for candidate in (folder / "metadata.tsv", folder.parent / "metadata.tsv", folder.parent.parent / "metadata.tsv"):
        if candidate.is_file():
            with candidate.open(encoding="utf-8") as handle:
                return {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                        if "filename" in row}
    return {}


_ARTICLE = re.compile(r"^(?P<publisher>[a-z-]+)_(?P<date>\d{4}-\d{2}-\d{2})_")


def _read_brat(folder: Path) -> Iterator[Item | Bad]:
    metadata = _metadata(folder)
    files = sorted(folder.rglob("*.ann"))
    if not files:
        raise ImportFailed(f"{folder.name} holds no brat .ann files")
    for path in files:
        article, _, annotator = path.stem.rpartition("_")
        meta = dict(metadata.get(article, {}))
        match = _ARTICLE.match(article)
        meta.setdefault("publisher", match["publisher"] if match else "")
        meta.setdefault("publication_date", match["date"] if match else "")
        meta["article"] = article
        spans: dict[str, tuple[str, str]] = {}
        data = path.read_bytes()
        try:
            lines = data.decode("utf-8").splitlines()
        except UnicodeDecodeError as exc:
            where = data.count(b"\n", 0, exc.start) + 1
            raise ImportFailed(f"{path.name}, line {where}: bytes are not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                               "save the file as UTF-8") from None
        for number, line in enumerate(lines, 1):
            parts = line.split("\t")
            if line.startswith("T") and len(parts) >= 3:
                spans[parts[0]] = (parts[1].split(" ", 1)[0], parts[2])
        for number, line in enumerate(lines, 1):
            if not line.startswith("E"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                yield Bad(number, f"{path.name}: malformed event line", line)
                continue
            roles: dict[str, str] = {}
            for pair in parts[1].split():
                role, _, target = pair.partition(":")
                if role in ("Source", "Cue", "Content") and target in spans:
                    roles[role] = spans[target][1]
            if not roles.get("Content", "").strip() and not roles.get("Source") and not roles.get("Cue"):
                yield Item(number, [], line, skipped="statement")
                continue
            try:
                records = attribution_records(meta, annotator, parts[0], roles.get("Source", ""),
                                              roles.get("Cue", ""), roles.get("Content", ""))
            except ValueError as exc:
                yield Bad(number, f"{path.name}: {exc}", line)
                continue
            yield Item(number, records, {"file": path.name, "line": line})
