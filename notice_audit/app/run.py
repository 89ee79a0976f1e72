"""Running an audit or a crawl unattended: settings, gate, history, reports, CI output, exit code.

The command line (``cli.py``) parses; this module decides. Everything that can fail with exit 2
(config, checklist, outputs, baseline, history) is checked before any page is read, and nothing is
written until the audit has finished, so a bad input loses nothing. The history records a run only
once its reports and baseline are written: a run whose output failed is not remembered as done.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack, closing
from pathlib import Path

from notice_audit.app.changed import changed_files
from notice_audit.app.config import Output, Settings, config_path, parse_facts, resolve
from notice_audit.app.exits import EXIT_GATE as EXIT_GATE  # re-exported: where they were always imported from
from notice_audit.app.exits import EXIT_OK as EXIT_OK
from notice_audit.app.exits import EXIT_USAGE as EXIT_USAGE
from notice_audit.app.history import History
from notice_audit.app.interrupt import signals_held
from notice_audit.auditor import Auditor, Targets, make_report
from notice_audit.errors import UsageError as UsageError  # re-exported: where it was always imported from
from notice_audit.fetch.config import FetchConfig
from notice_audit.formats import github
from notice_audit.formats.base import ReportStream
from notice_audit.formats.output import check_writable
from notice_audit.formats.registry import FORMATS, emit, format_for_path
from notice_audit.formats.words import plural
from notice_audit.gate import GatePolicy, load_baseline, write_baseline
from notice_audit.model import AuditReport, Evidence, ItemResult, NoticeReport, TargetError, report_time
from notice_audit.rules.checklist import Checklist, load_checklist


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
        allow_private=args.allow_private,
    )
    return dataclasses.replace(config, user_agent=args.user_agent) if args.user_agent else config


def exit_code(report: AuditReport) -> int:
    """1 when a notice failed its gate or a target could not be read (``_finish`` has already
    turned "nothing audited" into a usage error); pages skipped as robots.txt asks fail nothing."""
    if report.errors or any(not n.passed for n in report.notices):
        return EXIT_GATE
    return EXIT_OK


def settings_from(args: argparse.Namespace) -> Settings:
    """Config file, then ``NOTICE_AUDIT_*`` variables, then this command line."""
    flags: dict[str, object] = {}
    for key, attr in (("checklist", "checklist"), ("fail-under", "fail_under"), ("fail-on", "fail_on"),
                      ("fail-on-non-notice", "fail_on_non_notice"),
                      ("format", "format"), ("output", "output"), ("baseline", "baseline"), ("history", "history")):
        if getattr(args, attr, None) is not None:
            flags[key] = getattr(args, attr)
    if getattr(args, "fact", None):
        flags["facts"] = parse_facts(args.fact)
    if getattr(args, "no_history", False):
        flags["history"] = False
    path = config_path(args.config, args.no_config, os.environ, Path.cwd())
    settings = resolve(flags, os.environ, config=path)
    for warning in settings.warnings:
        print(f"notice-audit: warning: {warning}", file=sys.stderr)
    return settings


def format_for(output: Output) -> str:
    """The format asked for; else the one the file's extension names (an unknown one is refused, a path
    without one is JSON); else table on a terminal and JSON otherwise."""
    if output.format is not None:
        return output.format
    if output.path not in (None, "-"):
        return format_for_path(output.path)
    return "table" if sys.stdout.isatty() else "json"


def _outputs(settings: Settings) -> list[tuple[str, str | None]]:
    """(format, path) of every report to write; checked before anything is audited."""
    outputs = [(format_for(o), o.path) for o in settings.outputs or (Output(None, None),)]
    to_stdout = [fmt for fmt, path in outputs if path in (None, "-")]
    if len(to_stdout) > 1:
        raise UsageError(f"{len(to_stdout)} reports ({', '.join(to_stdout)}) would go to standard output; "
                         "give all but one a file")
    for fmt, path in outputs:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}' (known: {', '.join(sorted(FORMATS))})")
        if path not in (None, "-"):
            check_writable(path)
    return outputs


def check_output(args: argparse.Namespace) -> None:
    """Refuse, before any work, an --output that cannot be written (``formats.output.check_writable``: a
    folder, a socket, a path under a file, no permission), so that nothing is computed for nothing."""
    if args.output not in (None, "-"):
        check_writable(args.output)


@dataclasses.dataclass
class _Run:
    """What an audit or crawl needs before it starts: everything that can fail with exit 2 is checked here."""

    settings: Settings
    checklist: Checklist
    outputs: list[tuple[str, str | None]]
    policy: GatePolicy
    history: History | None = None

    def close(self) -> None:
        if self.history is not None:
            self.history.close()


def _prepare(args: argparse.Namespace) -> _Run:
    settings = settings_from(args)
    try:
        report_time()  # a bad SOURCE_DATE_EPOCH is named before any work
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    checklist = load_checklist(settings.checklist)
    outputs = _outputs(settings)
    policy = settings.policy(today=args.as_of)
    if settings.baseline is not None:
        policy = dataclasses.replace(policy, baseline=load_baseline(Path(settings.baseline), checklist))
    if args.write_baseline is not None:
        check_writable(args.write_baseline)
    if args.since_last and settings.history is None:
        raise UsageError("--since-last compares with the history: it cannot go with --no-history")
    # Opened (and checked) before the audit: a corrupt history stops the run before any work or output.
    history = History.open(Path(settings.history)) if settings.history is not None else None
    return _Run(settings, checklist, outputs, policy, history)


def _nothing_audited(report: AuditReport) -> None:
    if not report.notices:
        reasons = "; ".join([*(f"{e.target}: {e.error}" for e in report.errors),
                             *(f"{s.target}: skipped: {s.reason}" for s in report.skipped)]) or "no targets"
        raise UsageError(f"nothing could be audited ({reasons})")


def _since_last(run: _Run, report: AuditReport, args: argparse.Namespace) -> AuditReport:
    """The report with what changed since the previous recorded runs (``--since-last``); records nothing."""
    if run.history is not None and args.since_last:
        report = dataclasses.replace(report, since_last=run.history.since_last(report))
    return report


def _keep(run: _Run, report: AuditReport, args: argparse.Namespace, command: str) -> None:
    """After the reports: write the baseline, then record the run in the history, which so holds only runs
    whose outputs were written."""
    if args.write_baseline is not None:
        write_baseline(Path(args.write_baseline), report)
        gaps = sum(i.is_gap for n in report.notices for i in n.items)
        print(f"notice-audit: baseline of {plural(gaps, 'gap')} written to {args.write_baseline}", file=sys.stderr)
    if run.history is not None:
        run.history.record(report, command=command)


def _finish(run: _Run, report: AuditReport, args: argparse.Namespace, *, command: str) -> int:
    """Comparison with the history, reports, baseline, then the history record, CI annotations and the exit
    code (the notices come judged by the Auditor): a run is recorded only once everything it writes is
    written."""
    _nothing_audited(report)
    report = _since_last(run, report, args)
    with signals_held():  # a signal now waits: the reports, baseline and history record are written together
        for fmt, path in run.outputs:
            emit(report, fmt, path)
        _keep(run, report, args, command)
    return _conclude(run, report, args)


def _audit_streamed(run: _Run, args: argparse.Namespace, auditor: Auditor, source: Targets,
                    stream: Callable[[str | None], ReportStream]) -> int:
    """A streamed run (JSON Lines): each notice is written as soon as it is audited and judged, and only a slim
    copy (statuses, first quotes, no extracted values) is kept for the summary, history and annotations."""
    shared = _Shared()
    kept: list[NoticeReport] = []
    errors: list[TargetError] = []
    with ExitStack() as finishing:
        with stream(run.outputs[0][1]) as out:
            out.head(make_report(run.checklist, []))
            results = auditor.audit(source)
            with closing(results):  # a run that stops early ends its workers now, not when collected
                for result in results:
                    if isinstance(result, TargetError):
                        out.error(result)
                        errors.append(result)
                        continue
                    out.notice(result)
                    kept.append(_slim(result, shared))
            report = make_report(run.checklist, kept, errors, fail_under=run.policy.fail_under, gate=auditor.gate())
            _nothing_audited(report)  # raised inside the writer: the half-written file is removed
            report = _since_last(run, report, args)
            finishing.enter_context(signals_held())  # until the history record, as in _finish
            out.tail(report)
        _keep(run, report, args, "audit")
    return _conclude(run, report, args)


@dataclasses.dataclass
class _Shared:
    """What the slim copies of a streamed run's notices share."""

    #: each item's first result, whose checklist texts every later copy of the item uses
    first: dict[str, ItemResult] = dataclasses.field(default_factory=dict)
    #: one instance per verdict (item, status, severity, weight, baseline) of the items kept bare
    verdicts: dict[tuple[str, str, str, float, str | None], ItemResult] = dataclasses.field(default_factory=dict)


