"""International transfers: statements, negations, answers under question headings, and look-alikes."""

from __future__ import annotations

from notice_audit.extract.elements import extract as extract_cues
from notice_audit.model import Document
from tests.conftest import make_doc

ELEMENT = "international_transfers"


def kinds(doc: Document) -> set[str]:
    return {f.kind for f in extract_cues(doc, ELEMENT)}


def one(text: str, heading: str = "") -> set[str]:
    return kinds(make_doc((heading, [text])))


def test_transfer_statements() -> None:
    assert one("Some of our suppliers may store your information on servers outside the UK.") == {"statement"}
    assert one("Where we transfer data beyond the European Union we use standard contractual clauses.")
    assert one("Lowmoor Borough Council may send your details overseas when you ask us to.") == {"statement"}
    assert one("Our case management system is hosted in the United States.")
    assert one("We rely on the UK adequacy regulations for transfers to the EEA.")


def test_where_the_data_is_held_addresses_transfers() -> None:
    assert one("Your records are processed by our own staff in the UK.")
    assert one("Our servers are located within the UK.")


def test_negations_count() -> None:
    assert one("We will never transfer your personal data outside the EEA.") == {"negation"}
    assert one("Lowmoor Borough Council does not process your information outside of the UK.") == {"negation"}
    assert one("There are no overseas transfers.") == {"negation"}
    assert one("All your information is stored in the UK.") == {"negation"}
    assert one("Your records will not leave the United Kingdom.") == {"negation"}
    assert one("Your data stays within the UK.") == {"negation"}


def test_one_word_answer_under_a_question_heading() -> None:
    doc = make_doc(("Is your information sent to other countries?", ["No"]))
    assert kinds(doc) == {"negation"}  # "No" answers the question: nothing is sent abroad
    doc = make_doc(("Data sent outside the UK", ["Not applicable"]))
    assert extract_cues(doc, ELEMENT)


def test_heading_with_nothing_after_it_does_not_count() -> None:
    assert not kinds(make_doc(("Transfers outside the UK", []), ("How long we keep it", ["Six years."])))


def test_look_alikes_do_not_count() -> None:
    assert not one("We process your data in line with the UK GDPR and the Data Protection Act 2018.")
    assert not one("Your data is processed in the UK GDPR compliant way.")
    assert not one("You can apply for a tenancy transfer through the housing register.")
    assert not one("We send poll cards to overseas electors before each election.")
    assert not one("International students should contact the admissions team.")
    assert not one("The regulation also addresses the export of personal data outside the EU.")
    assert not kinds(make_doc(("International", ["Our twinning association welcomes visitors every summer."])))
    assert not kinds(make_doc(("Transfers", ["You may ask to transfer to another council home."])))


def test_contents_list_entries_do_not_count() -> None:
    doc = make_doc(("Contents", [("list_item", "International transfers"), ("list_item", "Your rights")]))
    assert not kinds(doc)
    doc = make_doc(("", [("list_item", "whether we transfer your data outside the UK")]))
    assert not kinds(doc)
