"""Name resolution: aliases, normalized spellings, fuzzy candidates, merges, --new."""

from __future__ import annotations

import pytest

from claimtrack.errors import AlreadyExists, Ambiguous, InvalidInput, NotFound
from claimtrack.services.actors import add_actor, add_alias, merge_actors
from claimtrack.services.resolve import candidates, resolve_actor


def test_three_spellings_of_navalny_are_one_actor(database):
    with database.write() as s:
        navalny = add_actor(s, "Alexei Navalny", aliases=("Alexey Navalny",))
        for spelling in ("Alexei Navalny", "Alexey Navalny", "Alexeï Navalny", "ALEXEI  navalny", "alexei-navalny"):
            assert resolve_actor(s, spelling).id == navalny.id
        # the accented spelling is the same normal form: nothing to add
        with pytest.raises(AlreadyExists, match="already has the alias"):
            add_alias(s, navalny, "Alexeï Navalny")


def _ovd_info_spellings(database):
    with database.write() as s:
        ovd = add_actor(s, "OVD-Info", kind="organization")
        assert resolve_actor(s, "OVD Info").id == ovd.id
        assert resolve_actor(s, "ovd info").id == ovd.id


def test_near_match_fails_with_candidates_and_never_creates(database, snapshot):
    with database.write() as s:
        add_actor(s, "Leonid Volkov")
    before = snapshot()
    with pytest.raises(Ambiguous) as info, database.write() as s:
        resolve_actor(s, "Leonid Volkow")
    assert "no actor named 'Leonid Volkow'; did you mean: 'Leonid Volkov'? (use --new to create it)" == str(info.value)
    assert info.value.candidates and "Leonid Volkov" in info.value.candidates[0]
    assert snapshot() == before


def _unknown_name_without_candidates_is_not_found(database):
    with database.write() as s, pytest.raises(NotFound, match="no actor named 'Dmitry Peskov'"):
        resolve_actor(s, "Dmitry Peskov")


def _create_makes_a_new_actor_with_kind(database):
    with database.write() as s:
        afp = resolve_actor(s, "AFP", create=True, kind="agency")
        assert afp.kind == "agency"
        assert resolve_actor(s, "afp").id == afp.id


def _add_actor_refuses_near_duplicates_unless_asked(database):
    with database.write() as s:
        add_actor(s, "Leonid Volkov")
        with pytest.raises(Ambiguous, match="similar names"):
            add_actor(s, "Leonid Volkow")
        assert add_actor(s, "Leonid Volkow", allow_similar=True).id
        with pytest.raises(AlreadyExists):
            add_actor(s, "leonid volkov")


def _candidates_are_ranked(database):
    with database.write() as s:
        add_actor(s, "Maria Zakharova")
        add_actor(s, "Marina Litvinenko")
        found = candidates(s, "Maria Zaharova")
        assert found[0].name == "Maria Zakharova"


def test_merged_actor_resolves_to_survivor(database):
    with database.write() as s:
        a = add_actor(s, "Alexei Navalny")
        b = add_actor(s, "A. Navalny", allow_similar=True)
        merge_actors(s, a, b)
        assert resolve_actor(s, "A. Navalny").id == a.id
        assert resolve_actor(s, f"#{b.id}").id == a.id


def _empty_name_is_invalid(database):
    with database.write() as s, pytest.raises(InvalidInput, match="empty"):
        resolve_actor(s, "  -- ")


def test_resolution_rules(database):
    """Several rules on one database (each check adds different names), to keep the suite fast."""
    for check in (_ovd_info_spellings, _unknown_name_without_candidates_is_not_found,
                  _create_makes_a_new_actor_with_kind, _add_actor_refuses_near_duplicates_unless_asked,
                  _candidates_are_ranked, _empty_name_is_invalid):
        check(database)
