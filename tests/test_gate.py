"""The gate: thresholds, gating severities, per-target overrides, waivers and baselines."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from notice_audit.gate import (
    Baseline,
    GateError,
    GatePolicy,
    Override,
    Waiver,
    apply_gate,
    baseline_json,
    fail_on_levels,
    fingerprint,
    load_baseline,
    normalise_target,
    override_facts,
    target_matches,
    write_baseline,
)
from notice_audit.model import (
    AuditReport,
    BaselineUse,
    Evidence,
    Failure,
    GateSummary,
    ItemResult,
    Locator,
    NoticeReport,
)
from notice_audit.rules.checklist import load_checklist

TODAY = date(2026, 11, 24)


def _item(ident: str, status: str, severity: str = "required") -> ItemResult:
    evidence = (Evidence("We are the controller.", Locator("a.html", line=3)),) if status in ("met", "partial") else ()
    return ItemResult(ident, ident, status, severity, 1.0, f"{ident} {status}", evidence)  # type: ignore[arg-type]


def _notice(source: str, *items: ItemResult, score: float = 50.0) -> NoticeReport:
    return NoticeReport(source, "t", score, True, items, {})


#: The built-in checklist's version: the test reports say they were audited with it.
VERSION = load_checklist("uk-gdpr").version


def _report(*notices: NoticeReport) -> AuditReport:
    return AuditReport("0", "uk-gdpr", VERSION, "2026-11-24T00:00:00+00:00", notices)


def _waiver(item: str = "dpo_contact", target: str = "site/*", expires: date = date(2026, 12, 31)) -> Waiver:
    return Waiver(item, target, "DPO post vacant until January", "info-governance", expires)


def test_fail_on_threshold_list_and_none() -> None:
    assert fail_on_levels("required") == ("required",)
    assert fail_on_levels("recommended") == ("recommended", "required")
    assert fail_on_levels("info,required") == ("info", "required")
    assert fail_on_levels(["required", "info"]) == ("info", "required")
    assert fail_on_levels("none") == ()
    with pytest.raises(GateError, match="unknown severity 'fatal'"):
        fail_on_levels("fatal")


def test_patterns_match_normalised_paths_and_cross_folders() -> None:
    assert normalise_target("./site//privacy/a.html") == "site/privacy/a.html"
    assert normalise_target("https://x.example/a/../b") == "https://x.example/a/../b"
    assert target_matches("site/*", "./site/privacy/a.html")
    assert target_matches("*cctv*", "site/cctv/notice.md")
    assert not target_matches("site/*", "other/site/a.html")


def test_required_gap_fails_recommended_gap_does_not_by_default() -> None:
    notice = _notice("site/a.html", _item("dpo_contact", "missing"), _item("international_transfers", "missing",
                                                                            "recommended"), _item("rights", "met"))
    judged = apply_gate(_report(notice), GatePolicy(today=TODAY)).notices[0]
    assert not judged.passed
    assert judged.failures == (Failure("dpo_contact", "missing (required)"),)
    stricter = apply_gate(_report(notice), GatePolicy(fail_on=fail_on_levels("recommended"), today=TODAY))
    assert stricter.notices[0].gate_items() == {"dpo_contact", "international_transfers"}


def test_fail_under_and_per_target_overrides() -> None:
    a = _notice("site/a.html", _item("rights", "met"), score=60.0)
    b = _notice("legacy/b.html", _item("rights", "met"), score=60.0)
    policy = GatePolicy(fail_under=70, overrides=(Override("legacy/*", fail_under=50),), today=TODAY)
    judged = apply_gate(_report(a, b), policy)
    assert [n.passed for n in judged.notices] == [False, True]
    assert judged.notices[0].failures[0] == Failure(None, "score 60 is under 70")
    assert judged.gate == GateSummary(fail_under=70, fail_on=("required",))


def test_override_facts_merge_in_order() -> None:
    overrides = (Override("schools/*", facts={"public_authority": False, "x": 1}),
                 Override("schools/old/*", facts={"x": 2}))
    assert override_facts(overrides, "schools/old/a.md", {"public_authority": True}) == {"public_authority": False,
                                                                                         "x": 2}
    assert override_facts(overrides, "site/a.md", {"public_authority": True}) == {"public_authority": True}


def test_active_waiver_is_shown_and_does_not_fail() -> None:
    notice = _notice("site/a.html", _item("dpo_contact", "missing"))
    judged = apply_gate(_report(notice), GatePolicy(waivers=(_waiver(),), today=TODAY))
    item = judged.notices[0].items[0]
    assert judged.notices[0].passed
    assert item.status == "missing"  # never silently dropped: the gap is still there, marked waived
    assert item.waiver is not None and item.waiver.expired is False and item.waiver.owner == "info-governance"
    assert judged.gate is not None and judged.gate.waivers[0].status == "active"
    assert item.to_json()["waiver"]["expires"] == "2026-12-31"


def test_expired_waiver_fails_even_a_non_gating_gap() -> None:
    notice = _notice("site/a.html", _item("retention", "missing", "recommended"))
    waiver = _waiver("retention", expires=date(2026, 11, 23))
    judged = apply_gate(_report(notice), GatePolicy(waivers=(waiver,), today=TODAY))
    assert not judged.notices[0].passed
    assert "waiver expired on 2026-11-23" in judged.notices[0].failures[0].reason
    assert judged.gate is not None and judged.gate.waivers[0].status == "expired"
    # The expiry day itself is still covered.
    still = apply_gate(_report(notice), GatePolicy(waivers=(waiver,), today=date(2026, 11, 23)))
    assert still.notices[0].passed


def test_waiver_that_matches_no_gap_is_reported_unused() -> None:
    notice = _notice("site/a.html", _item("dpo_contact", "met"))
    judged = apply_gate(_report(notice), GatePolicy(waivers=(_waiver(),), today=TODAY))
    assert judged.notices[0].items[0].waiver is None
    assert judged.gate is not None and judged.gate.waivers[0].status == "unused"


def test_baseline_fails_only_new_gaps_and_reports_fixed(tmp_path: Path) -> None:
    before = _report(_notice("site/a.html", _item("dpo_contact", "missing"), _item("retention", "missing")))
    path = tmp_path / "baseline.json"
    write_baseline(path, before)
    checklist = load_checklist("uk-gdpr")
    data = json.loads(path.read_text())
    data["checklist"]["version"] = checklist.version
    path.write_text(json.dumps(data))
    baseline = load_baseline(path, checklist)
    assert baseline.knows("./site/a.html", "retention")
    # retention fixed, dpo_contact still missing (known), complaint_to_ico newly missing.
    now = _notice("site/a.html", _item("dpo_contact", "missing"), _item("retention", "met"),
                  _item("complaint_to_ico", "missing"))
    judged = apply_gate(_report(now), GatePolicy(baseline=_rebased(baseline), today=TODAY))
    notice = judged.notices[0]
    assert [i.baseline for i in notice.items] == ["known", None, "new"]
    assert notice.gate_items() == {"complaint_to_ico"}
    assert judged.gate is not None
    assert judged.gate.baseline == BaselineUse(str(path), new=1, known=1, fixed=(("site/a.html", "retention"),))


def _rebased(baseline: Baseline) -> Baseline:
    """Fingerprint the baseline's gaps for the version the test reports say they were audited with."""
    gaps = {fingerprint(g["target"], g["item"], "uk-gdpr", VERSION): g for g in baseline.gaps.values()}
    return Baseline(baseline.file, "uk-gdpr", VERSION, gaps, baseline.scores)


