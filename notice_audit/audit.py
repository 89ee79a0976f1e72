"""The pipeline, end to end: targets -> pages -> documents -> findings -> results -> report.

Every target is audited on its own: one that cannot be read is recorded in the
report's errors and the others go on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from datetime import date

from notice_audit import __version__
from notice_audit.extract import extract, extracted_values, prefilter
from notice_audit.fetch import FetchError, is_url
from notice_audit.fetch.config import FetchConfig
from notice_audit.model import (
    AuditReport,
    Document,
    Finding,
    Findings,
    NoticeReport,
    Page,
    SkippedTarget,
    TargetError,
    content_hash,
    report_time,
)
from notice_audit.parse import ParseError, parse_page
from notice_audit.rules.checklist import Checklist, FactValue
from notice_audit.rules.engine import evaluate
from notice_audit.rules.scoring import DEFAULT_FAIL_ON, passes, score
from notice_audit.rules.suggest import suggestions
from notice_audit.sources import PageFetcher, fetch_page, local_files, read_file, read_local
from notice_audit.workers import worker_pool

#: Long enough for every extractor to read it (readability needs 20 words), with a list.
WARM_UP_NOTICE = (
    b"Privacy notice\n\nWe share your data with the police and other councils when the law requires "
    b"us to, and we keep it for six years.\n\nWho we share it with:\n\n- the police\n- schools\n\n"
    b"See our corporate privacy notice for your rights and how to complain to the ICO.\n"
)


def audit_document(
    doc: Document,
    checklist: Checklist,
    *,
    facts: Mapping[str, FactValue] | None = None,
    fail_under: float | None = None,
    fail_on: Sequence[str] = DEFAULT_FAIL_ON,
    as_of: date | None = None,
    extra_findings: Sequence[Finding] = (),
) -> NoticeReport:
    """Extract, evaluate and score one parsed notice.

    ``as_of`` is the date ages are measured from (default today); ``extra_findings`` are findings
    made outside the text, such as broken links found by the crawler.
    """
    findings = extract(doc)
    if extra_findings:
        findings = Findings(findings.items + tuple(extra_findings))
    items = evaluate(checklist, findings, facts, as_of=as_of)
    notice_score = score(items)
    return NoticeReport(
        source=doc.source,
        title=doc.title,
        score=notice_score,
        passed=passes(items, notice_score, fail_under=fail_under, fail_on=fail_on),
        items=items,
        extracted=extracted_values(findings),
        content_hash=doc.content_hash,
        media_type=doc.media_type,
        suggestions=suggestions(findings, checklist),
        warnings=doc.warnings,
    )


def assemble(parts: Sequence[Document]) -> Document:
    """One notice from its parts in order; each block keeps its own part's locator."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    return Document(
        source=first.source,
        title=first.title,
        media_type=first.media_type,
        sections=tuple(s for part in parts for s in part.sections),
        content_hash=content_hash("".join(p.content_hash for p in parts).encode()),
        removed=tuple(r for part in parts for r in part.removed),
        warnings=tuple(w for part in parts for w in part.warnings),
    )


def load_pages(target: str, fetch: FetchConfig | None = None) -> list[Page]:
    """The pages a target stands for: a URL (fetched politely), a file, or every notice file in a folder."""
    return [fetch_page(target, fetch or FetchConfig())] if is_url(target) else read_local(target)


@dataclass(frozen=True, slots=True)
class _Job:
    """What every worker needs to audit one page; sent to each worker process once."""

    checklist: Checklist
    facts: Mapping[str, FactValue] | None
    facts_for: Callable[[str], Mapping[str, FactValue]] | None
    fail_under: float | None
    fail_on: Sequence[str]
    as_of: date | None
    fetch: FetchConfig | None

    def warm(self) -> None:
        """Load everything before workers fork, so that they share it (``warm_up``)."""
        warm_up(self.checklist, facts=self.facts, as_of=self.as_of)

    def run(self, task: str, pages: PageFetcher | None = None) -> NoticeReport | TargetError:
        """Read (or fetch, with the run's ``pages``), parse and audit one file or URL; a failure becomes a
        TargetError."""
        try:
            if is_url(task):
                page = pages.fetch(task) if pages is not None else fetch_page(task, self.fetch or FetchConfig())
            else:
                page = read_file(task)
        except FetchError as exc:
            return TargetError(task, str(exc))
        try:
            doc = parse_page(page)
        except ParseError as exc:
            return TargetError(page.source, f"cannot parse: {exc}")
        facts = self.facts_for(page.source) if self.facts_for is not None else self.facts
        return audit_document(doc, self.checklist, facts=facts, fail_under=self.fail_under, fail_on=self.fail_on,
                              as_of=self.as_of)


def warm_up(checklist: Checklist, *, facts: Mapping[str, FactValue] | None = None, as_of: date | None = None) -> None:
    """Audit a short notice, which loads and compiles every extractor's lexicon, then build the
    prefilter's automaton of their literals: what a run pays once, before it forks workers
    (which then share it) or times anything."""
    page = Page("warm-up.txt", "warm-up.txt", WARM_UP_NOTICE, "text/plain")
    audit_document(parse_page(page), checklist, facts=facts, as_of=as_of)
    prefilter.LITERALS.automaton()


_WORKER_JOB: _Job | None = None


