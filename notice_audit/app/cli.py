"""The ``notice-audit`` command line.

Exit codes (contract): 0 the audit ran and every gate passed; 1 a gate failed
(a notice failed, or a target could not be read); 2 usage or input error, with
a one-line message on stderr and no output file written. ``diff`` exits 1 when
anything regressed; ``compare`` and ``report`` (views of saved reports) exit 0.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import yaml

from notice_audit.app.config import Output
from notice_audit.app.history import History
from notice_audit.app.interrupt import Interrupted, stop_on_signals
from notice_audit.app.run import (
    EXIT_GATE,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    check_output,
    cmd_audit,
    cmd_crawl,
    format_for,
    settings_from,
)
from notice_audit.demo import run_demo
from notice_audit.errors import NoticeAuditError
from notice_audit.evaluation import (
    STANDARD_REFERENCE,
    Split,
    SplitError,
    evaluate_corpus,
    evaluate_splits,
    parse_split,
    render_disagreements,
    render_splits,
    render_table,
    standard_splits,
)
from notice_audit.formats import compare, diff
from notice_audit.formats import history as history_formats
from notice_audit.formats.base import Registry
from notice_audit.formats.load import ReportError, load_report
from notice_audit.formats.output import write_text
from notice_audit.formats.registry import FORMATS, emit
from notice_audit.formats.words import agree, plural
from notice_audit.model import AuditReport
from notice_audit.rules.checklist import Checklist, builtin_dir, builtin_ids, load_checklist
from notice_audit.rules.examples import examples_of, own_items, run_examples
from notice_audit.version import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="notice-audit",
        description="Audit privacy notices against the UK GDPR right-to-be-informed checklist.",
    )
    parser.add_argument("--version", action="version", version=f"notice-audit {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    audit = verbs.add_parser("audit", help="audit notice files, folders or URLs")
    audit.add_argument("targets", nargs="*", metavar="TARGET",
                       help="file, folder or http(s) URL (default: the config file's targets)")
    audit.add_argument("--changed-since", metavar="REF",
                       help="audit only the notice files changed since this git ref (within the targets, if any)")
    audit.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                       help="audit local files in N processes (0: one per core; default 1)")
    _audit_options(audit)
    _fetch_options(audit)

    crawl = verbs.add_parser("crawl", help="discover a site's privacy notices, then audit them")
    crawl.add_argument("urls", nargs="*", metavar="URL",
                       help="where to start (a home page or a privacy page; default: the config file's targets)")
    crawl.add_argument("--sitemap", action="append", default=[], metavar="URL", help="a sitemap to read (repeatable; "
                       "sitemaps named in robots.txt are read too)")
    crawl.add_argument("--include", action="append", default=[], metavar="PATTERN",
                       help="audit only notices whose URL matches this regular expression (repeatable)")
    crawl.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                       help="skip notices whose URL matches this regular expression (repeatable)")
    crawl.add_argument("--max-pages", type=_positive_int, default=100, metavar="N",
                       help="pages fetched per site at most, discovery included (default 100)")
    crawl.add_argument("--max-depth", type=_positive_int, default=3, metavar="N",
                       help="links followed from the start pages (default 3)")
    crawl.add_argument("--no-check-links", dest="check_links", action="store_false",
                       help="do not check the links in each notice (checked by default, at most 50 per notice, "
                       "never offline)")
    crawl.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                       help="audit the notices found in N processes (0: one per core; default 1)")
    _audit_options(crawl)
    _fetch_options(crawl)

    checklists = verbs.add_parser("checklists", help="list, show or validate checklists")
    cl = checklists.add_subparsers(dest="action", metavar="ACTION", required=True)
    cl.add_parser("list", help="list the built-in checklists")
    show = cl.add_parser("show", help="show a checklist's items")
    show.add_argument("checklist", metavar="ID|PATH")
    show.add_argument("--format", choices=("yaml", "summary"), default="yaml",
                      help="yaml: the whole checklist, what it extends merged in (a checklist file of its own); "
                      "summary: one line per item (default: %(default)s)")
    validate = cl.add_parser("validate", help="validate a checklist file")
    validate.add_argument("checklist", metavar="PATH")
    test = cl.add_parser("test", help="run checklist items' examples (texts that must meet or fail each item)",
                         description="Run every example of a checklist's own items: each is parsed as plain text "
                         "and judged by its item's rule alone (the item's 'when' condition is ignored). "
                         "Exit 1 when an example is judged otherwise than its list says, 2 for a broken checklist.")
    test.add_argument("checklists", nargs="*", metavar="ID|PATH", help="checklists to test (default: every built-in)")
    test.add_argument("--verbose", "-v", action="store_true", help="show every example, not only the failures")

    evaluate = verbs.add_parser(
        "evaluate", help="measure accuracy against labelled notices, one split or several side by side",
        description="Measure the audit against hand-made labels, beside a naive keyword search (the floor). "
        "LABELS_DIR CORPUS_DIR measure one folder of labels. --split (repeatable) measures several side by side, "
        "with each one's gap to a reference split. With neither, the three standard splits of ../shared "
        "(or --shared DIR) are measured: validation, full (whole notices) and dev (development, the reference). "
        "A split named 'validation', or labelled from a folder whose name holds 'validation', is for measuring "
        "only: its individual disagreements are never listed.")
    evaluate.add_argument("labels_dir", nargs="?", metavar="LABELS_DIR",
                          help="folder of label YAML files (one split, with CORPUS_DIR)")
    evaluate.add_argument("corpus_dir", nargs="?", metavar="CORPUS_DIR",
                          help="folder holding the labelled documents, directly or in a notices/ folder")
    evaluate.add_argument("--split", action="append", default=[], metavar="NAME=LABELS_DIR[:CORPUS_DIR]",
                          help="a split to measure beside the others (repeatable; CORPUS_DIR defaults to the "
                          "labels folder's parent)")
    evaluate.add_argument("--reference", metavar="NAME", help="the split the others' gaps are measured from "
                          "(default: the first --split; dev for the standard splits)")
    evaluate.add_argument("--shared", metavar="DIR", help="where the standard splits are when no folder or split "
                          "is given (default: ../shared)")
    evaluate.add_argument("--format", choices=("table", "json"), default="table",
                          help="table (the default): figures to read, within 120 columns for three splits; "
                          "json: one split's figures, or with several, each split's keyed by name with the gaps")
    evaluate.add_argument("--output", metavar="PATH", help="file to write, atomically ('-' for standard output, "
                          "the default)")
    evaluate.add_argument("--show-disagreements", action="store_true",
                          help="with the table: list every document and item where the tool and the label differ "
                          "(never for a validation split)")

    _report_verbs(verbs)

    hist = verbs.add_parser("history", help="trend of scores and item changes from the run history")
    hist.add_argument("target", nargs="?", metavar="TARGET", help="one target (default: every target recorded)")
    hist.add_argument("--format", choices=list(history_formats.FORMATS), help="default: guessed from --output's "
                      "extension (.txt, .md, .json; table without one), else table on a terminal, else json")
    hist.add_argument("--output", help="file to write ('-' for standard output, the default)")
    hist.add_argument("--limit", type=_positive_int, default=20, metavar="N", help="runs shown at most (default 20)")
    hist.add_argument("--history", metavar="PATH", help="history database (default: .notice-audit/history.sqlite "
                      "beside the config file, or in the working folder)")
    _config_options(hist)

    demo = verbs.add_parser("demo", help="serve, crawl and audit the bundled example council site; write reports")
    demo.add_argument("--output-dir", default="reports/demo", help="where to write the reports (default: reports/demo)")
    return parser


def _report_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """compare, diff and report: views of saved reports (JSON or JSON Lines), no auditing."""
    cmp = verbs.add_parser("compare", help="compare notices across saved reports: heat map, ranking, coverage")
    cmp.add_argument("reports", nargs="+", metavar="REPORT.json", help="reports written by --format json or jsonl")
    cmp.add_argument("--format", choices=sorted(compare.FORMATS),
                     help="default: guessed from --output's extension, else html")
    cmp.add_argument("--output", help="file to write ('-' for standard output, the default)")

    dif = verbs.add_parser("diff", help="what changed between two saved reports; exit 1 when anything regressed")
    dif.add_argument("old", metavar="OLD.json", help="the earlier report (JSON or JSON Lines)")
    dif.add_argument("new", metavar="NEW.json", help="the later report (JSON or JSON Lines)")
    dif.add_argument("--format", choices=sorted(diff.FORMATS),
                     help="default: guessed from --output's extension (.json, .md), else markdown")
    dif.add_argument("--output", help="file to write ('-' for standard output, the default)")
    dif.add_argument("--allow-removed", action="store_true",
                     help="do not count notices missing from NEW as regressions (they are still listed)")

    rep = verbs.add_parser("report", help="re-render a saved report in another format, without re-auditing")
    rep.add_argument("report", metavar="REPORT.json", help="a report written by --format json or jsonl")
    rep.add_argument("--format", choices=sorted(FORMATS), help="table on a terminal, else json; "
                     "with --output, guessed from its extension")
    rep.add_argument("--output", help="file to write ('-' for standard output)")


def _audit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--checklist", help="built-in checklist id or YAML path (default: uk-gdpr)")
    parser.add_argument("--format", choices=sorted(FORMATS), help="table on a terminal, else json; "
                        "with --output, guessed from its extension")
    parser.add_argument("--output", help="file to write ('-' for standard output)")
    parser.add_argument("--fact", action="append", default=[], metavar="NAME=VALUE",
                        help="declare a fact for conditions, e.g. public_authority=false (repeatable)")
    parser.add_argument("--as-of", type=_date, metavar="DATE",
                        help="judge ages (last-updated dates) and waiver expiry as on this date, YYYY-MM-DD "
                        "(default: today)")
    gate = parser.add_argument_group("gates (CI)")
    gate.add_argument("--fail-under", type=_score, metavar="SCORE", help="fail notices scoring below SCORE (0-100)")
    gate.add_argument("--fail-on", metavar="SEVERITY", help="fail notices missing an item of this severity or above "
                      "(info, recommended, required; default required), a comma list, or 'none'")
    gate.add_argument("--baseline", metavar="FILE", help="fail only on gaps this baseline does not record; "
                      "report the ones fixed since")
    gate.add_argument("--write-baseline", metavar="FILE",
                      help="record this run's gaps as the baseline (the run then exits 0 unless a target "
                      "was unreadable)")
    hist = parser.add_argument_group("history")
    hist.add_argument("--history", metavar="PATH", help="history database (default: .notice-audit/history.sqlite "
                      "beside the config file, or in the working folder)")
    hist.add_argument("--no-history", action="store_true", help="record nothing in the history")
    hist.add_argument("--since-last", action="store_true",
                      help="report regressions and content changes since the previous run of each target")
    _config_options(parser)


def _config_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("configuration")
    group.add_argument("--config", metavar="PATH", help="config file (default: the nearest notice-audit.toml, or "
                       "pyproject.toml with [tool.notice-audit], from the working folder upwards)")
    group.add_argument("--no-config", action="store_true", help="read no config file")


def _fetch_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("fetching (URLs)")
    group.add_argument("--concurrency", type=_positive_int, default=8, metavar="N",
                       help="requests in flight at most (default 8)")
    group.add_argument("--per-host", type=_positive_int, default=2, metavar="N",
                       help="requests in flight per host at most (default 2)")
    group.add_argument("--delay", type=_seconds, default=0.0, metavar="S",
                       help="seconds between requests to one host at least (robots.txt Crawl-delay raises it)")
    group.add_argument("--timeout", type=_seconds, default=20.0, metavar="S", help="read time-out (default 20)")
    group.add_argument("--user-agent", metavar="UA", help="User-Agent to send (default names notice-audit and a URL)")
    group.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                       help="fetch only from these hosts (repeatable; default: any)")
    group.add_argument("--allow-private", action="store_true",
                       help="follow redirects and links to loopback, private and link-local addresses too "
                       "(refused by default, except the hosts of the URLs given)")
    group.add_argument("--snapshots", default=".notice-audit/snapshots", metavar="DIR",
                       help="where every fetched page is kept (default .notice-audit/snapshots)")
    group.add_argument("--no-snapshots", action="store_true", help="keep no snapshots (and no conditional requests)")
    group.add_argument("--offline", action="store_true", help="fetch nothing: read pages from the snapshots")
    group.add_argument("--ignore-robots", action="store_true",
                       help="do not read robots.txt (only for sites you run yourself)")


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None


def _positive_int(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not at least 1")
    return value


def _jobs(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value or len(os.sched_getaffinity(0)) or 1


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _score(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 100")
    return value


def cmd_history(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if settings.history is None:
        raise UsageError("the history is turned off (history = false, or NOTICE_AUDIT_HISTORY=off)")
    path = Path(settings.history)
    if not path.exists():
        raise UsageError(f"{path}: no history yet (audit or crawl records every run there)")
    fmt = args.format or _guessed(args.output, history_formats.FORMATS, "table")
    fmt = fmt or ("table" if sys.stdout.isatty() else "json")
    check_output(args)
    with History.open(path) as history:
        data = history.trend(args.target, limit=args.limit)
    _write(history_formats.render_trend(data, fmt), args.output)
    return EXIT_OK


def cmd_checklists(args: argparse.Namespace) -> int:
    if args.action == "list":
        for ident in builtin_ids():
            checklist = load_checklist(ident)
            print(f"{checklist.id}\t{checklist.version}\t{plural(len(checklist.items), 'item')}\t{checklist.title}")
        return EXIT_OK
    if args.action == "test":
        return _test_checklists(args.checklists or builtin_ids(), verbose=args.verbose)
    checklist = load_checklist(args.checklist)
    if args.action == "validate":
        print(f"{args.checklist}: valid checklist '{checklist.id}' {checklist.version}, "
              f"{plural(len(checklist.items), 'item')}")
        return EXIT_OK
    sys.stdout.write(checklist_yaml(checklist) if args.format == "yaml" else checklist_summary(checklist))
    return EXIT_OK


class _Flow(dict[str, Any]):
    """A rule or condition, written on one line as the checklist files write it."""


class _ChecklistDumper(yaml.SafeDumper):
    pass


_ChecklistDumper.add_representer(
    _Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))


def checklist_yaml(checklist: Checklist) -> str:
    """``checklists show``: the checklist as YAML, inheritance resolved, so that it is a checklist file of
    its own (``checklists validate`` accepts it); comments say where its items come from."""
    data = checklist.to_data()
    for item in data["items"]:
        item["rule"] = _Flow(item["rule"])
        if "when" in item:
            item["when"] = _Flow(item["when"])
    counts = Counter(_checklist_name(item.source) for item in checklist.items)
    origin = ", ".join(f"{plural(n, 'item')} from {name}" for name, n in counts.items())
    resolved = "\n# (inheritance resolved: this is a checklist file of its own)" if len(counts) > 1 else ""
    text = yaml.dump(data, Dumper=_ChecklistDumper, sort_keys=False, allow_unicode=True, width=100)
    text = text.replace("\n- id: ", "\n\n- id: ").replace("\nitems:\n\n", "\nitems:\n", 1)  # a blank line between items
    return f"# {checklist.id} {checklist.version}: {checklist.title}\n# {origin}{resolved}\n{text}"


def _checklist_name(source: str) -> str:
    """A built-in checklist's file by its id, any other by its path."""
    path = Path(source)
    return f"built-in {path.stem}" if path.parent == builtin_dir() else source


