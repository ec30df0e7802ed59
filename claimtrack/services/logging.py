"""The one-line log: speaker, stance, quote, claim, document and intermediary in one call.

Each part is resolved (or, when asked, created): the speaker, outlet and intermediary through
name resolution, the claim by its normalized text, the document by URL or by outlet + title +
date; then the statement and the hop "document reports statement via intermediary" are added.
Everything is validated before anything is written, and it all happens in the caller's one
transaction, so a failure leaves the database unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate, parse_optional_date
from claimtrack.errors import AlreadyExists, InvalidInput
from claimtrack.models import Actor, Claim, Document, Hop, Statement
from claimtrack.normalize import fold, normalize_name
from claimtrack.queries.lookup import get_by_ref, get_statement
from claimtrack.vocab import ActorKind, QuoteKind, Stance, parse_choice

#: words that mark an intermediary nobody can check ("local media", "state-run media")
_VAGUE_WORDS = {"media", "sources", "source", "reports", "reporters", "officials", "press"}

_MORE = {
    "quote_kind", "channel", "context", "language", "original_text", "on_behalf_of", "nested_in",
    "via_cue", "via_quote", "primary", "document_kind", "document_language", "author",
    "archive_url", "speaker_kind", "outlet_kind", "via_kind", "create_fields", "today",
    "quantity_subject", "quantity_value", "quantity_bound", "quantity_unit", "claim_language", "key",
    "document_ref", "force", "attach_to",
}


@dataclass
class LogResult:
    """What one `log` call resolved or created (ids; `created` names the new objects)."""

    statement_id: int
    claim_id: int
    claim_created: bool
    speaker_id: int | None = None
    outlet_id: int | None = None
    document_id: int | None = None
    document_created: bool = False
    hop_id: int | None = None
    via_actor_id: int | None = None
    on_behalf_of_id: int | None = None
    created: list[str] = field(default_factory=list)
    suggested_same_as: list[dict[str, Any]] = field(default_factory=list)


def guess_via_kind(name: str) -> str:
    """An intermediary's kind when it must be created: 'local media' is unspecified, AFP an agency."""
    return ActorKind.UNSPECIFIED.value if set(fold(name).split()) & _VAGUE_WORDS else ActorKind.AGENCY.value


def _text(value: str | None) -> str | None:
    return value.strip() if value is not None and value.strip() else None


