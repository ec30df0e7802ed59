"""Rich and Markdown renderings of the claim, speaker, outlet and timeline reports.

Each report has `<name>_renderables(report) -> list` (printed one after another, exported to
HTML/SVG as is) and `<name>_markdown(report) -> str`. Tables use ratios and `overflow="fold"`
so they wrap inside 80 columns instead of dropping columns.
"""

from __future__ import annotations

from rich import box
from rich.console import RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from claimtrack.display import shown
from claimtrack.queries.outlet import OutletReport
from claimtrack.queries.reports import (
    ActorInfo,
    ClaimReport,
    Count,
    SpeakerReport,
    StatementRow,
    Timeline,
)
from claimtrack.reports.common import (
    SEVERITY_STYLES,
    STANCE_STYLES,
    escape_md,
    item_markdown,
    items_cell,
)
from claimtrack.reports.text import cell, join, user


def _table(title: str | None = None) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True, padding=(0, 1))


def _counts_table(title: str, rows: list[Count], name: str = "name", extra: str | None = None) -> Table:
    table = _table(title)
    table.add_column(name, ratio=3, overflow="fold")
    table.add_column("count", justify="right", ratio=1)
    if extra:
        table.add_column(extra, justify="right", ratio=1)
    for row in rows:
        cells: list[RenderableType] = [user(row.name), f"{row.count:,}"]
        if extra:
            cells.append(f"{row.normalized:.2f}" if row.normalized is not None else "—")
        table.add_row(*cells)
    if not rows:
        table.add_row("(none)", "", *([""] if extra else []))
    return table


def _statement_rows_table(title: str, rows: list[StatementRow], total: int | None = None) -> Table:
    table = _table(title + (f" ({len(rows)} of {total:,})" if total is not None and total > len(rows) else ""))
    table.add_column("date", min_width=11, no_wrap=True)
    table.add_column("speaker", ratio=3, overflow="fold")
    table.add_column("stance", ratio=2, overflow="fold")
    table.add_column("claim", ratio=6, overflow="fold")
    for r in rows:
        claim = join(f"[{r.claim_id}] ", user(r.claim_text), f" \u2014 \u201c{shown(r.quote)}\u201d" if r.quote else None)
        stance = Text(r.stance.replace("_", " "), style=STANCE_STYLES.get(r.stance, ""))
        if r.status != "normal":
            stance.append(f" [{r.status}]", style="bold magenta")
        table.add_row(r.said or "—", user(r.speaker) if r.speaker else "(unattributed)", stance, claim)
    return table


def _conflict_lines(briefs: list, title: str = "Conflicts") -> Tree:
    tree = Tree(Text(title), guide_style="dim")
    for b in briefs:
        tree.add(join((f"{b.severity_label.upper()} ", SEVERITY_STYLES[b.severity_label]),
                      (f"{b.kind}: ", "bold"), user(b.summary)))
    if not briefs:
        tree.add(Text("none", style="dim"))
    return tree


# --------------------------------------------------------------------------- claim


def claim_renderables(report: ClaimReport) -> list[RenderableType]:
    c = report.claim
    head = user(c.text, style="bold")
    if c.figure:
        head.append(f"\nfigure: {shown(c.figure)} of \u201c{shown(c.quantity_subject)}\u201d")
    if c.merged_into_id is not None:
        head.append(f"\nmerged into claim {c.merged_into_id}", style="bold magenta")
    elif c.status != "normal":
        head.append(f"\n{c.status.upper()}: ", style="bold magenta")
        head.append(user(c.status_reason or ""))
    parts: list[RenderableType] = [Panel(head, title=join(f"claim {c.id}", f" · {shown(c.key)}" if c.key else None),
                                         title_align="left")]
    columns = _table()
    for group in report.groups:
        columns.add_column(join(user(group.label), f" · {group.total}"), ratio=1, overflow="fold", vertical="top")
    columns.add_row(*(items_cell(g.statements, g.total) for g in report.groups))
    parts.append(columns)
    if report.retired is not None:  # listed apart: no stance column counts them
        retired = _table()
        retired.add_column(join(user(report.retired.label), f" · {report.retired.total}"), ratio=1, overflow="fold")
        retired.add_row(items_cell(report.retired.statements, report.retired.total))
        parts.append(retired)
    if report.relations:
        rel = Tree(Text("Relations"), guide_style="dim")
        for r in report.relations:
            arrow = "→" if r.direction == "outgoing" else "←"
            label = join(f"{r.type} {arrow} claim {r.other_claim_id}: ", user(r.other_claim_text))
            if r.status != "confirmed":
                label.append(f" [{r.status}" + (f", similarity {r.score:.2f}" if r.score is not None else "") + "]")
            rel.add(label)
        parts.append(rel)
    verdicts = _table("Verdicts")
    verdicts.add_column("reviewer", ratio=2, overflow="fold")
    verdicts.add_column("label", ratio=2, overflow="fold")
    verdicts.add_column("0–1", ratio=1)
    verdicts.add_column("date", min_width=11, no_wrap=True)
    verdicts.add_column("history", ratio=3, overflow="fold")
    for entry in report.verdicts:
        v = entry.verdict
        label_text = user(v.label)
        if v.status != "normal":
            label_text.append(f" [{v.status}]", style="bold magenta")
        history = "; ".join(f"{h.at[:10]} {h.action} by {shown(h.user)}"
                            + "".join(f", {k}: {shown(b)} → {shown(a)}" for k, (b, a) in h.changes.items()
                                      if h.action != "create")
                            for h in entry.history) or "—"
        verdicts.add_row(cell(v.reviewer or "—"), label_text, f"{v.normalized:.2f}" if v.normalized is not None else "—",
                         v.date or "—", Text(history))
    if not report.verdicts:
        verdicts.add_row("(none)", "", "", "", "")
    parts.append(verdicts)
    parts.append(_conflict_lines(report.conflicts))
    return parts


