"""Views of saved reports and of the history (``compare``, ``diff``, ``report``, ``history``) and the ``demo``:
imported by the command line only when one of these verbs runs or its options are built."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from notice_audit.app.config import Output
from notice_audit.app.exits import EXIT_GATE, EXIT_OK
from notice_audit.app.history import History
from notice_audit.app.run import check_output, format_for, settings_from
from notice_audit.demo import run_demo
from notice_audit.errors import UsageError
from notice_audit.formats import compare, diff
from notice_audit.formats import history as history_formats
from notice_audit.formats.base import Registry
from notice_audit.formats.load import ReportError, load_report
from notice_audit.formats.output import write_text
from notice_audit.formats.registry import emit
from notice_audit.model import AuditReport

#: The formats of ``compare`` and ``diff`` for standard output, or an --output without an extension.
COMPARE_FORMAT = "html"
#: ``compare``'s format when standard output is a terminal and no --format or --output says otherwise.
COMPARE_TERMINAL_FORMAT = "table"
DIFF_FORMAT = "markdown"
#: ``history``'s format for an --output without an extension.
HISTORY_FILE_FORMAT = "table"


def cmd_history(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if settings.history is None:
        raise UsageError("the history is turned off (history = false, or NOTICE_AUDIT_HISTORY=off)")
    path = Path(settings.history)
    if not path.exists():
        raise UsageError(f"{path}: no history yet (audit or crawl records every run there)")
    fmt = args.format or _guessed(args.output, history_formats.FORMATS, HISTORY_FILE_FORMAT)
    fmt = fmt or ("table" if sys.stdout.isatty() else "json")
    check_output(args)
    with History.open(path) as history:
        data = history.trend(args.target, limit=args.limit)
    write(history_formats.render_trend(data, fmt), args.output)
    return EXIT_OK


def _load(path: str) -> AuditReport:
    try:
        return load_report(path)
    except ReportError as exc:
        raise UsageError(str(exc)) from None


def _guessed(output: str | None, formats: Registry[Any], default: str) -> str | None:
    """The format --output's extension names among this verb's ``formats`` (``default`` for a name
    without one), None for standard output; an extension naming no format of this verb is refused."""
    return None if output in (None, "-") else formats.guess(output, default)


def write(text: str, output: str | None) -> None:
    """``text`` to standard output (None or '-') or, atomically, to the file ``output``."""
    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_text(Path(output), text)


def cmd_compare(args: argparse.Namespace) -> int:
    """Without --format: the --output extension's format; on standard output, a table on a terminal
    (the page's HTML is no use there) and the HTML page anywhere else (``compare a.json > cmp.html``)."""
    fmt = (args.format or _guessed(args.output, compare.FORMATS, COMPARE_FORMAT)
           or (COMPARE_TERMINAL_FORMAT if sys.stdout.isatty() else COMPARE_FORMAT))
    check_output(args)
    comparison = compare.build([_load(path) for path in args.reports])
    if args.output in (None, "-"):
        compare.FORMATS[fmt].show(comparison, sys.stdout)
    else:
        write(compare.FORMATS[fmt].render(comparison), args.output)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    fmt = args.format or _guessed(args.output, diff.FORMATS, DIFF_FORMAT) or DIFF_FORMAT
    check_output(args)
    old, new = _load(args.old), _load(args.new)
    result = diff.diff_reports(old, new, removed_is_regression=not args.allow_removed)
    write(diff.render(result, fmt), args.output)
    return EXIT_GATE if result.regressed else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    fmt = format_for(Output(args.format, args.output))
    check_output(args)
    emit(_load(args.report), fmt, args.output)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    run_demo(Path(args.output_dir), out=sys.stdout, log=sys.stderr)
    return EXIT_OK
