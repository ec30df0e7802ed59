"""Rich trees for `claimtrack chain`: a document traced back, a statement traced forward.

The data comes from claimtrack.queries.chains; this module only lays it out. Every piece of
user text goes through `Text`, never markup, so a quote with [brackets] prints as written.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from claimtrack.display import shown as s
from claimtrack.queries.chains import (
    ActorRef,
    CarrierNode,
    DocumentChain,
    DocumentRef,
    HopNode,
    StatementBranch,
    StatementChain,
    StatementRef,
)


def _document_text(doc: DocumentRef, *, prefix: str = "") -> Text:
    text = Text(prefix)
    if doc.outlet:
        text.append(s(doc.outlet.name), style="bold")
        text.append(": ")
    text.append(s(doc.title or doc.url or doc.key) or f"document {doc.id}")
    text.append(f"  · {doc.published or 'undated'}", style="cyan" if doc.published else "yellow")
    text.append(f" · {doc.kind} · document {doc.id}", style="dim")
    return text


def _speaker_text(statement: StatementRef) -> Text:
    if statement.speaker:
        style = "yellow" if statement.speaker.vague else "bold"
        text = Text(s(statement.speaker.name), style=style)
        if statement.speaker.vague:
            text.append(" (vague source)", style="yellow")
        return text
    if statement.speaker_descriptor:
        return Text(f'"{s(statement.speaker_descriptor)}" (anonymous)', style="yellow")
    return Text("the reporter's own voice (unattributed)", style="red")


def _statement_text(statement: StatementRef, hop: HopNode | None) -> Text:
    text = _speaker_text(statement)
    text.append(f" {statement.stance.replace('_', ' ')} ", style="dim")
    text.append(s(statement.claim_text), style="italic")
    text.append(f"  · said {statement.said or 'undated'}", style="cyan" if statement.said else "dim")
    if statement.channel:
        text.append(f" on {s(statement.channel)}", style="cyan")
    text.append(f" · statement {statement.id}", style="dim")
    if hop is not None:
        _append_cue_and_quote(text, hop.cue, hop.quote)
    return text


def _append_cue_and_quote(text: Text, cue: str | None, quote: str | None) -> None:
    """The cue and the quote as they appear at one hop (quote drift shows here)."""
    if cue:
        text.append(f"\ncue: {s(cue)}", style="dim")
    if quote:
        text.append("\nquote here: ", style="dim")
        text.append(f"“{s(quote)}”")


def _via_label(actor: ActorRef) -> Text:
    return Text(f"via {s(actor.name)}" + (" (vague source)" if actor.vague else ""), style="yellow" if actor.vague else "magenta")


def _hop_text(node: HopNode) -> Text:
    text = Text("PRIMARY ", style="bold green") if node.is_primary else Text()
    text.append_text(_document_text(node.document))
    text.append(f" · hop {node.hop_id}", style="dim")
    _append_cue_and_quote(text, node.cue, node.quote)
    return text


def _end_text(node: HopNode) -> Text:
    if node.end == "primary":
        return Text("✓ reaches the speaker's own words", style="green")
    if node.end == "intermediary":
        name = s(node.via_actor.name) if node.via_actor else "an intermediary"
        return Text(f"✗ the trail ends at {name}: nothing earlier is logged (no primary source)", style="red")
    if node.end == "cycle":
        return Text(f"↻ circular citation: relies on hop {node.cycle_to}, already above", style="bold red")
    return Text("● first-hand: this document relies on no one else", style="dim")


def _add_chain(tree: Tree, node: HopNode) -> None:
    """Hang the chain behind `node` (which `tree` already shows) below it."""
    branch = tree
    current = node
    while True:
        if current.via is not None:
            label = Text()
            if current.via_actor is not None:
                label.append_text(_via_label(current.via_actor))
                label.append(" → ")
            label.append_text(_hop_text(current.via))
            branch = branch.add(label)
            current = current.via
            continue
        if current.via_actor is not None and current.end == "intermediary":
            label = _via_label(current.via_actor)
            label.append(" ")
            label.append_text(_end_text(current))
            branch.add(label)
        else:
            branch.add(_end_text(current))
        return


def _add_branch(tree: Tree, branch: StatementBranch) -> None:
    label = _statement_text(branch.statement, branch.hop)
    if branch.summary:
        label.append(f"\nchain: {s(branch.summary)}", style="magenta")
    node = tree.add(label)
    if branch.hop is not None:
        _add_chain(node, branch.hop)
    else:
        node.add(Text("reported inside the statement above (nested attribution)", style="dim"))
    for nested in branch.nested:
        _add_branch(node.add(Text("nested attribution:", style="dim")), nested)


def document_tree(chain: DocumentChain) -> Tree:
    tree = Tree(_document_text(chain.document, prefix="📄 "), guide_style="dim")
    if not chain.statements:
        tree.add(Text("no statements are logged for this document", style="dim"))
    for branch in chain.statements:
        _add_branch(tree, branch)
    return tree


def _carrier_text(node: CarrierNode) -> Text:
    text = Text("PRIMARY ", style="bold green") if node.is_primary else Text()
    if node.via_actor is not None:
        text.append_text(_via_label(node.via_actor))
        text.append(" → ")
    text.append_text(_document_text(node.document))
    text.append(f" · hop {node.hop_id}", style="dim")
    _append_cue_and_quote(text, node.cue, node.quote)
    if node.cycle:
        text.append("\n↻ circular citation: this hop is already shown above", style="bold red")
    return text


def _add_carrier(tree: Tree, node: CarrierNode) -> None:
    child = tree.add(_carrier_text(node))
    for carrier in node.carriers:
        _add_carrier(child, carrier)


def statement_tree(chain: StatementChain) -> Tree:
    root = _statement_text(chain.statement, None)
    if chain.statement.quote:
        root.append("\nquote: ", style="dim")
        root.append(f"“{s(chain.statement.quote)}”")
    root.append(f"\ncarried by {chain.documents} document{'s' if chain.documents != 1 else ''}", style="magenta")
    tree = Tree(root, guide_style="dim")
    if not chain.carriers:
        tree.add(Text("no document carries this statement yet", style="dim"))
    for carrier in chain.carriers:
        _add_carrier(tree, carrier)
    for nested in chain.nested:
        tree.add(Text("nested attribution: ", style="dim").append_text(_statement_text(nested, None)))
    return tree


def render_document_chain(chain: DocumentChain, console: Console) -> None:
    console.print(document_tree(chain))
    for cycle in chain.cycles:
        console.print(Text(f"circular citation among hops {' → '.join(map(str, cycle))}", style="bold red"))


def render_statement_chain(chain: StatementChain, console: Console) -> None:
    console.print(statement_tree(chain))
    for cycle in chain.cycles:
        console.print(Text(f"circular citation among hops {' → '.join(map(str, cycle))}", style="bold red"))


def tree_markdown(tree: Tree, depth: int = 0) -> list[str]:
    """A tree as nested Markdown bullets, from the very labels the terminal shows (their user
    text is already `shown`, so only Markdown's punctuation is escaped here)."""
    from claimtrack.display import md_escape

    label = tree.label
    plain = label.plain if isinstance(label, Text) else str(label)
    first, *rest = plain.split("\n")
    indent = "  " * depth
    lines = [f"{indent}- {md_escape(first)}"] + [f"{indent}  {md_escape(line)}  " for line in rest]
    if rest:
        lines[0] += "  "
    for child in tree.children:
        lines += tree_markdown(child, depth + 1)
    return lines


def chain_markdown(kind: str, chain: DocumentChain | StatementChain) -> str:
    """`claimtrack chain --markdown`: the tree as nested bullets, then any circular citation."""
    if isinstance(chain, DocumentChain):
        title, tree = f"# Attribution chain of document {chain.document.id}", document_tree(chain)
    else:
        title, tree = f"# Attribution chain of statement {chain.statement.id}", statement_tree(chain)
    lines = [title, "", *tree_markdown(tree), ""]
    lines += [f"- **circular citation** among hops {' → '.join(map(str, c))}" for c in chain.cycles]
    return "\n".join(lines) + "\n"


def chain_renderables(chain: DocumentChain | StatementChain) -> list[Tree | Text]:
    """The tree and its circular-citation lines, as printed (and exported to SVG)."""
    parts: list[Tree | Text] = [document_tree(chain) if isinstance(chain, DocumentChain) else statement_tree(chain)]
    parts += [Text(f"circular citation among hops {' → '.join(map(str, c))}", style="bold red") for c in chain.cycles]
    return parts