def checklist_summary(checklist: Checklist) -> str:
    """``checklists show --format summary``: one line per item, conditions and facts as YAML writes them."""
    def flow(value: Any) -> str:
        text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=float("inf"))
        return text.removesuffix("\n...\n").strip()  # a scalar's document ends with "..."

    lines = [f"{checklist.id} {checklist.version}: {checklist.title}"]
    if checklist.facts:
        lines.append("facts: " + ", ".join(f"{k}={flow(v)}" for k, v in checklist.facts.items()))
    for item, data in zip(checklist.items, checklist.to_data()["items"], strict=True):
        when = f"  [when {flow(data['when'])}]" if "when" in data else ""
        lines.append(f"- {item.id} ({item.severity}, weight {item.weight:g}): {item.title} — {item.reference}{when}")
    return "\n".join(lines) + "\n"


def _test_checklists(refs: Sequence[str], *, verbose: bool) -> int:
    """``checklists test``: every example of each checklist's own items; exit 1 if one is misjudged."""
    checklists = [load_checklist(ref) for ref in refs]  # a broken one stops the run before any test (exit 2)
    failed = 0
    for ref, checklist in zip(refs, checklists, strict=True):
        items = own_items(checklist)
        results = run_examples(checklist, items)
        bad = [r for r in results if not r.passed]
        failed += len(bad)
        for r in results:
            if verbose or not r.passed:
                head = " ".join(r.example.text.split())
                head = head if len(head) <= 70 else head[:69] + "…"
                expected = "met" if r.expect == "meets" else "not met"
                print(f"  {'ok  ' if r.passed else 'FAIL'}  {r.label}: {r.status} (expected {expected}) — "
                      f"{r.message} — text: {head!r}")
        bare = [it.id for it in items if not examples_of(it)]
        if bare:
            print(f"  note  items without examples: {', '.join(bare)}")
        inherited = len(checklist.items) - len(items)
        also = (f" ({plural(inherited, 'inherited item')} {agree(inherited, 'is', 'are')} tested with their own "
                "checklist)" if inherited else "")
        print(f"{ref}: {plural(len(items), 'item')}, {plural(len(results), 'example')}, {len(bad)} failed{also}")
    return EXIT_GATE if failed else EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    check_output(args)
    try:
        text = _evaluate_one(args) if args.labels_dir is not None else _evaluate_splits(args)
    except SplitError as exc:
        raise UsageError(str(exc)) from None
    _write(text, args.output)
    return EXIT_OK