def _slim(notice: NoticeReport, shared: _Shared) -> NoticeReport:
    """What a streamed run keeps of a notice for its summary, history, annotations and baseline.

    Only the items that get an annotation (gaps, gate failures, expired waivers) keep their message,
    guidance and first quote. Every other item is its verdict alone, one instance shared by every
    notice with that verdict, so a met item costs a reference rather than an object per notice. The
    checklist's texts (title, reference, link, guidance, what was looked for) are the first notice's,
    not a copy per notice as unpickled from a worker. Extracted values are dropped.
    """
    gate_items = notice.gate_items()
    items = []
    for item in notice.items:
        first = shared.first.setdefault(item.id, item)
        if github.annotated(item, gate_items):
            items.append(_copy(item, first, evidence=item.evidence[:1], message=item.message, guidance=first.guidance))
        elif item.waiver is not None:  # a waiver on an item that is not a gap: kept, never shared
            items.append(_copy(item, first))
        else:
            key = (item.id, item.status, item.severity, item.weight, item.baseline)
            bare = shared.verdicts.get(key)
            if bare is None:
                bare = shared.verdicts[key] = _copy(item, first)
            items.append(bare)
    return dataclasses.replace(notice, extracted={}, items=tuple(items))


def _copy(item: ItemResult, first: ItemResult, *, evidence: tuple[Evidence, ...] = (), message: str = "",
          guidance: str = "") -> ItemResult:
    """``item`` with these texts, and the checklist's texts taken from ``first``."""
    return dataclasses.replace(item, id=first.id, title=first.title, reference=first.reference, link=first.link,
                               looked_for=first.looked_for, evidence=evidence, message=message, guidance=guidance)


