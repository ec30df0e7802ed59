"""`edit` for statements, documents, hops, actors, affiliations and relations.

Like `claim edit` (claimtrack.cli.edit): only the options given change, `--expect-version N`
(the version you read: `show --json` and `history` give it) guards against a concurrent change,
'' clears an optional field, and the `update` event records before/after. All go through
claimtrack.services.edits.edit_object.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from claimtrack.cli.context import write_session
from claimtrack.cli.edit import ExpectVersion, _given
from claimtrack.cli.usage import date_option, past_date_option, vocab_option

Opt = Annotated[str | None, typer.Option()]


def _run(ctx: typer.Context, kind: str, ref: str, expect_version: int, changes: dict[str, Any]) -> None:
    from claimtrack.models import Actor, Affiliation, ClaimRelation, Document, Hop, Statement
    from claimtrack.queries.lookup import get_by_ref
    from claimtrack.services.edits import edit_object

    models = {"statement": Statement, "document": Document, "hop": Hop, "actor": Actor,
              "affiliation": Affiliation, "relation": ClaimRelation}
    with write_session(ctx) as session:
        if kind == "actor":
            from claimtrack.cli.objects import actor_ref

            obj: Any = actor_ref(session, ref, offer_new=False)
        else:
            obj = get_by_ref(session, models[kind], ref)
        changed = edit_object(session, kind, obj, changes, expect_version=expect_version)
        obj_id, version = obj.id, obj.version
    print(f"{kind} {obj_id} {'updated' if changed else 'unchanged'} (version {version})")


def _dates(changes: dict[str, Any], **given: str | None) -> None:
    from claimtrack.dates import parse_optional_date

    for name, value in given.items():
        if value is not None:
            changes[name] = parse_optional_date(value.strip() or None, f"--{name}")


def statement_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The statement's id or key.", show_default=False)],
    expect_version: ExpectVersion,
    stance: Annotated[str | None, typer.Option("--stance", callback=vocab_option("Stance", "stance"), help="asserts, denies, did_not_respond, …")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The words, verbatim ('' clears).")] = None,
    quote_kind: Annotated[str | None, typer.Option("--quote-kind", callback=vocab_option("QuoteKind", "quote kind"), help="direct, indirect or mixed.")] = None,
    cue: Annotated[str | None, typer.Option("--cue", help="'wrote on Telegram', 'told AFP' ('' clears).")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="telegram, facebook… ('' clears).")] = None,
    context: Annotated[str | None, typer.Option("--context", help="The venue ('' clears).")] = None,
    said: Annotated[str | None, typer.Option("--said", callback=past_date_option, help="When: 2021-07-28, 2021-07, 2021, ~2021 ('' clears).")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Language of the original words.")] = None,
    original: Annotated[str | None, typer.Option("--original", help="The wording before translation.")] = None,
    anonymous: Annotated[str | None, typer.Option("--anonymous", help="The anonymous speaker's descriptor.")] = None,
    key: Annotated[str | None, typer.Option("--key", help="Stable key ('' clears).")] = None,
) -> None:
    """Change a statement's stance, quote, cue, date, language or wording, if nobody changed it
    since you read it."""
    from claimtrack.cli.objects import past_date

    changes = _given(stance=stance, quote=quote, quote_kind=quote_kind, cue=cue, channel=channel, context=context,
                     language=language, original_text=original, speaker_descriptor=anonymous, key=key)
    if said is not None:
        changes["said"] = past_date(said.strip() or None, "--said")
    _run(ctx, "statement", ref, expect_version, changes)


def document_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The document's id or key.", show_default=False)],
    expect_version: ExpectVersion,
    title: Annotated[str | None, typer.Option("--title", help="The headline ('' clears).")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it is ('' clears).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", callback=vocab_option("DocumentKind", "document kind"), help="article, dispatch, post, broadcast, …")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Language code ('' clears).")] = None,
    author: Annotated[str | None, typer.Option("--author", help="The byline ('' clears).")] = None,
    published: Annotated[str | None, typer.Option("--published", callback=past_date_option, help="2021-07-28, 2021-07, 2021 ('' clears).")] = None,
    archive_url: Annotated[str | None, typer.Option("--archive-url", help="An archived copy ('' clears).")] = None,
    key: Annotated[str | None, typer.Option("--key", help="Stable key ('' clears).")] = None,
) -> None:
    """Change a document's title, URL, kind, language, byline, date or archive copy, if nobody
    changed it since you read it."""
    from claimtrack.cli.objects import past_date

    changes = _given(title=title, url=url, kind=kind, language=language, author=author, archive_url=archive_url,
                     key=key)
    if published is not None:
        changes["published"] = past_date(published.strip() or None, "--published")
    _run(ctx, "document", ref, expect_version, changes)


def hop_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The hop's id or key.", show_default=False)],
    expect_version: ExpectVersion,
    cue: Annotated[str | None, typer.Option("--cue", help="'according to local media' ('' clears).")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The quote as this document gives it ('' clears).")] = None,
    primary: Annotated[bool | None, typer.Option("--primary/--not-primary",
                                                 help="Whether this is the speaker's own words.")] = None,
    key: Annotated[str | None, typer.Option("--key", help="Stable key ('' clears).")] = None,
) -> None:
    """Change a hop's cue, quote or primary flag, if nobody changed it since you read it (the hop
    it relies on: `hop set-via`)."""
    changes = _given(cue=cue, quote=quote, key=key)
    if primary is not None:
        changes["is_primary"] = primary
    _run(ctx, "hop", ref, expect_version, changes)


def actor_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The actor: a name, alias, id or key.", show_default=False)],
    expect_version: ExpectVersion,
    name: Annotated[str | None, typer.Option("--name", help="The display name (the old one stays an alias).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", callback=vocab_option("ActorKind", "actor kind"), help="person, organization, outlet, agency, government, "
                                                           "unspecified.")] = None,
    description: Annotated[str | None, typer.Option("--description", help="Who this is ('' clears).")] = None,
) -> None:
    """Change an actor's display name, kind or description, if nobody changed it since you read it."""
    _run(ctx, "actor", ref, expect_version, _given(name=name, kind=kind, description=description))


