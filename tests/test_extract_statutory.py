"""Statutory or contractual requirement: must the individual provide the data, and what if they do not."""

from __future__ import annotations

from notice_audit.extract.elements import extract as extract_cues
from notice_audit.model import Document
from tests.conftest import make_doc

ELEMENT = "statutory_contractual_requirement"


def kinds(doc: Document) -> set[str]:
    return {f.kind for f in extract_cues(doc, ELEMENT)}


def one(text: str, heading: str = "") -> set[str]:
    return kinds(make_doc((heading, [text])))


def test_consequences_of_not_providing() -> None:
    assert one("If you do not give us these details we cannot process your application.")
    assert one("Without this information we will not be able to assess your needs.")
    assert one("If we do not have enough information we may be unable to offer you a place.")
    assert one("If we cannot use your information your treatment may be delayed.")


def test_required_optional_and_voluntary() -> None:
    assert one("You are required by law to provide this information to the Electoral Registration Officer.")
    assert one("The law makes it compulsory to provide information for the register.")
    assert one("It is a legal requirement for you to respond to the household enquiry form.")
    assert one("Providing your equality information is voluntary.")
    assert one("You are not obliged to provide your telephone number.")
    assert one("You are under no obligation to provide us with this information.")
    assert one("Giving us your phone number is optional.")
    assert one("You have a legal duty to tell us about changes in your circumstances.")
    assert one("The provision of personal data is a contractual requirement.")
    assert one("You can refuse to provide your details, although this might limit the help we can give.")
    assert one("It is your choice whether to provide your ethnicity.")
    assert one("We ask for the following mandatory information:")
    assert one("Some details are required to become a member of Lowmoor Library.")


def test_question_heading_with_an_answer() -> None:
    doc = make_doc(("What happens if you do not provide your information?",
                    ["We will be unable to issue your permit."]))
    assert kinds(doc) == {"statement"}
    assert kinds(make_doc(("Do I have to give you my details?", ["No."])))


def test_duties_of_the_organisation_do_not_count() -> None:
    assert not one("Under the Care Act 2014 local authorities have a statutory obligation to provide care.")
    assert not one("The council has a legal requirement to provide school places for every child.")
    assert not one("Providing these services is our statutory duty.")
    assert not one("Schools take part in the mandatory data collection known as the school census.")
    assert not one("Some information is required by law to be shared with HMRC.")
    assert not one("We will not share your information without your consent.")
    assert not one("We never use the data without the data subject knowing.")


def test_proof_of_identity_for_a_request_does_not_count() -> None:
    assert not one("To make a subject access request you must provide proof of identity.")
    assert not one("You will need to provide identification with your request.")
