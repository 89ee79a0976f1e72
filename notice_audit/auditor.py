"""A run: sources in, judged notices out. The one place a run is assembled.

``Auditor(checklist, ...).audit(source)`` yields every notice of ``source`` judged by the run's gate
(``gate.Judge``: the only owner of ``passed`` and ``failures``), or a ``TargetError`` for what could not
be read, in source order and as soon as each is done; ``report(source)`` gathers them into an
``AuditReport`` with the gate's summary. A source is one of:

- :class:`Targets`: files, folders and URLs, as ``notice-audit audit`` takes them. Files are read and
  audited in worker processes with ``jobs`` > 1 (``workers``: ended with the run if it is stopped);
  URLs are fetched here, by one fetcher for the whole run (``sources.PageFetcher``), so that
  robots.txt is read once per site and per-host limits, spacing and Retry-After hold across the run.
- :class:`Crawl`: a site crawl (``crawl.crawl_async``), or the result of one already made. Each notice
  group (a notice's parts, its broken links) is audited as one notice, in workers with ``jobs`` > 1,
  and a layered notice learns which items its parent covers.

Every unit of work, whatever its source, goes through one ``_Job.run``: the same facts (the run's, a
target's own, and what the crawl learnt such as ``links_checked``), the same parse and the same
assessment (``audit.assess``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, closing, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from notice_audit.audit import assemble, assess, warm_up
from notice_audit.crawled import CrawlOptions, CrawlResult, NoticeGroup, Progress, broken_link_findings
from notice_audit.errors import FetchError, ParseError
from notice_audit.fetch import is_url
from notice_audit.fetch.config import FetchConfig
from notice_audit.gate import GatePolicy, Judge
from notice_audit.model import (
    AuditReport,
    Document,
    Finding,
    GateSummary,
    NoticeReport,
    Page,
    ParentCoverage,
    SkippedTarget,
    TargetError,
    report_time,
)
from notice_audit.parse import parse_page
from notice_audit.rules.checklist import Checklist, FactValue
from notice_audit.sources.files import local_files, read_file
from notice_audit.version import __version__

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from notice_audit.sources.web import PageFetcher

__all__ = ["Auditor", "Crawl", "Source", "Targets", "audit_crawl", "audit_targets", "iter_audit", "make_report"]


@dataclass(frozen=True, slots=True)
class Targets:
    """Files, folders and http(s) URLs, audited in the order given (a folder's files sorted)."""

    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Crawl:
    """A crawl from ``urls`` with ``options`` (through the run's fetch settings), or ``result``, a crawl
    already made."""

    urls: tuple[str, ...] = ()
    options: CrawlOptions = field(default_factory=CrawlOptions)
    progress: Progress | None = None
    result: CrawlResult | None = None


Source = Targets | Crawl

#: A unit of work: a file path or URL to read, or a crawl's notice group (its pages already fetched).
_Unit = str | NoticeGroup
#: A unit read: its document, findings made outside its text (broken links), facts learnt about it.
_Read = tuple[Document, list[Finding], dict[str, FactValue]]

#: Files submitted to the workers at a time, per worker: results are yielded in target order, so at most
#: two windows of results wait in memory, and inside a window the largest files go first (so that one big
#: file at the end of a run does not leave the other workers idle).
WINDOW_PER_JOB = 32


class Auditor:
    """Audits sources under one checklist, one set of facts and one gate."""

    def __init__(
        self,
        checklist: Checklist,
        *,
        facts: Mapping[str, FactValue] | None = None,
        facts_for: Callable[[str], Mapping[str, FactValue]] | None = None,
        policy: GatePolicy | None = None,
        fetch: FetchConfig | None = None,
        as_of: date | None = None,
        jobs: int = 1,
    ) -> None:
        """``facts_for`` gives one notice's facts by its source (per-target overrides), in place of ``facts``;
        ``as_of`` is the day ages are measured from (default today)."""
        self.checklist = checklist
        self.policy = policy or GatePolicy()
        self.jobs = jobs
        self.fetch = fetch or FetchConfig()
        self._job = _Job(checklist, facts, facts_for, as_of, self.fetch)
        self._judge = Judge(self.policy)
        #: Pages a crawl left alone because robots.txt asks so (not errors).
        self.skipped: list[SkippedTarget] = []

    def audit(self, source: Source) -> Generator[NoticeReport | TargetError, None, None]:
        """Each notice of ``source``, judged, or an error, in source order as soon as it is done. Closing the
        generator early (an error, an interrupt) ends the workers at once."""
        outcomes = self._crawled(source) if isinstance(source, Crawl) else self._targets(source.targets)
        with closing(outcomes):
            for outcome in outcomes:
                yield outcome if isinstance(outcome, TargetError) else self._judge.notice(outcome)

    def gate(self) -> GateSummary:
        """How the gate was set and what it found across the notices judged so far."""
        return self._judge.gate()

    def report(self, source: Source) -> AuditReport:
        """The whole run's report: every notice judged, every error, the gate's summary."""
        notices: list[NoticeReport] = []
        errors: list[TargetError] = []
        results = self.audit(source)
        with closing(results):
            for result in results:
                if isinstance(result, TargetError):
                    errors.append(result)
                else:
                    notices.append(result)
        return make_report(self.checklist, notices, errors, fail_under=self.policy.fail_under, skipped=self.skipped,
                           gate=self.gate())

    # -- files, folders and URLs -----------------------------------------------------------------------

    def _targets(self, targets: Sequence[str]) -> Generator[NoticeReport | TargetError, None, None]:
        tasks = list(_tasks(targets))
        files = [t for t in tasks if isinstance(t, str) and not is_url(t)]
        urls = [t for t in tasks if isinstance(t, str) and is_url(t)]
        # the run's one fetcher, opened at its first URL; none for a run of files
        pages = _page_fetcher(self.fetch.starting_at(urls)) if urls else None
        jobs = self.jobs
        if jobs <= 1 or len(files) < 2:
            with pages or nullcontext():
                for task in tasks:
                    yield task if isinstance(task, TargetError) else self._job.run(task, pages)
            return
        self._job.warm()  # compile the lexicons once here: forked workers inherit them
        with pages or nullcontext(), _workers(min(jobs, len(files)), self._job) as pool:
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
                        yield self._job.run(task, pages)  # a URL: fetched here, by the run's one fetcher
                pending = following

    # -- a crawl ---------------------------------------------------------------------------------------

    def _crawl(self, source: Crawl) -> CrawlResult:
        """Crawl now: the HTTP client, asyncio and discovery are imported only by a run that crawls."""
        import asyncio

        from notice_audit.crawl import crawl_async

        return asyncio.run(crawl_async(list(source.urls), self.fetch, source.options, progress=source.progress))

    def _crawled(self, source: Crawl) -> Generator[NoticeReport | TargetError, None, None]:
        """A crawl's errors, then its notices (each with the items its parent covers): the parents are
        known only once every group is audited."""
        result = source.result
        if result is None:
            result = self._crawl(source)
        self.skipped.extend(result.skipped)
        groups = result.notices
        if self.jobs <= 1 or len(groups) < 2:
            outcomes = [self._job.run(group) for group in groups]
        else:
            self._job.warm()
            with _workers(min(self.jobs, len(groups)), self._job) as pool:
                order = sorted(range(len(groups)), key=lambda k: -sum(len(p.content) for p in groups[k].parts))
                futures = {k: pool.submit(_run_in_worker, groups[k]) for k in order}
                outcomes = [futures[k].result() for k in range(len(groups))]
        yield from result.errors
        notices: dict[str, NoticeReport] = {}
        parents: dict[str, list[str]] = {}
        for group, outcome in zip(groups, outcomes, strict=True):
            if isinstance(outcome, TargetError):
                yield outcome
                continue
            notices[outcome.source] = outcome
            parents[outcome.source] = group.parents
        for notice in notices.values():
            yield _with_parent(notice, parents.get(notice.source, []), notices)


@dataclass(frozen=True, slots=True)
class _Job:
    """What auditing one unit needs; given to each worker process once."""

    checklist: Checklist
    facts: Mapping[str, FactValue] | None
    facts_for: Callable[[str], Mapping[str, FactValue]] | None
    as_of: date | None
    fetch: FetchConfig

    def warm(self) -> None:
        """Load everything before workers fork, so that they share it (``warm_up``)."""
        warm_up(self.checklist, facts=self.facts, as_of=self.as_of)

    def run(self, unit: _Unit, pages: PageFetcher | None = None) -> NoticeReport | TargetError:
        """Read (or fetch, with the run's ``pages``) and parse one file or URL, or parse a crawl's notice
        group as one notice, then assess it; a failure becomes a TargetError."""
        read = self._group(unit) if isinstance(unit, NoticeGroup) else self._target(unit, pages)
        if isinstance(read, TargetError):
            return read
        doc, extra, known = read
        facts = self.facts_for(doc.source) if self.facts_for is not None else self.facts
        if known:
            facts = {**known, **(facts or {})}
        notice = assess(doc, self.checklist, facts=facts, as_of=self.as_of, extra_findings=extra)
        if isinstance(unit, NoticeGroup) and len(unit.parts) > 1:
            notice = replace(notice, parts=tuple(p.source for p in unit.parts))
        return notice

    def _target(self, target: str, pages: PageFetcher | None) -> _Read | TargetError:
        """A file or URL as a document; nothing beyond its text is known of it."""
        try:
            if is_url(target):
                page = pages.fetch(target) if pages is not None else _fetch_page(target, self.fetch)
            else:
                page = read_file(target)
        except FetchError as exc:
            return TargetError(target, str(exc))
        try:
            return parse_page(page), [], {}
        except ParseError as exc:
            return TargetError(page.source, f"cannot parse: {exc}")

    @staticmethod
    def _group(group: NoticeGroup) -> _Read | TargetError:
        """A crawl's notice group as one document, with its broken links and whether they were checked."""
        try:
            doc = assemble([parse_page(p) for p in group.parts])
        except ParseError as exc:
            return TargetError(group.parts[0].source, f"cannot parse: {exc}")
        known: dict[str, FactValue] = {"links_checked": True} if group.links_checked else {}
        return doc, broken_link_findings(doc, group.broken_links), known


_WORKER_JOB: _Job | None = None


def _workers(jobs: int, job: _Job) -> AbstractContextManager[ProcessPoolExecutor]:
    """A pool of ``jobs`` worker processes, each holding ``job``."""
    from notice_audit.workers import worker_pool  # deferred: a one-job run starts no process

    return worker_pool(jobs, _init_worker, (job,))


def _init_worker(job: _Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job


def _run_in_worker(unit: _Unit) -> NoticeReport | TargetError:
    assert _WORKER_JOB is not None
    return _WORKER_JOB.run(unit)


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


def _with_parent(notice: NoticeReport, parent_urls: list[str], audited: dict[str, NoticeReport]) -> NoticeReport:
    """A layered notice with the items its parent notice meets that it misses or only points to."""
    for url in parent_urls:
        parent = audited.get(url)
        if parent is None:
            continue
        theirs = {i.id: i.status for i in parent.items}
        covers = tuple(
            i.id for i in notice.items if i.status in ("missing", "partial") and theirs.get(i.id) == "met"
        )
        return replace(notice, parent=ParentCoverage(url, parent.score, covers))
    return notice


def make_report(
    checklist: Checklist,
    notices: Iterable[NoticeReport],
    errors: Iterable[TargetError] = (),
    *,
    fail_under: float | None = None,
    skipped: Iterable[SkippedTarget] = (),
    gate: GateSummary | None = None,
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
        gate=gate,
        skipped=tuple(skipped),
    )


# -- conveniences for library callers: one call, one run ---------------------------------------------------


def _policy(fail_under: float | None, fail_on: Sequence[str] | None) -> GatePolicy:
    return GatePolicy(fail_under=fail_under) if fail_on is None else GatePolicy(fail_under, tuple(fail_on))


def iter_audit(targets: Iterable[str], checklist: Checklist, *, facts: Mapping[str, FactValue] | None = None,
               fail_under: float | None = None, fail_on: Sequence[str] | None = None,
               fetch: FetchConfig | None = None, as_of: date | None = None,
               facts_for: Callable[[str], Mapping[str, FactValue]] | None = None,
               jobs: int = 1) -> Generator[NoticeReport | TargetError, None, None]:
    """``Auditor(...).audit(Targets(targets))``: each notice judged under ``fail_under`` and ``fail_on``."""
    auditor = Auditor(checklist, facts=facts, facts_for=facts_for, policy=_policy(fail_under, fail_on), fetch=fetch,
                      as_of=as_of, jobs=jobs)
    return auditor.audit(Targets(tuple(targets)))


def audit_targets(targets: Iterable[str], checklist: Checklist, *, facts: Mapping[str, FactValue] | None = None,
                  fail_under: float | None = None, fail_on: Sequence[str] | None = None,
                  fetch: FetchConfig | None = None, as_of: date | None = None,
                  facts_for: Callable[[str], Mapping[str, FactValue]] | None = None, jobs: int = 1) -> AuditReport:
    """``Auditor(...).report(Targets(targets))``: unreadable targets become ``errors`` and the run goes on."""
    auditor = Auditor(checklist, facts=facts, facts_for=facts_for, policy=_policy(fail_under, fail_on), fetch=fetch,
                      as_of=as_of, jobs=jobs)
    return auditor.report(Targets(tuple(targets)))


def audit_crawl(result: CrawlResult, checklist: Checklist, *, facts: Mapping[str, FactValue] | None = None,
                fail_under: float | None = None, as_of: date | None = None,
                facts_for: Callable[[str], Mapping[str, FactValue]] | None = None, jobs: int = 1) -> AuditReport:
    """``Auditor(...).report(Crawl(result=result))``: a crawl already made, audited."""
    auditor = Auditor(checklist, facts=facts, facts_for=facts_for, policy=_policy(fail_under, None), as_of=as_of,
                      jobs=jobs)
    return auditor.report(Crawl(result=result))


def _page_fetcher(config: FetchConfig) -> PageFetcher:
    """The run's one fetcher for its URLs: the HTTP client is imported only by a run that has some."""
    from notice_audit.sources.web import PageFetcher

    return PageFetcher(config)


def _fetch_page(url: str, config: FetchConfig) -> Page:
    """One URL fetched on its own (outside a run's fetcher), the HTTP client imported only then."""
    from notice_audit.sources.web import fetch_page

    return fetch_page(url, config)