def test_baseline_score_gate_fails_only_when_the_score_fell() -> None:
    report = _report(_notice("site/a.html", _item("rights", "met"), score=40.0))
    data = baseline_json(report)
    baseline = Baseline("b.json", "uk-gdpr", VERSION, {}, data["scores"])
    same = apply_gate(report, GatePolicy(fail_under=60, baseline=baseline, today=TODAY))
    assert same.notices[0].passed
    worse = _report(_notice("site/a.html", _item("rights", "met"), score=35.0))
    judged = apply_gate(worse, GatePolicy(fail_under=60, baseline=baseline, today=TODAY))
    assert judged.notices[0].failures == (Failure(None, "score 35 is under 60 (baseline 40)"),)


def test_fingerprint_depends_on_target_item_and_checklist_version() -> None:
    base = fingerprint("site/a.html", "retention", "uk-gdpr", "1.0.0")
    assert base == fingerprint("./site/a.html", "retention", "uk-gdpr", "1.0.0")
    assert len({base, fingerprint("site/b.html", "retention", "uk-gdpr", "1.0.0"),
                fingerprint("site/a.html", "rights", "uk-gdpr", "1.0.0"),
                fingerprint("site/a.html", "retention", "uk-gdpr", "1.1.0")}) == 4


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not JSON"),
    ('{"gaps": []}', "not a notice-audit baseline"),
    ('{"notice_audit_baseline": 1, "checklist": {"id": "uk-gdpr"}}', "malformed baseline"),
])
def test_unusable_baselines_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(GateError, match=message) as info:
        load_baseline(path, load_checklist("uk-gdpr"))
    assert str(path) in str(info.value)
    assert path.read_text() == content


