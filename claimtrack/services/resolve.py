"""Name resolution: from what a fact-checker types to one actor.

Names match through aliases on their normalized form ("Alexey Navalny", "Alexeï Navalny" and
"Alexei Navalny" are one spelling once folded). Without an exact match the closest aliases are
offered as candidates; an actor is created only when the caller says so (`--new`), and even
then a near-duplicate ("Alexei Navalni") only when asked twice (`--new --force`, or confirmed
on a terminal), so a second spelling is never created silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimtrack.errors import Ambiguous, InvalidInput, NotFound
from claimtrack.models import Actor, ActorAlias
from claimtrack.normalize import normalize_name
from claimtrack.services.corrections import survivor

#: rapidfuzz WRatio (0-100) at or above which an alias is offered as "did you mean"
CANDIDATE_SCORE = 80.0
MAX_CANDIDATES = 5


@dataclass(frozen=True)
class Candidate:
    """An actor whose alias is close to a typed name."""

    actor_id: int
    name: str  # the actor's display name
    alias: str  # the spelling that matched
    score: float  # 0-100

    def describe(self) -> str:
        via = "" if self.alias == self.name else f" (as {self.alias!r})"
        return f"{self.name}{via} — actor {self.actor_id}, score {self.score:.0f}"


def find_exact(session: Session, name: str) -> list[Actor]:
    """Live actors with an alias whose normalized form equals the name's (merges followed)."""
    normalized = normalize_name(name)
    if not normalized:
        return []
    rows = session.scalars(
        select(Actor).join(ActorAlias, ActorAlias.actor_id == Actor.id).where(ActorAlias.normalized == normalized)
    ).unique()
    result: dict[int, Actor] = {}
    for actor in rows:
        live = survivor(session, actor)
        result[live.id] = live
    return sorted(result.values(), key=lambda a: a.id)


def candidates(session: Session, name: str, *, limit: int = MAX_CANDIDATES,
               min_score: float = CANDIDATE_SCORE) -> list[Candidate]:
    """The actors whose aliases are closest to `name`, best first (one entry per actor)."""
    from rapidfuzz import fuzz, process

    normalized = normalize_name(name)
    if not normalized:
        return []
    rows = session.execute(
        select(ActorAlias.normalized, ActorAlias.alias, ActorAlias.actor_id)
    ).all()
    if not rows:
        return []
    choices = [row.normalized for row in rows]
    # WRatio copes with word order and partial names ("Navalny" for "Alexei Navalny")
    matches = process.extract(normalized, choices, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=min_score)
    best: dict[int, Candidate] = {}
    for _choice, score, index in matches:
        row = rows[index]
        actor = survivor(session, session.get_one(Actor, row.actor_id))
        if actor.id not in best or best[actor.id].score < score:
            best[actor.id] = Candidate(actor.id, actor.name, row.alias, float(score))
    return sorted(best.values(), key=lambda c: (-c.score, c.actor_id))[:limit]


def _by_reference(session: Session, name: str) -> Actor | None:
    """`#12` names actor 12 directly (what the interactive prompts pass on)."""
    text = name.strip()
    if text.startswith("#") and text[1:].isdigit():
        actor = session.get(Actor, int(text[1:]))
        if actor is None:
            raise NotFound(f"actor {text[1:]} not found")
        return survivor(session, actor)
    return None


def near_duplicate(name: str, close: list[Candidate], option: str | None = None) -> Ambiguous:
    """The refusal of `--new` for a name close to existing ones: --new creates what does not
    exist, not a second spelling of what does."""
    where = f"{option}: " if option else ""
    return Ambiguous(f"{where}no actor named {name!r}, but similar ones exist (did you mean {close[0].name!r}?); "
                     f"name it as logged, or add --force to create {name!r} anyway", [c.describe() for c in close])


def resolve_actor(session: Session, name: str, *, create: bool = False, kind: str | None = None,
                  offer_new: bool = True, allow_similar: bool = False, option: str | None = None) -> Actor:
    """The one actor called `name` (an alias, any spelling that normalizes alike, `#id` or a key).

    No match: create it when `create` — unless a similar name exists and not `allow_similar`
    (`--force`): then raise Ambiguous naming the candidates (`option`, e.g. "--speaker", starts
    the message) — else raise Ambiguous naming the closest candidates (or NotFound when nothing
    is close). `offer_new` adds the "use --new" hint, which only commands that can create
    actors should give.
    """
    if name is None or not name.strip() or not normalize_name(name):
        raise InvalidInput("actor name is empty; give a name such as 'Leonid Volkov'")
    direct = _by_reference(session, name)
    if direct is not None:
        return direct
    exact = find_exact(session, name)
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        listed = [f"{a.name} — actor {a.id} ({a.kind})" for a in exact]
        raise Ambiguous(f"{len(exact)} actors are called {name!r}; name one with '#ID'", listed)
    keyed = session.scalar(select(Actor).where(Actor.key == name.strip()))
    if keyed is not None:
        return survivor(session, keyed)
    if create:
        from claimtrack.services.actors import add_actor

        if not allow_similar:
            close = candidates(session, name)
            if close:
                raise near_duplicate(name.strip(), close, option)
        return add_actor(session, name.strip(), kind=kind or "person", allow_similar=True)
    hint = " (use --new to create it)" if offer_new else ""
    close = candidates(session, name)
    if close:
        names = ", ".join(repr(c.name) for c in close)
        raise Ambiguous(f"no actor named {name!r}; did you mean: {names}?{hint}", [c.describe() for c in close])
    raise NotFound(f"no actor named {name!r}{hint}")


def resolve_optional(session: Session, name: str | None, *, create: bool = False, kind: str | None = None,
                     allow_similar: bool = False, option: str | None = None) -> Actor | None:
    """resolve_actor for optional options: None or blank gives None."""
    if name is None or not name.strip():
        return None
    return resolve_actor(session, name, create=create, kind=kind, allow_similar=allow_similar, option=option)
