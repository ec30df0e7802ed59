"""Score `claimtrack.extract` on PolNeAR-style data (text/*.txt + attributions/*.ann, brat).

    .venv/bin/python bench/extract_eval.py                      # ../shared/data/polnear/dev
    .venv/bin/python bench/extract_eval.py FOLDER [--min-confidence 0.6] [--json out.json]

For source, cue and content: precision, recall and F1 at two strictnesses —
*exact* (the same word tokens; punctuation and spaces at the edges ignored) and *overlap*
(the shared word tokens are at least half of the gold span AND half of the predicted span) —
overall and split by attributions with and without quotation marks (gold: its content holds a
quotation mark; predicted: quote_kind direct or mixed). Matching is one to one per document,
most confident prediction first. Source precision counts only predictions that name a source.

Every .ann file is one gold document (10 dev articles have two annotators: each file is
scored on its own). The articles are split in two halves by a hash of their name: "tune" is
the half the rules were developed against, "held-out" the half they were not; both and "all"
are printed. Then the speed (articles/s, one core, best of 3 runs over all texts, both
sentence splitters), and on the seed reports (../shared/seeds) how many of the demo's quoted
statements (claimtrack/data/demo.jsonl) the extractor proposes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from claimtrack.extract import DEFAULT_MIN_CONFIDENCE, Candidate, extract
from claimtrack.extract.text import QUOTE_CHARS

DEFAULT_FOLDER = ROOT.parent / "shared" / "data" / "polnear" / "dev"
SEEDS = ROOT.parent / "shared" / "seeds"
DEMO = ROOT / "claimtrack" / "data" / "demo.jsonl"
KINDS = ("source", "cue", "content")
TARGETS = {  # (what, figure, target)
    "content P (overlap, all)": 0.80, "content R (overlap, all)": 0.35,
    "content P (overlap, quoted)": 0.70, "source P (overlap, where proposed)": 0.85,
    "articles/s (fast splitter)": 200.0,
}
_TOKEN = re.compile(r"\w+")
Frags = tuple[tuple[int, int], ...]


@dataclass
class GoldAttr:
    source: Frags | None
    cue: Frags | None
    content: Frags | None
    quoted: bool


@dataclass
class Doc:
    name: str  # the .ann file stem
    article: str
    text: str
    gold: list[GoldAttr]


def read_ann(path: Path, text: str) -> list[GoldAttr]:
    """The attributions of one brat file (T spans, E relations)."""
    spans: dict[str, Frags] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, mid, _ = (line.split("\t") + ["", ""])[:3]
            frags = tuple(tuple(int(x) for x in part.split()[-2:]) for part in mid.split(" ", 1)[1].split(";"))
            spans[tid] = frags  # type: ignore[assignment]
        elif line.startswith("E"):
            args = dict(a.split(":", 1) for a in line.split("\t")[1].split())
            relations.append(args)
    out = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""))
        quoted = content is not None and any(ch in text[s:e] for s, e in content for ch in QUOTE_CHARS)
        out.append(GoldAttr(spans.get(rel.get("Source", "")), spans.get(rel.get("Cue", "")), content, quoted))
    return out


def load(folder: Path) -> list[Doc]:
    docs = []
    for ann in sorted((folder / "attributions").glob("*.ann")):
        article = ann.stem.rsplit("_", 1)[0]
        txt = folder / "text" / f"{article}.txt"
        if not txt.exists():
            continue
        text = txt.read_text(encoding="utf-8")
        docs.append(Doc(ann.stem, article, text, read_ann(ann, text)))
    return docs


def half(article: str) -> str:
    return "tune" if hashlib.sha1(article.encode()).digest()[0] % 2 == 0 else "held-out"


class Tokens:
    def __init__(self, text: str) -> None:
        self.starts = [m.start() for m in _TOKEN.finditer(text)]

    def of(self, frags: Frags) -> frozenset[int]:
        import bisect

        out: set[int] = set()
        for s, e in frags:
            out.update(range(bisect.bisect_left(self.starts, s), bisect.bisect_left(self.starts, e)))
        return frozenset(out)


@dataclass
class Score:
    tp_exact: int = 0
    tp_overlap: int = 0
    pred: int = 0
    gold: int = 0
    gold_hit_exact: int = 0
    gold_hit_overlap: int = 0

    def add(self, other: Score) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def prf(self, how: str) -> tuple[float, float, float]:
        tp = self.tp_exact if how == "exact" else self.tp_overlap
        hit = self.gold_hit_exact if how == "exact" else self.gold_hit_overlap
        p = tp / self.pred if self.pred else 0.0
        r = hit / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _overlaps(a: frozenset[int], b: frozenset[int]) -> bool:
    inter = len(a & b)
    return bool(a) and bool(b) and inter * 2 >= len(a) and inter * 2 >= len(b)


def match(preds: list[tuple[frozenset[int], bool]], golds: list[tuple[frozenset[int], bool]],
          quoted: bool | None) -> Score:
    """One-to-one matching; `quoted` restricts the counted predictions and gold spans."""
    score = Score()
    for how in ("exact", "overlap"):
        used: set[int] = set()
        pred_ok = [False] * len(preds)
        for i, (p, _) in enumerate(preds):
            for j, (g, _) in enumerate(golds):
                if j in used:
                    continue
                if (p == g) if how == "exact" else _overlaps(p, g):
                    used.add(j)
                    pred_ok[i] = True
                    break
        tp = sum(ok for ok, (_, q) in zip(pred_ok, preds, strict=True) if quoted is None or q == quoted)
        hit = sum(1 for j in used if quoted is None or golds[j][1] == quoted)
        setattr(score, f"tp_{how}", tp)
        setattr(score, f"gold_hit_{how}", hit)
    score.pred = sum(1 for _, q in preds if quoted is None or q == quoted)
    score.gold = sum(1 for _, q in golds if quoted is None or q == quoted)
    return score


@dataclass
class Result:
    scores: dict[tuple[str, str], Score] = field(default_factory=dict)  # (kind, split) -> Score

    def add(self, kind: str, split: str, s: Score) -> None:
        self.scores.setdefault((kind, split), Score()).add(s)


def score_docs(docs: list[Doc], min_conf: float, splitter: str = "fast") -> Result:
    result = Result()
    cache: dict[str, list[Candidate]] = {}
    for doc in docs:
        if doc.article not in cache:
            cache[doc.article] = [c for c in extract(doc.text, splitter=splitter) if c.confidence >= min_conf]
        cands = sorted(cache[doc.article], key=lambda c: -c.confidence)
        toks = Tokens(doc.text)
        for kind in KINDS:
            preds = []
            for c in cands:
                span = getattr(c, f"{kind}_span")
                if span is not None:
                    preds.append((toks.of((span,)), c.quote_kind != "indirect"))
            seen: set[Frags] = set()
            golds = []
            for g in doc.gold:
                frags = getattr(g, kind)
                if frags is not None and frags not in seen:
                    seen.add(frags)
                    golds.append((toks.of(frags), g.quoted))
            for split, q in (("all", None), ("quoted", True), ("unquoted", False)):
                result.add(kind, split, match(preds, golds, q))
    return result


def speed(texts: list[str], splitter: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        for t in texts:
            extract(t, splitter=splitter)
        best = min(best, time.process_time() - t0)
    return len(texts) / best if best else float("inf")


def seeds_coverage(min_conf: float) -> list[dict]:
    """Which of the demo's quoted statements the extractor proposes on the seed reports."""
    if not SEEDS.is_dir():
        return []
    seeds = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    cands = {name: [c for c in extract(t) if c.confidence >= min_conf] for name, t in seeds.items()}
    out = []
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("type") != "statement" or not rec.get("quote"):
            continue
        quote = rec["quote"]
        qtok = set(_TOKEN.findall(quote.lower()))
        where = next((n for n, t in seeds.items() if _fold(quote) in _fold(t)), None)
        hit = None
        best = 0.0
        if where is not None:  # the candidate whose content best covers the quote (half of it at least)
            for c in cands[where]:
                ctok = set(_TOKEN.findall((c.content or "").lower()))
                if qtok and len(qtok & ctok) * 2 >= len(qtok):
                    jaccard = len(qtok & ctok) / len(qtok | ctok)
                    if jaccard > best:
                        hit, best = c, jaccard
        out.append({"statement": rec["key"], "speaker": rec.get("speaker") or rec.get("speaker_descriptor"),
                    "in_seed": where, "proposed": hit is not None,
                    "source": hit.source if hit else None, "cue": hit.cue if hit else None})
    return out


