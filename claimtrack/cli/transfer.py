"""`claimtrack import` and `claimtrack export`: files in, files out (see docs/formats.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

IMPORT_FORMATS = ("auto", "jsonl", "json", "claimreview", "google-factcheck", "liar", "emergent", "polnear", "csv")
EXPORT_FORMATS = ("jsonl", "json", "claimreview", "prov", "csv")
#: the same as claimtrack.formats.csv_rows.FIELDS (a test keeps them equal; not imported, for start-up)
MAP_FIELDS = ("claim", "speaker", "anonymous", "role", "on_behalf_of", "stance", "quote", "quote_kind", "cue",
              "channel", "said", "outlet", "url", "title", "published", "author", "via", "cited_url", "cited_outlet",
              "cited_title", "cited_published", "cited_author", "primary", "verdict", "rating_value", "best",
              "worst", "reviewer", "reviewed", "review_url", "explanation", "status", "status_reason", "language")
#: rows shown by `import --dry-run` of a csv file, as mapped
PREVIEW_ROWS = 5


def _parse_map(values: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values or []:
        field, sep, column = value.partition("=")
        field = field.strip()
        if not sep or not field or not column.strip():
            raise typer.BadParameter(f"{value!r} is not FIELD=COLUMN (e.g. claim=Statement)", param_hint="--map")
        if field not in MAP_FIELDS:
            raise typer.BadParameter(f"unknown field {field!r}; expected one of: {', '.join(MAP_FIELDS)}",
                                     param_hint="--map")
        mapping[field] = column.strip()
    return mapping


def import_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The file to import (a folder for PolNeAR brat annotations; "
                                         "- for standard input).",
                                         show_default=False)],
    format: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(IMPORT_FORMATS)}. "
                                        "auto reads the content and refuses to guess when it is ambiguous.")] = "auto",
    map_: Annotated[list[str] | None, typer.Option("--map", help="csv: FIELD=COLUMN, repeatable. Fields: "
                                                   + ", ".join(MAP_FIELDS) + ".", show_default=False)] = None,
    values: Annotated[list[str] | None, typer.Option("--values", help="csv: FIELD=VALUE:WORD,… maps a column's "
                                                     "own words onto claimtrack's (stance=agree:confirms,"
                                                     "disagree:disputes); a value not listed is a row error. "
                                                     "Repeatable.", show_default=False)] = None,
    mapping_file: Annotated[Path | None, typer.Option("--mapping", help="csv: a TOML mapping file holding "
                                                      "[map], [values.FIELD], delimiter, header, date_order "
                                                      "(see docs/formats.md); options given too win.",
                                                      show_default=False)] = None,
    no_header: Annotated[bool, typer.Option("--no-header", help="csv: the first row is data; name columns by "
                                            "number from 1 (--map claim=5).")] = False,
    delimiter: Annotated[str | None, typer.Option("--delimiter", help="csv: the column separator "
                                                  "(default: tab for .tsv files, else comma, semicolon or pipe, "
                                                  "whichever splits the first line most); \\t for tab.",
                                                  show_default=False)] = None,
    date_order: Annotated[str | None, typer.Option("--date-order", help="How to read numeric dates such as "
                                                   "01/02/2021: DMY, MDY or YMD. Without it such a date is "
                                                   "an error, never a guess.", show_default=False)] = None,
    skip_bad: Annotated[Path | None, typer.Option("--skip-bad", help="Keep going past bad records and write each "
                                                  "one, with its line number and reason, to this jsonl file.",
                                                  show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would be created and matched; "
                                          "write nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the --skip-bad file when it exists.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import a file: native jsonl/json, ClaimReview, Google Fact Check, LIAR, Emergent, PolNeAR or CSV.

    All or nothing: the first bad record stops the import and nothing is written, unless
    --skip-bad is given. Importing the same file twice creates nothing the second time.
    """
    from claimtrack.cli.context import read_session, write_session
    from claimtrack.cli.output import emit_json
    from claimtrack.formats import import_file

    if format not in IMPORT_FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; expected one of: {', '.join(IMPORT_FORMATS)}",
                                 param_hint="--format")
    options: dict[str, Any] = {}
    if mapping_file is not None:
        from claimtrack.formats.csv_map import load_mapping

        options = load_mapping(mapping_file)
    mapping = {**options.get("mapping", {}), **_parse_map(map_)}
    if (mapping or values or no_header) and format not in ("csv", "auto"):
        raise typer.BadParameter("--map, --values, --mapping and --no-header only apply to --format csv",
                                 param_hint="--map")
    if format == "csv" and not mapping:
        raise typer.BadParameter("--format csv needs --map FIELD=COLUMN options (at least claim=COLUMN) "
                                 "or --mapping FILE.toml", param_hint="--map")
    if (values or no_header) and not mapping:
        raise typer.BadParameter("--values and --no-header need --map FIELD=COLUMN (or --mapping)",
                                 param_hint="--map")
    if mapping:
        options["mapping"] = mapping
    if values:
        from claimtrack.errors import InvalidInput
        from claimtrack.formats.csv_map import parse_values

        try:
            options["values"] = {**options.get("values", {}), **parse_values(values)}
        except InvalidInput as exc:
            raise typer.BadParameter(str(exc).removeprefix("--values "), param_hint="--values") from None
    if no_header:
        options["header"] = False
    if dry_run and (format == "csv" or mapping):
        options["preview"] = PREVIEW_ROWS
    if date_order is not None:
        from claimtrack.dates import DATE_ORDERS

        if date_order.strip().upper() not in DATE_ORDERS:
            raise typer.BadParameter(f"{date_order!r} is not a date order; expected one of: {', '.join(DATE_ORDERS)}",
                                     param_hint="--date-order")
        options["date_order"] = date_order.strip().upper()
    if delimiter is not None:
        options["delimiter"] = "\t" if delimiter in ("\\t", "tab") else delimiter
        if len(options["delimiter"]) != 1:
            raise typer.BadParameter("the delimiter must be one character (or \\t)", param_hint="--delimiter")

    from contextlib import ExitStack

    from claimtrack.cli.context import app_context
    from claimtrack.outfiles import open_output

    source: Any = path
    source_name = None
    if str(path) == "-":
        import io

        # read whole: format detection looks at the head, and a pipe cannot be rewound
        source, source_name = io.BytesIO(sys.stdin.buffer.read()), "<stdin>"
    protect = [("the database", f) for f in app_context(ctx).database.files()]
    if source_name is None:
        protect.append(("the input file", path))
    rejects = None
    with ExitStack() as stack:
        if skip_bad is not None:
            # the rejects file is the user's: never the database or the input, never an existing
            # file without --force, and it appears only once the import has finished
            rejects = stack.enter_context(open_output(skip_bad, force=force, protect=protect, option="--skip-bad"))
        if sys.stderr.isatty() and not as_json and source_name is None:
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            from claimtrack.cli.output import err_console

            progress_bar = Progress(TextColumn("importing {task.description}"), BarColumn(), DownloadColumn(),
                                    TimeRemainingColumn(), console=err_console, transient=True)
            task = progress_bar.add_task(path.name, total=path.stat().st_size if path.is_file() else None)
            progress_bar.start()
            stack.callback(progress_bar.stop)

            def progress(done: int, total: int | None) -> None:
                progress_bar.update(task, completed=done, total=total)
        else:
            progress = None  # type: ignore[assignment]
        session_factory = read_session if dry_run else write_session
        with session_factory(ctx) as session:
            summary = import_file(session, source, format, dry_run=dry_run, skip_bad=skip_bad is not None,
                                  rejects=rejects, progress=progress, source_name=source_name, **options)
    if skip_bad is not None:
        summary.rejects_file = str(skip_bad)
    if as_json:
        emit_json(summary.to_dict())
        return
    _print_summary(summary)


