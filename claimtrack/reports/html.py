"""HTML documents from the report view models, through Jinja2 templates with autoescaping.

The same dataclasses that the terminal renderers and `--json` use (claimtrack.queries) fill
the templates in claimtrack/reports/templates/. The rules of the text boundary, for HTML:

- autoescaping is on for every template, so `<script>` in a quote is text;
- every user string goes through the `u` macro: `<bdi dir="auto">`, control characters shown
  escaped (claimtrack.display.escape_controls), so an Arabic name never reorders a row and a
  stored RIGHT-TO-LEFT OVERRIDE cannot reverse one;
- only `http(s)` URLs become links (`link` macro, `is_http`); anything else is shown as text;
- no remote resource: CSS is inline, fonts are the reader's system fonts.

`page(name, **context)` renders a whole standalone document (an export file, a `serve` page);
`web=True` in the context makes object references links to the `serve` addresses.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from claimtrack.display import escape_controls

#: the `lang` of claimtrack's own words (headings, labels); user strings carry their own
UI_LANG = "en"


def is_http(url: object) -> bool:
    """True for an absolute http(s) URL with a host: the only URLs that become links."""
    if not isinstance(url, str) or not url or url != url.strip() or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def lang_attr(lang: object) -> str:
    """A BCP 47-looking language code, or "" (never echo arbitrary data into an attribute)."""
    if isinstance(lang, str) and 1 < len(lang) <= 35 and all(ch.isalnum() or ch == "-" for ch in lang):
        return lang
    return ""


@lru_cache(maxsize=1)
def environment() -> Any:
    """The one Jinja2 environment (autoescape on for every template, undefined names fail)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("claimtrack.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["visible"] = lambda value: escape_controls("" if value is None else str(value))
    env.filters["lang_attr"] = lang_attr
    env.filters["stance"] = lambda value: str(value).replace("_", " ")
    env.tests["http"] = is_http
    env.globals["is_http"] = is_http
    return env


def page(template: str, *, title: str, lang: str | None = None, web: bool = False, **context: Any) -> str:
    """A whole standalone HTML document from `template` (a file in reports/templates)."""
    from datetime import date

    context.setdefault("generated", None if web else date.today().isoformat())
    context.setdefault("query", None)
    context.setdefault("token", None)
    return str(environment().get_template(template).render(
        title=title, page_lang=lang_attr(lang) or UI_LANG, web=web, **context))


def claim_lang(report: Any) -> str | None:
    """The language of a claim report's subject, for `<html lang>` where claimtrack knows it."""
    claim = getattr(report, "claim", None)
    return getattr(claim, "language", None)


# --------------------------------------------------------------------------- one page per report


def claim_html(report: Any, **context: Any) -> str:
    return page("claim.html.j2", title=f"claimtrack · claim {report.claim.id}: {report.claim.text}",
                report=report, **context)


def speaker_html(report: Any, **context: Any) -> str:
    from claimtrack.queries.reports import Count

    return page("speaker.html.j2", title=f"claimtrack · {report.actor.name} (speaker)", report=report,
                role_label="speaker",
                stance_counts=[Count(k.replace("_", " "), v) for k, v in report.by_stance.items()],
                status_counts=[Count(k, v) for k, v in report.by_status.items()], **context)


def outlet_html(report: Any, **context: Any) -> str:
    return page("outlet.html.j2", title=f"claimtrack · {report.actor.name} (outlet)", report=report,
                role_label="outlet", **context)


def timeline_html(report: Any, **context: Any) -> str:
    from claimtrack.reports.views import timeline_notes

    title = f"claimtrack · timeline of claim {report.claim_id}" if report.claim_id is not None else "claimtrack · timeline"
    return page("timeline.html.j2", title=title, report=report, timeline_notes=timeline_notes(report), **context)


def conflicts_html(result: Any, *, kind: str | None = None, kinds: list[str] | None = None, **context: Any) -> str:
    from claimtrack.queries.conflicts.text import conflict_notes

    return page("conflicts.html.j2", title="claimtrack · conflicts" + (f": {kind}" if kind else ""), result=result,
                kind=kind, kinds=kinds or [], conflict_notes=conflict_notes(result), **context)


def audit_html(problems: Any, *, show_all: bool = False, scope_label: str | None = None, limit: int | None = None,
               **context: Any) -> str:
    from collections import Counter

    from claimtrack.checks import RULE_NAMES, SEVERITIES

    problems = list(problems)
    shown_problems = [p for p in problems if show_all or not p.acknowledged]
    summary = {s: 0 for s in SEVERITIES}
    for p in problems:
        if not p.acknowledged:
            summary[p.severity] += 1
    counts = Counter((p.rule, p.acknowledged) for p in problems)
    per_rule = [(rule, counts[(rule, False)], counts[(rule, True)]) for rule in RULE_NAMES
                if counts[(rule, False)] or counts[(rule, True)]]
    truncated = limit is not None and len(shown_problems) > limit
    return page("audit.html.j2", title="claimtrack · audit" + (f": {scope_label}" if scope_label else ""),
                problems=shown_problems[:limit] if truncated else shown_problems, summary=summary,
                acknowledged=sum(1 for p in problems if p.acknowledged), show_all=show_all, per_rule=per_rule,
                scope_label=scope_label, truncated=truncated, **context)


def chain_html(kind: str, chain: Any, **context: Any) -> str:
    if kind == "document":
        d = chain.document
        return page("document_chain.html.j2", title=f"claimtrack · chain of document {d.id}: {d.title or d.url or ''}",
                    chain=chain, **context)
    return page("statement_chain.html.j2", title=f"claimtrack · chain of statement {chain.statement.id}",
                chain=chain, **context)
