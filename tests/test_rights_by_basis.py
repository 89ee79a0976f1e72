"""The rights item judged against the lawful bases: which rights each basis brings, what is partial.

The engine is tested on a table written here; the built-in checklist's table is checked against
the ICO's (A guide to lawful basis) written out independently below.
"""

from __future__ import annotations

from typing import Any

import pytest

from notice_audit.model import Evidence, Finding, Findings, ItemResult, Locator
from notice_audit.rules.checklist import Item, load_checklist
from notice_audit.rules.engine import apply_rule, evaluate_item

LOC = Locator("n.html", ("Your rights",))

#: The ICO's table of rights by lawful basis (beyond access, rectification and restriction, which
#: apply whatever the basis), as the test's own statement of the guidance.
ICO_ALWAYS = {"access", "rectification", "restriction"}
ICO_BY_BASIS = {
    "consent": {"erasure", "portability"},
    "contract": {"erasure", "portability"},
    "legal_obligation": set(),
    "vital_interests": {"erasure"},
    "public_task": {"objection"},
    "legitimate_interests": {"erasure", "objection"},
}

RULE: dict[str, Any] = {"rights_for_bases": {
    "always": ["access", "rectification", "restriction"],
    "by_basis": {basis: sorted(rights) for basis, rights in ICO_BY_BASIS.items()},
    "optional": ["automated_decision_making"],
    "reference": {"title": "Guide X", "url": "https://ico.org.uk/x/"},
}}


def right(value: str, quote: str | None = None, **attrs: object) -> Finding:
    return Finding("rights", Evidence(quote or f"you can use the right of {value}", LOC), value, "statement", attrs)


def basis(value: str | None, **attrs: object) -> Finding:
    return Finding("lawful_basis", Evidence(f"we rely on {value}", LOC), value, "statement", attrs)


def judge(*found: Finding) -> ItemResult:
    item = Item("rights", "Rights", "Art 13(2)(b)", "required", 3.0, RULE, "the rights", "list them")
    return evaluate_item(item, Findings(found), {})


def test_the_builtin_table_is_the_icos_and_names_its_source() -> None:
    rule = load_checklist("uk-gdpr").item("rights").rule["rights_for_bases"]
    assert set(rule["always"]) == ICO_ALWAYS
    assert {b: set(r) for b, r in rule["by_basis"].items()} == ICO_BY_BASIS
    assert rule["reference"]["url"].startswith("https://ico.org.uk/") and "lawful basis" in rule["reference"]["title"]


@pytest.mark.parametrize("lawful_basis", sorted(ICO_BY_BASIS))
def test_each_basis_expects_its_own_rights_besides_those_that_always_apply(lawful_basis: str) -> None:
    wanted = ICO_ALWAYS | ICO_BY_BASIS[lawful_basis]
    met = judge(basis(lawful_basis), *(right(r) for r in sorted(wanted)))
    assert met.status == "met", met.message
    for dropped in sorted(wanted):
        partial = judge(basis(lawful_basis), *(right(r) for r in sorted(wanted - {dropped})))
        assert partial.status == "partial"
        assert f"does not name {dropped}," in partial.message
        why = "whatever the lawful basis" if dropped in ICO_ALWAYS else f"under {lawful_basis.replace('_', ' ')}"
        assert why in partial.message.split("does not name")[1]


def test_rights_of_a_basis_not_relied_on_are_not_expected() -> None:
    result = judge(basis("public_task"), *(right(r) for r in ("access", "rectification", "restriction", "objection")))
    assert result.status == "met"
    assert "under public task" in result.message and "portability" not in result.message


def test_partial_names_what_is_missing_and_why_and_quotes_what_was_found() -> None:
    result = judge(basis("public_task"), right("access", "ask us for a copy"), right("rectification", "correct it"))
    assert result.status == "partial"
    # what is missing comes first: it is what a reader acts on, and what a cut line keeps
    assert result.message == ("does not name restriction, which applies whatever the lawful basis, or objection, "
                              "which applies under public task (Guide X); names access and rectification")
    assert [e.quote for e in result.evidence] == ["ask us for a copy", "correct it"]


