"""Contacts with roles, the DPO contact, the complaint to the ICO and the Art 27 representative.

Hand-written sentences about fictional bodies (Lowmoor Borough Council and friends).
"""

from __future__ import annotations

import pytest

from notice_audit.extract import contacts, extract, extracted_values
from notice_audit.extract.elements import extract as extract_cues
from notice_audit.model import Findings
from tests.conftest import make_doc


def run(*sections) -> Findings:  # type: ignore[no-untyped-def]
    return extract(make_doc(*sections))


def roles(found: Findings) -> dict[str, str]:
    return {f.value: f.attributes["role"] for f in found.of("contact") if f.value}


# --- roles ---------------------------------------------------------------------------------------


def test_nearest_role_in_the_sentence_wins() -> None:
    found = run(("Contact us", [
        "If our Data Protection Officer (dpo@lowmoor.gov.uk) cannot help, you can contact the Information "
        "Commissioner's Office on 0303 123 1113.",
    ]))
    assert roles(found) == {"dpo@lowmoor.gov.uk": "dpo", "03031231113": "ico"}


def test_address_laid_out_under_a_dpo_label() -> None:
    found = run(("Contact us", [
        "Data Protection Officer",
        "Lowmoor Borough Council",
        "Town Hall",
        "Lowmoor LM1 1AA",
        "Telephone 01234 567890",
        "Email info@lowmoor.gov.uk",
        "For anything else about our services, call 01234 000111.",
    ]))
    got = roles(found)
    assert got["LM1 1AA"] == "dpo"
    assert got["01234567890"] == "dpo"
    assert got["info@lowmoor.gov.uk"] == "dpo"
    # a prose block ends the label run: this number belongs to the service
    assert got["01234000111"] == "service"


def test_label_run_does_not_cross_sections() -> None:
    found = run(("Contents", ["Data Protection Officer"]),
                ("Housing team", ["Telephone 01234 222333"]))
    assert roles(found) == {"01234222333": "service"}


def test_heading_gives_a_role_when_nothing_nearer_does() -> None:
    found = run(("Data Protection Officer", ["You can write to: Town Hall, Lowmoor LM1 1AA."]))
    assert roles(found) == {"LM1 1AA": "dpo"}


def test_controller_role_for_the_named_controllers_address_and_registration() -> None:
    found = run(("", [
        "We are Lowmoor Borough Council, Town Hall, Lowmoor LM1 1AA.",
        "Our registration number is Z1234567.",
        "Email housing@lowmoor.gov.uk with any question about your tenancy.",
    ]))
    assert roles(found) == {"LM1 1AA": "controller", "Z1234567": "controller",
                            "housing@lowmoor.gov.uk": "service"}


def test_ico_details_are_the_icos_wherever_they_appear() -> None:
    found = run(("Contact us", ["Wycliffe House, Water Lane, Wilmslow SK9 5AF", "Helpline: 0303 123 1113",
                                "Website: https://ico.org.uk/make-a-complaint"]))
    assert set(roles(found).values()) == {"ico"}


def test_dpo_mailbox_names_the_dpo() -> None:
    found = run(("Contact us", ["Our data protection lead can be reached at:", "dpo.requests@lowmoor.sch.uk"]))
    assert roles(found) == {"dpo.requests@lowmoor.sch.uk": "dpo"}
    other = run(("Contact us", ["Email dpowell@lowmoor.sch.uk about school trips."]))
    assert roles(other) == {"dpowell@lowmoor.sch.uk": "service"}


def test_roles_reach_the_report() -> None:
    found = run(("", ["You can email our Data Protection Officer at privacy@lowmoor.gov.uk."]))
    rows = extracted_values(found)["contacts"]["roles"]
    assert {"value": "privacy@lowmoor.gov.uk", "kind": "email", "role": "dpo"} in rows
    assert found.of("contact")[0].attributes["role_from"] == "sentence"


# --- DPO contact ---------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "You can contact our Data Protection Officer by email at dpo@lowmoor.gov.uk.",
    "You can also use our contact form to get in touch with our Data Protection Officer.",
    "Our Data Protection Officer is Sam Example, who can be contacted via the school office.",
    "To reach the DPO, write to the Town Hall, Lowmoor, marked for the attention of the DPO.",
    "Details of how to contact our Data Protection Officer are available on our data protection page.",
])
def test_dpo_contact_given(sentence: str) -> None:
    assert run(("", [sentence])).of("dpo_contact")


@pytest.mark.parametrize("sentence", [
    "We have appointed a Data Protection Officer to oversee compliance.",
    "Our data protection officer is Sam Example.",
    "If you are unhappy, you can contact the Data Protection Officer.",
    "If you have any questions, contact our Data Protection Officer at",
    "The Data Protection Officer for the Council can be contacted on",
    "Please get in contact with the Data Protection Officer using the details at the end.",
    "A privacy notice must tell you how to contact the data protection officer by email.",
    "Our Data Protection Officer is available to answer questions about this notice.",
])
def test_dpo_contact_not_given(sentence: str) -> None:
    assert not run(("", [sentence])).of("dpo_contact")


