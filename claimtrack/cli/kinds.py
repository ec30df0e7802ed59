"""The record kinds that each have an `edit`, a `retract` and a `history` command, and how one
command is built from a table row.

Typer builds a command's options from its function's signature (`inspect.signature`, which
answers with a function's `__signature__` when it has one). `command()` makes that signature from
a row, so what differs between kinds is data and what a command does is written once:
claimtrack.cli.edit, claimtrack.cli.corrections and claimtrack.cli.history hold the tables.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

#: kind -> the group its commands join (claimtrack.cli.GROUP.GROUP_app) and its REF argument's help
KINDS: dict[str, tuple[str, str]] = {
    "claim": ("claim", "The claim's id or key."),
    "verdict": ("verdict", "The verdict's id or key."),
    "statement": ("statement", "The statement's id or key."),
    "document": ("document", "The document's id or key."),
    "hop": ("hop", "The hop's id or key."),
    "actor": ("actor", "The actor: a name, alias, id or key."),
    "affiliation": ("actor", "The affiliation's id (`actor show` lists them)."),
    "relation": ("claim", "The relation's id (`claim show` lists them)."),
}


def ref_argument(kind: str) -> Any:
    """The REF argument of a kind's commands."""
    return Annotated[str, typer.Argument(help=KINDS[kind][1], show_default=False)]


def command(name: str, doc: str, run: Callable[..., None], params: dict[str, Any]) -> Callable[..., None]:
    """A command function for Typer: `ctx` and then `params` (name -> Annotated type, or
    (Annotated type, default)) as its parameters, `doc` as its help; it calls run(ctx, **values)."""

    def generated(ctx: typer.Context, **values: Any) -> None:
        run(ctx, **values)

    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [inspect.Parameter("ctx", keyword, annotation=typer.Context)]
    for param, spec in params.items():
        annotation, default = spec if isinstance(spec, tuple) else (spec, inspect.Parameter.empty)
        parameters.append(inspect.Parameter(param, keyword, annotation=annotation, default=default))
    generated.__signature__ = inspect.Signature(parameters, return_annotation=None)  # type: ignore[attr-defined]
    generated.__doc__ = doc
    generated.__name__ = generated.__qualname__ = name.replace("-", "_")
    return generated


def attach(group_name: str, name: str, function: Callable[..., None]) -> bool:
    """Add a command to a group another module owns (`claim` → claimtrack.cli.claim.claim_app);
    skip quietly while that group does not exist."""
    import importlib

    try:
        module = importlib.import_module(f"claimtrack.cli.{group_name}")
    except ImportError:
        return False
    group = getattr(module, f"{group_name}_app", None)
    if not isinstance(group, typer.Typer):
        return False
    if name not in {c.name for c in group.registered_commands}:
        group.command(name)(function)
    return True


def resolve(session: Any, kind: str, ref: str) -> Any:
    """The object a REF names: by id or key, an actor also by any of its names."""
    if kind == "actor":
        from claimtrack.cli.objects import actor_ref

        return actor_ref(session, ref, offer_new=False)
    from claimtrack.queries.lookup import MODELS, get_by_ref

    return get_by_ref(session, MODELS[kind], ref)
