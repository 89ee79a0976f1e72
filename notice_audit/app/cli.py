"""The ``notice-audit`` command line.

Exit codes (contract): 0 the audit ran and every gate passed; 1 a gate failed
(a notice failed, or a target could not be read); 2 usage or input error, with
a one-line message on stderr and no output file written. ``diff`` exits 1 when
anything regressed; ``compare`` and ``report`` (views of saved reports) exit 0.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import signal
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from notice_audit.app.exits import EXIT_USAGE
from notice_audit.app.interrupt import Interrupted, stop_on_signals
from notice_audit.errors import NoticeAuditError

if TYPE_CHECKING:
    from notice_audit.formats.base import Registry


class HelpFormatter(argparse.HelpFormatter):
    """Help a newcomer can use. Prose paragraphs are wrapped to the terminal; a paragraph with indented
    lines (an "examples:" list) is kept as written, one command a line. An option whose default is a
    value says it, read from the parser (``%(default)s``), so no help string copies a value that could
    drift; an option whose default is computed (None in the parser) says it in words."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 32,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        blocks = []
        for block in text.strip("\n").split("\n\n"):
            if "\n " in block or block.startswith(" "):
                blocks.append("\n".join(indent + line for line in block.splitlines()))
            else:
                blocks.append(textwrap.fill(" ".join(block.split()), width, initial_indent=indent,
                                            subsequent_indent=indent, break_on_hyphens=False))
        return "\n\n".join(blocks) + "\n"

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:  # argparse leaves out the verbs' indent: 'checklists' wrapped
            for sub in self._iter_indented_subactions(action):
                length = len(self._format_action_invocation(sub)) + self._current_indent
                self._action_max_length = max(self._action_max_length, length)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help
        default = action.default
        if (not text or "%(default)" in text or default is None or default is argparse.SUPPRESS
                or isinstance(default, bool) or default == []):
            return text
        if text.endswith(")"):  # "(0: one per core; default: 1)", not "(0: one per core) (default: 1)"
            return f"{text[:-1]}; default: %(default)s)"
        return f"{text} (default: %(default)s)"

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)  # YYYY-MM-DD on one line

    def _expand_help(self, action: argparse.Action) -> str:
        if isinstance(action.default, float) and action.default.is_integer():  # 20, not 20.0
            action = copy.copy(action)
            action.default = int(action.default)
        return super()._expand_help(action)


class _Parser(argparse.ArgumentParser):
    """The parser of notice-audit and of each verb (``add_subparsers`` makes its parsers of this class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


class _Version(argparse.Action):
    """``--version``, as argparse's own action prints it, but the version is looked up (importlib.metadata, half
    of ``--help``'s start-up) only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        from notice_audit.version import __version__

        sys.stdout.write(f"notice-audit {__version__}\n")
        parser.exit()


def _examples(*lines: str, title: str = "examples") -> str:
    """An epilog listing example commands, one a line, each under the comment (``# ...``) that says why."""
    return f"{title}:\n" + "\n".join(f"  {line}" if line else "" for line in lines)


#: Where ``evaluate`` finds the standard splits when no folder or --split is given.
DEFAULT_SHARED = "../shared"

_TOP = """Audit UK public bodies' privacy notices against a checklist (by default the UK GDPR
right-to-be-informed checklist, Articles 13 and 14) and write reports in which every verdict quotes
the words it rests on."""

_START = _examples(
    "notice-audit demo                                     # try an example site",
    "notice-audit audit privacy.html                       # audit one notice",
    "notice-audit audit privacy.html --output report.html  # as a browser page",
    title="start here") + """

Each verb has its own options and examples: notice-audit VERB --help. Exit codes: 0 the run passed
every gate, 1 a gate failed (a notice failed, or a target could not be read), 2 a usage or input
error (a one-line message; nothing is written)."""


