"""One notice: a parsed document -> findings -> item results -> a score (``assess``).

A run of many notices, judged by its gate, is the ``Auditor``'s (``auditor.py``); ``audit_document``
is one notice assessed and judged alone, for library callers.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from datetime import date

from notice_audit.extract import extract, extracted_values, prefilter, reading
from notice_audit.gate import DEFAULT_FAIL_ON, GatePolicy, judge
from notice_audit.model import (
    Document,
    Finding,
    Findings,
    NoticeReport,
    Page,
    content_hash,
)
from notice_audit.parse import parse_page
from notice_audit.rules.checklist import Checklist, FactValue
from notice_audit.rules.engine import evaluate
from notice_audit.rules.scoring import score
from notice_audit.rules.suggest import suggestions
from notice_audit.screen import screen

#: Long enough for every extractor to read it (readability needs 20 words), with a list.
WARM_UP_NOTICE = (
    b"Privacy notice\n\nWe share your data with the police and other councils when the law requires "
    b"us to, and we keep it for six years.\n\nWho we share it with:\n\n- the police\n- schools\n\n"
    b"See our corporate privacy notice for your rights and how to complain to the ICO.\n"
)


def assess(
    doc: Document,
    checklist: Checklist,
    *,
    facts: Mapping[str, FactValue] | None = None,
    as_of: date | None = None,
    extra_findings: Sequence[Finding] = (),
) -> NoticeReport:
    """Extract, evaluate and score one parsed notice, not yet judged: ``passed`` is False and there are no
    ``failures`` until the gate (``gate.Judge``, the only owner of both) judges it. A document that does
    not read as a notice at all (``screen``) gets status ``not_a_notice`` and its reasons as warnings.

    ``as_of`` is the date ages are measured from (default today); ``extra_findings`` are findings
    made outside the text, such as broken links found by the crawler.
    """
    with reading(doc):  # the index both ask for is built once and let go after
        findings = extract(doc)
        screening = screen(doc, findings)
    if extra_findings:
        findings = Findings(findings.items + tuple(extra_findings))
    items = evaluate(checklist, findings, facts, as_of=as_of)
    return NoticeReport(
        source=doc.source,
        title=doc.title,
        score=score(items),
        passed=False,
        items=items,
        extracted=extracted_values(findings),
        content_hash=doc.content_hash,
        media_type=doc.media_type,
        suggestions=suggestions(findings, checklist),
        warnings=(*doc.warnings, *screening.warnings),
        status=screening.status,
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
    """One parsed notice assessed and judged by a gate of ``fail_under`` and ``fail_on`` alone (a run's
    waivers, overrides and baseline are the ``Auditor``'s)."""
    notice = assess(doc, checklist, facts=facts, as_of=as_of, extra_findings=extra_findings)
    return judge(notice, GatePolicy(fail_under=fail_under, fail_on=tuple(fail_on)))


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


def warm_up(checklist: Checklist, *, facts: Mapping[str, FactValue] | None = None, as_of: date | None = None) -> None:
    """Audit a short notice, which loads and compiles every extractor's lexicon, then build the
    prefilter's automaton of their literals: what a run pays once, before it forks workers
    (which then share it) or times anything.

    What is loaded then lives as long as the process: it is moved out of the cycle collector's sight
    (``gc.freeze``), which otherwise walked every compiled lexicon again at each full collection,
    and which, in forked workers, wrote to every page of them that the parent shares.
    """
    page = Page("warm-up.txt", "warm-up.txt", WARM_UP_NOTICE, "text/plain")
    audit_document(parse_page(page), checklist, facts=facts, as_of=as_of)
    prefilter.LITERALS.automaton()
    gc.collect()  # nothing the warm-up left as garbage is kept for good
    gc.freeze()
