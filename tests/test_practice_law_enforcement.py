"""Law-enforcement processing (DPA 2018 Part 3): detection, its legal basis, and the checklist suggestion."""

from __future__ import annotations

import json

import pytest

from notice_audit.audit import audit_document
from notice_audit.extract.practice import law_enforcement
from notice_audit.formats.json import validation_errors
from notice_audit.formats.load import report_from_json
from notice_audit.model import Page
from notice_audit.parse import parse_page
from notice_audit.rules.checklist import load_checklist
from tests.conftest import make_doc


def elements(*blocks: str) -> list[str]:
    return [f.element for f in law_enforcement.extract(make_doc(("How we use your information", list(blocks))))]


@pytest.mark.parametrize(
    "text",
    [
        "We process personal data for law enforcement purposes.",
        "This notice covers processing under Part 3 of the Data Protection Act 2018.",
        "As a competent authority, we investigate offences.",
        "We use it for the prevention, investigation, detection or prosecution of criminal offences.",
        "We use it for the investigation, detection and prosecution of offences.",
    ],
)
def test_law_enforcement_processing(text: str) -> None:
    assert "law_enforcement" in elements(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our CCTV cameras help us to prevent and detect crime.",
        "We are not a competent authority for law enforcement purposes.",
        "The UK GDPR covers our processing for non-law enforcement purposes.",
        "We use your information to collect council tax.",
    ],
)
def test_not_law_enforcement_processing(text: str) -> None:
    assert "law_enforcement" not in elements(text)


def test_part_3_legal_basis() -> None:
    assert "law_enforcement_basis" in elements(
        "Processing is necessary for the performance of a task carried out for that purpose by a competent authority.")
    assert "law_enforcement_basis" in elements("Our statutory powers for law enforcement purposes allow this.")
    assert "law_enforcement_basis" not in elements("We use section 35 of the Children Act 1989.")


def notice(text: str) -> dict:
    doc = parse_page(Page("police.txt", "", text.encode(), "text/plain"))
    report = audit_document(doc, load_checklist("uk-gdpr"))
    return report.to_json()


def test_the_report_suggests_the_part_3_checklist_with_evidence() -> None:
    data = notice("Lowmoor Constabulary processes your personal data for law enforcement purposes.")
    assert [s["checklist"] for s in data["suggestions"]] == ["dpa2018-part3"]
    assert "law enforcement purposes" in data["suggestions"][0]["evidence"][0]["quote"]
    assert data["extracted"]["practice"]["law_enforcement"] is True
    wrapped = {"tool": {"name": "notice-audit", "version": "0"}, "checklist": {"id": "uk-gdpr", "version": "1"},
               "generated_at": "2025-01-01T00:00:00+00:00", "notices": [data], "errors": [],
               "summary": {"notices": 1, "passed": 0, "mean_score": 0}}
    assert validation_errors(json.loads(json.dumps(wrapped))) == []
    assert report_from_json(wrapped).notices[0].suggestions[0].checklist == "dpa2018-part3"


def test_no_suggestion_for_other_notices_or_under_the_part_3_checklist() -> None:
    assert "suggestions" not in notice("Lowmoor Borough Council collects council tax.")
    doc = parse_page(Page("police.txt", "", b"We process your data for law enforcement purposes.", "text/plain"))
    assert audit_document(doc, load_checklist("dpa2018-part3")).suggestions == ()
