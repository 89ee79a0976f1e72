"""Outdated legal references, each with the current reference to use, and what is not outdated."""

from __future__ import annotations

import pytest

from notice_audit.extract.practice import outdated_law
from tests.conftest import make_doc


def refs(*blocks: str, heading: str = "How we use your information") -> list[str]:
    return sorted({str(f.value) for f in outdated_law.extract(make_doc((heading, list(blocks))))})


UK = "We follow the UK GDPR."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lowmoor Borough Council handles your records as the Data Protection Act 1998 requires.", "dpa_1998"),
        ("Your information is handled in line with the DPA 1998.", "dpa_1998"),
        ('Under the 1998 Act, health details are sensitive data, so we lock them away.', "dpa_1998"),
        ("We comply with the Data Protection Directive.", "data_protection_directive"),
        ("Transfers follow Directive 95/46/EC.", "data_protection_directive"),
        ("Our supplier is certified under the EU-US Privacy Shield.", "privacy_shield"),
        ("Our supplier is a member of the Safe Harbor scheme.", "safe_harbour"),
        ("Your rights come from the EU General Data Protection Regulation.", "eu_gdpr"),
        ("Lowmoor follows the European Union's General Data Protection Regulation.", "eu_gdpr"),
        ("Our processing is governed by the EU GDPR.", "eu_gdpr"),
        ("Data protection is EU law that applies in the UK directly.", "eu_law_applies"),
    ],
)
def test_outdated_references(text: str, expected: str) -> None:
    assert expected in refs(text, UK)


@pytest.mark.parametrize(
    "text",
    [
        "The Data Protection Act 2018 replaced the Data Protection Act 1998.",
        "The Privacy Shield was invalidated in 2020, so we now rely on the UK-US data bridge.",
        "We apply Regulation (EU) 2016/679, now known as the UK GDPR.",
        "We follow the GDPR as retained in UK law, Regulation (EU) 2016/679.",
        "Lowmoor police data falls under rules that put Directive (EU) 2016/680 into UK law.",
        "We follow the Privacy and Electronic Communications (EC Directive) Regulations 2003.",
        "Rights under the Human Rights Act 1998 are not affected.",
        "Where we offer services to people in the EU, the EU GDPR also applies.",
    ],
)
def test_current_or_historical_references_are_not_flagged(text: str) -> None:
    assert refs(text, UK) == []


def test_gdpr_without_the_uk_gdpr_is_flagged_once_with_the_first_mention() -> None:
    found = outdated_law.extract(make_doc(("Your rights", [
        "We process your data under the GDPR.", "The General Data Protection Regulation gives you rights."])))
    assert [f.value for f in found] == ["gdpr_without_uk_gdpr"]
    assert found[0].evidence.quote == "We process your data under the GDPR."
    assert "UK GDPR" in found[0].attributes["current"]
    assert refs("We process your data under the GDPR.", "The UK GDPR gives you rights.") == []
    heading_only = outdated_law.extract(make_doc(("GDPR privacy notice", ["We hold your name."])))
    assert [f.value for f in heading_only] == ["gdpr_without_uk_gdpr"]


def test_each_finding_says_what_to_use_instead() -> None:
    found = outdated_law.extract(make_doc(("", ["Our supplier is certified under the Privacy Shield.", UK])))
    assert found[0].attributes["text"] == "Privacy Shield"
    assert "UK-US data bridge" in found[0].attributes["current"]
    assert "Privacy Shield" in found[0].evidence.quote


def test_sentences_that_explain_the_law_count_too() -> None:
    # an outdated explanation misleads as much as an outdated disclosure
    text = "A privacy notice must list what the Data Protection Act 1998 lets you do."
    assert refs(text, UK) == ["dpa_1998"]


def test_sentence_gate_never_rules_out_a_reference_or_a_gdpr_mention() -> None:
    """The one-set-test pre-check agrees with every pattern it stands for, case folding included."""
    from notice_audit.extract.practice.outdated_law import lexicon

    lex = lexicon()
    tricky = ["We comply with the Data Protection Act 1998.", "under the dpa 98", "SAFE HARBOR", "the Privacy Shield",
              "the GDPR", "the uk gdpr", "the General Data Protection Regulation", "EU law which applies in the UK",
              "Directive 95/46/EC", "the 1998 Act on data", "Privacy \u017fhield", "nothing here", ""]
    matchers = [lex.gdpr_uk, lex.gdpr_mention] + [p for r in lex.references for p in (r.patterns, r.contextual) if p]
    for text in tricky:
        if any(m.search(text) for m in matchers):
            assert not lex.any_gate.rules_out(text), text
    assert lex.any_gate.rules_out("We share your data with the police.")