def _evaluate_one(args: argparse.Namespace) -> str:
    """LABELS_DIR CORPUS_DIR: one split, the table and JSON of earlier versions."""
    if args.corpus_dir is None:
        raise UsageError("LABELS_DIR needs CORPUS_DIR after it (or give --split NAME=LABELS_DIR[:CORPUS_DIR])")
    extra = [opt for opt, value in (("--split", args.split), ("--reference", args.reference),
                                    ("--shared", args.shared)) if value]
    if extra:
        raise UsageError(f"LABELS_DIR CORPUS_DIR measure one split: {', '.join(extra)} cannot go with them")
    labels, corpus = Path(args.labels_dir), Path(args.corpus_dir)
    for folder in (labels, corpus):
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder")
    split = Split(labels.resolve().name, labels, corpus)
    ev = evaluate_corpus(labels, corpus)
    if ev.documents == 0:
        raise UsageError(f"no labelled document of {labels} was found in {corpus}")
    if args.format == "json":
        _note_withheld(args, [split])
        return json.dumps(ev.to_json(disagreements=not split.is_validation), indent=2) + "\n"
    text = render_table(ev)
    if args.show_disagreements:
        text += "\n" + render_disagreements(ev, split if split.is_validation else None)
    return text


def _evaluate_splits(args: argparse.Namespace) -> str:
    """--split NAME=... (or the standard splits of ../shared): every split side by side, gaps to the reference."""
    if args.split:
        if args.shared is not None:
            raise UsageError("--shared says where the standard splits are: it cannot go with --split")
        splits, reference = [parse_split(spec) for spec in args.split], args.reference
    else:
        splits = standard_splits(Path(args.shared if args.shared is not None else "../shared"))
        reference = args.reference or STANDARD_REFERENCE
    multi = evaluate_splits(splits, reference)
    if args.format == "json":
        _note_withheld(args, splits)
        return json.dumps(multi.to_json(), indent=2) + "\n"
    text = render_splits(multi)
    if args.show_disagreements:
        for split in splits:
            text += "\n" + render_disagreements(multi.evaluations[split.name], split)
    return text


