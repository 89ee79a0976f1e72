"""Special category data, criminal offence data conditions, Schedule 1 and the appropriate policy document."""

from __future__ import annotations

import pytest

from notice_audit.extract import extract
from notice_audit.model import Findings
from tests.conftest import make_doc


def found(*blocks: str | tuple[str, str], heading: str = "What we collect") -> Findings:
    return extract(make_doc((heading, list(blocks))))


@pytest.mark.parametrize(
    "text",
    [
        "We hold information about your health.",
        "We may also process special category data.",
        "We record your ethnic origin and religion.",
        "We keep details of any disability you tell us about.",
        "We collect sensitive personal data such as medical records.",
        "Biometric data (your fingerprint) is used to sign you in.",
    ],
)
def test_special_category_data(text: str) -> None:
    assert found(text).of("special_category_data")


@pytest.mark.parametrize(
    "text",
    [
        "We follow health and safety law in our offices.",
        "Assessments are carried out under the Mental Health Act 1983.",
        "We hold your name and address.",
        "Religious organisations may hire our halls.",
    ],
)
def test_not_special_category_data(text: str) -> None:
    assert not found(text).of("special_category_data")


def test_criminal_offence_conditions_need_criminal_context_unless_explicit() -> None:
    assert found("We process criminal offence data under Article 10 of the UK GDPR.").of("criminal_offence_condition")
    assert found("We rely on section 10(5) of the Data Protection Act 2018.").of("criminal_offence_condition")
    assert found("Information about offences is processed under Schedule 1 of the Data Protection Act 2018.") \
        .of("criminal_offence_condition")
    assert found("Criminal records checks are carried out under the control of official authority.") \
        .of("criminal_offence_condition")
    # Schedule 1 without anything about offences is a special category condition, not this
    assert not found("We rely on Schedule 1 of the Data Protection Act 2018 for health data.") \
        .of("criminal_offence_condition")
    assert not found("Article 10 of the Human Rights Act protects free expression.").of("criminal_offence_condition")


def test_schedule_1_reliance_cited_or_implied_by_article_9_conditions() -> None:
    assert found("We rely on the conditions in Schedule 1 of the Data Protection Act 2018.").of("schedule_1_condition")
    implied = found("We process special category data for reasons of substantial public interest.")
    assert implied.of("schedule_1_condition")
    assert implied.of("schedule_1_condition")[0].attributes["condition"] == "substantial_public_interest"
    assert not found("We act under Schedule 1 to the Local Government Act 1972.").of("schedule_1_condition")
    assert not found("We process special category data for health or social care purposes.") \
        .of("schedule_1_condition")


def test_appropriate_policy_document() -> None:
    assert found("Our appropriate policy document explains how we protect this data.") \
        .of("appropriate_policy_document")
    assert not found("Our data protection policy explains how we protect this data.").of("appropriate_policy_document")


def test_policy_document_gate_never_rules_out_a_mention() -> None:
    """The one-set-test pre-check agrees with the appropriate-policy-document patterns."""
    from notice_audit.extract.practice.special_data import lexicon
    from notice_audit.extract.prefilter import gate

    lex = lexicon()
    tricky = ["see our Appropriate Policy Document", "APPROPRIATE POLICY DOCUMENT", "an appropriate policy document",
              "Appropriate Policy Documents", "appropriate \u017fafeguards", "no mention here", ""]
    for text in tricky:
        if lex.apd.search(text):
            assert not gate(lex.apd).rules_out(text), text
    assert gate(lex.apd).rules_out("We share your data with the police.")