def _conclude(run: _Run, report: AuditReport, args: argparse.Namespace) -> int:
    """After the reports: warnings and errors on stderr, GitHub Actions annotations and summary, the exit
    code (a run that wrote a baseline accepts its gaps)."""
    for notice in report.notices:
        for warning in notice.warnings:
            print(f"notice-audit: warning: {notice.source}: {warning}", file=sys.stderr)
    for err in report.errors:
        print(f"notice-audit: {err.target}: {err.error}", file=sys.stderr)
    for skip in report.skipped:
        print(f"notice-audit: {skip.target}: skipped: {skip.reason}", file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        machine_stdout = any(path in (None, "-") and not FORMATS[fmt].for_people for fmt, path in run.outputs)
        if not machine_stdout:
            for line in github.annotation_lines(report):
                print(line)
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if step_summary:
            with open(step_summary, "a", encoding="utf-8") as fh:
                fh.write(github.summary(report))
    code = (EXIT_GATE if report.errors else EXIT_OK) if args.write_baseline is not None else exit_code(report)
    written = [path for _, path in run.outputs if path not in (None, "-")]
    if args.write_baseline is not None:
        written.append(args.write_baseline)
    written = [path for path in written if Path(path).is_file()]  # not /dev/null or a FIFO: nothing kept there
    if written:
        print("notice-audit: reports written: " + ", ".join(written), file=sys.stderr)
    print(f"notice-audit: {exit_reason(report, code, baseline=args.write_baseline is not None)}", file=sys.stderr)
    return code


def exit_reason(report: AuditReport, code: int, *, baseline: bool = False) -> str:
    """The exit code and why, in one line: what a person or a CI log reads last."""
    total = len(report.notices)
    failed = sum(not n.passed for n in report.notices)
    unread = len(report.errors)
    others = sum(not n.is_notice for n in report.notices)
    noun = "target" if others else "notice"  # a target that is not a notice is not counted as one
    aside = f" ({plural(others, 'target')} not a notice)" if others else ""
    reasons = []
    if failed:
        reasons.append(f"the {noun} failed its gate" if total == 1 else
                       f"{failed} of {total} {noun}s failed {'its' if failed == 1 else 'their'} gate")
    if unread:
        reasons.append(f"{plural(unread, 'target')} could not be audited")
    if code == EXIT_OK:
        if baseline:
            return "exit 0: baseline written; the gaps it lists are accepted"
        return f"exit 0: {f'the {noun} passes' if total == 1 else f'all {total} {noun}s pass'} the gate{aside}"
    return f"exit {code}: " + "; ".join(reasons or ["the gate failed"]) + aside


def cmd_audit(args: argparse.Namespace) -> int:
    return _within_run(args, _audit)


def _within_run(args: argparse.Namespace, body: Callable[[_Run, argparse.Namespace], int]) -> int:
    """Prepare the run (settings, checklist, history), do ``body``, and always close the run."""
    run = _prepare(args)
    try:
        return body(run, args)
    finally:
        run.close()


def _auditor(run: _Run, args: argparse.Namespace) -> Auditor:
    """The run's Auditor: its checklist, facts, gate, fetch settings, day and workers."""
    return Auditor(run.checklist, facts=run.settings.facts, facts_for=run.settings.facts_for, policy=run.policy,
                   fetch=fetch_config(args), as_of=args.as_of, jobs=args.jobs)


def _audit(run: _Run, args: argparse.Namespace) -> int:
    targets = list(args.targets) or list(run.settings.targets)
    if args.changed_since is not None:
        targets = changed_files(args.changed_since, targets)
        if not targets:
            print(f"notice-audit: no notice files changed since {args.changed_since}", file=sys.stderr)
            return EXIT_OK
    if not targets:
        raise UsageError("no targets: name files, folders or URLs, or list 'targets' in the config file")
    source = Targets(tuple(targets))
    only = FORMATS[run.outputs[0][0]] if len(run.outputs) == 1 else None
    if only is not None and only.stream is not None:  # the only report, and one that can be written as it goes
        return _audit_streamed(run, args, _auditor(run, args), source, only.stream)
    return _finish(run, _auditor(run, args).report(source), args, command="audit")
