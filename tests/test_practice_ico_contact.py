"""The ICO's contact details: website, helpline, address, email, in the forms notices write them."""

from __future__ import annotations

import pytest

from notice_audit.extract.practice import ico_contact
from tests.conftest import make_doc


def kinds(*blocks: str) -> list[str]:
    return sorted(str(f.value) for f in ico_contact.extract(make_doc(("Complaints", list(blocks)))))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You can complain at https://ico.org.uk/make-a-complaint/.", ["website"]),
        ("Visit www.ico.org.uk for more.", ["website"]),
        ("Call the ICO helpline on 0303 123 1113.", ["helpline"]),
        ("Phone +44 303 123 1113 from abroad.", ["helpline"]),
        ("Call 01625 545 745 (national rate).", ["helpline"]),
        ("Write to Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF.", ["address"]),
        ("Email casework@ico.org.uk.", ["email"]),
        ("Write to the ICO at Wycliffe House or call 0303 123 1113 or see ico.org.uk.",
         ["address", "helpline", "website"]),
    ],
)
def test_ico_contact_kinds(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "You can complain to the Information Commissioner's Office.",
        "Call our team on 0303 123 4567.",
        "Our office is in Water Lane, Lowmoor LM1 1AA.",
        "Visit mico.org.uk for a different organisation.",
    ],
)
def test_not_the_icos_details(text: str) -> None:
    assert kinds(text) == []


def test_one_finding_per_kind_quoting_where_it_is_first_given() -> None:
    found = ico_contact.extract(make_doc(("Complaints", ["See ico.org.uk.", "Or ico.org.uk/concerns."])))
    assert len(found) == 1 and found[0].evidence.quote == "See ico.org.uk."
