"""Purposes: why the data is used, not promises, principles, retention or rights (fictional texts)."""

from __future__ import annotations

import pytest

from notice_audit.extract.elements import extract as extract_cues
from tests.conftest import make_doc


def purposes(*sections) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.kind for f in extract_cues(make_doc(*sections), "purposes")]


@pytest.mark.parametrize(
    "text",
    [
        "We use your details to assess your claim for housing benefit.",
        "Lowmoor Borough Council collects this information so that we can send you your bill.",
        "Your information is used for the administration of council tax.",
        "Officers may view the footage for the purposes of investigating a complaint.",
        "Cameras are installed in the car park for crime prevention purposes.",
        "To open your library account, we will ask for your name and date of birth.",
        "These recordings help us to resolve disputes about what was said.",
        "We hold these records in carrying out our planning functions.",
        "We collect this information so that we can provide you with the right support.",
        "Your data will be used to contact you about your appointment.",
    ],
)
def test_sentences_that_say_why_data_is_used(text: str) -> None:
    assert purposes(("", [text])) == ["statement"]


def test_list_of_purposes_after_a_lead_in() -> None:
    found = purposes(("Services", [
        "Your information helps with the following:",
        ("list_item", "to assess what support you need"),
        ("list_item", "for the provision of home adaptations"),
    ]))
    assert found == ["statement", "statement"]


def test_section_headed_for_purposes_states_them() -> None:
    found = extract_cues(make_doc(("Why we need your information", ["Service delivery and planning for Lowmoor."])),
                         "purposes")
    assert [f.attributes.get("by") for f in found] == ["heading"]
    empty = extract_cues(make_doc(("Why we need your information", [])), "purposes")
    assert empty == []


def test_activities_listed_under_a_basis_are_purposes() -> None:
    found = extract_cues(make_doc(("Using your information", [
        "We rely on these bases:",
        ("list_item", "where it is in our legitimate interests to run the village hall, such as:"),
        ("list_item", "sending you booking reminders by email"),
    ])), "purposes")
    assert [f.evidence.quote for f in found] == ["sending you booking reminders by email"]


@pytest.mark.parametrize(
    "text",
    [
        "We will use the information we collect for various purposes.",
        "Lowmoor Borough Council is the data controller for the purposes of data protection law.",
        "We keep your information for six years after your case closes.",
        "This privacy notice explains how we use your information.",
        "You have the right to ask us to stop using your data for marketing.",
        "We use cookies to remember your settings.",
        "Records are processed in accordance with the Data Protection Act 2018.",
        "We need to have a lawful basis to use your information.",
        "For this work, processing is necessary so that we can carry out a task in the public interest.",
        # keeping data to the minimum is a promise, not an aim
        "We only hold the personal information we need to provide a service and keep it secure.",
    ],
)
def test_promises_principles_retention_and_rights_are_not_purposes(text: str) -> None:
    assert purposes(("", [text])) == []
