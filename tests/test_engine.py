"""The rule engine: rule kinds, conditions, pointers, evidence; and scoring."""

from __future__ import annotations

import pytest

from notice_audit.gate import GatePolicy, judge
from notice_audit.model import Evidence, Finding, Findings, ItemResult, Locator, NoticeReport
from notice_audit.rules.checklist import Checklist, Item, load_checklist
from notice_audit.rules.engine import evaluate, evaluate_item
from notice_audit.rules.scoring import score

LOC = Locator("n.html", ("Your rights",), fragment="rights")


def f(element: str, value: str | None = None, kind: str = "statement", quote: str = "q", **attrs: object) -> Finding:
    return Finding(element, Evidence(quote, LOC), value, kind, attrs)  # type: ignore[arg-type]


def item(rule: dict, when: dict | None = None, severity: str = "required") -> Item:
    return Item("x", "X", "Art 1", severity, 2.0, rule, "the thing", "do it", "https://ico.org.uk/", when)


def test_present_met_with_evidence_missing_says_what_was_looked_for() -> None:
    met = evaluate_item(item({"present": "purposes"}), Findings((f("purposes", quote="We use it to"),)), {})
    assert met.status == "met" and met.evidence[0].quote == "We use it to"
    missing = evaluate_item(item({"present": "purposes"}), Findings(), {})
    assert missing.status == "missing" and missing.evidence == ()
    assert "looked for the thing" in missing.message


def test_negation_counts_as_addressed() -> None:
    result = evaluate_item(item({"present": "automated_decision_making"}),
                           Findings((f("automated_decision_making", kind="negation"),)), {})
    assert result.status == "met" and "does not happen" in result.message


def test_pointer_only_is_partial_with_the_pointer_quoted() -> None:
    result = evaluate_item(item({"present": "rights"}),
                           Findings((f("rights", kind="pointer", quote="see our corporate notice"),)), {})
    assert result.status == "partial" and result.evidence[0].quote == "see our corporate notice"


def test_any_of_and_all_of() -> None:
    found = Findings((f("rights", "access"), f("rights", "erasure"), f("rights", "complaint")))
    any_rule = {"any_of": {"field": "rights", "values": ["access", "objection"]}}
    assert evaluate_item(item(any_rule), found, {}).status == "met"
    only_complaint = Findings((f("rights", "complaint"),))
    assert evaluate_item(item(any_rule), only_complaint, {}).status == "missing"
    all_rule = {"all_of": {"field": "rights", "values": ["access", "erasure", "objection"]}}
    partial = evaluate_item(item(all_rule), found, {})
    assert partial.status == "partial" and "objection" in partial.message


def test_min_count_absent_and_composites() -> None:
    two = Findings((f("recipients", "police"), f("recipients", "nhs_health")))
    assert evaluate_item(item({"min_count": {"element": "recipients", "count": 2}}), two, {}).status == "met"
    assert evaluate_item(item({"min_count": {"element": "recipients", "count": 3}}), two, {}).status == "partial"
    failed = evaluate_item(item({"absent": "recipients"}), two, {})
    assert failed.status == "failed" and failed.evidence
    both = {"all": [{"present": "recipients"}, {"present": "retention"}]}
    assert evaluate_item(item(both), two, {}).status == "missing"
    either = {"any": [{"present": "recipients"}, {"present": "retention"}]}
    assert evaluate_item(item(either), two, {}).status == "met"


@pytest.mark.parametrize(
    ("when", "facts", "findings", "applies"),
    [
        ({"fact": "public_authority"}, {"public_authority": True}, (), True),
        ({"fact": "public_authority"}, {"public_authority": False}, (), False),
        ({"fact": "sector", "equals": "health"}, {"sector": "health"}, (), True),
        ({"field": "lawful_bases", "contains": "consent"}, {}, (f("lawful_basis", "consent"),), True),
        ({"field": "lawful_bases", "contains": "consent"}, {}, (f("lawful_basis", "public_task"),), False),
        ({"present": "data_source"}, {}, (f("data_source"),), True),
        ({"not": {"present": "data_source"}}, {}, (f("data_source"),), False),
        ({"any": [{"fact": "a"}, {"fact": "b"}]}, {"b": True}, (), True),
        ({"all": [{"fact": "a"}, {"fact": "b"}]}, {"b": True}, (), False),
    ],
)
def test_conditions(when: dict, facts: dict, findings: tuple, applies: bool) -> None:
    result = evaluate_item(item({"present": "purposes"}, when), Findings(findings), facts)
    assert (result.status != "not_applicable") is applies
    if not applies:
        assert result.message.startswith("does not apply")