def _note_withheld(args: argparse.Namespace, splits: Sequence[Split]) -> None:
    """--show-disagreements with JSON: say on stderr why a validation split's list is empty."""
    names = [s.name for s in splits if s.is_validation]
    if args.show_disagreements and names:
        print(f"notice-audit: note: disagreements of {', '.join(names)} are not shown by design "
              "(a validation split is for measuring only)", file=sys.stderr)


def _load(path: str) -> AuditReport:
    try:
        return load_report(path)
    except ReportError as exc:
        raise UsageError(str(exc)) from None


def _guessed(output: str | None, formats: Registry[Any], default: str) -> str | None:
    """The format --output's extension names among this verb's ``formats`` (``default`` for a name
    without one), None for standard output; an extension naming no format of this verb is refused."""
    return None if output in (None, "-") else formats.guess(output, default)


def _write(text: str, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_text(Path(output), text)


def cmd_compare(args: argparse.Namespace) -> int:
    fmt = args.format or _guessed(args.output, compare.FORMATS, "html") or "html"
    check_output(args)
    reports = [_load(path) for path in args.reports]
    _write(compare.FORMATS[fmt].render(compare.build(reports)), args.output)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    fmt = args.format or _guessed(args.output, diff.FORMATS, "markdown") or "markdown"
    check_output(args)
    old, new = _load(args.old), _load(args.new)
    result = diff.diff_reports(old, new, removed_is_regression=not args.allow_removed)
    _write(diff.render(result, fmt), args.output)
    return EXIT_GATE if result.regressed else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    fmt = format_for(Output(args.format, args.output))
    check_output(args)
    emit(_load(args.report), fmt, args.output)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    run_demo(Path(args.output_dir), out=sys.stdout, log=sys.stderr)
    return EXIT_OK


#: The exit status of a process killed by SIGPIPE, as a shell reports it: what ``head`` leaves behind.
EXIT_BROKEN_PIPE = 128 + 13


def _reader_gone() -> int:
    """Standard output's reader has gone (``notice-audit ... | head -1``): stop quietly, as Unix tools
    do. Whatever is still buffered goes to /dev/null, so that the interpreter's last flush does not
    fail again at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "audit": cmd_audit, "crawl": cmd_crawl, "checklists": cmd_checklists, "evaluate": cmd_evaluate,
        "demo": cmd_demo, "compare": cmd_compare, "diff": cmd_diff, "report": cmd_report, "history": cmd_history,
    }
    try:
        with stop_on_signals():
            return handlers[args.verb](args)
    except BrokenPipeError:
        return _reader_gone()
    except NoticeAuditError as exc:  # every error a user can cause: one line naming the file, exit 2
        print(f"notice-audit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"notice-audit: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:  # Interrupted (SIGINT, SIGTERM), or a KeyboardInterrupt raised before
        stopped = exc if isinstance(exc, Interrupted) else Interrupted(signal.SIGINT)
        done = "; its results were written first" if stopped.after_writing else ""
        print(f"notice-audit: interrupted ({signal.Signals(stopped.signum).name}){done}", file=sys.stderr)
        return stopped.exit_code


def run() -> NoReturn:
    """The ``notice-audit`` command. An interrupted run has already ended its workers and removed its
    half-written files when :func:`main` returns; it then exits at once, without waiting for threads a
    terminated worker may have left blocked (a process pool's manager thread reading half a result)."""
    code = main()
    if code in EXIT_INTERRUPTED:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    sys.exit(code)


#: The statuses of a run stopped by SIGINT and SIGTERM.
EXIT_INTERRUPTED = (128 + signal.SIGINT, 128 + signal.SIGTERM)


if __name__ == "__main__":
    run()