def log_statement(
    session: Session,
    *,
    speaker: str | None,
    claim: str,
    stance: str,
    quote: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    via: str | None = None,
    cue: str | None = None,
    said: str | None = None,
    anonymous: str | None = None,
    create_missing: bool = False,
    **more: Any,
) -> LogResult:
    """Log one statement and where it was reported, resolving or creating each part."""
    from claimtrack.services.claims import add_claim
    from claimtrack.services.documents import add_document, find_document
    from claimtrack.services.hops import add_hop
    from claimtrack.services.resolve import find_exact, resolve_optional
    from claimtrack.services.statements import add_statement

    unknown = set(more) - _MORE
    if unknown:
        raise TypeError(f"log_statement() got unexpected options: {', '.join(sorted(unknown))}")
    today: date = more.get("today") or date.today()
    create_fields: set[str] = set(more.get("create_fields") or ())

    # ---- validate everything that needs no database first
    speaker, anonymous, quote = _text(speaker), _text(anonymous), _text(quote)
    if speaker and anonymous:
        raise InvalidInput("give either --speaker or --anonymous, not both")
    stance_value = parse_choice(Stance, stance or "", "stance").value
    if claim is None or not fold(claim):
        raise InvalidInput("claim text is empty; word the checkable proposition with --claim")
    if quote and not (speaker or anonymous):
        raise InvalidInput("a quote needs --speaker or --anonymous ('a former ally'); "
                           "the reporter's own voice is not quoted")
    if more.get("quote_kind"):
        if not quote:
            raise InvalidInput("--quote-kind needs a --quote")
        parse_choice(QuoteKind, more["quote_kind"], "quote kind")
    said_date: PartialDate | None = parse_optional_date(said, "--said", not_after=today)
    published_date: PartialDate | None = parse_optional_date(published, "--published", not_after=today)
    if said_date and published_date and not said_date.may_precede(published_date):
        raise InvalidInput(f"--said {said_date} is after --published {published_date}; "
                           "a document cannot report a statement made after it was published")
    url, title = _text(url), _text(title)
    document_ref = _text(more.get("document_ref"))
    if document_ref and (url or title or outlet or published):
        given = [n for n, v in (("--url", url), ("--title", title), ("--outlet", outlet), ("--published", published))
                 if v]
        raise InvalidInput(f"--document reuses a logged document: drop {', '.join(given)}")
    if (outlet or published) and not (url or title):
        raise InvalidInput("to log where it was reported give --url, or --title (with --outlet and --published)")
    if via and not (url or title or document_ref):
        raise InvalidInput("--via names who a document relied on; give the document too (--url or --title)")

    def create(name: str) -> bool:
        return create_missing or name in create_fields

    # ---- resolve the parts
    result_created: list[str] = []
    def resolve(field_name: str, name: str | None, kind: str | None) -> Actor | None:
        if not name or not name.strip():
            return None
        known = bool(find_exact(session, name))
        # --new creates what does not exist, not a second spelling of what does (unless --force,
        # or the person confirmed creating it on a terminal)
        actor = resolve_optional(session, name, create=create(field_name), kind=kind,
                                 allow_similar=field_name in create_fields or bool(more.get("force")),
                                 option="--" + field_name.replace("_", "-"))
        if not known and actor is not None and actor.created_at is not None and create(field_name) \
                and normalize_name(actor.name) == normalize_name(name):
            result_created.append(f"actor {actor.id} ({actor.name})")
        return actor

    speaker_actor = resolve("speaker", speaker, more.get("speaker_kind") or "person")
    outlet_actor = resolve("outlet", outlet, more.get("outlet_kind") or "outlet")
    via_actor = resolve("via", via, more.get("via_kind") or (guess_via_kind(via) if via else None))
    behalf_actor = resolve("on_behalf_of", more.get("on_behalf_of"), "organization")
    parent = get_statement(session, more["nested_in"]) if more.get("nested_in") else None

    claim_result = add_claim(
        session, claim, language=more.get("claim_language"), quantity_subject=more.get("quantity_subject"),
        quantity_value=more.get("quantity_value"), quantity_bound=more.get("quantity_bound"),
        quantity_unit=more.get("quantity_unit"),
    )
    if claim_result.created:
        result_created.append(f"claim {claim_result.claim.id}")

    document = None
    document_created = False
    if document_ref:
        from claimtrack.queries.lookup import get_document
        from claimtrack.services.corrections import ensure_live, survivor

        document = survivor(session, get_document(session, document_ref))
        ensure_live(document, "reported in")
    elif url or title:
        if not url and find_document(session, outlet=outlet_actor, title=title, published=published_date) is None \
                and outlet_actor is None:
            raise InvalidInput("a document without --url needs --outlet (and --published) to be found again")
        doc_result = add_document(
            session, url=url, outlet=outlet_actor, title=title, published=published_date,
            kind=more.get("document_kind") or "article", language=more.get("document_language"),
            author=more.get("author"), archive_url=more.get("archive_url"), attach_to=more.get("attach_to"),
        )
        document, document_created = doc_result.document, doc_result.created
        if document_created:
            result_created.append(f"document {document.id}")

    if document is not None and not document_created and not claim_result.created and not more.get("force"):
        twin = already_logged(session, claim_result.claim, speaker_actor, anonymous, stance_value, quote,
                               said_date, document)
        if twin is not None:
            raise AlreadyExists(
                f"statement {twin.id} already records this: the same speaker {stance_value} claim "
                f"{claim_result.claim.id} in document {document.id}"
                + (" with the same quote" if quote else "")
                + f"; correct it with `statement edit {twin.id}`, or add --force if it was said twice")

    statement = add_statement(
        session, claim=claim_result.claim, stance=stance_value, speaker=speaker_actor, descriptor=anonymous,
        on_behalf_of=behalf_actor, quote=quote, quote_kind=more.get("quote_kind"), cue=cue,
        channel=more.get("channel"), context=more.get("context"), said=said_date,
        language=more.get("language"), original_text=more.get("original_text"), parent=parent, key=more.get("key"),
    )
    result_created.append(f"statement {statement.id}")

    hop = None
    if document is not None:
        hop = add_hop(session, document=document, statement=statement, via_actor=via_actor,
                      cue=more.get("via_cue"), quote=more.get("via_quote"), is_primary=bool(more.get("primary")))
        result_created.append(f"hop {hop.id}")

    def actor_id(actor: Actor | None) -> int | None:
        return actor.id if actor is not None else None

    return LogResult(
        statement_id=statement.id, claim_id=claim_result.claim.id, claim_created=claim_result.created,
        speaker_id=actor_id(speaker_actor), outlet_id=actor_id(outlet_actor),
        document_id=document.id if document else None, document_created=document_created,
        hop_id=hop.id if hop else None, via_actor_id=actor_id(via_actor), on_behalf_of_id=actor_id(behalf_actor),
        created=result_created,
        suggested_same_as=[{"claim_id": s.claim_id, "text": s.text, "score": round(s.score, 3),
                            "relation_id": s.relation_id} for s in claim_result.suggestions],
    )


