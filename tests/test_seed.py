"""The seed document audited end to end (skips where ../shared is absent)."""

from __future__ import annotations

import json

from notice_audit.audit import audit_targets
from notice_audit.fetch import read_local
from notice_audit.parse import parse_page
from notice_audit.report.json import render, validation_errors
from notice_audit.rules.checklist import load_checklist
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
