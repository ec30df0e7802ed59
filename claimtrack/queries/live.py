"""What counts: the SQL conditions for a *live* record, shared by every count and report.

A retracted or deprecated record, a merged duplicate, and a statement about a retired claim stay
in the database and in listings (marked), but leave every count, tally and conflict unless the
caller asks for them (`--include-retracted`). One place says what "live" means, so that a claim
report's column headers, a speaker's stance tally, an outlet's counts and `stats` agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, literal_column, select, union_all

from claimtrack.models import Claim, Document, Hop, Statement

NORMAL = "normal"
#: NORMAL as SQL text, not a bound parameter: the partial indexes on retired rows (migration 0009,
#: claimtrack.models.RETIRED_OR_MERGED / RETIRED) match a query whose condition is theirs verbatim
_NORMAL_SQL: Any = literal_column(f"'{NORMAL}'")


def live_claim(claim: Any = Claim) -> Any:
    """The claim is neither retired nor merged into another."""
    return and_(claim.status == _NORMAL_SQL, claim.merged_into_id.is_(None))


def live_document(document: Any = Document) -> Any:
    """The document is neither retired nor merged into another."""
    return and_(document.status == _NORMAL_SQL, document.merged_into_id.is_(None))


def retired_claim_ids() -> Any:
    """A subquery of the ids of retired or merged claims (few, so NOT IN stays cheap).

    Read from the partial index ix_claims_retired (likewise ix_documents_retired below)."""
    return select(Claim.id).where(~live_claim())


def retired_document_ids() -> Any:
    return select(Document.id).where(~live_document())


def live_statement(statement: Any = Statement) -> Any:
    """The statement is normal and its claim is live."""
    return and_(statement.status == NORMAL, statement.claim_id.not_in(retired_claim_ids()))


def retired_statement_ids() -> Any:
    """A subquery of the ids of statements that do not count (retired, or about a retired claim).

    Two selects, not one with OR: each reads an index (ix_statements_retired; the retired claims'
    statements by claim_id), where the OR made both backends scan every statement."""
    return union_all(select(Statement.id).where(Statement.status != _NORMAL_SQL),
                     select(Statement.id).where(Statement.claim_id.in_(retired_claim_ids())))


def live_hop(hop: Any = Hop) -> Any:
    """The hop is normal, its document is live and so is the statement it reports."""
    return and_(hop.status == NORMAL, hop.document_id.not_in(retired_document_ids()),
                hop.statement_id.not_in(retired_statement_ids()))
