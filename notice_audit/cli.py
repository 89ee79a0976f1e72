"""The ``notice-audit`` command line.

Exit codes (contract): 0 the audit ran and every gate passed; 1 a gate failed
(a notice failed, or a target could not be read); 2 usage or input error, with
a one-line message on stderr and no output file written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from notice_audit import __version__
from notice_audit.model import AuditReport
from notice_audit.report import FORMATS, emit
from notice_audit.rules.checklist import ChecklistError, FactValue, builtin_ids, load_checklist

EXIT_OK, EXIT_GATE, EXIT_USAGE = 0, 1, 2
_EXT_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".txt": "table"}


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
    audit.add_argument("--checklist", default="uk-gdpr", help="built-in checklist id or YAML path (default: uk-gdpr)")
    audit.add_argument("--format", choices=sorted(FORMATS), help="table on a terminal, else json; "
                       "with --output, guessed from its extension")
    audit.add_argument("--output", help="file to write ('-' for standard output)")
    audit.add_argument("--fail-under", type=_score, metavar="SCORE", help="fail notices scoring below SCORE (0-100)")
    audit.add_argument("--fact", action="append", default=[], metavar="NAME=VALUE",
                       help="declare a fact for conditions, e.g. public_authority=false (repeatable)")

    checklists = verbs.add_parser("checklists", help="list, show or validate checklists")
    cl = checklists.add_subparsers(dest="action", metavar="ACTION", required=True)
    cl.add_parser("list", help="list the built-in checklists")
    show = cl.add_parser("show", help="show a checklist's items")
    show.add_argument("checklist", metavar="ID|PATH")
    validate = cl.add_parser("validate", help="validate a checklist file")
    validate.add_argument("checklist", metavar="PATH")

    evaluate = verbs.add_parser("evaluate", help="measure accuracy against labelled notices")
    evaluate.add_argument("labels_dir", metavar="LABELS_DIR", help="folder of label YAML files")
    evaluate.add_argument("corpus_dir", metavar="CORPUS_DIR", help="folder holding the labelled documents")
    evaluate.add_argument("--format", choices=("table", "json"), default="table")
    evaluate.add_argument("--output", help="file to write ('-' for standard output, the default)")
    evaluate.add_argument("--show-disagreements", action="store_true",
                          help="list every document and item where the tool and the label differ")

    demo = verbs.add_parser("demo", help="audit the bundled example council site and write its reports")
    demo.add_argument("--output-dir", default="reports/demo", help="where to write the reports (default: reports/demo)")
    return parser


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
    if not report.notices:
        return EXIT_USAGE
    if report.errors or any(not n.passed for n in report.notices):
        return EXIT_GATE
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from notice_audit.audit import audit_targets

    checklist = load_checklist(args.checklist)
    facts = parse_facts(args.fact)
    fmt = args.format
    if fmt is None:
        if args.output not in (None, "-"):
            fmt = _EXT_FORMATS.get(Path(args.output).suffix.lower(), "json")
        else:
            fmt = "table" if sys.stdout.isatty() else "json"
    if args.output not in (None, "-") and Path(args.output).is_dir():
        raise UsageError(f"--output {args.output}: is a folder; give a file name")
    report = audit_targets(args.targets, checklist, facts=facts, fail_under=args.fail_under)
    if not report.notices:
        reasons = "; ".join(f"{e.target}: {e.error}" for e in report.errors) or "no targets"
        raise UsageError(f"nothing could be audited ({reasons})")
    emit(report, fmt, args.output)
    for err in report.errors:
        print(f"notice-audit: {err.target}: {err.error}", file=sys.stderr)
    return exit_code(report)


def cmd_checklists(args: argparse.Namespace) -> int:
    if args.action == "list":
        for ident in builtin_ids():
            checklist = load_checklist(ident)
            print(f"{checklist.id}\t{checklist.version}\t{len(checklist.items)} items\t{checklist.title}")
        return EXIT_OK
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


def cmd_demo(args: argparse.Namespace) -> int:
    from notice_audit.demo import run_demo

    run_demo(Path(args.output_dir), out=sys.stdout)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"audit": cmd_audit, "checklists": cmd_checklists, "evaluate": cmd_evaluate, "demo": cmd_demo}
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
