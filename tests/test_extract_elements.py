"""Each extractor family on small hand-written notices (fictional council)."""

from __future__ import annotations

import pytest

from notice_audit.extract import extract, extracted_values
from notice_audit.extract.recipients import categorise
from notice_audit.model import Findings
from tests.conftest import make_doc


def run(*sections) -> Findings:  # type: ignore[no-untyped-def]
    return extract(make_doc(*sections))


def kinds(findings: Findings, element: str) -> set[str]:
    return {f.kind for f in findings.of(element)}


def test_controller_needs_a_proper_name() -> None:
    named = run(("", ["Lowmoor Borough Council is the data controller for your information."]))
    assert [f.value for f in named.of("controller_identity")] == ["Lowmoor Borough Council"]
    as_we = run(("", ["Lowmoor Borough Council (\"we\", \"us\") collects information to run services."]))
    assert as_we.of("controller_identity")
    anonymous = run(("", ["The Council is the data controller.", "We use your data to provide services."]))
    assert not anonymous.of("controller_identity")
    passing = run(("Sharing", ["We share with:", ("list_item", "other services with Lowmoor Borough Council")]))
    assert not passing.of("controller_identity")


def test_lawful_bases_in_legal_and_plain_words() -> None:
    found = run(("Our lawful basis", [
        "We rely on Article 6(1)(e) of the UK GDPR.",
        "Some processing is required by law.",
        "Where you have given your consent we will send you newsletters.",
        "In an emergency we may share data to protect someone's life.",
    ]))
    assert set(found.values("lawful_basis")) == {"public_task", "legal_obligation", "consent", "vital_interests"}


def test_explicit_consent_is_art9_not_the_art6_consent_basis() -> None:
    found = run(("Special category data", ["We rely on Article 9(2)(a) explicit consent for health data."]))
    assert found.values("special_category_condition") == ["explicit_consent"]
    assert "consent" not in found.values("lawful_basis")


def test_statute_relied_on_states_a_basis() -> None:
    found = run(("", ["We provide this service under section 17 of the Children Act 1989."]))
    statutes = [f.attributes for f in found.of("statute")]
    assert statutes and statutes[0]["title"] == "Children Act" and statutes[0]["year"] == 1989
    assert statutes[0]["section"] == "17"
    assert found.of("lawful_basis")


def test_rights_plain_words_and_generic_law_is_not_a_disclosure() -> None:
    found = run(("Your rights", [
        "You can ask for a copy of the information we hold about you.",
        "You can ask us to have it corrected if it is wrong.",
        "In some cases you have the right to be forgotten.",
    ]))
    assert {"access", "rectification", "erasure"} <= set(found.values("rights"))
    generic = run(("About privacy notices", ["A privacy notice must tell you about your rights of access."]))
    assert not generic.of("rights")


def test_recipients_from_list_and_sentence_and_not_third_party_lists() -> None:
    found = run(
        ("Who we share your information with", [
            "We may share your information with:",
            ("list_item", "the police"), ("list_item", "NHS trusts"), ("list_item", "other local authorities"),
        ]),
        ("Housing", ["We may also share your details with housing associations and the DWP."]),
        ("Sharing by the Department", [
            "The law allows the Department to share pupils' data with:", ("list_item", "researchers"),
        ]),
    )
    texts = [f.attributes["text"] for f in found.of("recipients")]
    assert texts[:3] == ["the police", "NHS trusts", "other local authorities"]
    assert "housing associations" in texts and "the DWP" in texts
    assert "researchers" not in texts


def test_recipient_categories() -> None:
    assert categorise("the police") == "police_law_enforcement"
    assert categorise("Department for Work and Pensions") == "benefits_agencies"
    assert categorise("other local authorities (in adoption cases)") == "other_local_authorities"
    assert categorise("HM Revenue and Customs") == "hmrc"
    assert categorise("our IT suppliers") == "contractors_processors"
    assert categorise("a friendly neighbour") == "other"


def test_transfers_and_automated_decisions_negations_count() -> None:
    found = run(("", [
        "We do not transfer your personal data outside the UK.",
        "No decisions are made about you by automated means and we do not use profiling.",
    ]))
    assert kinds(found, "international_transfers") == {"negation"}
    assert kinds(found, "automated_decision_making") == {"negation"}


def test_retention_periods_and_schedule() -> None:
    found = run(("How long we keep your information", [
        "We keep application records for six years after the tenancy ends.",
        "Other records are kept in line with our retention schedule.",
    ]))
    values = extracted_values(found)["retention"]
    assert any(r["period"] == "P6Y" for r in values)
    assert len(found.of("retention", kinds=("statement",))) >= 2


