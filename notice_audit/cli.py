"""The ``notice-audit`` command line.

Exit codes (contract): 0 the audit ran and every gate passed; 1 a gate failed
(a notice failed, or a target could not be read); 2 usage or input error, with
a one-line message on stderr and no output file written. ``diff`` exits 1 when
anything regressed; ``compare`` and ``report`` (views of saved reports) exit 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from notice_audit import __version__
from notice_audit.fetch.config import FetchConfig
from notice_audit.model import AuditReport
from notice_audit.report import FORMATS, emit
from notice_audit.rules.checklist import ChecklistError, FactValue, builtin_ids, load_checklist

EXIT_OK, EXIT_GATE, EXIT_USAGE = 0, 1, 2
_EXT_FORMATS = {
    ".json": "json", ".md": "markdown", ".markdown": "markdown", ".txt": "table", ".html": "html", ".htm": "html",
    ".csv": "csv",
}


class UsageError(Exception):
    """Bad options or input: reported on one line, exit 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="notice-audit",
        description="Audit privacy notices against the UK GDPR right-to-be-informed checklist.",
    )
    parser.add_argument("--version", action="version", version=f"notice-audit {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    audit = verbs.add_parser("audit", help="audit notice files, folders or URLs")
    audit.add_argument("targets", nargs="+", metavar="TARGET", help="file, folder or http(s) URL")
    _audit_options(audit)
    _fetch_options(audit)

    crawl = verbs.add_parser("crawl", help="discover a site's privacy notices, then audit them")
    crawl.add_argument("urls", nargs="+", metavar="URL", help="where to start (a home page or a privacy page)")
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
    _audit_options(crawl)
    _fetch_options(crawl)

    checklists = verbs.add_parser("checklists", help="list, show or validate checklists")
    cl = checklists.add_subparsers(dest="action", metavar="ACTION", required=True)
    cl.add_parser("list", help="list the built-in checklists")
    show = cl.add_parser("show", help="show a checklist's items")
    show.add_argument("checklist", metavar="ID|PATH")
    validate = cl.add_parser("validate", help="validate a checklist file")
    validate.add_argument("checklist", metavar="PATH")
    test = cl.add_parser("test", help="run checklist items' examples (texts that must meet or fail each item)",
                         description="Run every example of a checklist's own items: each is parsed as plain text "
                         "and judged by its item's rule alone (the item's 'when' condition is ignored). "
                         "Exit 1 when an example is judged otherwise than its list says, 2 for a broken checklist.")
    test.add_argument("checklists", nargs="*", metavar="ID|PATH", help="checklists to test (default: every built-in)")
    test.add_argument("--verbose", "-v", action="store_true", help="show every example, not only the failures")

    evaluate = verbs.add_parser("evaluate", help="measure accuracy against labelled notices")
    evaluate.add_argument("labels_dir", metavar="LABELS_DIR", help="folder of label YAML files")
    evaluate.add_argument("corpus_dir", metavar="CORPUS_DIR", help="folder holding the labelled documents")
    evaluate.add_argument("--format", choices=("table", "json"), default="table")
    evaluate.add_argument("--output", help="file to write ('-' for standard output, the default)")
    evaluate.add_argument("--show-disagreements", action="store_true",
                          help="list every document and item where the tool and the label differ")

    _report_verbs(verbs)

    demo = verbs.add_parser("demo", help="serve, crawl and audit the bundled example council site; write reports")
    demo.add_argument("--output-dir", default="reports/demo", help="where to write the reports (default: reports/demo)")
    return parser


def _report_verbs(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """compare, diff and report: views of saved JSON reports, no auditing."""
    from notice_audit.report import compare, diff

    cmp = verbs.add_parser("compare", help="compare notices across saved JSON reports: heat map, ranking, coverage")
    cmp.add_argument("reports", nargs="+", metavar="REPORT.json", help="JSON reports written by --format json")
    cmp.add_argument("--format", choices=sorted(compare.FORMATS),
                     help="default: guessed from --output's extension, else html")
    cmp.add_argument("--output", help="file to write ('-' for standard output, the default)")

    dif = verbs.add_parser("diff", help="what changed between two saved JSON reports; exit 1 when anything regressed")
    dif.add_argument("old", metavar="OLD.json", help="the earlier JSON report")
    dif.add_argument("new", metavar="NEW.json", help="the later JSON report")
    dif.add_argument("--format", choices=sorted(diff.FORMATS),
                     help="default: json for an --output ending in .json, else markdown")
    dif.add_argument("--output", help="file to write ('-' for standard output, the default)")
    dif.add_argument("--allow-removed", action="store_true",
                     help="do not count notices missing from NEW as regressions (they are still listed)")

    rep = verbs.add_parser("report", help="re-render a saved JSON report in another format, without re-auditing")
    rep.add_argument("report", metavar="REPORT.json", help="a JSON report written by --format json")
    rep.add_argument("--format", choices=sorted(FORMATS), help="table on a terminal, else json; "
                     "with --output, guessed from its extension")
    rep.add_argument("--output", help="file to write ('-' for standard output)")


def _audit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--checklist", default="uk-gdpr", help="built-in checklist id or YAML path (default: uk-gdpr)")
    parser.add_argument("--format", choices=sorted(FORMATS), help="table on a terminal, else json; "
                        "with --output, guessed from its extension")
    parser.add_argument("--output", help="file to write ('-' for standard output)")
    parser.add_argument("--fail-under", type=_score, metavar="SCORE", help="fail notices scoring below SCORE (0-100)")
    parser.add_argument("--fact", action="append", default=[], metavar="NAME=VALUE",
                        help="declare a fact for conditions, e.g. public_authority=false (repeatable)")
    parser.add_argument("--as-of", type=_date, metavar="DATE",
                        help="judge ages (last-updated dates) as on this date, YYYY-MM-DD (default: today)")


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
    group.add_argument("--snapshots", default=".notice-audit/snapshots", metavar="DIR",
                       help="where every fetched page is kept (default .notice-audit/snapshots)")
    group.add_argument("--no-snapshots", action="store_true", help="keep no snapshots (and no conditional requests)")
    group.add_argument("--offline", action="store_true", help="fetch nothing: read pages from the snapshots")
    group.add_argument("--ignore-robots", action="store_true",
                       help="do not read robots.txt (only for sites you run yourself)")


def fetch_config(args: argparse.Namespace) -> FetchConfig:
    """The fetcher's settings from the command line."""
    if args.offline and args.no_snapshots:
        raise UsageError("--offline reads the snapshots: it cannot go with --no-snapshots")
    config = FetchConfig(
        read_timeout=args.timeout,
        concurrency=args.concurrency,
        per_host=args.per_host,
        delay=args.delay,
        allowed_hosts=frozenset(h.lower() for h in args.allow_host) or None,
        snapshot_dir=None if args.no_snapshots else Path(args.snapshots),
        offline=args.offline,
        respect_robots=not args.ignore_robots,
    )
    return dataclasses.replace(config, user_agent=args.user_agent) if args.user_agent else config


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not at least 1")
    return value


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


def parse_facts(pairs: Sequence[str]) -> dict[str, FactValue]:
    facts: dict[str, FactValue] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--fact '{pair}': expected NAME=VALUE")
        value: FactValue = raw.strip()
        if raw.strip().lower() in ("true", "yes", "1"):
            value = True
        elif raw.strip().lower() in ("false", "no", "0"):
            value = False
        facts[name.strip()] = value
    return facts


def exit_code(report: AuditReport) -> int:
    """1 when a notice failed its gate or a target could not be read (``_finish`` has already
    turned "nothing audited" into a usage error)."""
    if report.errors or any(not n.passed for n in report.notices):
        return EXIT_GATE
    return EXIT_OK


def _output_format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return args.format
    if args.output not in (None, "-"):
        return _EXT_FORMATS.get(Path(args.output).suffix.lower(), "json")
    return "table" if sys.stdout.isatty() else "json"


def _finish(report: AuditReport, args: argparse.Namespace, fmt: str) -> int:
    if not report.notices:
        reasons = "; ".join(f"{e.target}: {e.error}" for e in report.errors) or "no targets"
        raise UsageError(f"nothing could be audited ({reasons})")
    emit(report, fmt, args.output)
    for err in report.errors:
        print(f"notice-audit: {err.target}: {err.error}", file=sys.stderr)
    return exit_code(report)


def _check_output(args: argparse.Namespace) -> None:
    if args.output not in (None, "-") and Path(args.output).is_dir():
        raise UsageError(f"--output {args.output}: is a folder; give a file name")


def cmd_audit(args: argparse.Namespace) -> int:
    from notice_audit.audit import audit_targets

    checklist = load_checklist(args.checklist)
    facts = parse_facts(args.fact)
    fmt = _output_format(args)
    _check_output(args)
    config = fetch_config(args)
    report = audit_targets(args.targets, checklist, facts=facts, fail_under=args.fail_under, fetch=config,
                           as_of=args.as_of)
    return _finish(report, args, fmt)


def cmd_crawl(args: argparse.Namespace) -> int:
    import asyncio

    from notice_audit.crawl import CrawlOptions, audit_crawl, crawl_async
    from notice_audit.fetch import is_url
    from notice_audit.progress import crawl_progress

    checklist = load_checklist(args.checklist)
    facts = parse_facts(args.fact)
    fmt = _output_format(args)
    _check_output(args)
    for url in (*args.urls, *args.sitemap):
        if not is_url(url):
            raise UsageError(f"{url}: crawl takes http(s) URLs (use 'audit' for files and folders)")
    for pattern in (*args.include, *args.exclude):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UsageError(f"--include/--exclude '{pattern}': not a regular expression: {exc}") from None
    options = CrawlOptions(max_pages=args.max_pages, max_depth=args.max_depth, include=tuple(args.include),
                           exclude=tuple(args.exclude), sitemaps=tuple(args.sitemap), check_links=args.check_links)
    with crawl_progress(sys.stderr) as progress:
        result = asyncio.run(crawl_async(args.urls, fetch_config(args), options, progress=progress))
    report = audit_crawl(result, checklist, facts=facts, fail_under=args.fail_under, as_of=args.as_of)
    return _finish(report, args, fmt)


def cmd_checklists(args: argparse.Namespace) -> int:
    if args.action == "list":
        for ident in builtin_ids():
            checklist = load_checklist(ident)
            print(f"{checklist.id}\t{checklist.version}\t{len(checklist.items)} items\t{checklist.title}")
        return EXIT_OK
    if args.action == "test":
        return _test_checklists(args.checklists or builtin_ids(), verbose=args.verbose)
    checklist = load_checklist(args.checklist)
    if args.action == "validate":
        print(f"{args.checklist}: valid checklist '{checklist.id}' {checklist.version}, {len(checklist.items)} items")
        return EXIT_OK
    print(f"{checklist.id} {checklist.version}: {checklist.title}")
    if checklist.facts:
        print("facts: " + ", ".join(f"{k}={v}" for k, v in checklist.facts.items()))
    for item in checklist.items:
        when = f"  [when {item.when}]" if item.when else ""
        print(f"- {item.id} ({item.severity}, weight {item.weight:g}): {item.title} — {item.reference}{when}")
    return EXIT_OK


def _test_checklists(refs: Sequence[str], *, verbose: bool) -> int:
    """``checklists test``: every example of each checklist's own items; exit 1 if one is misjudged."""
    from notice_audit.rules.examples import examples_of, own_items, run_examples

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
        also = f" ({inherited} inherited items are tested with their own checklist)" if inherited else ""
        print(f"{ref}: {len(items)} items, {len(results)} examples, {len(bad)} failed{also}")
    return EXIT_GATE if failed else EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from notice_audit.evaluation import evaluate_corpus, render_table
    from notice_audit.report import write_atomic

    labels, corpus = Path(args.labels_dir), Path(args.corpus_dir)
    for folder in (labels, corpus):
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder")
    ev = evaluate_corpus(labels, corpus)
    if ev.documents == 0:
        raise UsageError(f"no labelled document of {labels} was found in {corpus}")
    text = json.dumps(ev.to_json(), indent=2) + "\n" if args.format == "json" else render_table(ev)
    if args.show_disagreements and args.format == "table":
        text += "\ndisagreements (file, item, label):\n" + "".join(
            f"  {f}  {i}  label={'present' if g else 'missing'}\n" for f, i, g in ev.tool.disagreements
        )
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_atomic(Path(args.output), text)
    return EXIT_OK


def _load(path: str) -> AuditReport:
    from notice_audit.report.load import ReportError, load_report

    try:
        return load_report(path)
    except ReportError as exc:
        raise UsageError(str(exc)) from None


def _write(text: str, output: str | None) -> None:
    from notice_audit.report import write_atomic

    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        write_atomic(Path(output), text)


def cmd_compare(args: argparse.Namespace) -> int:
    from notice_audit.report import compare

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower() if args.output not in (None, "-") else ""
        fmt = compare.EXTENSIONS.get(suffix, "html")
    _check_output(args)
    reports = [_load(path) for path in args.reports]
    _write(compare.FORMATS[fmt](compare.build(reports)), args.output)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from notice_audit.report import diff

    fmt = args.format
    if fmt is None:
        fmt = "json" if args.output not in (None, "-") and args.output.lower().endswith(".json") else "markdown"
    _check_output(args)
    old, new = _load(args.old), _load(args.new)
    result = diff.diff_reports(old, new, removed_is_regression=not args.allow_removed)
    _write(diff.render(result, fmt), args.output)
    return EXIT_GATE if result.regressed else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from notice_audit.report import EXTENSIONS

    fmt = args.format
    if fmt is None and args.output not in (None, "-"):
        by_ext = {f".{ext}": name for name, ext in EXTENSIONS.items() if name in FORMATS}
        suffix = Path(args.output).suffix.lower()
        fmt = _EXT_FORMATS.get(suffix) or by_ext.get(suffix)
    fmt = fmt or _output_format(args)
    _check_output(args)
    emit(_load(args.report), fmt, args.output)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from notice_audit.demo import run_demo

    run_demo(Path(args.output_dir), out=sys.stdout, log=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "audit": cmd_audit, "crawl": cmd_crawl, "checklists": cmd_checklists, "evaluate": cmd_evaluate,
        "demo": cmd_demo, "compare": cmd_compare, "diff": cmd_diff, "report": cmd_report,
    }
    try:
        return handlers[args.verb](args)
    except (UsageError, ChecklistError) as exc:
        print(f"notice-audit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"notice-audit: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("notice-audit: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
