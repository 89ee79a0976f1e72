"""The Auditor: the one place a run is assembled, whatever its source, and judged once by its gate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from notice_audit.auditor import Auditor, Crawl, Targets
from notice_audit.crawl import CrawlResult, NoticeGroup
from notice_audit.gate import GatePolicy, Waiver
from notice_audit.model import NoticeReport, TargetError
from notice_audit.rules.checklist import load_checklist
from notice_audit.sources import read_file

NOTICE = """Lowmoor parking privacy notice

Lowmoor Borough Council is the data controller for parking permits.

We keep permit records for two years after the permit ends.

You can ask for a copy of your information.
"""


@pytest.fixture
def notice(tmp_path: Path) -> Path:
    path = tmp_path / "parking.txt"
    path.write_text(NOTICE)
    return path


def test_notices_come_judged_by_the_run_gate_with_its_waivers(notice: Path) -> None:
    """The gate's policy (here a waiver for every gap) decides ``passed``: no second verdict elsewhere."""
    strict = Auditor(load_checklist("uk-gdpr")).report(Targets((str(notice),)))
    waived = Auditor(load_checklist("uk-gdpr"), policy=GatePolicy(waivers=(
        Waiver("*", "*", "known", "dpo@lowmoor.example", date(2099, 1, 1)),))).report(Targets((str(notice),)))
    before, after = strict.notices[0], waived.notices[0]
    assert not before.passed and before.failures  # a short notice misses required items
    assert after.passed and not after.failures
    assert [i.status for i in after.items] == [i.status for i in before.items]  # the same assessment
    assert all(i.waiver for i in after.items if i.is_gap)
    assert waived.gate is not None and waived.gate.waivers[0].status == "active"


def test_a_crawled_page_is_audited_as_the_same_file_is(notice: Path) -> None:
    """One job for every source: the notice read from disk and the same page handed over by a crawl
    (with its links checked) give the same items, the crawl adding only what it learnt."""
    checklist = load_checklist("uk-gdpr")
    from_disk = Auditor(checklist).report(Targets((str(notice),))).notices[0]
    group = NoticeGroup(parts=[read_file(str(notice))], links_checked=True)
    crawled = Auditor(checklist).report(Crawl(result=CrawlResult([group], [], 1))).notices[0]
    assert crawled.source == from_disk.source and crawled.score == from_disk.score
    assert [(i.id, i.status) for i in crawled.items] == [(i.id, i.status) for i in from_disk.items]


def test_a_layered_notice_learns_what_its_parent_covers(notice: Path, tmp_path: Path) -> None:
    corporate = tmp_path / "corporate.txt"
    corporate.write_text(NOTICE + "\nYou can complain to the Information Commissioner's Office (ICO) at ico.org.uk.\n"
                         "Our Data Protection Officer is at dpo@lowmoor.example.\n")
    groups = [NoticeGroup(parts=[read_file(str(notice))], parents=[str(corporate)]),
              NoticeGroup(parts=[read_file(str(corporate))])]
    report = Auditor(load_checklist("uk-gdpr")).report(Crawl(result=CrawlResult(groups, [], 2)))
    child = next(n for n in report.notices if n.source == str(notice))
    assert child.parent is not None and child.parent.source == str(corporate)
    assert "complaint_to_ico" in child.parent.covers


def test_audit_yields_in_order_and_errors_do_not_stop_the_run(notice: Path, tmp_path: Path) -> None:
    gone = str(tmp_path / "gone.txt")
    results = list(Auditor(load_checklist("uk-gdpr")).audit(Targets((gone, str(notice)))))
    assert isinstance(results[0], TargetError) and results[0].target == gone
    assert isinstance(results[1], NoticeReport) and results[1].source == str(notice)
