"""Describing the law is not disclosing: the shared explains-the-law filter and pointers."""

from __future__ import annotations

from notice_audit.extract import extract
from notice_audit.extract.base import split_sentences
from notice_audit.extract.index import explains_law, is_generic, sentences
from tests.conftest import make_doc


def test_explains_law_sentences() -> None:
    assert explains_law("A privacy notice must tell you who the controller is.")
    assert explains_law("Every privacy notice should also explain how long data is kept.")
    assert explains_law("What can I expect to see on my privacy notice?")
    assert not explains_law("We will tell you if we change how we use your data.")
    assert not explains_law("You have the right to ask for a copy of your information.")


def test_list_under_an_explaining_intro_or_heading_discloses_nothing() -> None:
    doc = make_doc(
        ("", ["The privacy notice for each service will contain:",
              ("list_item", "who we share your data with, such as the police"),
              ("list_item", "whether we transfer data outside the UK"),
              ("list_item", "whether we use automated decision making")]),
        ("What should I expect to see in a privacy notice?",
         [("list_item", "how long we will keep your data"), ("list_item", "your right to complain to the ICO")]),
    )
    assert all(is_generic(doc, b) for _, b in doc.blocks())
    assert list(sentences(doc)) == []
    found = extract(doc)
    for element in ("recipients", "international_transfers", "automated_decision_making", "retention",
                    "complaint_to_ico"):
        assert not found.of(element), element


def test_a_list_after_a_disclosing_intro_still_counts() -> None:
    doc = make_doc(("Transfers", ["We want you to know:", ("list_item", "We do not transfer data outside the UK.")]))
    assert not any(is_generic(doc, b) for _, b in doc.blocks())
    assert extract(doc).of("international_transfers")


def test_sentence_split_keeps_abbreviations_together() -> None:
    text = "We rely on s. 17 of the Children Act 1989, e.g. for assessments. We keep records for 6 years."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "We rely on s. 17 of the Children Act 1989, e.g. for assessments.",
        "We keep records for 6 years.",
    ]


def test_one_word_no_under_a_question_heading_is_a_negation() -> None:
    doc = make_doc(("Do we transfer your information outside the UK?", ["No."]))
    found = extract(doc).of("international_transfers")
    assert found and {f.kind for f in found} == {"negation"}
