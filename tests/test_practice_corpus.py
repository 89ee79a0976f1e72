"""How many real notices each good-practice item flags (run with -s to see the counts).

An item that flags every notice it applies to, or none, is probably measuring
the tool rather than the notices. The corpus texts are mostly the first ~2,000
characters of a page, so items about things that sit at the end of a notice
(the last-updated date, the Art 9 condition) flag more than they would on whole
pages: the bounds below allow for that.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from notice_audit.auditor import audit_targets
from notice_audit.model import AuditReport
from notice_audit.rules.checklist import load_checklist
from notice_audit.rules.examples import own_items
from tests.conftest import CORPUS, need

#: The newest date a corpus notice carries is in September 2025: judge ages as of soon after,
#: so that the counts do not drift as the calendar moves on.
AS_OF = date(2025, 12, 1)
#: Items applying to fewer notices than this are reported but not bounded (too few to judge).
MIN_APPLICABLE = 10


@pytest.fixture(scope="module")
def report() -> AuditReport:
    notices = need(CORPUS / "notices")
    return audit_targets([str(notices)], load_checklist("uk-gdpr-good-practice"), as_of=AS_OF)


def counts(report: AuditReport) -> tuple[Counter[str], Counter[str]]:
    flagged: Counter[str] = Counter()
    applicable: Counter[str] = Counter()
    for notice in report.notices:
        for item in notice.items:
            if item.status != "not_applicable":
                applicable[item.id] += 1
            if item.status in ("missing", "partial", "failed"):
                flagged[item.id] += 1
    return flagged, applicable


def test_no_good_practice_item_flags_all_or_none_of_the_notices(report: AuditReport) -> None:
    flagged, applicable = counts(report)
    total = len(report.notices)
    ids = [item.id for item in own_items(load_checklist("uk-gdpr-good-practice"))]
    print(f"\ngood-practice items on {total} corpus notices (as of {AS_OF}):")
    for ident in ids:
        print(f"  {ident:28} flags {flagged[ident]:3} of {applicable[ident]:3} notices it applies to")
    suggested = sum(1 for n in report.notices if n.suggestions)
    children = sum(1 for n in report.notices if "children" in n.extracted["practice"]["audience"])
    print(f"  dpa2018-part3 suggested for {suggested} notices; {children} notices written for children")
    assert total > 100 and not report.errors
    for ident in ids:
        if applicable[ident] >= MIN_APPLICABLE:
            assert 0 < flagged[ident] < applicable[ident], (ident, flagged[ident], applicable[ident])
    # items that apply to every notice must not flag nearly all of them, bar the date that
    # truncated pages lose (it sits at the end of most notices)
    for ident in ("outdated_law", "vague_recipients", "vague_retention", "reading_ease", "long_sentences", "jargon"):
        assert flagged[ident] <= 0.6 * applicable[ident], ident
    assert applicable["broken_links"] == 0  # files: links are only checked when crawling
    assert 0 < suggested < total / 10 and 0 < children < total / 10


def test_every_report_validates_with_the_new_values(report: AuditReport) -> None:
    import json

    from notice_audit.formats.json import validation_errors

    assert validation_errors(json.loads(json.dumps(report.to_json()))) == []