def test_complaint_to_ico_and_dpo_contact_role() -> None:
    found = run(("Contact us", [
        "You can contact our Data Protection Officer by email at dpo@lowmoor.gov.uk.",
        "You also have the right to complain to the Information Commissioner's Office on 0303 123 1113.",
    ]))
    assert found.of("complaint_to_ico")
    dpo = found.of("dpo_contact")
    assert dpo and dpo[0].value == "dpo@lowmoor.gov.uk"
    roles = {f.value: f.attributes["role"] for f in found.of("contact")}
    assert roles == {"dpo@lowmoor.gov.uk": "dpo", "03031231113": "ico"}


def test_dpo_named_without_a_route_is_not_a_contact() -> None:
    found = run(("", ["We have appointed a Data Protection Officer to oversee compliance."]))
    assert not found.of("dpo_contact")


def test_pointer_to_corporate_notice_is_a_pointer() -> None:
    found = run(("Your rights", ["For details of your rights, see our corporate privacy notice."]))
    assert kinds(found, "rights") == {"pointer"}
    found = run(("", ["Information about how long we keep your data is set out in our corporate privacy notice."]))
    assert kinds(found, "retention") == {"pointer"}


def test_other_cue_elements() -> None:
    found = run(("", [
        "We will use your information to process your application and to contact you about it.",
        "We collect information such as your name, address and date of birth.",
        "We also receive information about you from other agencies, such as the police and your GP.",
        "If you do not provide this information we will not be able to process your claim.",
        "You can withdraw your consent at any time by emailing us.",
    ]))
    for element in ("purposes", "data_categories", "data_source", "statutory_contractual_requirement",
                    "withdraw_consent"):
        assert found.of(element), element


def test_consent_spoken_of_outside_the_bases_and_the_cookie_banner() -> None:
    from notice_audit.extract.elements import extract as element

    assert element(make_doc(("", ["We will not share your details without your consent."])), "consent")
    assert element(make_doc(("", ["We ask for your permission before we take photographs."])), "consent")
    assert not element(make_doc(("Cookies", ["We set analytics cookies only with your consent."])), "consent")
    assert not element(make_doc(("", ["Your tenancy agreement sets out your rent."])), "consent")
    assert not element(make_doc(("", ["This means we do not need your consent to use your information."])), "consent")


def test_an_elements_findings_are_found_once_per_document_and_handed_out_as_new_lists(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``rights`` and the element's own extractor both ask; the second is answered from the document's
    index, which is let go with the document."""
    from notice_audit.extract import elements
    from notice_audit.extract.index import index_of, release

    doc = make_doc(("Your rights", ["You can withdraw your consent at any time by emailing us."]))
    first = elements.extract(doc, "withdraw_consent")
    assert first and index_of(doc).elements["withdraw_consent"] == tuple(first)
    runs: list[str] = []
    real = elements._extract
    monkeypatch.setattr(elements, "_extract", lambda index, lex: runs.append(lex.element) or real(index, lex))
    again = elements.extract(doc, "withdraw_consent")
    assert again == first and again is not first and runs == []
    again.clear()
    assert elements.extract(doc, "withdraw_consent") == first
    release(doc)  # a new index: found again, the same
    assert elements.extract(doc, "withdraw_consent") == first and runs == ["withdraw_consent"]


def test_pointer_partners_are_found_once_per_document_for_every_element() -> None:
    """Each sentence with the pointer that completes it (the next sentence, a list's lead-in or the
    paragraph after the list), kept in the index for every element; let go with the document."""
    from notice_audit.extract import elements
    from notice_audit.extract.index import index_of, release

    doc = make_doc(("", [
        "You have rights over your information.",
        "They are set out in our corporate privacy notice.",
        "Our corporate privacy notice tells you about:",
        ("list_item", "how long we keep your information"),
    ]))
    index = index_of(doc)
    partners = elements.pointer_partners(index)
    texts = [(u.text, p.text) for u, p in partners]
    assert texts == [("You have rights over your information.", "They are set out in our corporate privacy notice."),
                     ("how long we keep your information", "Our corporate privacy notice tells you about:")]
    assert all("pointer" in p.roles and "pointer" not in u.roles for u, p in partners)
    assert [u.position for u, _ in partners] == sorted(u.position for u, _ in partners)
    assert elements.pointer_partners(index) is partners and index.partners is partners
    release(doc)
    assert index.partners is None
