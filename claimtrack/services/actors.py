"""Actors: add, alias, affiliate, identify elsewhere, merge.

A merge keeps both rows: the merged actor points at the survivor (merged_into_id) and every
reference (statements, hops, documents, verdicts, aliases, affiliations, external ids) moves to
the survivor, recorded in one "merge" event with before/after.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from claimtrack.dates import PartialDate
from claimtrack.errors import AlreadyExists, Ambiguous, InvalidInput
from claimtrack.models import (
    Actor,
    ActorAlias,
    Affiliation,
    Document,
    ExternalId,
    Hop,
    Statement,
    Verdict,
)
from claimtrack.normalize import normalize_name
from claimtrack.services.events import record_event, snapshot
from claimtrack.vocab import ActorKind, parse_choice


def add_actor(
    session: Session,
    name: str,
    *,
    kind: str = "person",
    aliases: tuple[str, ...] | list[str] = (),
    description: str | None = None,
    key: str | None = None,
    allow_similar: bool = False,
) -> Actor:
    """Create an actor with its name (and aliases) as aliases.

    Refuses a name that already belongs to an actor, and, unless `allow_similar`, a name close
    to an existing one (a near-duplicate must be asked for explicitly).
    """
    from claimtrack.services.resolve import candidates, find_exact

    name = (name or "").strip()
    if not normalize_name(name):
        raise InvalidInput("actor name is empty; give a name such as 'Leonid Volkov'")
    kind_value = parse_choice(ActorKind, kind, "actor kind").value
    for spelling in (name, *aliases):
        existing = find_exact(session, spelling)
        if existing:
            raise AlreadyExists(
                f"{spelling!r} already names actor {existing[0].id} ({existing[0].name}); "
                "add an alias to it or choose another name"
            )
    if not allow_similar:
        close = candidates(session, name)
        if close:
            raise Ambiguous(
                f"actors with similar names exist for {name!r}; use --new to add it anyway",
                [c.describe() for c in close],
            )
    if key is not None and session.scalar(select(Actor.id).where(Actor.key == key)) is not None:
        raise AlreadyExists(f"an actor with key {key!r} already exists")
    actor = Actor(name=name, kind=kind_value, description=description, key=key)
    session.add(actor)
    seen: set[str] = set()
    for spelling in (name, *aliases):
        normalized = normalize_name(spelling)
        if normalized and normalized not in seen:
            seen.add(normalized)
            actor.aliases.append(ActorAlias(alias=spelling.strip(), normalized=normalized))
    session.flush()
    record_event(session, "create", actor, after={**snapshot(actor), "aliases": [a.alias for a in actor.aliases]})
    return actor


def add_alias(session: Session, actor: Actor, alias: str) -> ActorAlias:
    """Give an actor another spelling; refused when the spelling names another actor."""
    from claimtrack.services.resolve import find_exact

    normalized = normalize_name(alias or "")
    if not normalized:
        raise InvalidInput("alias is empty; give a spelling such as 'Alexey Navalny'")
    others = [a for a in find_exact(session, alias) if a.id != actor.id]
    if others:
        raise AlreadyExists(f"{alias!r} already names actor {others[0].id} ({others[0].name})")
    existing = session.scalar(
        select(ActorAlias).where(ActorAlias.actor_id == actor.id, ActorAlias.normalized == normalized)
    )
    if existing is not None:
        raise AlreadyExists(f"actor {actor.id} ({actor.name}) already has the alias {existing.alias!r}")
    obj = ActorAlias(actor_id=actor.id, alias=alias.strip(), normalized=normalized)
    session.add(obj)
    session.flush()
    record_event(session, "create", obj)
    return obj


def affiliate(
    session: Session,
    actor: Actor,
    organization: Actor | None,
    role: str,
    *,
    start: PartialDate | None = None,
    end: PartialDate | None = None,
) -> Affiliation:
    """Record an actor's role for an organization ("spokeswoman" of the Foreign Ministry)."""
    if not role or not role.strip():
        raise InvalidInput("role is empty; give a role such as 'spokeswoman'")
    if organization is not None and organization.id == actor.id:
        raise InvalidInput(f"actor {actor.id} cannot be affiliated with itself")
    if start and end and start.start > end.end:
        raise InvalidInput(f"affiliation start {start} is after its end {end}")
    obj = Affiliation(actor_id=actor.id, organization_id=organization.id if organization else None, role=role.strip())
    obj.start = start
    obj.end = end
    session.add(obj)
    session.flush()
    record_event(session, "create", obj)
    return obj


