"""The engine's good-practice rule kinds (max_age, metric), absent messages, as_of, and the schemas."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from notice_audit.formats.json import validation_errors
from notice_audit.model import Evidence, Finding, Findings, ItemResult, Locator
from notice_audit.rules.checklist import ChecklistError, Item, load_checklist
from notice_audit.rules.engine import NONE_FOUND, evaluate, evaluate_item

LOC = Locator("n.html", ("About this notice",), fragment="about")


def f(element: str, value: str | None = None, quote: str = "q", **attrs: object) -> Finding:
    return Finding(element, Evidence(quote, LOC), value, "statement", attrs)


def item(rule: dict, when: dict | None = None) -> Item:
    return Item("x", "X", "Art 12", "recommended", 1.0, rule, "the thing", "do it", "", when)


# --- max_age -----------------------------------------------------------------------------------

AGE = {"max_age": {"element": "review_date", "days": 365}}
DATED = Findings((f("review_date", "2024-03-01", "Last updated: 1 March 2024", date="2024-03-01"),
                  f("review_date", "2022-01-31", "Reviewed: January 2022", date="2022-01-31")))


def test_max_age_judges_the_newest_date_against_as_of_and_quotes_it() -> None:
    met = evaluate_item(item(AGE), DATED, {}, as_of=date(2025, 1, 1))
    assert met.status == "met" and met.evidence[0].quote == "Last updated: 1 March 2024"
    assert "2024-03-01" in met.message and "306 days" in met.message
    old = evaluate_item(item(AGE), DATED, {}, as_of=date(2026, 3, 2))
    assert old.status == "failed" and old.evidence[0].quote == "Last updated: 1 March 2024"
    assert "731 days (about 2.0 years) before 2026-03-02; at most 365 days wanted" in old.message


def test_max_age_without_a_date_is_missing_and_a_later_date_is_met() -> None:
    missing = evaluate_item(item(AGE), Findings(), {}, as_of=date(2025, 1, 1))
    assert missing.status == "missing" and "looked for the thing" in missing.message
    later = evaluate_item(item(AGE), DATED, {}, as_of=date(2023, 1, 1))
    assert later.status == "met" and "after the as-of date" in later.message


def test_max_age_limit_from_a_fact_and_a_bad_fact_is_a_checklist_error() -> None:
    rule = {"max_age": {"element": "review_date", "days": 365, "days_fact": "review_max_days"}}
    as_of = date(2025, 1, 1)
    assert evaluate_item(item(rule), DATED, {}, as_of=as_of).status == "met"
    assert evaluate_item(item(rule), DATED, {"review_max_days": "100"}, as_of=as_of).status == "failed"
    with pytest.raises(ChecklistError, match="review_max_days"):
        evaluate_item(item(rule), DATED, {"review_max_days": "soon"}, as_of=as_of)


def test_evaluate_passes_as_of_to_every_item() -> None:
    checklist = load_checklist("uk-gdpr-good-practice")
    results = {r.id: r for r in evaluate(checklist, DATED, as_of=date(2024, 6, 1))}
    assert results["review_age"].status == "met"
    results = {r.id: r for r in evaluate(checklist, DATED, as_of=date(2030, 6, 1))}
    assert results["review_age"].status == "failed"


# --- metric ------------------------------------------------------------------------------------


def metrics(**values: float) -> Findings:
    base = {"reading_ease": 45.0, "sentences_over_25_words": 30.0, "jargon_per_100_words": 2.0}
    base.update(values)
    return Findings((
        f("plain_language", "reading_ease", "The hardest sentence.", **base, passage="the hardest sentence"),
        f("plain_language", "sentences_over_25_words", "The longest sentence.", **base),
        f("plain_language", "jargon_per_100_words", "Pursuant to the law.", **base,
          advice="'pursuant to' → 'under' (1×)"),
    ))


@pytest.mark.parametrize(
    ("rule", "status", "quote"),
    [
        ({"name": "reading_ease", "min": 40}, "met", "The hardest sentence."),
        ({"name": "reading_ease", "min": 50}, "failed", "The hardest sentence."),
        ({"name": "sentences_over_25_words", "max": 25}, "failed", "The longest sentence."),
        ({"name": "sentences_over_25_words", "max": 30}, "met", "The longest sentence."),
        ({"name": "reading_ease", "min": 40, "max": 44}, "failed", "The hardest sentence."),
    ],
)
def test_metric_compares_and_quotes_the_passage_measured(rule: dict, status: str, quote: str) -> None:
    result = evaluate_item(item({"metric": {"element": "plain_language", **rule}}), metrics(), {})
    assert result.status == status and result.evidence[0].quote == quote


def test_metric_message_says_the_number_what_was_wanted_and_the_plain_alternatives() -> None:
    result = evaluate_item(item({"metric": {"element": "plain_language", "name": "jargon_per_100_words",
                                            "max": 1}}), metrics(), {})
    assert result.status == "failed"
    assert "jargon per 100 words 2 (at most 1 wanted)" in result.message
    assert "'pursuant to' → 'under'" in result.message
    pct = evaluate_item(item({"metric": {"element": "plain_language", "name": "sentences_over_25_words",
                                         "max": 25}}), metrics(), {})
    assert "30% (at most 25% wanted)" in pct.message


def test_metric_with_nothing_measured_does_not_apply() -> None:
    result = evaluate_item(item({"metric": {"element": "plain_language", "name": "reading_ease", "min": 40}}),
                           Findings(), {})
    assert result.status == "not_applicable" and "too little text" in result.message


def test_metric_inside_all_fails_when_one_part_fails() -> None:
    rule = {"all": [{"metric": {"element": "plain_language", "name": "reading_ease", "min": 40}},
                    {"metric": {"element": "plain_language", "name": "jargon_per_100_words", "max": 1}}]}
    result = evaluate_item(item(rule), metrics(), {})
    assert result.status == "failed" and {e.quote for e in result.evidence} >= {"Pursuant to the law."}


# --- absent ------------------------------------------------------------------------------------


def test_absent_met_says_what_was_looked_for_and_failed_says_what_to_use_instead() -> None:
    rule = {"absent": "outdated_law"}
    met = evaluate_item(item(rule), Findings(), {})
    assert met.status == "met" and met.evidence == ()
    assert met.message == f"{NONE_FOUND}: looked for the thing"
    found = Findings((f("outdated_law", "dpa_1998", "under the Data Protection Act 1998",
                        text="Data Protection Act 1998", current="the UK GDPR and the DPA 2018"),))
    failed = evaluate_item(item(rule), found, {})
    assert failed.status == "failed" and failed.evidence[0].quote == "under the Data Protection Act 1998"
    assert "use instead: 'Data Protection Act 1998' → the UK GDPR and the DPA 2018" in failed.message
    vague = evaluate_item(item({"absent": "vague_recipients"}),
                          Findings((f("vague_recipients", None, "to third parties", text="third parties"),)), {})
    assert "found: 'third parties'" in vague.message


# --- conditions on the audience, and ignoring conditions ----------------------------------------


def test_audience_condition_and_ignore_when() -> None:
    children = Findings((f("audience", "children", "Privacy notice for pupils"),))
    rule = {"present": "audience"}
    when = {"field": "audience", "contains": "children"}
    assert evaluate_item(item(rule, when), children, {}).status == "met"
    assert evaluate_item(item(rule, when), Findings(), {}).status == "not_applicable"
    assert evaluate_item(item(rule, when), Findings(), {}, ignore_when=True).status == "missing"


# --- schemas -----------------------------------------------------------------------------------


def minimal(**changes: object) -> dict:
    raw = {"id": "age", "title": "Age", "reference": "Art 12", "severity": "recommended", "weight": 1,
           "rule": {"max_age": {"element": "review_date", "days": 365}}, "looked_for": "a date",
           "guidance": "add one"}
    raw.update(changes)
    return {"id": "mine", "version": "1", "title": "Mine", "items": [raw]}


def write(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


def test_new_rule_kinds_and_examples_load(tmp_path: Path) -> None:
    data = minimal(examples={"meets": ["Last updated: 1 May 2025", {"text": "Updated: May 2025",
                                                                    "as_of": "2025-06-01"}],
                             "fails": ["No date."]})
    checklist = load_checklist(write(tmp_path, data))
    assert checklist.items[0].examples is not None and len(checklist.items[0].examples["meets"]) == 2
    metric = minimal(rule={"metric": {"element": "plain_language", "name": "reading_ease", "min": 50}})
    assert load_checklist(write(tmp_path, metric)).items[0].rule["metric"]["min"] == 50


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rule": {"metric": {"element": "plain_language", "name": "readability", "min": 1}}}, "unknown metric"),
        ({"rule": {"metric": {"element": "plain_language", "name": "reading_ease"}}}, "/items/0/rule"),
        ({"rule": {"max_age": {"element": "review_dates", "days": 3}}}, "unknown element 'review_dates'"),
        ({"rule": {"max_age": {"element": "review_date", "days": 0}}}, "/items/0/rule"),
        ({"examples": {"meets": [{"text": "x", "as_of": "May 2025"}]}}, "/items/0/examples"),
        ({"examples": {"passes": ["x"]}}, "/items/0/examples"),
    ],
)
def test_broken_new_rules_and_examples_are_rejected_with_their_path(tmp_path: Path, changes: dict,
                                                                   message: str) -> None:
    with pytest.raises(ChecklistError, match="item 'age'") as err:
        load_checklist(write(tmp_path, minimal(**changes)))
    assert message in str(err.value)


def report_with(item_result: ItemResult) -> dict:
    return {
        "tool": {"name": "notice-audit", "version": "0"}, "checklist": {"id": "c", "version": "1"},
        "generated_at": "2025-01-01T00:00:00+00:00", "errors": [],
        "notices": [{"source": "n.html", "title": "", "score": 100, "passed": True,
                     "items": [item_result.to_json()],
                     "extracted": {"lawful_bases": [], "special_category_conditions": [], "statutes": [],
                                   "rights": [], "recipients": [], "retention": [],
                                   "contacts": {"emails": [], "phones": [], "postcodes": [], "urls": []}}}],
        "summary": {"notices": 1, "passed": 1, "mean_score": 100},
    }


def test_report_schema_lets_only_a_none_found_met_go_without_a_quote() -> None:
    met_absent = evaluate_item(item({"absent": "outdated_law"}), Findings(), {})
    assert validation_errors(json.loads(json.dumps(report_with(met_absent)))) == []
    bare = ItemResult("x", "X", "met", "required", 1.0, "found 1 statement")
    assert validation_errors(report_with(bare))
