"""Edits of every record kind with optimistic locking.

The editor says which version they read (`expect_version`, shown by `claim show` / `verdict
show` and `history`). If somebody changed the object since, the edit fails with a message that
says how to re-read it: an edit never silently overwrites another person's change. The version
column is also SQLAlchemy's version_id_col, so an UPDATE that races past the check still
matches no row and fails the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from claimtrack.dates import PartialDate
from claimtrack.errors import AlreadyExists, ConcurrentEdit, InvalidInput
from claimtrack.models import Base, Claim, Verdict
from claimtrack.normalize import claim_hash, fold
from claimtrack.services.events import record_event, snapshot
from claimtrack.services.verdicts import check_scale
from claimtrack.vocab import Bound, parse_choice

#: where a person re-reads an object (and sees what changed); `verdict` has no `show` command
_REREAD = {"claim": "claimtrack claim show {id}", "verdict": "claimtrack history verdict {id}",
           "statement": "claimtrack statement show {id}", "document": "claimtrack document show {id}",
           "actor": "claimtrack actor show {id}"}


def _stale(kind: str, obj_id: int, expected: int, current: int | None) -> ConcurrentEdit:
    now = f"now {current}" if current is not None else "now changed"
    reread = _REREAD.get(kind, "claimtrack history " + kind + " {id}").format(id=obj_id)
    return ConcurrentEdit(
        f"{kind} {obj_id} was changed by someone else since you read it (version {expected}, {now}); "
        f"re-read it with `{reread}` and try again"
    )


def check_version(kind: str, obj: Any, expect_version: int) -> None:
    """Refuse the edit when the object is no longer at the version the editor read."""
    if obj.version != expect_version:
        raise _stale(kind, obj.id, expect_version, obj.version)


def _apply(session: Session, kind: str, obj: Base, expect_version: int, changes: dict[str, Any],
           check: Callable[[Any], None] | None) -> bool:
    """Set the changed fields, check them together, flush with the version check, record the event.

    Returns False (and writes nothing) when every given value equals the current one.
    """
    changed = {key: value for key, value in changes.items() if getattr(obj, key) != value}
    if not changed:
        return False
    before = snapshot(obj)
    for key, value in changed.items():
        setattr(obj, key, value)
    if check is not None:
        check(obj)
    try:
        session.flush()
    except StaleDataError:
        # the session must be rolled back before it can read again, so the new version is unknown
        raise _stale(kind, before["id"], expect_version, None) from None
    record_event(session, "update", obj, before=before)
    return True


def edit_claim(session: Session, claim: Claim, *, expect_version: int, **fields: Any) -> bool:
    """Change a claim's wording, language, key or figure; True when something changed."""
    return edit_object(session, "claim", claim, fields, expect_version=expect_version)


def edit_verdict(session: Session, verdict: Verdict, *, expect_version: int, **fields: Any) -> bool:
    """Change a verdict's rating, scale (value, best, worst), link, explanation, language or review date."""
    return edit_object(session, "verdict", verdict, fields, expect_version=expect_version)


# --------------------------------------------------------------------------- the kinds
#
# One table per kind says which fields `edit` may change and how a given value is cleaned into
# column values; `edit_object` does the rest (only given fields change, the version check, the
# before/after event). Validation that spans fields runs after the values are set, before flush.


def _text(field: str) -> Callable[[Session, Any, Any], dict[str, Any]]:
    """An optional free-text field: blank clears it."""
    def clean(session: Session, obj: Any, value: Any) -> dict[str, Any]:
        return {field: value.strip() if isinstance(value, str) and value.strip() else None}
    return clean


def _required(field: str, what: str, label: str = "") -> Callable[[Session, Any, Any], dict[str, Any]]:
    def clean(session: Session, obj: Any, value: Any) -> dict[str, Any]:
        if value is None or not str(value).strip():
            raise InvalidInput(f"{label or field} is empty; give {what}")
        return {field: str(value).strip()}
    return clean


def _value(field: str) -> Callable[[Session, Any, Any], dict[str, Any]]:
    """A value taken as given (a number, or None to clear)."""
    def clean(session: Session, obj: Any, value: Any) -> dict[str, Any]:
        return {field: value}
    return clean


def _choice(field: str, enum: Any, label: str) -> Callable[[Session, Any, Any], dict[str, Any]]:
    def clean(session: Session, obj: Any, value: Any) -> dict[str, Any]:
        if value is None:
            raise InvalidInput(f"{label} cannot be cleared; give one of: " + ", ".join(m.value for m in enum))
        return {field: parse_choice(enum, value, label).value}
    return clean


def _optional_choice(field: str, enum: Any, label: str) -> Callable[[Session, Any, Any], dict[str, Any]]:
    def clean(session: Session, obj: Any, value: Any) -> dict[str, Any]:
        return {field: parse_choice(enum, value, label).value if value else None}
    return clean


