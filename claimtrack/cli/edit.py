"""`claimtrack claim edit` and `claimtrack verdict edit`: changes with optimistic locking.

Both need `--expect-version N`, the version the editor read (`claim show`, `verdict list` and `history` show
it): when somebody changed the object since, the edit fails instead of overwriting.
The commands attach to the `claim` and `verdict` groups of claimtrack.cli.claim/verdict.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from claimtrack.cli.context import write_session
from claimtrack.cli.usage import past_date_option, vocab_option

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


def _given(**options: Any) -> dict[str, Any]:
    """The options the user gave; an empty string clears a field."""
    result: dict[str, Any] = {}
    for name, value in options.items():
        if value is None:
            continue
        result[name] = None if isinstance(value, str) and not value.strip() else value
    return result


def claim_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The claim's id or key.", show_default=False)],
    expect_version: ExpectVersion,
    text: Annotated[str | None, typer.Option("--text", help="New wording of the proposition.")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Language code ('' clears).")] = None,
    key: Annotated[str | None, typer.Option("--key", help="Stable key ('' clears).")] = None,
    quantity_subject: Annotated[
        str | None, typer.Option("--quantity-subject", help="What the figure counts ('' clears).")
    ] = None,
    quantity_value: Annotated[float | None, typer.Option("--quantity-value", help="The figure.")] = None,
    quantity_bound: Annotated[
        str | None, typer.Option("--quantity-bound", callback=vocab_option("Bound", "quantity bound"), help="exact, about, at_least, more_than, at_most, less_than.")
    ] = None,
    quantity_unit: Annotated[str | None, typer.Option("--quantity-unit", help="Unit of the figure ('' clears).")] = None,
    clear_quantity: Annotated[
        bool, typer.Option("--clear-quantity", help="Remove the claim's figure (subject, value, bound, unit).")
    ] = False,
) -> None:
    """Change a claim's wording, language, key or figure, if nobody changed it since you read it."""
    from claimtrack.queries.lookup import get_claim
    from claimtrack.services.edits import edit_claim

    changes = _given(text=text, language=language, key=key, quantity_subject=quantity_subject,
                     quantity_value=quantity_value, quantity_bound=quantity_bound, quantity_unit=quantity_unit)
    if clear_quantity:
        if any(name.startswith("quantity_") for name in changes):
            raise typer.BadParameter("--clear-quantity cannot be combined with other --quantity-… options")
        changes.update(quantity_subject=None, quantity_value=None, quantity_bound=None, quantity_unit=None)
    with write_session(ctx) as session:
        claim = get_claim(session, ref)
        changed = edit_claim(session, claim, expect_version=expect_version, **changes)
        claim_id, version = claim.id, claim.version
    print(f"claim {claim_id} {'updated' if changed else 'unchanged'} (version {version})")


def verdict_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The verdict's id or key.", show_default=False)],
    expect_version: ExpectVersion,
    label: Annotated[str | None, typer.Option("--label", help="The rating, e.g. 'false', 'half-true'.")] = None,
    value: Annotated[float | None, typer.Option("--value", help="The rating's value on the best/worst scale.")] = None,
    best: Annotated[float | None, typer.Option("--best", help="The best value of the scale.")] = None,
    worst: Annotated[float | None, typer.Option("--worst", help="The worst value of the scale.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The published fact-check ('' clears).")] = None,
    explanation: Annotated[str | None, typer.Option("--explanation", help="Why ('' clears).")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Language code ('' clears).")] = None,
    reviewed: Annotated[
        str | None, typer.Option("--reviewed", callback=past_date_option, help="Review date: 2021-07-28, 2021-07, 2021, ~2021 ('' clears).")
    ] = None,
) -> None:
    """Change a verdict's rating, scale, link or explanation, if nobody changed it since you read it."""
    from claimtrack.dates import parse_optional_date
    from claimtrack.models import Verdict
    from claimtrack.queries.lookup import get_by_ref
    from claimtrack.services.edits import edit_verdict

    changes = _given(label=label, value=value, best=best, worst=worst, url=url, explanation=explanation,
                     language=language)
    if reviewed is not None:
        changes["reviewed"] = parse_optional_date(reviewed.strip() or None, "--reviewed")
    with write_session(ctx) as session:
        verdict = get_by_ref(session, Verdict, ref)
        changed = edit_verdict(session, verdict, expect_version=expect_version, **changes)
        verdict_id, version = verdict.id, verdict.version
    print(f"verdict {verdict_id} {'updated' if changed else 'unchanged'} (version {version})")


def _attach(module_name: str, group_name: str, command: Any, *, name: str = "edit") -> bool:
    """Add a command to a group another module owns; skip quietly while that group does not exist."""
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    group = getattr(module, group_name, None)
    if not isinstance(group, typer.Typer):
        return False
    if name not in {c.name for c in group.registered_commands}:
        group.command(name)(command)
    return True


def register(app: typer.Typer) -> None:
    """Attach the `edit` commands to their groups, and the corrections (retract, unlink, merge)."""
    from claimtrack.cli import corrections, edit_more

    _attach("claimtrack.cli.claim", "claim_app", claim_edit)
    _attach("claimtrack.cli.verdict", "verdict_app", verdict_edit)
    edit_more.register(app)
    corrections.register(app)