def _print_summary(summary: Any) -> None:
    from rich.table import Table

    from claimtrack.cli.output import console

    title = f"{'Would import' if summary.dry_run else 'Imported'} {summary.file} ({summary.format})"
    table = Table(title=title, title_justify="left")
    table.add_column("kind")
    table.add_column("created", justify="right")
    table.add_column("matched existing", justify="right")
    table.add_column("skipped", justify="right")
    for kind, counts in summary.to_dict()["counts"].items():
        table.add_row(kind, str(counts["created"]), str(counts["matched"]), str(counts["skipped"]))
    console.print(table)
    if summary.preview:
        _print_preview(summary.preview)
    if summary.rejected:
        from rich.text import Text

        console.print(f"{summary.rejected} bad {summary.unit_word}(s) skipped; see {summary.rejects_file}",
                      markup=False, highlight=False)
        for line in summary.reason_lines(summary.unit_word):
            console.print(Text("  " + line), soft_wrap=True)
    if summary.dry_run:
        console.print("Dry run: nothing was written.")


def _print_preview(preview: list[dict[str, Any]]) -> None:
    """The first rows as mapped: one line per record, fields as field=value."""
    from rich.text import Text

    from claimtrack.cli.output import console

    console.print(f"The first {len(preview)} row(s) as mapped:", markup=False, highlight=False)
    for row in preview:
        console.print(Text(f"line {row['line']}:"), highlight=False)
        for record in row["records"]:
            fields = ", ".join(f"{k}={v!r}" for k, v in record.items() if k not in ("type", "key"))
            console.print(Text(f"  {record.get('type')}: {fields}"), soft_wrap=True, highlight=False)


