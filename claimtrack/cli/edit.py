"""`KIND edit` for every record kind (claim, verdict, statement, document, hop, actor, and
`actor edit-affiliation`, `claim edit-relation`): changes with optimistic locking.

Each needs `--expect-version N`, the version the editor read (`show --json` and `history` give
it): when somebody changed the object since, the edit fails instead of overwriting. Only the
options given change, '' clears an optional field, and the `update` event records before/after.
One row of EDITS a kind; all go through claimtrack.services.edits.edit_object. The commands
attach to the groups of the kinds' own modules (claimtrack.cli.claim, …).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from claimtrack.cli.context import write_session
from claimtrack.cli.kinds import KINDS, attach, command, ref_argument, resolve
from claimtrack.cli.usage import date_option, past_date_option, vocab_option

ExpectVersion = Annotated[
    int,
    typer.Option(
        "--expect-version",
        min=1,
        help="The version you read (`claim show` / `verdict list` / `history` show it); the edit fails "
        "if the object changed since.",
        show_default=False,
    ),
]

#: the date options: whether the date may lie in the future
_DATES = {"said": False, "published": False, "reviewed": False, "start": True, "end": True}


def _opt(decl: str, help: str, kind: Any = str | None, callback: Any = None, default: Any = None) -> Any:
    return Annotated[kind, typer.Option(decl, callback=callback, help=help)], default


def _vocab(decl: str, enum_name: str, field: str, help: str) -> Any:
    return _opt(decl, help, callback=vocab_option(enum_name, field))


def _date(name: str, help: str) -> Any:
    return _opt(f"--{name}", help, callback=date_option if _DATES[name] else past_date_option)


_CLEARS_KEY = _opt("--key", "Stable key ('' clears).")
#: with a name option (--speaker, --on-behalf-of, --outlet): as `log --new` / `log --force`
def _new(names: str) -> Any:
    return _opt("--new", f"Create the {names} actor when nobody has that name (a name close to an existing one "
                         "is refused: did you mean …?).", bool, default=False)
_CLEARS_LANGUAGE = _opt("--language", "Language code ('' clears).")

#: kind -> (help, {field: option}); the option order is the order of `--help`
EDITS: dict[str, tuple[str, dict[str, Any]]] = {
    "claim": ("Change a claim's wording, language, key or figure, if nobody changed it since you read it.", {
        "text": _opt("--text", "New wording of the proposition."),
        "language": _CLEARS_LANGUAGE,
        "key": _CLEARS_KEY,
        "quantity_subject": _opt("--quantity-subject", "What the figure counts ('' clears)."),
        "quantity_value": _opt("--quantity-value", "The figure.", float | None),
        "quantity_bound": _vocab("--quantity-bound", "Bound", "quantity bound",
                                 "exact, about, at_least, more_than, at_most, less_than."),
        "quantity_unit": _opt("--quantity-unit", "Unit of the figure ('' clears)."),
        "clear_quantity": _opt("--clear-quantity", "Remove the claim's figure (subject, value, bound, unit).",
                               bool, default=False),
    }),
    "verdict": ("Change a verdict's rating, scale, link or explanation, if nobody changed it since you read it.", {
        "label": _opt("--label", "The rating, e.g. 'false', 'half-true'."),
        "value": _opt("--value", "The rating's value on the best/worst scale.", float | None),
        "best": _opt("--best", "The best value of the scale.", float | None),
        "worst": _opt("--worst", "The worst value of the scale.", float | None),
        "url": _opt("--url", "The published fact-check ('' clears)."),
        "explanation": _opt("--explanation", "Why ('' clears)."),
        "language": _CLEARS_LANGUAGE,
        "reviewed": _date("reviewed", "Review date: 2021-07-28, 2021-07, 2021, ~2021 ('' clears)."),
    }),
    "statement": ("""Change a statement's speaker, claim, stance, quote, cue, date, language or wording, if
                  nobody changed it since you read it (a wrong speaker or claim is corrected here: the
                  statement keeps its reports and history).""", {
        "speaker": _opt("--speaker", "Who said it: a name or alias, or '#ID' ('' clears: the reporter's own "
                                     "voice, or give --anonymous)."),
        "on_behalf_of": _opt("--on-behalf-of", "The organization spoken for ('' clears)."),
        "claim": _opt("--claim", "Move it to this claim (id or key of a live claim)."),
        "stance": _vocab("--stance", "Stance", "stance", "asserts, denies, did_not_respond, …"),
        "quote": _opt("--quote", "The words, verbatim ('' clears)."),
        "quote_kind": _vocab("--quote-kind", "QuoteKind", "quote kind", "direct, indirect or mixed."),
        "cue": _opt("--cue", "'wrote on Telegram', 'told AFP' ('' clears)."),
        "channel": _opt("--channel", "telegram, facebook… ('' clears)."),
        "context": _opt("--context", "The venue ('' clears)."),
        "said": _date("said", "When: 2021-07-28, 2021-07, 2021, ~2021 ('' clears)."),
        "language": _opt("--language", "Language of the original words."),
        "original_text": _opt("--original", "The wording before translation."),
        "speaker_descriptor": _opt("--anonymous", "The anonymous speaker's descriptor ('' clears)."),
        "key": _CLEARS_KEY,
        "new": _new("--speaker / --on-behalf-of"),
        "force": _opt("--force", "With --new: create a name even when a similar one exists; make the "
                                 "statement the same as one already logged in its document (it was said twice).",
                      bool, default=False),
    }),
    "document": ("""Change a document's outlet, title, URL, kind, language, byline, date or archive copy, if
                 nobody changed it since you read it.""", {
        "outlet": _opt("--outlet", "Who published it: a name or alias, or '#ID' ('' clears, when it has a URL)."),
        "title": _opt("--title", "The headline ('' clears)."),
        "url": _opt("--url", "Where it is ('' clears)."),
        "kind": _vocab("--kind", "DocumentKind", "document kind", "article, dispatch, post, broadcast, …"),
        "language": _CLEARS_LANGUAGE,
        "author": _opt("--author", "The byline ('' clears)."),
        "published": _date("published", "2021-07-28, 2021-07, 2021 ('' clears)."),
        "archive_url": _opt("--archive-url", "An archived copy ('' clears)."),
        "key": _CLEARS_KEY,
        "new": _new("--outlet"),
        "force": _opt("--force", "With --new: create the outlet even when a similar name exists.", bool,
                      default=False),
    }),
    "hop": ("""Change a hop's cue, quote or primary flag, if nobody changed it since you read it (the hop
            it relies on: `hop set-via`).""", {
        "cue": _opt("--cue", "'according to local media' ('' clears)."),
        "quote": _opt("--quote", "The quote as this document gives it ('' clears)."),
        "is_primary": _opt("--primary/--not-primary", "Whether this is the speaker's own words.", bool | None),
        "key": _CLEARS_KEY,
    }),
    "actor": ("Change an actor's display name, kind or description, if nobody changed it since you read it.", {
        "name": _opt("--name", "The display name (the old one stays an alias)."),
        "kind": _vocab("--kind", "ActorKind", "actor kind",
                       "person, organization, outlet, agency, government, unspecified."),
        "description": _opt("--description", "Who this is ('' clears)."),
    }),
    "affiliation": ("Change a role's name or dates (an affiliation), if nobody changed it since you read it.", {
        "role": _opt("--role", "The role, e.g. 'spokeswoman'."),
        "start": _date("start", "Since when ('' clears)."),
        "end": _date("end", "Until when ('' clears)."),
    }),
    "relation": ("Change a claim relation's type or note, if nobody changed it since you read it.", {
        "type": _vocab("--type", "RelationType", "relation type", "contradicts, supports, same_as or refines."),
        "note": _opt("--note", "Why they are related ('' clears)."),
    }),
}


def _given(options: dict[str, Any]) -> dict[str, Any]:
    """The options the user gave; an empty string clears a field, a date is parsed."""
    from claimtrack.cli.objects import any_date, past_date

    result: dict[str, Any] = {}
    for name, value in options.items():
        if value is None:
            continue
        if name in _DATES:
            result[name] = (any_date if _DATES[name] else past_date)(value.strip() or None, f"--{name}")
        else:
            result[name] = None if isinstance(value, str) and not value.strip() else value
    return result


def _edit(ctx: typer.Context, kind: str, ref: str, expect_version: int, options: dict[str, Any]) -> None:
    from claimtrack.services.edits import edit_object

    clear_quantity = options.pop("clear_quantity", False)  # the options that are no field
    new, force = options.pop("new", False), options.pop("force", False)
    changes = _given(options)
    if clear_quantity:
        if any(name.startswith("quantity_") for name in changes):
            raise typer.BadParameter("--clear-quantity cannot be combined with other --quantity-… options")
        changes.update(quantity_subject=None, quantity_value=None, quantity_bound=None, quantity_unit=None)
    with write_session(ctx) as session:
        obj = resolve(session, kind, ref)
        changed = edit_object(session, kind, obj, changes, expect_version=expect_version, create_missing=new,
                              force=force)
        obj_id, version = obj.id, obj.version
    print(f"{kind} {obj_id} {'updated' if changed else 'unchanged'} (version {version})")


def _edit_command(kind: str) -> Any:
    doc, options = EDITS[kind]

    def run(ctx: typer.Context, ref: str, expect_version: int, **options: Any) -> None:
        _edit(ctx, kind, ref, expect_version, options)

    return command(f"{kind}-edit", doc, run, {"ref": ref_argument(kind), "expect_version": ExpectVersion, **options})


#: the edit commands that are not `KIND edit`: they live in another kind's group
_NAMES = {"affiliation": "edit-affiliation", "relation": "edit-relation"}


def register(app: typer.Typer) -> None:
    """Attach the `edit` commands to their groups, and the corrections (retract, unlink, merge)."""
    from claimtrack.cli import corrections

    for kind in EDITS:
        attach(KINDS[kind][0], _NAMES.get(kind, "edit"), _edit_command(kind))
    corrections.register(app)