def build_parser(verbs: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``verbs``, only those verbs get their options (the others are named, with
    their one line of help). ``main`` builds only the verb it runs, so that ``--help``, ``--version`` and each
    verb import no more than they use. ``tests/test_cli_help.py`` walks the whole parser (every option has
    help, every verb an example)."""
    parser = _Parser(prog="notice-audit", description=_TOP, epilog=_START)
    parser.add_argument("--version", action=_Version, help="show program's version number and exit")
    added = parser.add_subparsers(dest="verb", metavar="VERB", required=True, title="verbs")
    for name, (summary, add) in _VERBS.items():
        if verbs is None or name in verbs:
            add(added, summary)
        else:
            added.add_parser(name, help=summary)
    return parser


_Verbs: TypeAlias = "argparse._SubParsersAction[_Parser]"  # what adds the verbs' parsers


def _audit_verb(verbs: _Verbs, summary: str) -> None:
    audit = verbs.add_parser(
        "audit", help=summary,
        description="Audit privacy notices against a checklist and write one report. Each checklist item "
        "is met, partial, missing, failed or not applicable, with the quotes it rests on. A TARGET is a "
        "file (HTML, text, Markdown, PDF, Word and more), a folder searched for them, or an http(s) URL, "
        "fetched politely and kept as a snapshot.",
        epilog=_examples(
            "# one notice: a table on a terminal, JSON when piped",
            "notice-audit audit privacy.html",
            "# a page for a browser: the format follows the extension",
            "notice-audit audit privacy.html --output report.html",
            "# for CI: exit 1 if a notice scores under 70 or misses a required item",
            "notice-audit audit notices/ --fail-under 70 --output report.json",
            "# a published notice (fetched once, then kept as a snapshot)",
            "notice-audit audit https://www.example.gov.uk/privacy --output report.md"))
    audit.add_argument("targets", nargs="*", metavar="TARGET",
                       help="a notice file, a folder of them or an http(s) URL (default: the config file's "
                       "targets)")
    audit.add_argument("--changed-since", metavar="REF",
                       help="audit only the notice files changed since this git ref, e.g. origin/main, within "
                       "the targets if any (default: every file)")
    audit.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                       help="audit local files in N processes (0: one per core)")
    _audit_options(audit)
    _fetch_options(audit)


def _crawl_verb(verbs: _Verbs, summary: str) -> None:
    from notice_audit.crawl import CrawlOptions

    crawl = verbs.add_parser(
        "crawl", help=summary,
        description="Discover a site's privacy notices, then audit them as 'audit' does: start from each "
        "URL, read the site's sitemaps, follow links up to --max-depth and --max-pages, and audit every "
        "notice found (a notice split across numbered pages is audited as one).",
        epilog=_examples(
            "# every privacy notice a council's site links to, in one report",
            "notice-audit crawl https://www.example.gov.uk/ --output site.html",
            "# the same again without the network, from the snapshots kept",
            "notice-audit crawl https://www.example.gov.uk/ --offline --output again.json",
            "# only the notices under /privacy/, fetching 200 pages at most",
            "notice-audit crawl https://www.example.gov.uk/ --include /privacy/ \\",
            "    --max-pages 200"))
    crawl.add_argument("urls", nargs="*", metavar="URL",
                       help="where to start: a home page or a privacy page (default: the config file's targets)")
    crawl.add_argument("--sitemap", action="append", default=[], metavar="URL",
                       help="a sitemap to read as well (repeatable; default: the sitemaps robots.txt names)")
    crawl.add_argument("--include", action="append", default=[], metavar="PATTERN",
                       help="audit only notices whose URL matches this regular expression (repeatable; "
                       "default: every notice found)")
    crawl.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                       help="skip notices whose URL matches this regular expression (repeatable; default: "
                       "skip none)")
    crawl.add_argument("--max-pages", type=_positive_int, default=100, metavar="N",
                       help="pages fetched per site at most, discovery included")
    crawl.add_argument("--max-depth", type=_positive_int, default=3, metavar="N",
                       help="links followed from the start pages at most")
    crawl.add_argument("--no-check-links", dest="check_links", action="store_false",
                       help="do not check the links in each notice (by default at most "
                       f"{CrawlOptions().max_link_checks} a notice are checked, never offline)")
    crawl.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                       help="audit the notices found in N processes (0: one per core)")
    _audit_options(crawl)
    _fetch_options(crawl)


def _checklists_verb(verbs: _Verbs, summary: str) -> None:
    checklists = verbs.add_parser(
        "checklists", help=summary,
        description="A checklist says what a notice must contain: each item's rule, when it applies, its "
        "weight and severity, and the law behind it. Built-in checklists ship with notice-audit; a YAML "
        "file of your own can extend one.",
        epilog=_examples(
            "notice-audit checklists list",
            "notice-audit checklists show uk-gdpr",
            "# start a checklist of your own from a built-in one",
            "notice-audit checklists show uk-gdpr > my-checklist.yaml",
            "notice-audit checklists validate my-checklist.yaml",
            "notice-audit checklists test my-checklist.yaml"))
    cl = checklists.add_subparsers(dest="action", metavar="ACTION", required=True, title="actions")
    cl.add_parser("list", help="list the built-in checklists",
                  description="List the built-in checklists: id, version, number of items and title.",
                  epilog=_examples("notice-audit checklists list"))
    show = cl.add_parser(
        "show", help="show a checklist's items",
        description="Print a checklist as YAML, with what it extends merged in and its overrides applied: "
        "a checklist file of its own, to read or to start one from.",
        epilog=_examples(
            "notice-audit checklists show uk-gdpr",
            "notice-audit checklists show uk-gdpr-good-practice --format summary",
            "notice-audit checklists show uk-gdpr > my-checklist.yaml"))
    show.add_argument("checklist", metavar="ID|PATH",
                      help="a built-in checklist id (see 'checklists list') or a checklist YAML file")
    show.add_argument("--format", choices=("yaml", "summary"), default="yaml", metavar="FMT",
                      help="one of %(choices)s: yaml for the whole checklist, summary for one line per item")
    validate = cl.add_parser(
        "validate", help="validate a checklist file",
        description="Check a checklist file: its YAML, the checklist schema, the element and field names "
        "its rules use, and what it extends. Exit 2 with the file, item and schema path of a problem.",
        epilog=_examples("notice-audit checklists validate my-checklist.yaml"))
    validate.add_argument("checklist", metavar="PATH", help="the checklist YAML file to check")
    test = cl.add_parser(
        "test", help="run checklist items' examples (texts that must meet or fail each item)",
        description="Run every example of a checklist's own items: each is parsed as plain text "
        "and judged by its item's rule alone (the item's 'when' condition is ignored). "
        "Exit 1 when an example is judged otherwise than its list says, 2 for a broken checklist.",
        epilog=_examples(
            "notice-audit checklists test",
            "notice-audit checklists test uk-gdpr --verbose",
            "notice-audit checklists test my-checklist.yaml"))
    test.add_argument("checklists", nargs="*", metavar="ID|PATH", help="checklists to test (default: every built-in)")
    test.add_argument("--verbose", "-v", action="store_true", help="show every example, not only the failures")


def _evaluate_verb(verbs: _Verbs, summary: str) -> None:
    evaluate = verbs.add_parser(
        "evaluate", help=summary,
        description="Measure the audit against hand-made labels, beside a naive keyword search (the floor). "
        "LABELS_DIR CORPUS_DIR measure one folder of labels. --split (repeatable) measures several side by "
        f"side, with each one's gap to a reference split. With neither, the three standard splits of "
        f"{DEFAULT_SHARED} (or --shared DIR) are measured: validation, full (whole notices) and dev "
        "(development, the reference). A split named 'validation', or labelled from a folder whose name "
        "holds 'validation', is for measuring only: its individual disagreements are never listed.",
        epilog=_examples(
            f"# the standard splits of {DEFAULT_SHARED}, side by side",
            "notice-audit evaluate",
            "# one folder of labels, and where each one differs from the tool",
            f"notice-audit evaluate {DEFAULT_SHARED}/corpus/labels {DEFAULT_SHARED}/corpus \\",
            "    --show-disagreements",
            "# splits of your choice side by side, gaps measured from the first",
            f"notice-audit evaluate --split dev={DEFAULT_SHARED}/corpus/labels \\",
            f"    --split full={DEFAULT_SHARED}/corpus-full/labels"))
    evaluate.add_argument("labels_dir", nargs="?", metavar="LABELS_DIR",
                          help="folder of label YAML files (one split, with CORPUS_DIR)")
    evaluate.add_argument("corpus_dir", nargs="?", metavar="CORPUS_DIR",
                          help="folder holding the labelled documents, directly or in a notices/ folder")
    evaluate.add_argument("--split", action="append", default=[], metavar="NAME=LABELS_DIR[:CORPUS_DIR]",
                          help="a split to measure beside the others (repeatable; CORPUS_DIR defaults to the "
                          "labels folder's parent; default: the standard splits)")
    evaluate.add_argument("--reference", metavar="NAME", help="the split the others' gaps are measured from "
                          "(default: the first --split; dev for the standard splits)")
    evaluate.add_argument("--shared", metavar="DIR", help="where the standard splits are when no folder or split "
                          f"is given (default: {DEFAULT_SHARED})")
    evaluate.add_argument("--format", choices=("table", "json"), default="table", metavar="FMT",
                          help="one of %(choices)s: table for figures to read, within 120 columns for three splits; "
                          "json for one split's figures, or with several, each split's keyed by name with the "
                          "gaps")
    evaluate.add_argument("--output", metavar="PATH", help="file to write, atomically ('-' for standard output; "
                          "default: standard output)")
    evaluate.add_argument("--show-disagreements", action="store_true",
                          help="with the table: list every document and item where the tool and the label differ "
                          "(never for a validation split)")


def _compare_verb(verbs: _Verbs, summary: str) -> None:
    from notice_audit.app.views import COMPARE_FORMAT, COMPARE_TERMINAL_FORMAT
    from notice_audit.formats import compare

    cmp = verbs.add_parser(
        "compare", help=summary,
        description="Compare the notices of saved reports (JSON or JSON Lines): a heat map of items by "
        "notice, a ranking, and how often each item is met. A view, not a gate: it exits 0.",
        epilog=_examples(
            "notice-audit compare old.json new.json --output compare.html",
            "# a ranking for a spreadsheet",
            "notice-audit compare old.json new.json --format csv --output ranking.csv"))
    cmp.add_argument("reports", nargs="+", metavar="REPORT.json", help="reports written by --format json or jsonl")
    cmp.add_argument("--format", choices=sorted(compare.FORMATS), metavar="FMT",
                     help=f"comparison format, one of %(choices)s (default: the one --output's extension "
                     f"names ({_extensions(compare.FORMATS)}), else {COMPARE_TERMINAL_FORMAT} on a terminal "
                     f"and {COMPARE_FORMAT} elsewhere)")
    cmp.add_argument("--output", metavar="PATH",
                     help="file to write ('-' for standard output; default: standard output)")


def _diff_verb(verbs: _Verbs, summary: str) -> None:
    from notice_audit.app.views import DIFF_FORMAT
    from notice_audit.formats import diff

    dif = verbs.add_parser(
        "diff", help=summary,
        description="What changed between two saved reports of the same targets: items that regressed or "
        "improved, evidence that disappeared, notices added or removed, targets that newly failed to read. "
        "Exit 1 when anything regressed, so that a pipeline can stop a change that loses a required item.",
        epilog=_examples(
            "# a pull-request comment",
            "notice-audit diff old.json new.json --output changes.md",
            "notice-audit diff old.json new.json --format json --allow-removed"))
    dif.add_argument("old", metavar="OLD.json", help="the earlier report (JSON or JSON Lines)")
    dif.add_argument("new", metavar="NEW.json", help="the later report (JSON or JSON Lines)")
    dif.add_argument("--format", choices=sorted(diff.FORMATS), metavar="FMT",
                     help=f"diff format, one of %(choices)s (default: the one --output's extension names "
                     f"({_extensions(diff.FORMATS)}), else {DIFF_FORMAT})")
    dif.add_argument("--output", metavar="PATH",
                     help="file to write ('-' for standard output; default: standard output)")
    dif.add_argument("--allow-removed", action="store_true",
                     help="do not count notices missing from NEW as regressions (they are still listed)")


def _report_verb(verbs: _Verbs, summary: str) -> None:
    from notice_audit.formats.registry import FORMATS

    rep = verbs.add_parser(
        "report", help=summary,
        description="Write a saved report (JSON or JSON Lines) in another format, without auditing again. "
        "A view, not a gate: it exits 0.",
        epilog=_examples(
            "notice-audit report report.json --output report.html",
            "notice-audit report report.json --format markdown"))
    rep.add_argument("report", metavar="REPORT.json", help="a report written by --format json or jsonl")
    rep.add_argument("--format", choices=sorted(FORMATS), metavar="FMT", help=_REPORT_FORMAT_HELP)
    rep.add_argument("--output", metavar="PATH",
                     help="file to write ('-' for standard output; default: standard output)")


def _history_verb(verbs: _Verbs, summary: str) -> None:
    from notice_audit.app.views import HISTORY_FILE_FORMAT
    from notice_audit.formats import history as history_formats

    hist = verbs.add_parser(
        "history", help=summary,
        description="Scores and item changes over time, from the history every audit and crawl records "
        "(unless --no-history). With a TARGET: its runs, and when each item changed; without one: every "
        "target's latest score.",
        epilog=_examples(
            "notice-audit history",
            "notice-audit history privacy.html --format markdown --output trend.md"))
    hist.add_argument("target", nargs="?", metavar="TARGET",
                      help="one target, as it was audited (default: every target recorded)")
    hist.add_argument("--format", choices=list(history_formats.FORMATS), metavar="FMT",
                      help=f"trend format, one of %(choices)s (default: the one --output's extension names "
                      f"({_extensions(history_formats.FORMATS)}; {HISTORY_FILE_FORMAT} for a name without "
                      "one); with no --output, table on a terminal and json otherwise)")
    hist.add_argument("--output", metavar="PATH",
                      help="file to write ('-' for standard output; default: standard output)")
    hist.add_argument("--limit", type=_positive_int, default=20, metavar="N", help="runs shown at most")
    hist.add_argument("--history", metavar="PATH", help=_history_help())
    _config_options(hist)


def _demo_verb(verbs: _Verbs, summary: str) -> None:
    demo = verbs.add_parser(
        "demo", help=summary,
        description="Serve a bundled example council site on this machine (no network needed), crawl and "
        "audit it, print the table, and write the report in every format with a snapshot of every page "
        "fetched.",
        epilog=_examples("notice-audit demo", "notice-audit demo --output-dir demo-reports"))
    demo.add_argument("--output-dir", default="reports/demo", metavar="DIR",
                      help="folder for report.<ext> in every format, and the snapshots")


#: Every verb: its one line in the top-level help, and what adds its parser with its options.
_VERBS: dict[str, tuple[str, Callable[[_Verbs, str], None]]] = {
    "audit": ("audit notice files, folders or URLs", _audit_verb),
    "crawl": ("discover a site's privacy notices, then audit them", _crawl_verb),
    "checklists": ("list, show, validate or test checklists", _checklists_verb),
    "evaluate": ("measure accuracy against labelled notices, one split or several side by side", _evaluate_verb),
    "compare": ("compare notices across saved reports: heat map, ranking, coverage", _compare_verb),
    "diff": ("what changed between two saved reports; exit 1 when anything regressed", _diff_verb),
    "report": ("re-render a saved report in another format, without re-auditing", _report_verb),
    "history": ("trend of scores and item changes from the run history", _history_verb),
    "demo": ("serve, crawl and audit the bundled example council site; write reports", _demo_verb),
}


def _extensions(formats: Registry[Any]) -> str:
    """The extensions that name ``formats`` (the first of each), read from the registry."""
    return ", ".join(f".{fmt.extension}" for fmt in formats.values())


def _history_help() -> str:
    from notice_audit.app.config import DEFAULT_HISTORY

    return f"history database (default: {DEFAULT_HISTORY} beside the config file, or in the working folder)"


_REPORT_FORMAT_HELP = ("report format, one of %(choices)s (default: the one --output's extension names, such "
                       "as .html or .md, json for a name without one; with no --output, table on a terminal "
                       "and json otherwise)")


def _audit_options(parser: argparse.ArgumentParser) -> None:
    from notice_audit.formats.registry import FORMATS
    from notice_audit.gate import DEFAULT_FAIL_ON, SEVERITIES
    from notice_audit.rules.checklist import DEFAULT_CHECKLIST, builtin_ids

    parser.add_argument("--checklist", metavar="ID|PATH",
                        help=f"a built-in checklist ({', '.join(builtin_ids())}) or a checklist YAML file "
                        f"(default: {DEFAULT_CHECKLIST})")
    parser.add_argument("--format", choices=sorted(FORMATS), metavar="FMT", help=_REPORT_FORMAT_HELP)
    parser.add_argument("--output", metavar="PATH",
                        help="file to write the report to ('-' for standard output; default: standard output)")
    parser.add_argument("--fact", action="append", default=[], metavar="NAME=VALUE",
                        help="declare a fact the checklist's conditions test, e.g. public_authority=false "
                        "(repeatable; default: the checklist's facts)")
    parser.add_argument("--as-of", type=_date, metavar="DATE",
                        help="judge ages (last-updated dates) and waiver expiry as on this date, YYYY-MM-DD "
                        "(default: today)")
    gate = parser.add_argument_group("gates (CI)")
    gate.add_argument("--fail-under", type=_score, metavar="SCORE",
                      help="fail notices scoring below SCORE, 0-100 (default: no score threshold)")
    gate.add_argument("--fail-on", metavar="SEVERITY",
                      help=f"fail notices missing an item of this severity or above ({', '.join(SEVERITIES)}), "
                      f"a comma list of severities, or 'none' (default: {','.join(DEFAULT_FAIL_ON)})")
    gate.add_argument("--fail-on-non-notice", action="store_const", const=True, default=None,
                      help="fail targets that do not read as privacy notices (explainers of the law, pages of "
                      "links, pages without text); without it they are reported as not notices and fail nothing")
    gate.add_argument("--baseline", metavar="FILE", help="fail only on gaps this baseline does not record, and "
                      "report the ones fixed since (default: no baseline: every gap counts)")
    gate.add_argument("--write-baseline", metavar="FILE",
                      help="record this run's gaps as the baseline; the run then exits 0 unless a target "
                      "was unreadable (default: write none)")
    hist = parser.add_argument_group("history")
    hist.add_argument("--history", metavar="PATH", help=_history_help())
    hist.add_argument("--no-history", action="store_true", help="record nothing in the history")
    hist.add_argument("--since-last", action="store_true",
                      help="report regressions and content changes since the previous run of each target")
    _config_options(parser)


def _config_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "configuration", "A config file (notice-audit.toml, or [tool.notice-audit] in pyproject.toml) and "
        "NOTICE_AUDIT_* environment variables can set many of these options; one given here wins.")
    group.add_argument("--config", metavar="PATH", help="config file (default: the nearest notice-audit.toml, or "
                       "pyproject.toml with [tool.notice-audit], from the working folder upwards)")
    group.add_argument("--no-config", action="store_true", help="read no config file")


def _fetch_options(parser: argparse.ArgumentParser) -> None:
    from notice_audit.fetch.config import DEFAULT_USER_AGENT

    group = parser.add_argument_group("fetching (URLs)")
    group.add_argument("--concurrency", type=_positive_int, default=8, metavar="N",
                       help="requests in flight at most")
    group.add_argument("--per-host", type=_positive_int, default=2, metavar="N",
                       help="requests in flight per host at most")
    group.add_argument("--delay", type=_seconds, default=0.0, metavar="S",
                       help="seconds between requests to one host at least (a robots.txt Crawl-delay raises it)")
    group.add_argument("--timeout", type=_seconds, default=20.0, metavar="S",
                       help="seconds to wait for a server's reply")
    group.add_argument("--user-agent", metavar="UA", help=f"User-Agent to send (default: {DEFAULT_USER_AGENT})")
    group.add_argument("--allow-host", action="append", default=[], metavar="HOST",
                       help="fetch only from these hosts (repeatable; default: any host)")
    group.add_argument("--allow-private", action="store_true",
                       help="follow redirects and links to loopback, private and link-local addresses too "
                       "(refused by default, except the hosts of the URLs given)")
    group.add_argument("--snapshots", default=".notice-audit/snapshots", metavar="DIR",
                       help="where every fetched page is kept")
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


def cmd_audit(args: argparse.Namespace) -> int:
    from notice_audit.app import run as verb

    return verb.cmd_audit(args)


def cmd_crawl(args: argparse.Namespace) -> int:
    from notice_audit.app import crawling as verb

    return verb.cmd_crawl(args)


def cmd_checklists(args: argparse.Namespace) -> int:
    from notice_audit.app import checklists as verb

    return verb.cmd_checklists(args)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from notice_audit.app import evaluate as verb

    return verb.cmd_evaluate(args, default_shared=DEFAULT_SHARED)


def cmd_compare(args: argparse.Namespace) -> int:
    from notice_audit.app import views as verb

    return verb.cmd_compare(args)


def cmd_diff(args: argparse.Namespace) -> int:
    from notice_audit.app import views as verb

    return verb.cmd_diff(args)


def cmd_report(args: argparse.Namespace) -> int:
    from notice_audit.app import views as verb

    return verb.cmd_report(args)


def cmd_history(args: argparse.Namespace) -> int:
    from notice_audit.app import views as verb

    return verb.cmd_history(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from notice_audit.app import views as verb

    return verb.cmd_demo(args)


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
    words = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_verb_named(words)).parse_args(words)
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


def _verb_named(words: Sequence[str]) -> list[str]:
    """The verb the command line names, the only one whose parser ``main`` builds: the first word that is not an
    option (the top level's options, --help and --version, take no value). None for ``--help`` alone, or an
    unknown word, which argparse refuses with the list of verbs."""
    verb = next((word for word in words if not word.startswith("-")), None)
    return [verb] if verb in _VERBS else []


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
