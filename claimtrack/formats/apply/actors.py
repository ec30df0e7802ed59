"""Actor and affiliation records: an actor is matched by key, else by one of its external ids."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from claimtrack.dates import PartialDate
from claimtrack.formats.apply.fields import (
    RecordError,
    check_text,
    choice,
    date_columns,
    date_field,
    status_of,
    text_field,
)
from claimtrack.formats.apply.resolve import Resolver, setter
from claimtrack.formats.plan import slug
from claimtrack.normalize import normalize_name
from claimtrack.vocab import ActorKind


def apply_actor(imp: Resolver, r: dict[str, Any]) -> None:
    name = text_field(r, "name", required=True)
    assert name is not None
    key = r.get("key") or slug(name)
    kind = choice(ActorKind, r.get("kind"), "kind", ActorKind.PERSON.value)
    aliases = r.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise RecordError("aliases must be a list of names")
    for alias in aliases:
        check_text(alias, "aliases")
    externals = r.get("external_ids") or {}
    if not isinstance(externals, dict):
        raise RecordError("external_ids must be an object like {\"wikidata\": \"Q10766\"}")
    pairs: list[tuple[str, str]] = []
    for scheme, values in externals.items():
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str) or not value.strip():
                raise RecordError(f"external_ids.{scheme} must be text or a list of texts")
            check_text(scheme, "external_ids")
            check_text(value, f"external_ids.{scheme}")
            pairs.append((scheme, value))
    existing = imp.known("actor", key)
    if existing is None:
        for pair in pairs:
            existing = imp.actor_by_ext.get(pair)
            if existing is not None:
                break
    if existing is not None:
        imp.set_local("actor", key, existing)
        imp.matched("actor")
        return
    merged = imp.ref(r, "merged_into", "actor")
    actor_id = imp.take_id("actors")
    imp.row("actors", {
        "id": actor_id, "key": key, "name": name, "kind": kind,
        "description": text_field(r, "description"), "merged_into_id": merged,
        "created_at": imp.now, "version": 1,
    })
    imp.set_local("actor", key, actor_id)
    seen: set[str] = set()
    folded = normalize_name(name)
    spellings = list(aliases) if any(normalize_name(a) == folded for a in aliases) else [name, *aliases]
    for spelling in spellings:
        normalized = normalize_name(spelling)
        if not normalized or normalized in seen:
            continue
        seen.add(normalized)
        imp.row("actor_aliases", {"id": imp.take_id("actor_aliases"), "actor_id": actor_id,
                                  "alias": spelling, "normalized": normalized})
    for scheme, value in pairs:
        imp.row("external_ids", {"id": imp.take_id("external_ids"), "actor_id": actor_id,
                                 "scheme": scheme, "value": value})
        imp.defer(setter(imp.actor_by_ext, (scheme, value), actor_id))
    imp.created("actor")


def apply_affiliation(imp: Resolver, r: dict[str, Any]) -> None:
    actor_id = imp.ref(r, "actor", "actor", required=True)
    org_id = imp.ref(r, "organization", "actor")
    role = text_field(r, "role", required=True)
    assert actor_id is not None and role is not None
    start = date_field(r, "start")
    end = date_field(r, "end")
    if start and end and start.start > end.start:
        raise RecordError(f"start {start} is after end {end}")
    if org_id is not None and org_id == actor_id:
        raise RecordError("an actor cannot be affiliated with itself")
    signature = (actor_id, org_id, role, str(start) if start else None)
    if signature in imp.affiliations or _affiliation_exists(imp, actor_id, org_id, role, start):
        imp.matched("affiliation")
        return
    status, reason = status_of(r)
    imp.row("affiliations", {"id": imp.take_id("affiliations"), "actor_id": actor_id,
                             "organization_id": org_id, "role": role,
                             **date_columns("start", start), **date_columns("end", end),
                             "status": status, "status_reason": reason})
    imp.defer(lambda: imp.affiliations.add(signature))
    imp.created("affiliation")


def _affiliation_exists(imp: Resolver, actor_id: int, org_id: int | None, role: str, start: PartialDate | None) -> bool:
    if not imp.preexisting("actors", actor_id, org_id):
        return False
    t = imp.tables["affiliations"]
    query = select(t.c.id).where(t.c.actor_id == actor_id, t.c.role == role,
                                 t.c.organization_id.is_(None) if org_id is None else t.c.organization_id == org_id,
                                 t.c.start_on.is_(None) if start is None else t.c.start_on == start.start)
    return imp.session.connection().execute(query.limit(1)).first() is not None