def test_builtin_withdraw_consent_applies_wherever_consent_is_spoken_of() -> None:
    checklist = load_checklist("uk-gdpr")
    without = {r.id: r for r in evaluate(checklist, Findings((f("lawful_basis", "public_task"),)))}
    assert without["withdraw_consent"].status == "not_applicable"
    assert without["representative"].status == "not_applicable"
    assert without["dpo_contact"].status == "missing"
    with_consent = {r.id: r for r in evaluate(checklist, Findings((f("lawful_basis", "consent"),)))}
    assert with_consent["withdraw_consent"].status == "missing"
    # consent spoken of, but not read as a basis: the item still applies
    spoken = {r.id: r for r in evaluate(checklist, Findings((f("lawful_basis", "public_task"), f("consent"))))}
    assert spoken["withdraw_consent"].status == "missing"
    not_public = {r.id: r for r in evaluate(checklist, Findings(), {"public_authority": False})}
    assert not_public["dpo_contact"].status == "not_applicable"


def result(status: str, weight: float = 1.0, severity: str = "required") -> ItemResult:
    return ItemResult("i", "I", status, severity, weight, "")  # type: ignore[arg-type]


def test_score_weights_partial_half_and_skips_not_applicable() -> None:
    items = [result("met", 3), result("partial", 2), result("missing", 5), result("not_applicable", 10)]
    assert score(items) == pytest.approx(100 * (3 + 1) / 10)
    assert score([result("not_applicable")]) == 100.0
    assert score([result("failed", 1), result("met", 1)]) == 50.0


def passes(items: list[ItemResult], *, fail_under: float | None = None,
           fail_on: tuple[str, ...] = ("required",)) -> bool:
    """Whether the gate, the only judge of it, passes a notice of these items."""
    notice = NoticeReport("n.txt", "N", score(items), False, tuple(items), {})
    return judge(notice, GatePolicy(fail_under=fail_under, fail_on=fail_on)).passed


def test_gate_fails_on_missing_required_or_low_score() -> None:
    ok = [result("met"), result("missing", severity="recommended")]
    assert passes(ok)
    assert not passes(ok, fail_under=60)
    assert not passes([result("met"), result("missing")])
    assert not passes([result("failed", severity="required")])
    assert passes([result("missing", severity="required")], fail_on=())


def test_checklist_dataclass_roundtrip() -> None:
    checklist = Checklist("c", "1", "C", (item({"present": "purposes"}),))
    assert [r.id for r in evaluate(checklist, Findings())] == ["x"]


def test_met_message_says_when_fewer_quotes_are_kept_than_statements_found() -> None:
    from notice_audit.rules.engine import MAX_EVIDENCE

    many = Findings(tuple(f("purposes", quote=f"We use it for task {n}.") for n in range(MAX_EVIDENCE + 1)))
    result = evaluate_item(item({"present": "purposes"}), many, {})
    assert len(result.evidence) == MAX_EVIDENCE
    assert result.message == f"found {MAX_EVIDENCE + 1} statements, {MAX_EVIDENCE} quoted"
    repeated = Findings((f("purposes", quote="Same words."), f("purposes", quote="Same words.")))
    assert evaluate_item(item({"present": "purposes"}), repeated, {}).message == "found 1 statement"
    few = Findings((f("purposes", quote="One."), f("purposes", quote="Two.")))
    assert evaluate_item(item({"present": "purposes"}), few, {}).message == "found 2 statements"


def test_conditions_are_described_as_one_sentence() -> None:
    from notice_audit.rules.engine import describe_condition

    either = {"any": [{"field": "lawful_bases", "contains": "consent"}, {"present": "consent"}]}
    assert describe_condition(either) == "applies when lawful bases include consent or consent is stated"
    both = {"all": [{"fact": "public_authority"}, {"present": "consent"}]}
    assert describe_condition(both) == "applies when public_authority is true and consent is stated"