def test_baseline_from_another_checklist_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    old = dataclasses.replace(_report(_notice("a.html", _item("rights", "missing"))), checklist_version="0.9.0")
    write_baseline(path, old)
    checklist = load_checklist("uk-gdpr")
    with pytest.raises(GateError, match=r"written for checklist uk-gdpr 0\.9\.0, this run uses uk-gdpr"):
        load_baseline(path, checklist)
    with pytest.raises(GateError, match="no such baseline"):
        load_baseline(tmp_path / "absent.json", checklist)


# --- targets that are not notices ---------------------------------------------------------------------------

NOT_NOTICE_WARNING = "not a notice: it is a page of links: 6 of its 6 paragraph or list items are links"


def _not_a_notice(source: str = "site/privacy/index.html") -> NoticeReport:
    notice = _notice(source, _item("rights", "missing"), _item("retention", "missing"), score=0.0)
    return dataclasses.replace(notice, status="not_a_notice", warnings=(NOT_NOTICE_WARNING,))


def test_a_target_that_is_not_a_notice_fails_nothing_by_default() -> None:
    report = apply_gate(_report(_not_a_notice(), _notice("site/a.html", _item("rights", "missing"))),
                        GatePolicy(fail_under=60, today=TODAY))
    other, real = report.notices
    assert other.passed and other.failures == ()  # its gaps and its score gate nothing
    assert not real.passed and real.gate_items() == {"rights"}
    assert report.summary["not_notices"] == 1 and report.summary["passed"] == 1 and report.summary["failed"] == 1
    assert "fail_on_non_notice" not in report.to_json()["gate"]


def test_fail_on_non_notice_fails_it_with_its_reasons() -> None:
    report = apply_gate(_report(_not_a_notice()), GatePolicy(today=TODAY, fail_on_non_notice=True))
    judged = report.notices[0]
    assert not judged.passed
    assert judged.failures == (Failure(None, NOT_NOTICE_WARNING),)
    assert judged.gate_items() == frozenset()  # the target fails as a whole, not item by item
    assert report.to_json()["gate"]["fail_on_non_notice"] is True


def test_waivers_and_baselines_do_not_count_a_target_that_is_not_a_notice() -> None:
    waiver = _waiver(item="rights", target="site/*")
    report = _report(_not_a_notice())
    judged = apply_gate(report, GatePolicy(waivers=(waiver,), today=TODAY))
    assert judged.notices[0].items[0].waiver is None
    assert judged.gate is not None and judged.gate.waivers[0].status == "unused"
    assert baseline_json(judged)["gaps"] == [] and baseline_json(judged)["scores"] == {}


def test_summary_mean_score_leaves_out_targets_that_are_not_notices() -> None:
    report = _report(_not_a_notice(), _notice("site/a.html", score=80.0), _notice("site/b.html", score=60.0))
    assert report.summary["mean_score"] == 70.0 and report.summary["notices"] == 3
    assert "not_notices" not in _report(_notice("site/a.html")).summary  # only when there are any