def _fold(s: str) -> str:
    s = re.sub(r"[\"“”„«»‹›「」‘’']", "", s.lower())
    return re.sub(r"\s+", " ", s)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    ap.add_argument("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE)
    ap.add_argument("--split", choices=("all", "tune", "held-out"), default=None,
                    help="score only one half (default: print tune, held-out and all)")
    ap.add_argument("--no-pysbd", action="store_true", help="skip the (slow) pysbd splitter figures")
    ap.add_argument("--json", type=Path, help="write every figure to this file")
    args = ap.parse_args(argv)
    if not (args.folder / "text").is_dir() or not (args.folder / "attributions").is_dir():
        print(f"Error: {args.folder}: expected text/*.txt and attributions/*.ann", file=sys.stderr)
        return 1
    docs = load(args.folder)
    report: dict = {"folder": str(args.folder), "min_confidence": args.min_confidence, "documents": len(docs)}
    splits = [args.split] if args.split else ["tune", "held-out", "all"]
    print(f"{len(docs)} annotated documents, {len({d.article for d in docs})} articles, "
          f"min confidence {args.min_confidence}")
    headline: dict[str, float] = {}
    for part in splits:
        chosen = [d for d in docs if part == "all" or half(d.article) == part]
        res = score_docs(chosen, args.min_confidence)
        print(f"\n== {part}: {len(chosen)} documents")
        print(f"{'':8} {'split':9} {'pred':>5} {'gold':>5}  {'exact P/R/F1':>20}  {'overlap P/R/F1':>20}")
        for (kind, split), s in res.scores.items():
            ex, ov = s.prf("exact"), s.prf("overlap")
            print(f"{kind:8} {split:9} {s.pred:5} {s.gold:5}  "
                  f"{ex[0]:6.3f} {ex[1]:6.3f} {ex[2]:6.3f}  {ov[0]:6.3f} {ov[1]:6.3f} {ov[2]:6.3f}")
            report[f"{part}/{kind}/{split}"] = {"pred": s.pred, "gold": s.gold, "exact": ex, "overlap": ov}
        if part == "all" or len(splits) == 1:
            headline["content P (overlap, all)"] = res.scores[("content", "all")].prf("overlap")[0]
            headline["content R (overlap, all)"] = res.scores[("content", "all")].prf("overlap")[1]
            headline["content P (overlap, quoted)"] = res.scores[("content", "quoted")].prf("overlap")[0]
            headline["source P (overlap, where proposed)"] = res.scores[("source", "all")].prf("overlap")[0]
    texts = sorted({d.article: d.text for d in docs}.values())
    headline["articles/s (fast splitter)"] = speed(texts, "fast")
    print(f"\nspeed: {headline['articles/s (fast splitter)']:.0f} articles/s (CPU time, fast splitter, "
          f"mean {sum(map(len, texts)) / max(1, len(texts)):.0f} characters)")
    if not args.no_pysbd:
        sub = texts[:20]
        sp = speed(sub, "pysbd", runs=1)
        res = score_docs(docs, args.min_confidence, splitter="pysbd")
        p, r, f = res.scores[("content", "all")].prf("overlap")
        print(f"pysbd splitter: {sp:.0f} articles/s; content overlap P {p:.3f} R {r:.3f} F1 {f:.3f} (all)")
        report["pysbd"] = {"articles_per_s": sp, "content_overlap": (p, r, f)}
    print("\nconfidence threshold (all documents; overlap):")
    for threshold in (0.3, 0.5, 0.6, 0.7, 0.8, 0.9):
        res = score_docs(docs, threshold)
        cp, cr, _ = res.scores[("content", "all")].prf("overlap")
        sp_, sr, _ = res.scores[("source", "all")].prf("overlap")
        print(f"  ≥ {threshold:.1f}: content P {cp:.3f} R {cr:.3f}   source P {sp_:.3f} R {sr:.3f}")
        report[f"threshold/{threshold}"] = {"content": (cp, cr), "source": (sp_, sr)}
    print("\ntargets (PolNeAR dev, all documents):")
    for what, target in TARGETS.items():
        got = headline[what]
        verdict = "met" if got >= target else f"MISSED by {target - got:.3f}" if target < 10 else \
            f"MISSED by {target - got:.0f}"
        print(f"  {what:36} {got:8.3f}  target ≥ {target:<6}  {verdict}")
    report["targets"] = {k: {"value": headline[k], "target": v} for k, v in TARGETS.items()}
    cov = seeds_coverage(args.min_confidence)
    if cov:
        in_seed = [c for c in cov if c["in_seed"]]
        got = [c for c in in_seed if c["proposed"]]
        print(f"\nseed reports: {len(got)} of {len(in_seed)} quoted demo statements proposed "
              f"({len(cov) - len(in_seed)} more quote text not found verbatim in the seeds)")
        for c in in_seed:
            mark = "yes" if c["proposed"] else " no"
            print(f"  {mark}  {c['statement']:38} {c['speaker'] or '':28} {c['source'] or ''}")
        report["seeds"] = cov
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=list), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
