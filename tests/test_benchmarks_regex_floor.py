"""The throughput section's floor: recording the lexicons' searches changes nothing and is undone."""

from __future__ import annotations

from benchmarks.regex_floor import METHODS, record, replay
from benchmarks.synthetic import notice_page
from notice_audit.audit import audit_document
from notice_audit.extract.prefilter import Alternation
from notice_audit.model import Page
from notice_audit.parse import parse_page
from notice_audit.rules.checklist import load_checklist


def test_recording_gives_the_same_audit_and_restores_the_methods() -> None:
    checklist = load_checklist("uk-gdpr")
    doc = parse_page(Page("a.html", "a.html", notice_page(20_000, seed=3).encode(), "text/html"))
    before = {m: Alternation.__dict__[m] for m in METHODS}
    plain = audit_document(doc, checklist)
    calls, recorded = record([doc], checklist)
    assert recorded == [plain]  # recording changes no verdict
    assert {m: Alternation.__dict__[m] for m in METHODS} == before
    assert not [name for name in vars(Alternation) if name.startswith("_recorded_")]
    assert audit_document(doc, checklist) == plain
    assert len(calls) > 100 and {"search", "finditer"} <= {method for _, method, _, _ in calls}
    # every recorded call is a plain compiled pattern, replayable on its own
    assert all(not isinstance(pattern, Alternation) for pattern, _, _, _ in calls)
    assert replay(calls, rounds=1) > 0