def _partial(prefix: str) -> Callable[[Session, Any, Any], dict[str, Any]]:
    """A partial date given as a PartialDate (or None to clear)."""
    def clean(session: Session, obj: Any, value: Any) -> dict[str, Any]:
        partial: PartialDate | None = value
        return {f"{prefix}_on": partial.start if partial else None,
                f"{prefix}_precision": partial.precision.value if partial else None,
                f"{prefix}_approx": partial.approximate if partial else False}
    return clean


def _flag(field: str) -> Callable[[Session, Any, Any], dict[str, Any]]:
    def clean(session: Session, obj: Any, value: Any) -> dict[str, Any]:
        return {field: bool(value)}
    return clean


def _key(model: Any, kind: str) -> Callable[[Session, Any, Any], dict[str, Any]]:
    def clean(session: Session, obj: Any, value: Any) -> dict[str, Any]:
        key = value.strip() if isinstance(value, str) and value.strip() else None
        if key is not None and session.scalar(select(model.id).where(model.key == key, model.id != obj.id)):
            raise AlreadyExists(f"a {kind} with key {key!r} already exists")
        return {"key": key}
    return clean


def _document_url(session: Session, obj: Any, value: Any) -> dict[str, Any]:
    from claimtrack.models import Document
    from claimtrack.normalize import normalize_url

    url = value.strip() if isinstance(value, str) and value.strip() else None
    if url is None:
        return {"url": None, "url_normalized": None}
    normalized = normalize_url(url)
    other = session.scalar(select(Document.id).where(Document.url_normalized == normalized, Document.id != obj.id))
    if other is not None:
        raise AlreadyExists(f"document {other} already has this URL; merge the two with "
                            f"`claimtrack document merge {other} {obj.id}`")
    return {"url": url, "url_normalized": normalized}


def _claim_text(session: Session, obj: Any, value: Any) -> dict[str, Any]:
    if value is None or not fold(value):
        raise InvalidInput("claim text is empty; word the checkable proposition")
    text_hash = claim_hash(value)
    other = session.scalar(select(Claim.id).where(Claim.text_hash == text_hash, Claim.id != obj.id))
    if other is not None:
        raise AlreadyExists(f"claim {other} already has this wording; link the two with `claimtrack claim link` instead")
    return {"text": value.strip(), "text_hash": text_hash}


def _claim_checks(claim: Any) -> None:
    if (claim.quantity_value is None) != (claim.quantity_subject is None):
        raise InvalidInput(
            "a claim's figure needs both a quantity subject (what is counted) and a quantity value; "
            "clear both to remove the figure"
        )
    if claim.quantity_bound is not None and claim.quantity_value is None:
        raise InvalidInput("a quantity bound needs a quantity value")


def _verdict_checks(verdict: Any) -> None:
    check_scale(verdict.rating_value, verdict.best, verdict.worst)


def _statement_checks(st: Any) -> None:
    if st.quote is not None and st.speaker_id is None and st.speaker_descriptor is None:
        raise InvalidInput("a quote needs a speaker or an anonymous descriptor; the reporter's own voice is not quoted"
                           " (give --anonymous 'a former ally' when the speaker is unnamed)")
    if st.speaker_id is not None and st.speaker_descriptor is not None:
        raise InvalidInput("a statement has a speaker or an anonymous descriptor, not both: "
                           "clear the descriptor with --anonymous '' (or the speaker with --speaker '')")
    if st.quote_kind is not None and st.quote is None:
        raise InvalidInput("a quote kind needs a quote")
    if st.quote is not None and st.quote_kind is None:
        st.quote_kind = "direct"


def _affiliation_checks(a: Any) -> None:
    if a.start_on is not None and a.end_on is not None and a.start_on > a.end_on:
        raise InvalidInput(f"the role starts ({a.start}) after it ends ({a.end})")


def _hop_checks(hop: Any) -> None:
    if hop.is_primary and hop.via_hop_id is not None:
        raise InvalidInput(f"hop {hop.id} relies on hop {hop.via_hop_id}, so it cannot be the primary source; "
                           f"clear that first with `claimtrack hop set-via {hop.id}`")


