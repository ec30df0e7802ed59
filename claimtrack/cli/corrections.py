"""Retire records with a reason (`claim|document|hop|verdict retract`, `actor unaffiliate`) and
withdraw claim relations (`claim unlink`).

Nothing is deleted: a retired record stays visible, marked, and leaves every count and conflict
(docs/concepts.md, "Corrections"). The commands attach to groups other modules own, as
claimtrack.cli.edit does.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from claimtrack.cli.context import write_session
from claimtrack.cli.usage import vocab_option

ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="Why the record was wrong or superseded (required).")
]
DeprecateOption = Annotated[
    bool, typer.Option("--deprecate", help="Mark it superseded rather than wrong.")
]


def _retire(ctx: typer.Context, kind: str, ref: str, reason: str | None, deprecate: bool) -> None:
    from claimtrack.cli.objects import say
    from claimtrack.queries.lookup import get_by_ref
    from claimtrack.services.corrections import RETIRABLE, retire

    with write_session(ctx) as session:
        obj = retire(session, get_by_ref(session, RETIRABLE[kind], ref), reason,
                     status="deprecated" if deprecate else "retracted")
        text = f"{kind.capitalize()} {obj.id} is now {obj.status}: {obj.status_reason}"
    say(text)


def claim_retract(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The claim's id or key.", show_default=False)],
    reason: ReasonOption = None,
    deprecate: DeprecateOption = False,
) -> None:
    """Withdraw a wrongly logged claim (a typo, a duplicate); it stays visible, marked, and leaves
    every count and conflict."""
    _retire(ctx, "claim", ref, reason, deprecate)


def document_retract(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The document's id or key.", show_default=False)],
    reason: ReasonOption = None,
    deprecate: DeprecateOption = False,
) -> None:
    """Withdraw a wrongly logged document; it stays visible, marked, and leaves every count."""
    _retire(ctx, "document", ref, reason, deprecate)


def hop_retract(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The hop's id or key.", show_default=False)],
    reason: ReasonOption = None,
    deprecate: DeprecateOption = False,
) -> None:
    """Withdraw a wrongly logged hop (the document does not report that statement)."""
    _retire(ctx, "hop", ref, reason, deprecate)


def verdict_retract(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The verdict's id or key.", show_default=False)],
    reason: ReasonOption = None,
    deprecate: DeprecateOption = False,
) -> None:
    """Withdraw a wrongly logged verdict; it stays in the claim's history, out of conflicts."""
    _retire(ctx, "verdict", ref, reason, deprecate)


def actor_unaffiliate(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The affiliation's id (`actor show` lists them).",
                                       show_default=False)],
    reason: ReasonOption = None,
    deprecate: DeprecateOption = False,
) -> None:
    """Withdraw a wrongly recorded role (an affiliation); it stays in the actor's history."""
    _retire(ctx, "affiliation", ref, reason, deprecate)


def claim_unlink(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="One claim's id or key.", show_default=False)],
    target: Annotated[str, typer.Argument(help="The other claim's id or key.", show_default=False)],
    type: Annotated[str | None, typer.Option("--type", callback=vocab_option("RelationType", "relation type"), help="Only this relation type (contradicts, supports, "
                                                           "same_as, refines).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (required to withdraw a confirmed link).")] = None,
    deprecate: DeprecateOption = False,
) -> None:
    """Reject the suggested links between two claims (never suggested again) and withdraw the
    confirmed ones (with --reason)."""
    from claimtrack.cli.objects import say
    from claimtrack.queries.lookup import get_claim
    from claimtrack.services.corrections import unlink_claims

    with write_session(ctx) as session:
        changed = unlink_claims(session, get_claim(session, source), get_claim(session, target), type=type,
                                reason=reason, deprecate=deprecate)
        lines = [f"Relation {r.id}: claim {r.source_claim_id} {r.type} claim {r.target_claim_id} ({r.status})"
                 for r in changed]
    say("\n".join(lines))


