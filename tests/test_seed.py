"""The seed document audited end to end (skips where ../shared is absent)."""

from __future__ import annotations

import json

from notice_audit.auditor import audit_targets
from notice_audit.formats.json import render, validation_errors
from notice_audit.parse import parse_page
from notice_audit.rules.checklist import load_checklist
from notice_audit.sources import read_local
from tests.conftest import SEED, need


def test_seed_report_is_valid_with_evidence_and_no_banner() -> None:
    seed = need(SEED)
    report = audit_targets([str(seed)], load_checklist("uk-gdpr"))
    data = json.loads(render(report))
    assert validation_errors(data) == []
    notice = data["notices"][0]
    assert [i["id"] for i in notice["items"]] == [i.id for i in load_checklist("uk-gdpr").items]
    for item in notice["items"]:
        if item["status"] in ("met", "partial"):
            assert item["evidence"], item["id"]
            for ev in item["evidence"]:
                assert ev["quote"] and str(seed) in ev["locator"]
                assert "Essential maintenance" not in ev["quote"]
        if item["status"] == "missing":
            assert item["message"].startswith("not found: looked for")
    doc = parse_page(read_local(str(seed))[0])
    assert "Essential maintenance" not in doc.text
    assert doc.title == "Children's Services Privacy Notice"


def test_seed_values_and_verdicts_issue_3() -> None:
    """The seed's thirteen recipients, statutes, basis and access right (the DfE's); the gaps reported missing."""
    seed = need(SEED)
    notice = audit_targets([str(seed)], load_checklist("uk-gdpr")).notices[0]
    status = {i.id: i.status for i in notice.items}
    extracted = notice.extracted
    assert len(extracted["recipients"]) == 13
    assert extracted["recipients"][0]["text"] == "other services with Worcestershire County Council"
    assert extracted["recipients"][-1]["text"] == "The Department for Education (DfE)"
    statutes = {(s["title"], s["year"], s["section"]) for s in extracted["statutes"]}
    assert ("Children Act", 1989, "83") in statutes
    assert ("The Education (Information About Individual Pupils) (England) Regulations", 2013, "3") in statutes
    assert extracted["lawful_bases"] == ["legal_obligation"]
    # the access right is the Department's ("you're entitled to ask the Department:"), not the notice's own
    assert "access" in extracted["rights"] and status["rights"] == "partial"
    rights = next(i for i in notice.items if i.id == "rights")
    assert "access only as a right to ask another body" in rights.message
    assert "rectification and restriction" in rights.message
    for gap in ("retention", "complaint_to_ico", "dpo_contact"):
        assert status[gap] == "missing", gap
    # the council appears only as a recipient, and the DfE is a third party: no controller named
    assert status["controller_identity"] == "missing"