def _init_worker(job: _Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job


def _run_in_worker(task: str) -> NoticeReport | TargetError:
    assert _WORKER_JOB is not None
    return _WORKER_JOB.run(task)


def _tasks(targets: Iterable[str]) -> Iterator[str | TargetError]:
    """One task per file or URL, in target order; a folder is listed, not read."""
    for target in targets:
        if is_url(target):
            yield target
            continue
        try:
            yield from local_files(target)
        except FetchError as exc:
            yield TargetError(target, str(exc))


def iter_audit(
    targets: Iterable[str],
    checklist: Checklist,
    *,
    facts: Mapping[str, FactValue] | None = None,
    fail_under: float | None = None,
    fail_on: Sequence[str] = DEFAULT_FAIL_ON,
    fetch: FetchConfig | None = None,
    as_of: date | None = None,
    facts_for: Callable[[str], Mapping[str, FactValue]] | None = None,
    jobs: int = 1,
) -> Generator[NoticeReport | TargetError, None, None]:
    """Audit every target, yielding each notice (or error) in target order as soon as it is done.

    With ``jobs`` > 1, local files are audited in that many worker processes (extraction is
    CPU-bound: threads would share one core); URLs are fetched and audited in this process, one at a
    time, by one fetcher for the whole run (``PageFetcher``), so that robots.txt is read once per
    site and the per-host limits, spacing and Retry-After hold across the run. Nothing is kept after it is
    yielded (workers hold at most two windows of results ahead), so a caller that streams its output
    audits any number of notices in bounded memory. Closing the generator early (an error, an interrupt)
    terminates the workers rather than waiting for their queued files (``workers``).
    """
    job = _Job(checklist, facts, facts_for, fail_under, fail_on, as_of, fetch)
    tasks = list(_tasks(targets))
    files = [t for t in tasks if isinstance(t, str) and not is_url(t)]
    urls = [t for t in tasks if isinstance(t, str) and is_url(t)]
    pages = PageFetcher((fetch or FetchConfig()).starting_at(urls))  # the run's one fetcher, opened at its first URL
    if jobs <= 1 or len(files) < 2:
        with pages:
            for task in tasks:
                yield task if isinstance(task, TargetError) else job.run(task, pages)
        return
    job.warm()  # compile the lexicons once here: forked workers inherit them instead of each compiling its own
    with pages, worker_pool(min(jobs, len(files)), _init_worker, (job,)) as pool:
        windows = [tasks[k:k + jobs * WINDOW_PER_JOB] for k in range(0, len(tasks), jobs * WINDOW_PER_JOB)]
        pending = _submit(pool, windows[0]) if windows else {}
        for k, window in enumerate(windows):
            following = _submit(pool, windows[k + 1]) if k + 1 < len(windows) else {}  # keep the workers busy
            for index, task in enumerate(window):
                if isinstance(task, TargetError):
                    yield task
                elif index in pending:
                    yield pending.pop(index).result()
                else:
                    yield job.run(task, pages)  # a URL: fetched here, by the run's one fetcher
            pending = following


#: Files submitted to the workers at a time, per worker: results are yielded in target order, so at most
#: two windows of results wait in memory, and inside a window the largest files go first (so that one big
#: file at the end of a run does not leave the other workers idle).
WINDOW_PER_JOB = 32


def _submit(pool: ProcessPoolExecutor,
            window: Sequence[str | TargetError]) -> dict[int, Future[NoticeReport | TargetError]]:
    """The window's local files, largest first, each to the next free worker; keyed by place in the window."""
    files = [(i, t) for i, t in enumerate(window) if isinstance(t, str) and not is_url(t)]
    files.sort(key=lambda it: _size(it[1]), reverse=True)
    return {i: pool.submit(_run_in_worker, t) for i, t in files}


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def audit_targets(
    targets: Iterable[str],
    checklist: Checklist,
    *,
    facts: Mapping[str, FactValue] | None = None,
    fail_under: float | None = None,
    fail_on: Sequence[str] = DEFAULT_FAIL_ON,
    fetch: FetchConfig | None = None,
    as_of: date | None = None,
    facts_for: Callable[[str], Mapping[str, FactValue]] | None = None,
    jobs: int = 1,
) -> AuditReport:
    """Audit every target; unreadable ones become ``errors`` and the run goes on.

    ``facts_for`` gives the facts of one notice by its source (per-target overrides), in place of ``facts``.
    """
    notices: list[NoticeReport] = []
    errors: list[TargetError] = []
    results = iter_audit(targets, checklist, facts=facts, fail_under=fail_under, fail_on=fail_on, fetch=fetch,
                         as_of=as_of, facts_for=facts_for, jobs=jobs)
    with closing(results):  # an interrupted run ends its workers at once, not when the generator is collected
        for result in results:
            if isinstance(result, TargetError):
                errors.append(result)
            else:
                notices.append(result)
    return make_report(checklist, notices, errors, fail_under=fail_under)


def make_report(
    checklist: Checklist,
    notices: Iterable[NoticeReport],
    errors: Iterable[TargetError] = (),
    *,
    fail_under: float | None = None,
    skipped: Iterable[SkippedTarget] = (),
) -> AuditReport:
    """A run's report, stamped with the tool and checklist versions and the time."""
    return AuditReport(
        tool_version=__version__,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        generated_at=report_time(),
        notices=tuple(notices),
        errors=tuple(errors),
        fail_under=fail_under,
        skipped=tuple(skipped),
    )