def export_command(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(EXPORT_FORMATS)}.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout "
                                                "(refused when it exists, unless --force).",
                                                show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file when it exists.")] = False,
    claims: Annotated[list[str] | None, typer.Option("--claim", help="Export only this claim (id or key) and "
                                                     "what it needs; repeatable.", show_default=False)] = None,
    bom: Annotated[bool, typer.Option("--bom", help="csv: start with a UTF-8 byte order mark, so Excel reads "
                                      "the file as UTF-8.")] = False,
    include_incomplete: Annotated[bool, typer.Option("--include-incomplete", help="claimreview: also write "
                                                     "verdicts without a review URL, with their key as "
                                                     "identifier (claimtrack imports them back; Google does "
                                                     "not).")] = False,
) -> None:
    """Export the database: native jsonl/json (lossless), ClaimReview JSON-LD, PROV, or a CSV sheet for editors.

    -o - (or no -o) writes to standard output.
    """
    from claimtrack.cli.context import read_session
    from claimtrack.formats import get_exporter

    if format not in EXPORT_FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; expected one of: {', '.join(EXPORT_FORMATS)}",
                                 param_hint="--format")
    exporter = get_exporter(format)

    def warn(message: str) -> None:
        from claimtrack.display import escape_controls

        print(f"Warning: {escape_controls(message)}", file=sys.stderr)

    options: dict[str, Any] = {"warn": warn}
    if bom:
        if format != "csv":
            raise typer.BadParameter("--bom only applies to --format csv", param_hint="--bom")
        options["bom"] = True
    if include_incomplete:
        if format != "claimreview":
            raise typer.BadParameter("--include-incomplete only applies to --format claimreview",
                                     param_hint="--include-incomplete")
        options["include_incomplete"] = True
    if claims:
        options["claims"] = claims
    from claimtrack.cli.context import app_context
    from claimtrack.outfiles import check_output, open_output

    protect = [("the database", f) for f in app_context(ctx).database.files()]
    if output is not None and str(output) != "-":
        check_output(output, force=force, protect=protect)  # before any work
    with read_session(ctx) as session:
        if output is None or str(output) == "-":
            exporter(session, sys.stdout, **options)
            sys.stdout.flush()
            return
        # written beside the target and renamed: a failed export never leaves a truncated file
        with open_output(output, force=force, protect=protect) as stream:
            exporter(session, stream, **options)


def register(app: typer.Typer) -> None:
    """Attach `import` and `export` to the root app."""
    app.command("import")(import_command)
    app.command("export")(export_command)
