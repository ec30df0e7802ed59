"""`claimtrack claim add | show | list | link`: checkable propositions and how they relate."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack.cli.context import read_session, write_session
from claimtrack.cli.usage import vocab_option

claim_app = typer.Typer(help="Checkable propositions, their statements, relations and verdicts.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (keys in docs/logging.md).")]
ClaimArg = Annotated[str, typer.Argument(help="The claim's id or key.", show_default=False)]
BOUNDS = "exact, about, at_least, more_than, at_most, less_than"


@claim_app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The proposition, worded once, e.g. 'Police visited Navalny "
                                              "supporters at home'.", show_default=False)],
    language: Annotated[str | None, typer.Option("--language", help="Language code of the wording.")] = None,
    key: Annotated[str | None, typer.Option("--key", help="A stable key for scripts.")] = None,
    quantity_subject: Annotated[str | None, typer.Option("--quantity-subject", help="What is counted.")] = None,
    quantity_value: Annotated[float | None, typer.Option("--quantity-value", help="The figure, e.g. 3000.")] = None,
    quantity_bound: Annotated[str | None, typer.Option("--quantity-bound", callback=vocab_option("Bound", "quantity bound"), help=f"One of: {BOUNDS}.")] = None,
    quantity_unit: Annotated[str | None, typer.Option("--quantity-unit", help="The unit, e.g. people.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Add a claim; identical (normalized) text reuses the existing claim, and near-identical
    claims are reported as suggested same-as links (never merged)."""
    from claimtrack.cli.objects import say
    from claimtrack.cli.output import emit_json
    from claimtrack.services.claims import add_claim

    with write_session(ctx) as session:
        result = add_claim(session, text, language=language, key=key, quantity_subject=quantity_subject,
                           quantity_value=quantity_value, quantity_bound=quantity_bound, quantity_unit=quantity_unit)
        claim_id, created = result.claim.id, result.created
        suggestions = [{"claim_id": s.claim_id, "text": s.text, "score": round(s.score, 3),
                        "relation_id": s.relation_id} for s in result.suggestions]
    if as_json:
        emit_json({"claim_id": claim_id, "created": created, "suggested_same_as": suggestions})
        return
    say(f"{'Added' if created else 'Already logged:'} claim {claim_id}")
    for s in suggestions:
        say(f"  suggested same as claim {s['claim_id']} (score {s['score']:.2f}): {s['text']}"
            f"  — confirm with: claimtrack claim link {claim_id} {s['claim_id']} --type same_as")


@claim_app.command("show")
def show(ctx: typer.Context, claim: ClaimArg, as_json: JsonOption = False) -> None:
    """Show a claim with its statements, relations and verdicts."""
    from claimtrack.cli.objects import kv_table, list_table
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.lookup import get_claim
    from claimtrack.queries.objects import claim_view

    with read_session(ctx) as session:
        view = claim_view(session, get_claim(session, claim))
    if as_json:
        emit_json(view)
        return
    quantity = None
    if view.quantity:
        q = view.quantity
        quantity = f"{q['subject']}: {q['bound'] or ''} {q['value']:g} {q['unit'] or ''}".replace("  ", " ")
    from claimtrack.cli.document import _marker

    kv_table(f"claim {view.id}" + _marker(view.status, view.merged_into_id, "claim"), [
        ("status", f"{view.status}: {view.status_reason}" if view.status != "normal" else None),
        ("text", view.text), ("key", view.key), ("version", str(view.version)), ("quantity", quantity),
        ("relations", [f"{r.type} ({r.status}{f', {r.score:.2f}' if r.score is not None else ''}) "
                       f"{'→' if r.direction == 'outgoing' else '←'} claim {r.other_claim_id}: {r.other_claim}"
                       + (f" — {r.status_reason}" if r.status_reason else "")
                       for r in view.relations]),
        ("verdicts", [f"{v.label} by {v.reviewer or '?'}" + (f" ({v.reviewed})" if v.reviewed else "")
                      + (f" [{v.status.upper()}: {v.status_reason}]" if v.status != "normal" else "")
                      for v in view.verdicts]),
    ])
    list_table("statements", ["id", "stance", "speaker", "quote", "said", "reported in", "status"], [
        [s.id, s.stance, s.speaker or s.speaker_descriptor or "(unattributed)", s.quote, s.said,
         ", ".join(r.outlet or r.title or str(r.document_id) for r in s.reported_in), s.status]
        for s in view.statements])


@claim_app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 100,
    as_json: JsonOption = False,
) -> None:
    """List claims with how many statements and verdicts each has."""
    from claimtrack.cli.objects import list_table
    from claimtrack.cli.output import emit_json
    from claimtrack.queries.objects import list_claims

    with read_session(ctx) as session:
        rows = list_claims(session, limit=limit)
    if as_json:
        emit_json(rows)
        return
    list_table("claims", ["id", "text", "statements", "verdicts", "status"],
               [[r.id, r.text, r.statements, r.verdicts, r.status] for r in rows], rows.total)


@claim_app.command("link")
def link(
    ctx: typer.Context,
    source: ClaimArg,
    target: Annotated[str, typer.Argument(help="The other claim's id or key.", show_default=False)],
    type: Annotated[str, typer.Option("--type", callback=vocab_option("RelationType", "relation type"), help="contradicts, supports, same_as or refines.",
                                      show_default=False)],
    note: Annotated[str | None, typer.Option("--note", help="Why they are related (with --reject: why not).")] = None,
    reject: Annotated[bool, typer.Option("--reject", help="Reject the suggested link instead (it is never "
                                                         "suggested again).")] = False,
) -> None:
    """Link two claims with a typed relation (confirms a suggested one, or rejects it with --reject)."""
    from claimtrack.cli.objects import say
    from claimtrack.queries.lookup import get_claim
    from claimtrack.services.claims import link_claims
    from claimtrack.services.corrections import reject_link

    with write_session(ctx) as session:
        if reject:
            relation = reject_link(session, get_claim(session, source), get_claim(session, target), type, note)
        else:
            relation = link_claims(session, get_claim(session, source), get_claim(session, target), type, note=note)
        text = (f"Relation {relation.id}: claim {relation.source_claim_id} {relation.type} "
                f"claim {relation.target_claim_id} ({relation.status})")
    say(text)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.add_typer(claim_app, name="claim")