def _specs(session: Session | None = None, *, create: bool = False, force: bool = False
           ) -> dict[str, tuple[Any, dict[str, Callable[[Session, Any, Any], dict[str, Any]]], Any]]:
    """kind -> (model, field cleaners, cross-field check). `create` (`--new`) lets a speaker,
    on-behalf-of or outlet name that matches nobody create an actor; `force` lets it be a name
    close to an existing one."""
    from claimtrack.models import Actor, Affiliation, ClaimRelation, Document, Hop, Statement
    from claimtrack.services.reattribute import actor_field, claim_field, document_checks
    from claimtrack.vocab import ActorKind, DocumentKind, QuoteKind, RelationType, Stance

    return {
        "claim": (Claim, {
            "text": _claim_text, "language": _text("language"), "key": _key(Claim, "claim"),
            "quantity_subject": _text("quantity_subject"), "quantity_value": _value("quantity_value"),
            "quantity_bound": _optional_choice("quantity_bound", Bound, "quantity bound"),
            "quantity_unit": _text("quantity_unit"),
        }, _claim_checks),
        "verdict": (Verdict, {
            "label": _required("label", "a rating such as 'false' or 'half-true'", "verdict label"),
            "value": _value("rating_value"), "best": _value("best"), "worst": _value("worst"),
            "url": _text("url"), "explanation": _text("explanation"), "language": _text("language"),
            "reviewed": _partial("reviewed"),
        }, _verdict_checks),
        "statement": (Statement, {
            "stance": _choice("stance", Stance, "stance"),
            "quote": _text("quote"), "quote_kind": _optional_choice("quote_kind", QuoteKind, "quote kind"),
            "cue": _text("cue"), "channel": _text("channel"), "context": _text("context"),
            "said": _partial("said"), "language": _text("language"), "original_text": _text("original_text"),
            "speaker_descriptor": _text("speaker_descriptor"), "key": _key(Statement, "statement"),
            "speaker": actor_field("speaker_id", "--speaker", "person", create=create, force=force),
            "on_behalf_of": actor_field("on_behalf_of_id", "--on-behalf-of", "organization", create=create,
                                        force=force),
            "claim": claim_field,
        }, _statement_checks),
        "document": (Document, {
            "title": _text("title"), "url": _document_url, "kind": _choice("kind", DocumentKind, "document kind"),
            "language": _text("language"), "author": _text("author"), "published": _partial("published"),
            "archive_url": _text("archive_url"), "key": _key(Document, "document"),
            "outlet": actor_field("outlet_id", "--outlet", "outlet", create=create, force=force),
        }, document_checks(session) if session is not None else None),
        "hop": (Hop, {"cue": _text("cue"), "quote": _text("quote"), "is_primary": _flag("is_primary"),
                      "key": _key(Hop, "hop")}, _hop_checks),
        "actor": (Actor, {
            "name": _required("name", "the actor's display name"),
            "kind": _choice("kind", ActorKind, "actor kind"), "description": _text("description"),
        }, None),
        "affiliation": (Affiliation, {
            "role": _required("role", "a role such as 'spokeswoman'"),
            "start": _partial("start"), "end": _partial("end"),
        }, _affiliation_checks),
        "relation": (ClaimRelation, {
            "type": _choice("type", RelationType, "relation type"), "note": _text("note"),
        }, None),
    }


#: the fields `edit` may change, per kind (what `--help` and the unknown-field error list)
def editable_fields(kind: str) -> list[str]:
    return list(_specs()[kind][1])


def edit_object(session: Session, kind: str, obj: Any, given: dict[str, Any], *, expect_version: int,
                create_missing: bool = False, force: bool = False) -> bool:
    """Change the given fields of a claim, verdict, statement, document, hop, actor, affiliation
    or relation.

    Only the fields given change; a stale `expect_version` or an unknown field is refused before
    anything is written. True when something changed (an `update` event records before/after).
    A statement's speaker, on-behalf-of and claim and a document's outlet are names or refs
    (claimtrack.services.reattribute): `create_missing` (`--new`) creates a missing actor, `force`
    allows a near-duplicate name, and a statement made to repeat one already logged in the same
    document is refused unless `force`.
    """
    specs = _specs(session, create=create_missing, force=force)
    if kind not in specs:
        raise InvalidInput(f"unknown kind {kind!r}; expected one of: {', '.join(specs)}")
    _model, cleaners, check = specs[kind]
    unknown = sorted(set(given) - set(cleaners))
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r} for a {kind}; expected one of: {', '.join(cleaners)}")
    if not given:
        raise InvalidInput("nothing to change: give at least one field to edit (see --help)")
    from claimtrack.services.corrections import ensure_live

    ensure_live(obj)
    check_version(kind, obj, expect_version)
    changes: dict[str, Any] = {}
    for name, value in given.items():
        changes.update(cleaners[name](session, obj, value))
    if kind == "actor" and "name" in changes and changes["name"] != obj.name:
        _keep_name_resolvable(session, obj, changes["name"])
    if kind == "statement" and not force:
        from claimtrack.services.reattribute import refuse_repeat

        refuse_repeat(session, obj, changes)
    return _apply(session, kind, obj, expect_version, changes, check)


def _keep_name_resolvable(session: Session, actor: Any, name: str) -> None:
    """A renamed actor keeps its old spellings and answers to the new one (an alias is added)."""
    from claimtrack.models import ActorAlias
    from claimtrack.normalize import normalize_name
    from claimtrack.services.actors import add_alias

    normalized = normalize_name(name)
    if not normalized:
        raise InvalidInput("name is empty; give the actor's display name")
    if session.scalar(select(ActorAlias.id).where(ActorAlias.actor_id == actor.id,
                                                  ActorAlias.normalized == normalized)) is None:
        add_alias(session, actor, name)
