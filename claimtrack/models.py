"""The data model of claimtrack (see docs/concepts.md): SQLAlchemy 2.0 typed models.

No queries and no I/O here. Integrity lives in the database as well as in the services:
foreign keys, unique constraints and named CHECK constraints, so a bad row is refused even
when it does not come through claimtrack's own code.

Dates that reporting gives vaguely ("in April") are stored as three columns: the first day of
the period, its precision, and an approximate flag (see claimtrack.dates.PartialDate).
Timestamps are UTC.

No `from __future__ import annotations` here: SQLAlchemy reads every `Mapped[...]` annotation
when a class is defined, and as strings it evaluates each of them (~200) on every start-up;
only the relationships to classes defined further down are quoted.
"""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from claimtrack.dates import PartialDate
from claimtrack.vocab import (
    ActorKind,
    Bound,
    DocumentKind,
    Precision,
    QuoteKind,
    RelationStatus,
    RelationType,
    Stance,
    StatementStatus,
    SuggestionStatus,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; claimtrack stores UTC timestamps only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _in(column: str, enum: type[StrEnum]) -> str:
    """SQL for "column holds one of the enum's values"."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} IN ({values})"


def _precision_check(prefix: str) -> CheckConstraint:
    """A partial date's precision is known exactly when its date is."""
    return CheckConstraint(
        f"({prefix}_on IS NULL AND {prefix}_precision IS NULL) OR "
        f"({prefix}_on IS NOT NULL AND {_in(prefix + '_precision', Precision)})",
        name=f"{prefix}_precision",
    )


def _status_checks() -> tuple[CheckConstraint, CheckConstraint]:
    """A retirable record: normal, retracted or deprecated, and a retired one says why."""
    return (
        CheckConstraint(_in("status", StatementStatus), name="status"),
        CheckConstraint("status = 'normal' OR status_reason IS NOT NULL", name="status_reason"),
    )


def _status_column() -> Mapped[str]:
    # server_default too: bulk imports (COPY on PostgreSQL) name only the columns they fill
    return mapped_column(String(20), default=StatementStatus.NORMAL.value, server_default=StatementStatus.NORMAL.value)


#: the few rows that do not count: partial indexes on them (migration 0009) let
#: claimtrack.queries.live's retired_*_ids() read those rows instead of scanning the table.
#: Each predicate is exactly the SQL those queries write, so both backends match it to the index,
#: and each index holds the predicate's columns and the id, so it answers without the table.
RETIRED_OR_MERGED = "NOT (status = 'normal' AND merged_into_id IS NULL)"
RETIRED = "status != 'normal'"


#: those partial indexes are created by migration 0009 and not declared here: a partial index needs
#: dialect keyword arguments (sqlite_where=, postgresql_where=), and SQLAlchemy checks them by
#: importing every dialect package so named — SQLite's and PostgreSQL's, with their async drivers, in
#: every command's start-up (≈ 80 ms cold). migrations/env.py keeps `alembic check` from listing them.
PARTIAL_INDEXES = frozenset({"ix_claims_retired", "ix_documents_retired", "ix_statements_retired"})


def _version_column() -> Mapped[int]:
    return mapped_column(Integer, default=1, server_default="1")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PartialDateMixin:
    """Read and write a (date, precision, approximate) column triple as one PartialDate."""

    def _get_partial(self, prefix: str) -> PartialDate | None:
        return PartialDate.of(
            getattr(self, f"{prefix}_on"),
            getattr(self, f"{prefix}_precision"),
            getattr(self, f"{prefix}_approx"),
        )

    def _set_partial(self, prefix: str, value: PartialDate | None) -> None:
        setattr(self, f"{prefix}_on", value.start if value else None)
        setattr(self, f"{prefix}_precision", value.precision.value if value else None)
        setattr(self, f"{prefix}_approx", value.approximate if value else False)


# --------------------------------------------------------------------------- actors


class Actor(Base):
    """A person or organization that speaks or publishes; outlets and agencies are actors too."""

    __tablename__ = "actors"
    __table_args__ = (
        CheckConstraint(_in("kind", ActorKind), name="kind"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_blank"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default=ActorKind.PERSON.value)
    description: Mapped[str | None] = mapped_column(Text)
    # a merged actor is kept (nothing is deleted) and points at the survivor
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    aliases: Mapped[list["ActorAlias"]] = relationship(back_populates="actor", order_by="ActorAlias.id")
    external_ids: Mapped[list["ExternalId"]] = relationship(back_populates="actor", order_by="ExternalId.id")
    affiliations: Mapped[list["Affiliation"]] = relationship(
        back_populates="actor", foreign_keys="Affiliation.actor_id", order_by="Affiliation.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)


class ActorAlias(Base):
    """One spelling of an actor's name; `normalized` is what name resolution matches on."""

    __tablename__ = "actor_aliases"
    __table_args__ = (
        UniqueConstraint("actor_id", "normalized"),
        CheckConstraint("length(trim(normalized)) > 0", name="normalized_not_blank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    normalized: Mapped[str] = mapped_column(String(300), index=True)

    actor: Mapped["Actor"] = relationship(back_populates="aliases")


class ExternalId(Base):
    """An identifier of an actor elsewhere: a Wikidata QID, a homepage, a PolitiFact slug."""

    __tablename__ = "external_ids"
    __table_args__ = (UniqueConstraint("scheme", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(500))

    actor: Mapped["Actor"] = relationship(back_populates="external_ids")


class Affiliation(Base, PartialDateMixin):
    """An actor's role for another actor, optionally time-bounded (spokeswoman of a ministry)."""

    __tablename__ = "affiliations"
    __table_args__ = (
        CheckConstraint("length(trim(role)) > 0", name="role_not_blank"),
        CheckConstraint("organization_id IS NULL OR organization_id <> actor_id", name="not_self"),
        CheckConstraint("start_on IS NULL OR end_on IS NULL OR start_on <= end_on", name="start_before_end"),
        _precision_check("start"),
        _precision_check("end"),
        *_status_checks(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    role: Mapped[str] = mapped_column(String(300))
    start_on: Mapped[date | None] = mapped_column(Date)
    start_precision: Mapped[str | None] = mapped_column(String(10))
    start_approx: Mapped[bool] = mapped_column(Boolean, default=False)
    end_on: Mapped[date | None] = mapped_column(Date)
    end_precision: Mapped[str | None] = mapped_column(String(10))
    end_approx: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = _status_column()
    status_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = _version_column()

    actor: Mapped["Actor"] = relationship(back_populates="affiliations", foreign_keys=[actor_id])
    organization: Mapped["Actor | None"] = relationship(foreign_keys=[organization_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)

    @property
    def start(self) -> PartialDate | None:
        return self._get_partial("start")

    @start.setter
    def start(self, value: PartialDate | None) -> None:
        self._set_partial("start", value)

    @property
    def end(self) -> PartialDate | None:
        return self._get_partial("end")

    @end.setter
    def end(self, value: PartialDate | None) -> None:
        self._set_partial("end", value)


# --------------------------------------------------------------------------- documents


class Document(Base, PartialDateMixin):
    """One concrete appearance: an article, a wire dispatch, a post, a broadcast."""

    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(_in("kind", DocumentKind), name="kind"),
        _precision_check("published"),
        Index("ix_documents_published_on", "published_on"),
        *_status_checks(),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=DocumentKind.ARTICLE.value)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    # the identity of a web page: see claimtrack.normalize.normalize_url
    url_normalized: Mapped[str | None] = mapped_column(String(2000), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(500))  # the byline, as printed
    language: Mapped[str | None] = mapped_column(String(20))
    published_on: Mapped[date | None] = mapped_column(Date)
    published_precision: Mapped[str | None] = mapped_column(String(10))
    published_approx: Mapped[bool] = mapped_column(Boolean, default=False)
    retrieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archive_url: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = _status_column()
    status_reason: Mapped[str | None] = mapped_column(Text)
    # a merged duplicate is kept (nothing is deleted) and points at the survivor
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    version: Mapped[int] = _version_column()

    outlet: Mapped["Actor | None"] = relationship()
    hops: Mapped[list["Hop"]] = relationship(back_populates="document", foreign_keys="Hop.document_id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)

    @property
    def published(self) -> PartialDate | None:
        return self._get_partial("published")

    @published.setter
    def published(self, value: PartialDate | None) -> None:
        self._set_partial("published", value)


class Snapshot(Base):
    """The text of a document as it was read, one row per distinct version; never overwritten.

    `content_hash` is the SHA-256 of `text` (UTF-8), so anyone can check the stored text;
    `source_hash` and `byte_size` describe the file it was extracted from (HTML or text).
    """

    __tablename__ = "snapshots"
    __table_args__ = (
        UniqueConstraint("document_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("length(content_hash) = 64", name="content_hash_length"),
        CheckConstraint("byte_size >= 0", name="byte_size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source_hash: Mapped[str | None] = mapped_column(String(64))
    byte_size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    retrieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped["Document"] = relationship()


class Suggestion(Base):
    """A candidate attribution the extractor found in a snapshot, waiting for a person.

    Spans are character offsets into the snapshot's text. Accepting one creates an ordinary
    statement (and its hop); the suggestion keeps pointing at it.
    """

    __tablename__ = "suggestions"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "cue_start", "cue_end"),
        CheckConstraint(_in("status", SuggestionStatus), name="status"),
        CheckConstraint(_in("stance", Stance), name="stance"),
        CheckConstraint(_in("quote_kind", QuoteKind), name="quote_kind"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        CheckConstraint("status <> 'accepted' OR statement_id IS NOT NULL", name="accepted_has_statement"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SuggestionStatus.PENDING.value)
    source: Mapped[str | None] = mapped_column(String(500))
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    cue: Mapped[str] = mapped_column(String(300))
    cue_start: Mapped[int] = mapped_column(Integer)
    cue_end: Mapped[int] = mapped_column(Integer)
    content: Mapped[str | None] = mapped_column(Text)
    content_start: Mapped[int | None] = mapped_column(Integer)
    content_end: Mapped[int | None] = mapped_column(Integer)
    quote_kind: Mapped[str] = mapped_column(String(10))
    stance: Mapped[str] = mapped_column(String(30))
    confidence: Mapped[float] = mapped_column(Float)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("suggestions.id"))
    # the known actor the source resolved to, and how ("he" → the nearest named speaker)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    speaker_note: Mapped[str | None] = mapped_column(String(500))
    method: Mapped[str] = mapped_column(String(100))  # extractor name, version and rule
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    snapshot: Mapped["Snapshot"] = relationship()
    speaker: Mapped["Actor | None"] = relationship()


# --------------------------------------------------------------------------- claims


class Claim(Base):
    """A checkable proposition, worded once by the fact-checker, optionally with a figure."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("length(trim(text)) > 0", name="text_not_blank"),
        CheckConstraint(f"quantity_bound IS NULL OR {_in('quantity_bound', Bound)}", name="quantity_bound"),
        CheckConstraint(
            "(quantity_value IS NULL) = (quantity_subject IS NULL)", name="quantity_complete"
        ),
        *_status_checks(),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    text: Mapped[str] = mapped_column(Text)
    # claimtrack.normalize.claim_hash: identical claims are one row
    text_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str | None] = mapped_column(String(20))
    quantity_subject: Mapped[str | None] = mapped_column(String(500), index=True)  # what is counted
    quantity_value: Mapped[float | None] = mapped_column(Float)
    quantity_bound: Mapped[str | None] = mapped_column(String(20))
    quantity_unit: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = _status_column()
    status_reason: Mapped[str | None] = mapped_column(Text)
    # a merged duplicate is kept (nothing is deleted) and points at the survivor
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    statements: Mapped[list["Statement"]] = relationship(back_populates="claim", order_by="Statement.id")
    verdicts: Mapped[list["Verdict"]] = relationship(back_populates="claim", order_by="Verdict.id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)


class ClaimRelation(Base):
    """A typed link between two claims; suggested links wait for a person to confirm them."""

    __tablename__ = "claim_relations"
    __table_args__ = (
        UniqueConstraint("source_claim_id", "target_claim_id", "type"),
        CheckConstraint(_in("type", RelationType), name="type"),
        CheckConstraint(_in("status", RelationStatus), name="status"),
        CheckConstraint("source_claim_id <> target_claim_id", name="not_self"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 1)", name="score_range"),
        CheckConstraint("status NOT IN ('retracted', 'deprecated') OR status_reason IS NOT NULL",
                        name="status_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    target_claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=RelationStatus.CONFIRMED.value)
    score: Mapped[float | None] = mapped_column(Float)  # similarity, for suggested links
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))  # who confirmed or rejected
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected or retracted
    version: Mapped[int] = mapped_column(Integer, default=1)

    source: Mapped["Claim"] = relationship(foreign_keys=[source_claim_id])
    target: Mapped["Claim"] = relationship(foreign_keys=[target_claim_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)


# --------------------------------------------------------------------------- statements


class Statement(Base, PartialDateMixin):
    """One act of saying: who (or an anonymous descriptor), which claim, with what stance.

    A statement with neither speaker nor descriptor is the reporter's own voice (unattributed);
    it may then carry no quote, since nobody is being quoted.
    """

    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint(_in("stance", Stance), name="stance"),
        CheckConstraint(f"quote_kind IS NULL OR {_in('quote_kind', QuoteKind)}", name="quote_kind"),
        CheckConstraint(_in("status", StatementStatus), name="status"),
        CheckConstraint("status = 'normal' OR status_reason IS NOT NULL", name="status_reason"),
        CheckConstraint("speaker_id IS NULL OR speaker_descriptor IS NULL", name="speaker_or_descriptor"),
        CheckConstraint(
            "quote IS NULL OR speaker_id IS NOT NULL OR speaker_descriptor IS NOT NULL",
            name="quote_needs_speaker",
        ),
        CheckConstraint("quote_kind IS NULL OR quote IS NOT NULL", name="quote_kind_needs_quote"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        _precision_check("said"),
        Index("ix_statements_said_on", "said_on"),
        # covering index for the conflicts query: stance and reversal candidates in one scan
        Index("ix_statements_claim_speaker_stance", "claim_id", "speaker_id", "stance", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    speaker_descriptor: Mapped[str | None] = mapped_column(String(300))  # "a former ally"
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    stance: Mapped[str] = mapped_column(String(30))
    quote: Mapped[str | None] = mapped_column(Text)
    quote_kind: Mapped[str | None] = mapped_column(String(10))
    cue: Mapped[str | None] = mapped_column(String(300))  # "wrote on Telegram", "told AFP"
    channel: Mapped[str | None] = mapped_column(String(100))  # telegram, facebook, press conference
    context: Mapped[str | None] = mapped_column(Text)  # the venue: "a floor speech"
    said_on: Mapped[date | None] = mapped_column(Date)
    said_precision: Mapped[str | None] = mapped_column(String(10))
    said_approx: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(20))
    original_text: Mapped[str | None] = mapped_column(Text)  # the wording before translation
    # nested attribution: "Zakharova said Ryabkov expressed 'strong protest'"
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=StatementStatus.NORMAL.value)
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    claim: Mapped["Claim"] = relationship(back_populates="statements")
    speaker: Mapped["Actor | None"] = relationship(foreign_keys=[speaker_id])
    on_behalf_of: Mapped["Actor | None"] = relationship(foreign_keys=[on_behalf_of_id])
    parent: Mapped["Statement | None"] = relationship(remote_side=[id], back_populates="nested")
    nested: Mapped[list["Statement"]] = relationship(back_populates="parent")
    hops: Mapped[list["Hop"]] = relationship(back_populates="statement", order_by="Hop.id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)

    @property
    def said(self) -> PartialDate | None:
        return self._get_partial("said")

    @said.setter
    def said(self, value: PartialDate | None) -> None:
        self._set_partial("said", value)


class Hop(Base):
    """One link of an attribution chain: document D reports statement S, relying on something.

    What it relies on is an earlier hop (the AFP dispatch's own hop, when that document is
    logged) and/or an intermediary actor ("AFP", "local media"). A primary hop is the speaker's
    own words (their post, a transcript); a chain that ends anywhere else never reached its origin.
    """

    __tablename__ = "hops"
    __table_args__ = (
        UniqueConstraint("document_id", "statement_id"),
        # every lookup by document, and every hop column the outlet report counts (queries/outlet.py)
        Index("ix_hops_document_cover", "document_id", "statement_id", "via_hop_id", "via_actor_id", "status"),
        # PostgreSQL only: the document of a cited hop read from the index, not the table's pages
        # (the outlet report looks up tens of thousands; SQLite's rowid lookup is already that)
        Index("ix_hops_id_document", "id", "document_id").ddl_if(dialect="postgresql"),
        CheckConstraint("via_hop_id IS NULL OR via_hop_id <> id", name="not_via_self"),
        CheckConstraint("NOT (is_primary AND via_hop_id IS NOT NULL)", name="primary_has_no_source"),
        *_status_checks(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))  # ix_hops_document_cover
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    via_hop_id: Mapped[int | None] = mapped_column(ForeignKey("hops.id"), index=True)
    via_actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    cue: Mapped[str | None] = mapped_column(String(300))  # "told AFP", "according to local media"
    quote: Mapped[str | None] = mapped_column(Text)  # the quote as it appears in this document
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = _status_column()
    status_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = _version_column()

    document: Mapped["Document"] = relationship(back_populates="hops", foreign_keys=[document_id])
    statement: Mapped["Statement"] = relationship(back_populates="hops")
    via_hop: Mapped["Hop | None"] = relationship(remote_side=[id])
    via_actor: Mapped["Actor | None"] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)


# --------------------------------------------------------------------------- verdicts


class Verdict(Base, PartialDateMixin):
    """A fact-checker's rating of a claim (ClaimReview's reviewRating and more)."""

    __tablename__ = "verdicts"
    __table_args__ = (
        CheckConstraint("length(trim(label)) > 0", name="label_not_blank"),
        CheckConstraint(
            "rating_value IS NULL OR best IS NULL OR worst IS NULL OR "
            "(rating_value >= worst AND rating_value <= best) OR "
            "(rating_value <= worst AND rating_value >= best)",
            name="value_within_scale",
        ),
        CheckConstraint("best IS NULL OR worst IS NULL OR best <> worst", name="scale_not_empty"),
        CheckConstraint(_in("status", StatementStatus), name="status"),
        CheckConstraint("status = 'normal' OR status_reason IS NOT NULL", name="status_reason"),
        _precision_check("reviewed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    rating_value: Mapped[float | None] = mapped_column(Float)
    best: Mapped[float | None] = mapped_column(Float)
    worst: Mapped[float | None] = mapped_column(Float)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewed_precision: Mapped[str | None] = mapped_column(String(10))
    reviewed_approx: Mapped[bool] = mapped_column(Boolean, default=False)
    url: Mapped[str | None] = mapped_column(Text)  # the published fact-check
    explanation: Mapped[str | None] = mapped_column(Text)
    #: the licence of the review (ClaimReview sdLicense), a URL or a name
    license: Mapped[str | None] = mapped_column(Text)
    evidence_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=StatementStatus.NORMAL.value)
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    claim: Mapped["Claim"] = relationship(back_populates="verdicts")
    reviewer: Mapped["Actor | None"] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)

    @property
    def reviewed(self) -> PartialDate | None:
        return self._get_partial("reviewed")

    @reviewed.setter
    def reviewed(self, value: PartialDate | None) -> None:
        self._set_partial("reviewed", value)


# --------------------------------------------------------------------------- accountability


class Event(Base):
    """An append-only, hash-chained record of one change (see claimtrack.services.events).

    `before` and `after` are stored as canonical JSON text, exactly as hashed, so that
    verification never depends on how a backend re-serializes JSON.
    """

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("length(hash) = 64", name="hash_length"),
        Index("ix_events_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)  # the sequence
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # the hashes of the rows this event wrote, as canonical JSON (docs/history.md, "Row hashes")
    row_hashes: Mapped[str | None] = mapped_column(Text)


class Acknowledgement(Base):
    """An audit problem a person has looked at and accepted, with the reason."""

    __tablename__ = "acknowledgements"
    __table_args__ = (CheckConstraint("length(trim(reason)) > 0", name="reason_not_blank"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # rule name + the objects involved, e.g. "vague-source:statement:12"; stable across runs
    problem_key: Mapped[str] = mapped_column(String(500), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    user: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditMark(Base):
    """How far one user's `audit --since-last` has read the change log: the last event it covered.

    Bookkeeping, not part of the record (no event is logged for it): an incremental audit reads
    the events after `event_id` to find what changed since."""

    __tablename__ = "audit_marks"

    user: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer)
    audited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DatabaseIdentity(Base):
    """This database's one identity: a UUID made when the schema was created, so that exports
    of two databases (PROV identifiers) never collide when merged."""

    __tablename__ = "database_identity"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
