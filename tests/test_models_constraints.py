"""Integrity lives in the database: bad rows are refused even when written with raw SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import exc, text

from claimtrack.normalize import claim_hash


def _claim_id(database) -> int:
    with database.write() as s:
        s.execute(
            text("INSERT INTO claims (text, text_hash, created_at, version) VALUES (:t, :h, CURRENT_TIMESTAMP, 1)"),
            {"t": "Police visited supporters", "h": claim_hash("Police visited supporters")},
        )
        return s.execute(text("SELECT max(id) FROM claims")).scalar()


STATEMENT = (
    "INSERT INTO statements (claim_id, speaker_id, speaker_descriptor, stance, quote, quote_kind, status, "
    "status_reason, said_approx, created_at, version) VALUES (:claim, :speaker, :descriptor, :stance, :quote, "
    ":quote_kind, :status, :reason, false, CURRENT_TIMESTAMP, 1)"
)
GOOD = {"speaker": None, "descriptor": "a former ally", "stance": "denies", "quote": "not me",
        "quote_kind": "direct", "status": "normal", "reason": None}


def test_a_well_formed_statement_is_accepted(database):
    claim = _claim_id(database)
    with database.write() as s:
        s.execute(text(STATEMENT), {"claim": claim, **GOOD})


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"stance": "deny"}, "ck_statements_stance"),
        ({"descriptor": None}, "ck_statements_quote_needs_speaker"),
        ({"quote_kind": "verbatim"}, "ck_statements_quote_kind"),
        ({"status": "retracted"}, "ck_statements_status_reason"),
        ({"status": "deleted", "reason": "x"}, "ck_statements_status"),
        ({"quote": None}, "ck_statements_quote_kind_needs_quote"),
    ],
)
def test_bad_statement_rows_are_refused_by_named_checks(database, change, constraint):
    claim = _claim_id(database)
    with pytest.raises(exc.IntegrityError) as info, database.write() as s:
        s.execute(text(STATEMENT), {"claim": claim, **GOOD, **change})
    # SQLite names the failed CHECK; PostgreSQL too.
    assert constraint in str(info.value)


def test_dangling_foreign_key_is_refused(database):
    with pytest.raises(exc.IntegrityError), database.write() as s:
        s.execute(text(STATEMENT), {"claim": 999_999, **GOOD})


def test_duplicate_claim_text_is_refused_by_the_hash(database):
    _claim_id(database)
    with pytest.raises(exc.IntegrityError):
        _claim_id(database)


def test_verdict_value_must_lie_on_its_scale(database):
    claim = _claim_id(database)
    sql = ("INSERT INTO verdicts (claim_id, label, rating_value, best, worst, reviewed_approx, evidence_urls, "
           "status, created_at, version) VALUES (:c, 'False', :v, 5, 1, false, '[]', 'normal', CURRENT_TIMESTAMP, 1)")
    with database.write() as s:
        s.execute(text(sql), {"c": claim, "v": 2})
    with pytest.raises(exc.IntegrityError, match="ck_verdicts_value_within_scale"), database.write() as s:
        s.execute(text(sql), {"c": claim, "v": 7})


def test_claim_cannot_relate_to_itself(database):
    claim = _claim_id(database)
    with pytest.raises(exc.IntegrityError, match="ck_claim_relations_not_self"), database.write() as s:
        s.execute(text(
            "INSERT INTO claim_relations (source_claim_id, target_claim_id, type, status, created_at, version) "
            "VALUES (:c, :c, 'contradicts', 'confirmed', CURRENT_TIMESTAMP, 1)"), {"c": claim})


def test_partial_date_needs_its_precision(database):
    claim = _claim_id(database)
    with pytest.raises(exc.IntegrityError, match="ck_statements_said_precision"), database.write() as s:
        s.execute(text(
            "INSERT INTO statements (claim_id, stance, status, said_on, said_precision, said_approx, created_at, "
            "version) VALUES (:c, 'asserts', 'normal', '2021-01-23', 'week', false, CURRENT_TIMESTAMP, 1)"),
            {"c": claim})


def test_every_check_constraint_is_named():
    from sqlalchemy import CheckConstraint

    from claimtrack.models import Base

    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                assert constraint.name, f"unnamed CHECK on {table.name}"