def already_logged(session: Session, claim: Claim, speaker: Actor | None, descriptor: str | None, stance: str,
                   quote: str | None, said: PartialDate | None, document: Document,
                   exclude: int | None = None) -> Statement | None:
    """A live statement (other than `exclude`) this log line would repeat: same speaker (or
    descriptor), claim, stance and quote, reported in the same document, said on the same date or
    on an unknown one. Logging the same line twice is the commonest slip, and it would count the
    speaker twice; `statement edit` runs the same check on the statement an edit would make."""
    from sqlalchemy import select

    # the claim and document were resolved live already, so the statuses are all queries/live.py's
    # predicates would add here (their NOT IN subqueries scan every retired row on each `log`)
    query = (select(Statement).join(Hop, Hop.statement_id == Statement.id)
             .where(Hop.document_id == document.id, Hop.status == "normal", Statement.claim_id == claim.id,
                    Statement.stance == stance, Statement.status == "normal"))
    if exclude is not None:
        query = query.where(Statement.id != exclude)
    query = query.where(Statement.speaker_id == speaker.id) if speaker is not None else query.where(
        Statement.speaker_id.is_(None),
        Statement.speaker_descriptor == descriptor if descriptor else Statement.speaker_descriptor.is_(None))
    for candidate in session.scalars(query.order_by(Statement.id)):
        same_quote = fold(candidate.quote or "") == fold(quote or "")
        same_day = said is None or candidate.said is None or candidate.said == said
        if same_quote and same_day:
            return candidate
    return None


def log_report(
    session: Session,
    *,
    statement: str,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: str | None = None,
    via: str | None = None,
    via_hop: str | None = None,
    via_cue: str | None = None,
    primary: bool = False,
    document_kind: str | None = None,
    create_missing: bool = False,
    force: bool = False,
    today: date | None = None,
) -> LogResult:
    """Log one more document reporting an already logged statement (an echo, a reprint),
    relying on an intermediary and/or the hop of an earlier report of it (`via_hop`)."""
    from claimtrack.models import Hop
    from claimtrack.services.documents import add_document
    from claimtrack.services.hops import add_hop
    from claimtrack.services.resolve import resolve_optional

    published_date = parse_optional_date(published, "--published", not_after=today or date.today())
    url, title = _text(url), _text(title)
    if not (url or (title and outlet)):
        raise InvalidInput("give the reporting document: --url, or --title with --outlet (and --published)")
    existing = get_statement(session, statement)
    earlier = get_by_ref(session, Hop, via_hop) if via_hop else None
    outlet_actor = resolve_optional(session, outlet, create=create_missing, kind="outlet", allow_similar=force,
                                    option="--outlet")
    via_actor = resolve_optional(session, via, create=create_missing, kind=guess_via_kind(via) if via else None,
                                 allow_similar=force, option="--via")
    result = add_document(session, url=url, outlet=outlet_actor, title=title, published=published_date,
                          kind=document_kind or "article")
    hop = add_hop(session, document=result.document, statement=existing, via_hop=earlier, via_actor=via_actor,
                  cue=via_cue, is_primary=primary)
    created = ([f"document {result.document.id}"] if result.created else []) + [f"hop {hop.id}"]
    return LogResult(
        statement_id=existing.id, claim_id=existing.claim_id, claim_created=False, speaker_id=existing.speaker_id,
        outlet_id=outlet_actor.id if outlet_actor else None, document_id=result.document.id,
        document_created=result.created, hop_id=hop.id, via_actor_id=via_actor.id if via_actor else None,
        on_behalf_of_id=existing.on_behalf_of_id, created=created,
    )