def affiliation_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The affiliation's id (`actor show` lists them).", show_default=False)],
    expect_version: ExpectVersion,
    role: Annotated[str | None, typer.Option("--role", help="The role, e.g. 'spokeswoman'.")] = None,
    start: Annotated[str | None, typer.Option("--start", callback=date_option, help="Since when ('' clears).")] = None,
    end: Annotated[str | None, typer.Option("--end", callback=date_option, help="Until when ('' clears).")] = None,
) -> None:
    """Change a role's name or dates (an affiliation), if nobody changed it since you read it."""
    changes = _given(role=role)
    _dates(changes, start=start, end=end)
    _run(ctx, "affiliation", ref, expect_version, changes)


def relation_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The relation's id (`claim show` lists them).", show_default=False)],
    expect_version: ExpectVersion,
    type: Annotated[str | None, typer.Option("--type", callback=vocab_option("RelationType", "relation type"), help="contradicts, supports, same_as or refines.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why they are related ('' clears).")] = None,
) -> None:
    """Change a claim relation's type or note, if nobody changed it since you read it."""
    _run(ctx, "relation", ref, expect_version, _given(type=type, note=note))


def register(app: typer.Typer) -> None:
    """Attach the `edit` commands to their groups."""
    from claimtrack.cli.edit import _attach

    _attach("claimtrack.cli.statement", "statement_app", statement_edit)
    _attach("claimtrack.cli.document", "document_app", document_edit)
    _attach("claimtrack.cli.hop", "hop_app", hop_edit)
    _attach("claimtrack.cli.actor", "actor_app", actor_edit)
    _attach("claimtrack.cli.actor", "actor_app", affiliation_edit, name="edit-affiliation")
    _attach("claimtrack.cli.claim", "claim_app", relation_edit, name="edit-relation")
