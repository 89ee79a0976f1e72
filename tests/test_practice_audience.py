"""Notices written for children or young people, and those that only mention children."""

from __future__ import annotations

import pytest

from notice_audit.extract.practice import audience
from tests.conftest import make_doc


def for_children(heading: str, *blocks: str) -> bool:
    return bool(audience.extract(make_doc((heading, list(blocks)))))


@pytest.mark.parametrize(
    "title",
    ["Privacy notice for pupils", "Privacy Notice - Pupils", "Pupils' privacy notice",
     "Young people's privacy notice", "Privacy notice (children)"],
)
def test_titles_for_children(title: str) -> None:
    assert for_children(title, "We use information about you.")


def test_speaking_to_a_child_in_two_ways() -> None:
    assert for_children("How we use your information",
                        "We use facts about you to help you learn.", "If you have a question, ask your teacher.")
    assert not for_children("How we use your information", "If you have a question, ask your teacher.")


@pytest.mark.parametrize(
    ("heading", "text"),
    [
        ("Children's services privacy notice", "We support children and families."),
        ("Privacy notice for parents and carers", "We use information about your child at school."),
        ("School admissions", "We use your child's details to offer a place at school. "
                              "Your child's school will also receive them. Your parents know."),
        ("Easy read privacy notice", "This notice is in easy read."),
    ],
)
def test_not_written_for_children(heading: str, text: str) -> None:
    assert not for_children(heading, text)


def test_the_finding_quotes_the_title() -> None:
    found = audience.extract(make_doc(("Privacy notice for pupils", ["We use information about you."])))
    assert found[0].value == "children" and "pupils" in found[0].evidence.quote
