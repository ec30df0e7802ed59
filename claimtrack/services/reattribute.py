"""Corrections of who said it, about which claim, and who published it: `statement edit
--speaker / --on-behalf-of / --claim` and `document edit --outlet`.

A quote put in the wrong mouth, filed under the wrong claim, or a document given the wrong
outlet is corrected in place, so the statement keeps its hops, chains and history (a retraction
and a new log line would lose them). The names resolve as `log` resolves them
(claimtrack.services.resolve: aliases, '#ID', keys; `--new` creates a missing actor but not a
near-duplicate of an existing one unless `--force`), and moving a statement so that it repeats
a statement already logged in the same document is refused as `log` refuses it
(claimtrack.services.logging.already_logged), unless `--force`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate
from claimtrack.errors import AlreadyExists, Ambiguous, InvalidInput, NotFound
from claimtrack.models import Actor, Claim, Document, Hop, Statement

Cleaner = Callable[[Session, Any, Any], dict[str, Any]]

#: the statement columns that make two statements "the same line" (log's duplicate check)
IDENTITY = ("speaker_id", "speaker_descriptor", "claim_id", "stance", "quote", "said_on", "said_precision",
            "said_approx")


def actor_field(column: str, option: str, kind: str, *, create: bool, force: bool) -> Cleaner:
    """A reference to an actor by name (as `log --speaker` takes it); blank clears it."""
    def clean(session: Session, obj: Any, value: Any) -> dict[str, Any]:
        from claimtrack.services.resolve import resolve_optional

        try:
            actor = resolve_optional(session, value, create=create, kind=kind, allow_similar=force, option=option)
        except Ambiguous as exc:  # say which of the name options it was
            if str(exc).startswith(f"{option}:"):
                raise
            raise Ambiguous(f"{option}: {exc}", exc.candidates) from None
        except NotFound as exc:
            raise NotFound(f"{option}: {exc}") from None
        return {column: actor.id if actor is not None else None}
    return clean


def live_claim(session: Session, ref: Any) -> Claim:
    """The claim `--claim` names (id or key), refused when it is retired or merged into another."""
    from claimtrack.queries.lookup import get_claim
    from claimtrack.services.corrections import RETIRED, survivor

    if ref is None or not str(ref).strip():
        raise InvalidInput("--claim cannot be cleared: a statement is always about a claim; give a claim's id or key")
    try:
        claim = get_claim(session, ref)
    except NotFound as exc:
        raise NotFound(f"--claim: {exc}") from None
    if claim.merged_into_id is not None:
        final = survivor(session, claim)
        raise InvalidInput(f"--claim: claim {claim.id} was merged into claim {final.id}; give --claim {final.id}")
    if claim.status in RETIRED:
        reason = f" ({claim.status_reason})" if claim.status_reason else ""
        raise InvalidInput(f"--claim: claim {claim.id} is {claim.status}{reason}; a statement cannot be "
                           "moved to a retired claim")
    return claim


def claim_field(session: Session, obj: Any, value: Any) -> dict[str, Any]:
    return {"claim_id": live_claim(session, value).id}


def document_checks(session: Session) -> Callable[[Any], None]:
    """A document without a URL is found by outlet + folded title + date: it keeps an outlet,
    and moving it to an outlet must not make it a second copy of a document logged there."""
    def check(document: Any) -> None:
        from sqlalchemy import inspect

        from claimtrack.services.documents import find_by_title

        if document.url_normalized is not None or not inspect(document).attrs.outlet_id.history.has_changes():
            return
        if document.outlet_id is None:
            raise InvalidInput(f"document {document.id} has no URL, so its outlet (with its title and date) is "
                               "what finds it again; give another --outlet, or a --url first")
        if not document.title:
            return
        with session.no_autoflush:
            outlet = session.get_one(Actor, document.outlet_id)
            other = find_by_title(session, outlet=outlet, title=document.title, published=document.published)
        if other is not None and other.id != document.id:
            raise AlreadyExists(f"document {other.id} is already this article of {outlet.name} (same title and "
                                f"date); merge the two with `claimtrack document merge {other.id} {document.id}`")
    return check


def refuse_repeat(session: Session, statement: Statement, changes: dict[str, Any]) -> None:
    """Refuse changes that make `statement` the same line as another live statement reported in
    one of its documents (log's duplicate check); nothing has been set on it yet."""
    from claimtrack.services.logging import already_logged

    if not any(column in changes and changes[column] != getattr(statement, column) for column in IDENTITY):
        return
    value = {column: changes.get(column, getattr(statement, column)) for column in IDENTITY}
    claim = session.get_one(Claim, value["claim_id"])
    speaker = session.get_one(Actor, value["speaker_id"]) if value["speaker_id"] is not None else None
    said = PartialDate.of(value["said_on"], value["said_precision"], value["said_approx"])
    documents = session.scalars(select(Hop.document_id).where(Hop.statement_id == statement.id,
                                                              Hop.status == "normal").distinct()).all()
    for document_id in sorted(documents):
        document = session.get_one(Document, document_id)
        twin = already_logged(session, claim, speaker, value["speaker_descriptor"], value["stance"], value["quote"],
                              said, document, exclude=statement.id)
        if twin is not None:
            raise AlreadyExists(
                f"statement {twin.id} already records this: the same speaker {value['stance']} claim {claim.id} "
                f"in document {document.id}" + (" with the same quote" if value["quote"] else "")
                + f"; retract one of the two (`claimtrack statement retract {statement.id} --reason …`), "
                "or add --force if it was said twice")
