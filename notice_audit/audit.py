"""The pipeline, end to end: targets -> pages -> documents -> findings -> results -> report.

Every target is audited on its own: one that cannot be read is recorded in the
report's errors and the others go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

from notice_audit import __version__
from notice_audit.extract import extract, extracted_values
from notice_audit.fetch import FetchError, is_url, read_local
from notice_audit.fetch.client import fetch_page
from notice_audit.fetch.config import FetchConfig
from notice_audit.model import AuditReport, Document, Finding, Findings, NoticeReport, Page, TargetError, content_hash
from notice_audit.parse import ParseError, parse_page
from notice_audit.rules.checklist import Checklist, FactValue
from notice_audit.rules.engine import evaluate
from notice_audit.rules.scoring import DEFAULT_FAIL_ON, passes, score
from notice_audit.rules.suggest import suggestions


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
    )


def load_pages(target: str, fetch: FetchConfig | None = None) -> list[Page]:
    """The pages a target stands for: a URL (fetched politely), a file, or every notice file in a folder."""
    return [fetch_page(target, fetch or FetchConfig())] if is_url(target) else read_local(target)


def audit_targets(
    targets: Iterable[str],
    checklist: Checklist,
    *,
    facts: Mapping[str, FactValue] | None = None,
    fail_under: float | None = None,
    fail_on: Sequence[str] = DEFAULT_FAIL_ON,
    fetch: FetchConfig | None = None,
    as_of: date | None = None,
) -> AuditReport:
    """Audit every target; unreadable ones become ``errors`` and the run goes on."""
    notices: list[NoticeReport] = []
    errors: list[TargetError] = []
    for target in targets:
        try:
            pages = load_pages(target, fetch)
        except FetchError as exc:
            errors.append(TargetError(target, str(exc)))
            continue
        for page in pages:
            try:
                doc = parse_page(page)
            except ParseError as exc:
                errors.append(TargetError(page.source, f"cannot parse: {exc}"))
                continue
            notices.append(audit_document(doc, checklist, facts=facts, fail_under=fail_under, fail_on=fail_on,
                                          as_of=as_of))
    return make_report(checklist, notices, errors, fail_under=fail_under)


def make_report(
    checklist: Checklist,
    notices: Iterable[NoticeReport],
    errors: Iterable[TargetError] = (),
    *,
    fail_under: float | None = None,
) -> AuditReport:
    """A run's report, stamped with the tool and checklist versions and the time."""
    return AuditReport(
        tool_version=__version__,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        notices=tuple(notices),
        errors=tuple(errors),
        fail_under=fail_under,
    )