def test_several_bases_add_up_and_a_right_says_every_basis_it_comes_from() -> None:
    result = judge(basis("consent"), basis("legitimate_interests"), right("access"), right("rectification"),
                   right("restriction"), right("objection"), right("portability"))
    assert result.status == "partial"
    assert "does not name erasure, which applies under consent and legitimate interests" in result.message


def test_met_quotes_one_passage_per_right_before_repeats() -> None:
    found = [right("access", "copy one"), right("access", "copy two"), right("rectification", "correct"),
             right("restriction", "restrict")]
    result = judge(*found)
    assert result.status == "met"
    assert [e.quote for e in result.evidence][:3] == ["copy one", "correct", "restrict"]
    assert "copy two" in [e.quote for e in result.evidence]


def test_no_basis_found_expects_only_the_rights_that_always_apply() -> None:
    met = judge(right("access"), right("rectification"), right("restriction"))
    assert met.status == "met" and "whatever the lawful basis" in met.message
    partial = judge(right("access"))
    assert partial.status == "partial" and "no lawful basis found" in partial.message
    assert "erasure" not in partial.message and "objection" not in partial.message
    # a finding that names only legislation (no Art 6 value) is no basis either
    assert judge(basis(None, statute="Housing Act 1996"), right("access"), right("rectification"),
                 right("restriction")).status == "met"


def test_missing_when_no_right_of_the_table_is_named() -> None:
    result = judge(basis("public_task"), right("complaint"), right("informed"), right("withdraw_consent"))
    assert result.status == "missing" and result.evidence == ()
    assert "looked for the rights" in result.message


def test_optional_rights_count_as_named_but_are_never_expected() -> None:
    only_adm = judge(right("automated_decision_making"))
    assert only_adm.status == "partial" and "names automated decision making" in only_adm.message
    without_adm = judge(right("access"), right("rectification"), right("restriction"))
    assert without_adm.status == "met"


def test_a_right_to_ask_another_body_is_not_one_this_notice_gives() -> None:
    dwp = "Department for Work and Pensions"
    elsewhere = [right(r, f"ask the DWP ({r})", other_body=dwp) for r in ("access", "rectification", "restriction")]
    alone = judge(*elsewhere)
    assert alone.status == "partial"
    assert f"only as rights to ask another body ({dwp})" in alone.message
    assert "does not name" not in alone.message  # nothing lacking beyond what was asked of the other body
    assert alone.evidence  # the quotes show what was read
    mixed = judge(right("access", "ask us for a copy"), *elsewhere)
    assert mixed.status == "partial" and mixed.message.startswith("names access; names rectification and restriction")
    assert mixed.evidence[0].quote == "ask us for a copy"
    assert judge(*elsewhere, right("access"), right("rectification"), right("restriction")).status == "met"


def test_pointers_make_it_partial_and_are_quoted() -> None:
    pointer = Finding("rights", Evidence("your rights are in our corporate notice", LOC), None, "pointer")
    only = judge(pointer)
    assert only.status == "partial" and only.evidence[0].quote == "your rights are in our corporate notice"
    some = judge(right("access"), pointer)
    assert some.status == "partial" and "points to where its rights are set out" in some.message
    assert "your rights are in our corporate notice" in [e.quote for e in some.evidence]


def test_presence_for_evaluation_is_unchanged_by_the_table() -> None:
    """The corpus measures presence as met or partial: any right named keeps the item present."""
    for found in ([right("erasure")], [right("objection", other_body="NHS England")], [right("access")]):
        assert apply_rule(RULE, Findings(tuple(found))).status in ("met", "partial")
    assert apply_rule(RULE, Findings((right("complaint"),))).status == "missing"