def test_dpo_contact_from_a_labelled_address() -> None:
    found = run(("Contact", ["Our Data Protection Officer can be contacted at:", "Town Hall", "Lowmoor LM1 1AA"]))
    dpo = found.of("dpo_contact")
    assert [f.value for f in dpo] == ["LM1 1AA"]
    assert dpo[0].attributes["via"] == "postcode"


def test_dpo_address_given_below_the_sentence() -> None:
    found = run(("Contact us", ["Please email our Data Protection Officer using the address below.",
                                "Information Governance Team info.gov@lowmoor.gov.uk"]))
    dpo = found.of("dpo_contact")
    assert [(f.value, f.attributes["via"]) for f in dpo] == [("info.gov@lowmoor.gov.uk", "email")]
    assert "address below" in dpo[0].evidence.quote and "info.gov@" in dpo[0].evidence.quote
    # with nothing below, the sentence gives no way in
    assert not run(("Contact us", ["Please email our Data Protection Officer using the address below."])).of(
        "dpo_contact")


def test_pointer_to_the_dpo_details_is_a_pointer() -> None:
    found = run(("", ["To contact our DPO, see the data protection page on our website."]))
    assert {f.kind for f in found.of("dpo_contact")} == {"pointer"}
    found = run(("", ["How to contact the Data Protection Officer is set out on our privacy page."]))
    assert {f.kind for f in found.of("dpo_contact")} == {"pointer"}


# --- complaint to the ICO ------------------------------------------------------------------------


def complaint(sentence: str, heading: str = "Your rights") -> list[str]:
    return [f.kind for f in extract_cues(make_doc((heading, [sentence])), "complaint_to_ico")]


@pytest.mark.parametrize("sentence", [
    "You have the right to complain to the Information Commissioner's Office.",
    "If you are unhappy with how we handled your data, you can contact the ICO.",
    "You can raise a concern with the ICO at ico.org.uk/concerns.",
    "You have the right to lodge a complaint with a supervisory authority, in particular in the Member State "
    "of your habitual residence.",
    "You may also complain to the data protection authority in the EU country where you live.",
    "You can also report your concern to the Information Commissioner.",
])
def test_complaint_to_the_ico_or_a_supervisory_authority(sentence: str) -> None:
    assert complaint(sentence) == ["statement"]


@pytest.mark.parametrize("sentence", [
    "We are registered with the ICO as a data controller (Z1234567).",
    "We will report serious data breaches to the ICO within 72 hours.",
    "We may share complaint records with the ICO when it investigates us.",
    "More information about your rights is on the ICO website.",
    "If you have a complaint about our service, contact our customer team.",
    "A privacy notice must tell you that you can complain to the ICO.",
])
def test_not_a_complaint_right(sentence: str) -> None:
    assert complaint(sentence) == []


def test_complaint_under_a_complaints_to_the_ico_heading() -> None:
    assert complaint("Write to Wycliffe House, Water Lane, Wilmslow.", heading="Complaints to the ICO") == [
        "statement"]


# --- Article 27 representative -------------------------------------------------------------------


def representative(sentence: str) -> bool:
    return bool(extract_cues(make_doc(("", [sentence])), "representative"))


@pytest.mark.parametrize("sentence", [
    "Our UK representative is Example Rep Ltd, 1 High Street, London.",
    "We have appointed Example Rep Ltd as our representative in the UK under Article 27 of the UK GDPR.",
    "Our EU representative can be contacted at rep@example.eu.",
])
def test_representative_named(sentence: str) -> None:
    assert representative(sentence)


@pytest.mark.parametrize("sentence", [
    "You can ask your elected representative to contact us for you.",
    "A legal representative may act on your behalf.",
    "Controllers outside the UK must appoint a representative under Article 27.",
    "As we are based in the UK we are not required to appoint a UK representative.",
    "If a representative applies for you, the representative is asked for proof of authority.",
])
def test_representative_not_named(sentence: str) -> None:
    assert not representative(sentence)


# --- robustness ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("hostile", "complaint"), [
    ("contact the DPO at " * 3000, 0),
    ("Data Protection Officer\n" * 3000, 0),
    ("complain " * 5000 + "ICO", 1),
    ("representative " * 5000, 0),
])
def test_hostile_input_finds_only_what_is_there(hostile: str, complaint: int) -> None:
    """Runs of cue words with nothing after them name no DPO contact and no representative; the one
    complaint that reaches the ICO is found once. (Their speed is the scaling benchmark's: these runs are
    part of ``benchmarks.synthetic.hostile_text``.)"""
    doc = make_doc(("Contact", [hostile]))
    assert contacts.dpo_findings(contacts.extract(doc), doc) == []
    assert len(extract_cues(doc, "complaint_to_ico")) == complaint
    assert extract_cues(doc, "representative") == []