def _merge(ctx: typer.Context, kind: str, keep: str, duplicate: str) -> None:
    from claimtrack.cli.objects import say
    from claimtrack.models import Claim, Document
    from claimtrack.queries.lookup import get_by_ref
    from claimtrack.services.merges import merge_claims, merge_documents

    model: Any = Claim if kind == "claim" else Document
    with write_session(ctx) as session:
        survivor, loser = get_by_ref(session, model, keep), get_by_ref(session, model, duplicate)
        survivor_id, loser_id = survivor.id, loser.id
        (merge_claims if kind == "claim" else merge_documents)(session, survivor, loser)
    what = "statements, verdicts and relations" if kind == "claim" else "hops"
    say(f"Merged {kind} {loser_id} into {kind} {survivor_id}: its {what} now count as {kind} {survivor_id}'s; "
        f"undo with `claimtrack {kind} unmerge {loser_id}`")


def _unmerge(ctx: typer.Context, kind: str, duplicate: str) -> None:
    from claimtrack.cli.objects import say
    from claimtrack.models import Claim, Document
    from claimtrack.queries.lookup import get_by_ref
    from claimtrack.services.merges import unmerge

    model: Any = Claim if kind == "claim" else Document
    with write_session(ctx) as session:
        obj = unmerge(session, get_by_ref(session, model, duplicate))
        obj_id = obj.id
    say(f"{kind.capitalize()} {obj_id} stands on its own again; what the merge moved is back")


KeepArg = Annotated[str, typer.Argument(help="The one to keep (id or key).", show_default=False)]
DuplicateArg = Annotated[str, typer.Argument(help="The duplicate (id or key).", show_default=False)]


def claim_merge(ctx: typer.Context, keep: KeepArg, duplicate: DuplicateArg) -> None:
    """Merge a duplicate claim into another: its statements (and their hops), verdicts and relations
    move; the duplicate is kept, pointing at the survivor (`claim unmerge` undoes it)."""
    _merge(ctx, "claim", keep, duplicate)


def claim_unmerge(ctx: typer.Context, duplicate: DuplicateArg) -> None:
    """Undo a claim merge: what moved moves back."""
    _unmerge(ctx, "claim", duplicate)


def document_merge(ctx: typer.Context, keep: KeepArg, duplicate: DuplicateArg) -> None:
    """Merge a duplicate document into another: its hops move; the duplicate is kept, pointing at
    the survivor (`document unmerge` undoes it)."""
    _merge(ctx, "document", keep, duplicate)


def document_unmerge(ctx: typer.Context, duplicate: DuplicateArg) -> None:
    """Undo a document merge: the hops that moved move back."""
    _unmerge(ctx, "document", duplicate)


def _attach(module_name: str, group_name: str, name: str, command: Any) -> None:
    from claimtrack.cli.edit import _attach as attach

    attach(module_name, group_name, command, name=name)


def register(app: typer.Typer) -> None:
    """Attach the retire and unlink commands to their groups."""
    _attach("claimtrack.cli.claim", "claim_app", "retract", claim_retract)
    _attach("claimtrack.cli.claim", "claim_app", "unlink", claim_unlink)
    _attach("claimtrack.cli.document", "document_app", "retract", document_retract)
    _attach("claimtrack.cli.hop", "hop_app", "retract", hop_retract)
    _attach("claimtrack.cli.verdict", "verdict_app", "retract", verdict_retract)
    _attach("claimtrack.cli.actor", "actor_app", "unaffiliate", actor_unaffiliate)
    _attach("claimtrack.cli.claim", "claim_app", "merge", claim_merge)
    _attach("claimtrack.cli.claim", "claim_app", "unmerge", claim_unmerge)
    _attach("claimtrack.cli.document", "document_app", "merge", document_merge)
    _attach("claimtrack.cli.document", "document_app", "unmerge", document_unmerge)
