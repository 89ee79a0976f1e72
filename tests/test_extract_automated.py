"""Automated decisions: whether they are used (or not), and the RIGHT about them, which does not count."""

from __future__ import annotations

from notice_audit.extract.elements import extract as extract_cues
from notice_audit.model import Document
from tests.conftest import make_doc

ELEMENT = "automated_decision_making"


def kinds(doc: Document) -> set[str]:
    return {f.kind for f in extract_cues(doc, ELEMENT)}


def one(text: str, heading: str = "") -> set[str]:
    return kinds(make_doc((heading, [text])))


def test_statements_of_use() -> None:
    assert one("We use profiling to target our energy advice at the households most likely to benefit.")
    assert one("Some eligibility checks are decided solely by automated means.") == {"statement"}
    assert one("Decisions on parking permits are made by a computer using the rules you can see below.")
    assert one("Your application is assessed automatically by our system.") == {"statement"}


def test_negations_count() -> None:
    assert one("Lowmoor Borough Council does not make automated decisions about you.") == {"negation"}
    assert one("No decisions are made about you by computer.") == {"negation"}
    assert one("Profiling is not used for this service.") == {"negation"}
    assert one("All decisions about your application are made by a member of staff.") == {"negation"}
    assert one("Computers do not make decisions about your benefit claim.") == {"negation"}
    assert one("Your information will not be subject to automated decision-making.") == {"negation"}


def test_one_word_answer_under_a_question_heading() -> None:
    assert kinds(make_doc(("Do computers make any decisions about you?", ["No."])))
    assert kinds(make_doc(("Automated decision making", ["Not applicable"])))


def test_the_right_alone_is_not_a_statement_of_use() -> None:
    rights = make_doc(("Your rights", [
        "You have the right:",
        ("list_item", "to object to automated decision making and profiling"),
        ("list_item", "not to be subject to a decision based solely on automated processing"),
        ("list_item", "in relation to automated decision making and profiling"),
        ("list_item", "Automated decision making and profiling"),
        "You can ask for any decision made by a computer to be reviewed by a person.",
    ]))
    assert not kinds(rights)
    assert not one("You have the right not to be subject to automated decision-making.")
    assert not kinds(make_doc(("Rights related to automated decision making", ["By this we mean:"])))


def test_the_right_and_a_statement_in_one_sentence_counts() -> None:
    assert one("You can object to profiling, but we do not carry out any profiling.") == {"negation"}


def test_definitions_and_look_alikes_do_not_count() -> None:
    assert not one("Profiling is where decisions are made about you based on your personal information.")
    assert not one("Footage is automatically overwritten after 30 days.")
    assert not one("We keep records on paper and on a computer.")
    assert not kinds(make_doc(("", [("list_item", "whether we use automated decision making")])))