def claim_markdown(report: ClaimReport) -> str:
    c = report.claim
    lines = [f"# Claim {c.id}: {escape_md(c.text)}", ""]
    if c.figure:
        lines += [f"Figure: **{escape_md(c.figure)}** of \u201c{escape_md(c.quantity_subject or '')}\u201d", ""]
    if c.merged_into_id is not None:
        lines += [f"**Merged into claim {c.merged_into_id}.**", ""]
    elif c.status != "normal":
        lines += [f"**{c.status.upper()}:** {escape_md(c.status_reason or '')}", ""]
    for g in report.groups + ([report.retired] if report.retired else []):
        lines += [f"## {escape_md(g.label)} ({g.total})", ""]
        lines += [item_markdown(i) for i in g.statements] or ["_none_"]
        if g.total > len(g.statements):
            lines.append(f"- … and {g.total - len(g.statements)} more")
        lines.append("")
    lines += ["## Relations", ""]
    lines += [f"- {r.type} {'→' if r.direction == 'outgoing' else '←'} claim {r.other_claim_id}: "
              f"{escape_md(r.other_claim_text)}" + (f" _({r.status})_" if r.status != "confirmed" else "")
              for r in report.relations] or ["_none_"]
    lines += ["", "## Verdicts", "", "| reviewer | label | 0–1 | date | status |", "|---|---|---|---|---|"]
    for e in report.verdicts:
        v = e.verdict
        lines.append(f"| {escape_md(v.reviewer or '—')} | {escape_md(v.label)} | "
                     f"{f'{v.normalized:.2f}' if v.normalized is not None else '—'} | {v.date or '—'} | {v.status} |")
    lines += ["", "## Conflicts", ""]
    lines += [f"- **{b.severity_label}** {b.kind}: {escape_md(b.summary)}" for b in report.conflicts] or ["_none_"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- speaker


def _actor_panel(actor: ActorInfo, subtitle: str) -> Panel:
    text = user(actor.name, style="bold")
    text.append(f"  ({actor.kind})")
    for role in actor.roles:
        text.append(f"\n{shown(role)}")
    others = [a for a in actor.aliases if a != actor.name]
    if others:
        text.append("\nalso: " + ", ".join(shown(a) for a in others), style="dim")
    return Panel(text, title=Text(f"{subtitle} · actor {actor.id}"), title_align="left")


def speaker_renderables(report: SpeakerReport) -> list[RenderableType]:
    stances = [Count(k.replace("_", " "), v) for k, v in report.by_stance.items()]
    statuses = [Count(k, v) for k, v in report.by_status.items()]
    return [
        _actor_panel(report.actor, "speaker"),
        _counts_table(f"Statements by stance ({report.statements_total:,})", stances, "stance"),
        _counts_table("Statements by status", statuses, "status"),
        _counts_table("Verdicts on claims this speaker made", report.verdicts, "label", "0–1"),
        _conflict_lines(report.self_contradictions, "Self-contradictions"),
        _counts_table("Outlets that carried these statements", report.outlets, "outlet"),
        _statement_rows_table("Most recent statements", report.recent, report.statements_total),
    ]


def _md_counts(title: str, rows: list[Count], with_scale: bool = False) -> list[str]:
    lines = [f"## {title}", ""]
    for r in rows:
        scale = f" ({r.normalized:.2f})" if with_scale and r.normalized is not None else ""
        lines.append(f"- {escape_md(r.name)}: {r.count:,}{scale}")
    return lines + (["_none_"] if not rows else []) + [""]


def _md_rows(title: str, rows: list[StatementRow]) -> list[str]:
    lines = [f"## {title}", "", "| date | speaker | stance | claim |", "|---|---|---|---|"]
    for r in rows:
        stance = r.stance + (f" [{r.status}]" if r.status != "normal" else "")
        lines.append(f"| {r.said or '—'} | {escape_md(r.speaker or '(unattributed)')} | {stance} | "
                     f"[{r.claim_id}] {escape_md(r.claim_text)} |")
    return lines + [""]


def speaker_markdown(report: SpeakerReport) -> str:
    a = report.actor
    lines = [f"# {escape_md(a.name)} ({a.kind})", ""] + [f"- {escape_md(r)}" for r in a.roles] + [""]
    lines += _md_counts("Statements by stance", [Count(k, v) for k, v in report.by_stance.items()])
    lines += _md_counts("Statements by status", [Count(k, v) for k, v in report.by_status.items()])
    lines += _md_counts("Verdicts on claims this speaker made", report.verdicts, True)
    lines += ["## Self-contradictions", ""]
    lines += [f"- **{b.severity_label}**: {escape_md(b.summary)}" for b in report.self_contradictions] or ["_none_"]
    lines += [""] + _md_counts("Outlets that carried these statements", report.outlets)
    lines += _md_rows("Most recent statements", report.recent)
    return "\n".join(lines)


# --------------------------------------------------------------------------- outlet


def outlet_renderables(report: OutletReport) -> list[RenderableType]:
    summary = _table("Reporting")
    summary.show_header = False
    summary.add_column("", ratio=2)
    summary.add_column("", ratio=3, overflow="fold")
    summary.add_row("documents", f"{report.documents:,}")
    summary.add_row("published", f"{report.first_published or '—'} … {report.last_published or '—'}")
    summary.add_row("statements reported", f"{report.statements:,} (in {report.hops:,} hops)")
    attribution = _table("How it attributed (share of hops)")
    attribution.add_column("attribution", ratio=2)
    attribution.add_column("hops", justify="right", ratio=1)
    attribution.add_column("share", justify="right", ratio=1)
    for name, n in report.attribution.items():
        attribution.add_row(user(name), f"{n:,}", f"{report.attribution_shares[name]:.0%}")
    return [
        _actor_panel(report.actor, "outlet"),
        summary,
        attribution,
        _counts_table("Intermediaries it relies on", report.intermediaries, "via"),
        _counts_table("Outlets whose documents it cites", report.relies_on_outlets, "outlet"),
        _statement_rows_table("Most recent statements it reported", report.recent, report.statements),
    ]


def outlet_markdown(report: OutletReport) -> str:
    a = report.actor
    lines = [f"# {escape_md(a.name)} ({a.kind})", "",
             f"- documents: {report.documents:,} ({report.first_published or '—'} … {report.last_published or '—'})",
             f"- statements reported: {report.statements:,} in {report.hops:,} hops", "",
             "## How it attributed", "", "| attribution | hops | share |", "|---|---|---|"]
    lines += [f"| {k} | {n:,} | {report.attribution_shares[k]:.0%} |" for k, n in report.attribution.items()]
    lines += [""] + _md_counts("Intermediaries it relies on", report.intermediaries)
    lines += _md_counts("Outlets whose documents it cites", report.relies_on_outlets)
    lines += _md_rows("Most recent statements it reported", report.recent)
    return "\n".join(lines)


# --------------------------------------------------------------------------- timeline


def timeline_renderables(report: Timeline) -> list[RenderableType]:
    title = f"Timeline of claim {report.claim_id}" if report.claim_id is not None else "Timeline"
    table = _table(title)
    table.add_column("date", min_width=12, no_wrap=True)
    table.add_column("event", min_width=8, no_wrap=True)
    table.add_column("who", ratio=3, overflow="fold")
    table.add_column("what", ratio=3, overflow="fold")
    if report.claim_id is None:
        table.add_column("claim", ratio=6, overflow="fold")
    for e in report.events:
        what = user(e.what.replace("_", " ") if e.kind == "said" else e.what,
                    style=STANCE_STYLES.get(e.what, "") if e.kind == "said" else "")
        if e.status != "normal":
            what.append(f" [{e.status}]", style="bold magenta")
        cells: list[RenderableType] = [e.date or "date unknown", e.kind, cell(e.who or "—"), what]
        if report.claim_id is None:
            cells.append(join(f"[{e.claim_id}] ", user(e.claim_text)))
        table.add_row(*cells)
    parts: list[RenderableType] = [table]
    notes = timeline_notes(report)
    parts.extend(Text(n, style="dim") for n in notes)
    return parts


def timeline_notes(report: Timeline) -> list[str]:
    notes = []
    if report.truncated:
        notes.append("More events exist; use --limit or --since to see them.")
    if report.claim_id is None and report.undated:
        notes.append(f"{report.undated:,} events without a date are not placed on this timeline.")
    return notes


def timeline_markdown(report: Timeline) -> str:
    title = f"Timeline of claim {report.claim_id}" if report.claim_id is not None else "Timeline"
    lines = [f"# {title}", "", "| date | event | who | what | claim |", "|---|---|---|---|---|"]
    for e in report.events:
        what = e.what + (f" [{e.status}]" if e.status != "normal" else "")
        lines.append(f"| {e.date or 'date unknown'} | {e.kind} | {escape_md(e.who or '—')} | {escape_md(what)} | "
                     f"[{e.claim_id}] {escape_md(e.claim_text)} |")
    lines += [""] + [f"_{n}_" for n in timeline_notes(report)]
    return "\n".join(lines) + "\n"
