"""data_source: where personal data comes from when it does not come from the individual.

Hand-written examples (fictional bodies). "Information you give us" alone,
collection channels and a third party's own sources do not count.
"""

from __future__ import annotations

import pytest

from notice_audit.extract.elements import extract as extract_cues
from notice_audit.model import Finding
from notice_audit.parse import parse_page
from notice_audit.sources import read_local
from tests.conftest import SEED, make_doc, need


def run(*sections: tuple[str, list[str] | list[tuple[str, str]]]) -> list[Finding]:
    return extract_cues(make_doc(*sections), "data_source")


@pytest.mark.parametrize("sentence", [
    "We may also receive information about you from the police and your GP.",
    "We get most of this information from you, but we may also get some of it from:",
    "Information about you may be passed to us by other agencies.",
    "We may also hold information provided by third parties, such as complainants.",
    "Relevant information from other health professionals, relatives or your carers is added to your record.",
    "The information we hold is collected by phone, by letter and from external agencies.",
    "We receive information directly, or indirectly, from the following sources:",
    "Schools have a statutory duty to notify the local authority when a pupil leaves.",
    "Lowmoor Borough Council checks your details against publicly available sources.",
    "We carry out data matching across different data sources held by the council.",
    "Assessment results, including from previous schools, help us support your child.",
    "Information may also be obtained from the electoral register.",
    "Your employer may give us information about you.",
    "Other councils may tell us if you move into our area.",
    "We get your information from you and from your GP.",
    "We check the information you give us with other organisations to prevent fraud.",
])
def test_sources_other_than_the_individual(sentence: str) -> None:
    found = run(("", [sentence]))
    assert [f.kind for f in found] == ["statement"], sentence


@pytest.mark.parametrize("sentence", [
    "We collect information from you when you apply for a permit.",
    "Information you give us is used to process your claim.",
    "We will use information we collect from you for the purpose of maintaining the register.",
    "We may transfer data that we collect from you to our suppliers abroad.",
    "Our legal basis for this is provided by the Public Libraries Act.",
    "Personal data is information that identifies a person, directly or indirectly, from this information.",
    "We need your address, and a contact number if different from your home number.",
    "A privacy notice must tell you where the information came from if it was obtained from other organisations.",
    "We may use cookies to collect information from your device.",
    "We collect information from CCTV cameras around the town centre.",
    "Your care is provided by a publicly funded organisation.",
    "The information is provided by you when you complete the form.",
])
def test_not_a_source(sentence: str) -> None:
    assert run(("", [sentence])) == [], sentence


def test_another_bodys_sources_are_not_the_notices() -> None:
    # A body the notice shares with, named as the subject, or the data it holds: its practice, not ours.
    shared = ("Sharing", ["We share information with the Department for Rural Affairs (DRA)."])
    assert run(shared, ("The department", [
        "The Department for Rural Affairs (DRA) collects personal data from farms and local authorities.",
    ])) == []
    assert run(shared, ("The farm register", [
        "The register is owned and managed by the Department for Rural Affairs.",
        "This information is collected from a range of bodies, including colleges and universities.",
    ])) == []
    # The same sentence in the department's own notice states where its data comes from.
    collects = "The Department for Rural Affairs (DRA) collects personal data from farms and local authorities."
    own = run(("About", ["The Department for Rural Affairs (DRA) is the data controller for this service."]),
              ("Sources", [collects]))
    assert [f.kind for f in own] == ["statement"]


def test_sources_heading_needs_a_named_source() -> None:
    found = run(("Where we get your information from", [
        "By letter, by email or through online forms.",
        "Some of it is sent to us by your landlord or by other councils.",
    ]))
    assert [f.evidence.quote for f in found if f.attributes.get("by") == "heading"] == [
        "Some of it is sent to us by your landlord or by other councils."]
    channels = run(("Where do we get your information?", ["By letter, by email or through online forms."]))
    assert channels == []


def test_how_we_collect_heading_is_about_channels() -> None:
    found = run(("How we collect your information", ["Information is collected by letter, email and phone calls."]))
    assert found == []


def test_pointer_to_another_notice() -> None:
    found = run(("", ["The sources of your information are set out in our corporate privacy notice."]))
    assert [f.kind for f in found] == ["pointer"]


def test_seed_names_only_the_departments_sources() -> None:
    seed = need(SEED)
    found = extract_cues(parse_page(read_local(str(seed))[0]), "data_source")
    # The sources the seed names are those of the Department's database, not the council's own.
    assert found == []