def add_external_id(session: Session, actor: Actor, scheme: str, value: str) -> ExternalId:
    """Identify an actor elsewhere (wikidata Q…, homepage URL)."""
    scheme, value = scheme.strip().lower(), value.strip()
    if not scheme or not value:
        raise InvalidInput("an external id needs a scheme and a value, e.g. wikidata=Q123")
    taken = session.scalar(select(ExternalId).where(ExternalId.scheme == scheme, ExternalId.value == value))
    if taken is not None:
        raise AlreadyExists(f"{scheme} {value!r} already identifies actor {taken.actor_id}")
    obj = ExternalId(actor_id=actor.id, scheme=scheme, value=value)
    session.add(obj)
    session.flush()
    record_event(session, "create", obj)
    return obj


def _ids(session: Session, model: Any, column: Any, actor_id: int) -> list[int]:
    return list(session.scalars(select(model.id).where(column == actor_id).order_by(model.id)))


def merge_actors(session: Session, survivor: Actor, merged: Actor) -> Actor:
    """Fold `merged` into `survivor`: every reference moves; `merged` is kept, pointing at it."""
    if survivor.id == merged.id:
        raise InvalidInput(f"cannot merge actor {survivor.id} into itself")
    if merged.merged_into_id is not None:
        raise InvalidInput(f"actor {merged.id} ({merged.name}) was already merged into actor {merged.merged_into_id}")
    if survivor.merged_into_id is not None:
        raise InvalidInput(
            f"actor {survivor.id} ({survivor.name}) was merged into actor {survivor.merged_into_id}; merge into that one"
        )
    moves: dict[str, tuple[Any, Any]] = {
        "statements.speaker_id": (Statement, Statement.speaker_id),
        "statements.on_behalf_of_id": (Statement, Statement.on_behalf_of_id),
        "hops.via_actor_id": (Hop, Hop.via_actor_id),
        "documents.outlet_id": (Document, Document.outlet_id),
        "verdicts.reviewer_id": (Verdict, Verdict.reviewer_id),
        "affiliations.actor_id": (Affiliation, Affiliation.actor_id),
        "affiliations.organization_id": (Affiliation, Affiliation.organization_id),
        "external_ids.actor_id": (ExternalId, ExternalId.actor_id),
    }
    moved: dict[str, list[int]] = {}
    for label, (model, column) in moves.items():
        ids = _ids(session, model, column, merged.id)
        if ids:
            moved[label] = ids
            session.execute(update(model).where(model.id.in_(ids)).values({column.key: survivor.id})
                            .execution_options(synchronize_session=False))
    # an affiliation of the survivor with itself would break a CHECK: drop the organization
    session.execute(
        update(Affiliation).where(Affiliation.actor_id == survivor.id, Affiliation.organization_id == survivor.id)
        .values(organization_id=None).execution_options(synchronize_session=False)
    )
    # aliases move unless the survivor already has that spelling (then the merged keeps it,
    # which still resolves to the survivor through merged_into_id)
    have = set(session.scalars(select(ActorAlias.normalized).where(ActorAlias.actor_id == survivor.id)))
    alias_ids = []
    for alias in session.scalars(select(ActorAlias).where(ActorAlias.actor_id == merged.id)):
        if alias.normalized not in have:
            have.add(alias.normalized)
            alias.actor_id = survivor.id
            alias_ids.append(alias.id)
    if alias_ids:
        moved["actor_aliases.actor_id"] = alias_ids
    before = {"survivor": snapshot(survivor), "merged": snapshot(merged)}
    merged.merged_into_id = survivor.id
    session.flush()
    session.expire_all()
    record_event(
        session, "merge", survivor,
        before=before,
        after={"survivor_id": survivor.id, "merged_id": merged.id, "moved": moved},
    )
    return survivor
