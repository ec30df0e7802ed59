"""Retire records with a reason (`claim|document|hop|verdict retract`, `actor unaffiliate`),
withdraw claim relations (`claim unlink`), merge duplicates (`claim|document merge|unmerge`).

Nothing is deleted: a retired record stays visible, marked, and leaves every count and conflict
(docs/concepts.md, "Corrections"). One table row a kind (RETRACTS, MERGES); the commands attach
to groups other modules own, as claimtrack.cli.edit does.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from claimtrack.cli.context import write_session
from claimtrack.cli.kinds import KINDS, attach, command, ref_argument, resolve
from claimtrack.cli.usage import vocab_option

ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="Why the record was wrong or superseded (required).")
]
DeprecateOption = Annotated[
    bool, typer.Option("--deprecate", help="Mark it superseded rather than wrong.")
]


#: kind -> (command name, help) of the commands that retire a record of that kind
RETRACTS = {
    "claim": ("retract", """Withdraw a wrongly logged claim (a typo, a duplicate); it stays visible, marked, and leaves
              every count and conflict."""),
    "document": ("retract", "Withdraw a wrongly logged document; it stays visible, marked, and leaves every count."),
    "hop": ("retract", "Withdraw a wrongly logged hop (the document does not report that statement)."),
    "verdict": ("retract", "Withdraw a wrongly logged verdict; it stays in the claim's history, out of conflicts."),
    "affiliation": ("unaffiliate", "Withdraw a wrongly recorded role (an affiliation); it stays in the actor's history."),
}


def _retire(ctx: typer.Context, kind: str, ref: str, reason: str | None, deprecate: bool) -> None:
    from claimtrack.cli.objects import say
    from claimtrack.services.corrections import retire

    with write_session(ctx) as session:
        obj = retire(session, resolve(session, kind, ref), reason, status="deprecated" if deprecate else "retracted")
        text = f"{kind.capitalize()} {obj.id} is now {obj.status}: {obj.status_reason}"
    say(text)


def _retract_command(kind: str) -> Any:
    name, doc = RETRACTS[kind]

    def run(ctx: typer.Context, ref: str, reason: str | None, deprecate: bool) -> None:
        _retire(ctx, kind, ref, reason, deprecate)

    return command(f"{kind}-{name}", doc, run, {"ref": ref_argument(kind), "reason": (ReasonOption, None),
                                                "deprecate": (DeprecateOption, False)})


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


#: kind -> (what its merge moves, `merge` help, `unmerge` help)
MERGES = {
    "claim": ("statements, verdicts and relations",
              """Merge a duplicate claim into another: its statements (and their hops), verdicts and relations
              move; the duplicate is kept, pointing at the survivor (`claim unmerge` undoes it).""",
              "Undo a claim merge: what moved moves back."),
    "document": ("hops",
                 """Merge a duplicate document into another: its hops move; the duplicate is kept, pointing at
                 the survivor (`document unmerge` undoes it).""",
                 "Undo a document merge: the hops that moved move back."),
}


def _merge(ctx: typer.Context, kind: str, keep: str, duplicate: str) -> None:
    from claimtrack.cli.objects import say
    from claimtrack.services.merges import merge_claims, merge_documents

    with write_session(ctx) as session:
        survivor, loser = resolve(session, kind, keep), resolve(session, kind, duplicate)
        survivor_id, loser_id = survivor.id, loser.id
        (merge_claims if kind == "claim" else merge_documents)(session, survivor, loser)
    say(f"Merged {kind} {loser_id} into {kind} {survivor_id}: its {MERGES[kind][0]} now count as "
        f"{kind} {survivor_id}'s; undo with `claimtrack {kind} unmerge {loser_id}`")


def _unmerge(ctx: typer.Context, kind: str, duplicate: str) -> None:
    from claimtrack.cli.objects import say
    from claimtrack.services.merges import unmerge

    with write_session(ctx) as session:
        obj = unmerge(session, resolve(session, kind, duplicate))
        obj_id = obj.id
    say(f"{kind.capitalize()} {obj_id} stands on its own again; what the merge moved is back")


KeepArg = Annotated[str, typer.Argument(help="The one to keep (id or key).", show_default=False)]
DuplicateArg = Annotated[str, typer.Argument(help="The duplicate (id or key).", show_default=False)]


def _merge_commands(kind: str) -> tuple[Any, Any]:
    _what, merge_doc, unmerge_doc = MERGES[kind]

    def merge(ctx: typer.Context, keep: str, duplicate: str) -> None:
        _merge(ctx, kind, keep, duplicate)

    def unmerge(ctx: typer.Context, duplicate: str) -> None:
        _unmerge(ctx, kind, duplicate)

    return (command(f"{kind}-merge", merge_doc, merge, {"keep": KeepArg, "duplicate": DuplicateArg}),
            command(f"{kind}-unmerge", unmerge_doc, unmerge, {"duplicate": DuplicateArg}))


def register(app: typer.Typer) -> None:
    """Attach the retire, unlink and merge commands to their groups."""
    for kind, (name, _doc) in RETRACTS.items():
        attach(KINDS[kind][0], name, _retract_command(kind))
    attach("claim", "unlink", claim_unlink)
    for kind in MERGES:
        merge, unmerge = _merge_commands(kind)
        attach(kind, "merge", merge)
        attach(kind, "unmerge", unmerge)
