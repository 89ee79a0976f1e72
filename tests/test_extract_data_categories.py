"""Categories of personal data (lexicon-only element) on hand-written examples (fictional bodies)."""

from __future__ import annotations

import pytest

from notice_audit.extract.elements import extract as extract_cues
from tests.conftest import make_doc


def found(*blocks: str | tuple[str, str], heading: str = "") -> bool:
    return bool(extract_cues(make_doc((heading, list(blocks))), "data_categories"))


def items(*texts: str) -> list[tuple[str, str]]:
    return [("list_item", t) for t in texts]


def test_a_list_of_data_kinds_under_a_lead_in() -> None:
    assert found("The information we collect may include:", *items("Names", "Dates of birth", "Bank details"))


def test_a_list_of_kinds_without_a_lead_in() -> None:
    listed = items("Home address / postcode", "National Insurance no. of each adult")
    assert found(*listed, heading="Information we may hold")


@pytest.mark.parametrize("item", [
    "full name of the applicant",
    "your contact details, including email address",
    "mental health needs and disabilities",
    "racial or ethnic origin",
    "images of individuals recorded by our cameras",
    "Characteristics (such as language and nationality)",
])
def test_single_list_items_that_are_data_kinds(item: str) -> None:
    assert found(("list_item", item))


def test_kinds_named_in_a_sentence() -> None:
    assert found("We hold your name, address and date of birth so that we can contact you.")
    assert found("Lowmoor Borough Council uses cookies to collect IP address information.")
    assert found("Some records include sensitive data, for example ethnic origin or health records.")
    assert found("If you email us we keep a record of your email address.")


def test_lead_in_alone_does_not_count() -> None:
    # A truncated page may stop before the list: the promise of a list is not a list.
    assert not found("The records we hold may include:", heading="Information we collect")


def test_ambiguous_words_need_a_possessive_or_a_list() -> None:
    assert not found("Please use the email address below to contact the team.")
    assert not found("Write to us at the address on this page.")
    assert not found(("paragraph", "Contact details"))


def test_recipient_and_purpose_lists_are_not_data_kinds() -> None:
    assert not found("We may share information with:", *items("health services", "the police", "schools"))
    assert not found("We use your information to:", *items("assess your needs", "plan services"))
    assert not found(("list_item", "Income Tax Act 2007"))


def test_a_definition_of_personal_data_is_not_a_disclosure() -> None:
    assert not found("Personal data means any information about a living person, such as a name or date of birth.")


def test_criminal_offences_as_a_purpose_are_not_a_data_kind() -> None:
    assert not found("Law enforcement purposes include the prevention and detection of criminal offences.")


def test_possessive_contact_details_count() -> None:
    assert found(("list_item", "Your contact details"))


def test_giving_details_counts_but_a_right_granted_by_law_does_not() -> None:
    assert found("When you book a bulky waste collection, give your contact details so we can confirm it.")
    assert not found("The law gives you the right to see your health records.")


def test_the_name_of_an_officer_is_not_a_data_kind() -> None:
    assert not found("The name of our Data Protection Officer is on the contact page.")
    assert found(("list_item", "name of the child and the school they attend"))
