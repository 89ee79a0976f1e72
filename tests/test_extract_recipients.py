"""Recipients: who this organisation's data goes to, and the category of each.

Hand-written examples (fictional bodies); the seed document is checked against
its label where ../shared is present.
"""

from __future__ import annotations

import pytest
import yaml

from notice_audit.extract.recipients import categorise, extract, looks_like_recipient
from notice_audit.model import Finding
from notice_audit.parse import parse_page
from notice_audit.sources import read_local
from tests.conftest import SEED, make_doc, need


def texts(found: list[Finding]) -> list[str]:
    return [f.attributes["text"] for f in found if f.kind == "statement"]


def run(*sections: tuple[str, list[str] | list[tuple[str, str]]]) -> list[Finding]:
    return extract(make_doc(*sections))


def items(*names: str) -> list[tuple[str, str]]:
    return [("list_item", n) for n in names]


# --- the seed ---------------------------------------------------------------------------------------


def test_seed_gives_exactly_its_labelled_recipients() -> None:
    seed = need(SEED)
    label = yaml.safe_load(seed.with_suffix(".yaml").read_text("utf-8"))
    found = extract(parse_page(read_local(str(seed))[0]))
    # The list under "Sharing by the Department" is the DfE's own onward sharing: not this notice's.
    assert texts(found) == label["recipients"]
    assert all(f.attributes["by"] == "list" for f in found)


# --- lists --------------------------------------------------------------------------------------------


def test_list_after_a_sharing_introduction() -> None:
    found = run(("Who we share your information with", [
        "Lowmoor Borough Council may share your information with partner organisations. These include:",
        *items("the police", "Lowmoor Housing Trust", "other local authorities (for adoption cases)",
               "Acme Analytics Ltd"),
    ]))
    assert texts(found) == ["the police", "Lowmoor Housing Trust", "other local authorities (for adoption cases)",
                            "Acme Analytics Ltd", "partner organisations"]  # the last from the introduction
    assert [f.attributes["category"] for f in found][:3] == ["police_law_enforcement", "housing",
                                                              "other_local_authorities"]


def test_data_categories_under_a_sharing_heading_are_not_recipients() -> None:
    found = run(("How we use and share your information", [
        "We collect the following information:",
        *items("your name", "your address", "dates of birth", "information about your health",
               "National Insurance numbers"),
        "The information we share includes:",
        *items("contact details", "police reports", "health information"),
    ]))
    assert found == []


def test_purposes_list_is_not_a_recipient_list() -> None:
    found = run(("Sharing your information", [
        "We use your information to:",
        *items("deliver our services", "plan services", "Managing our property", "to contact you"),
    ]))
    assert found == []


def test_a_list_judged_as_a_whole() -> None:
    # One item looks like a body, but the list is of purposes: none is taken.
    found = run(("Who we share with", [
        "Information may be passed to other organisations for purposes beyond your care, for example:",
        *items("research into new treatments", "plan services", "improve the standard of care", "monitor safety"),
    ]))
    assert texts(found) == ["other organisations"]  # named in the introduction; no list item is taken


def test_lists_of_sources_are_not_recipients() -> None:
    found = run(("Where we get your information from", [
        "We also receive information about you from other organisations and people, including:",
        *items("the police", "schools and colleges", "your GP"),
    ]))
    assert found == []


def test_third_party_onward_sharing_is_left_out() -> None:
    found = run(
        ("Sharing by the Department", [
            "The law allows the Department to share pupils' personal data with certain third parties, including:",
            *items("researchers", "organisations fighting crime"),
        ]),
        ("Our sharing", ["The department may share it with other government bodies."]),
    )
    assert found == []


def test_items_beginning_with_the_preposition() -> None:
    found = run(("", [
        "Occasions when your information needs to be shared include:",
        *items("with our printers and software providers, to print your poll cards",
               "with registered political parties, elected representatives and candidates"),
    ]))
    assert texts(found) == ["our printers", "software providers", "registered political parties",
                            "elected representatives", "candidates"]


def test_list_item_qualifiers_are_cut() -> None:
    found = run(("Who do we share this information with?", [
        "Images may be shared with:",
        *items("Law enforcement agencies where images would assist an investigation",
               "Credit reference agencies – to check your identity", "The media, if the police ask for help"),
    ]))
    assert texts(found) == ["Law enforcement agencies", "Credit reference agencies", "The media"]


def test_a_list_under_a_sharing_heading_with_no_introduction() -> None:
    found = run(("Recipients of your data", items("Housing associations", "Funding bodies", "Safeguarding boards")))
    assert texts(found) == ["Housing associations", "Funding bodies", "Safeguarding boards"]


# --- sentences ----------------------------------------------------------------------------------------


def test_sentence_enumeration_with_categories() -> None:
    found = run(("Council tax", [
        "We may pass your details to the Valuation Office, HM Revenue and Customs and other councils "
        "for the prevention of fraud.",
    ]))
    assert texts(found) == ["the Valuation Office", "HM Revenue and Customs", "other councils"]
    assert [f.attributes["category"] for f in found] == ["central_government", "hmrc", "other_local_authorities"]
    assert found[0].evidence.quote.startswith("We may pass your details")


def test_names_with_and_are_kept_whole() -> None:
    found = run(("", [
        "We share data with the Department for Work and Pensions, voluntary and community groups "
        "and the Lowmoor and District Ombudsman.",
        "Your details are also shared with the police and the NHS.",
    ]))
    assert texts(found) == ["the Department for Work and Pensions", "voluntary and community groups",
                            "the Lowmoor and District Ombudsman", "the police", "the NHS"]


def test_negations_infinitives_and_data_coming_in_are_not_recipients() -> None:
    found = run(("", [
        "We will not share your information with third parties.",
        "We never pass your details on to marketing companies.",
        "We don't sell or pass your details to debt collection agencies.",
        "We share your information to help us plan services.",
        "Schools pass information to us when a pupil moves.",
        "You must provide this information to the council.",
        "You can ask us to send your data to another organisation.",
        "We have data sharing agreements in place with local agencies.",
    ]))
    assert found == []


def test_hedged_negation_still_names_recipients() -> None:
    found = run(("", ["We will not usually release information to your family members without your consent."]))
    assert texts(found) == ["your family members"]
    assert found[0].attributes["category"] == "family_carers"


def test_passive_and_internal_sharing() -> None:
    found = run(("", [
        "Your application may be passed to the Lowmoor Planning Inspectorate.",
        "We will share the information within the council to answer your request.",
    ]))
    assert texts(found) == ["the Lowmoor Planning Inspectorate", "within the council"]
    assert found[1].attributes["category"] == "internal_services"


def test_enumeration_edges() -> None:
    found = run(("", [
        "We share your data with our partners: the NHS, the police and the fire service.",
        "Information is shared between the council and Lowmoor Community Trust.",
        "We share some data with the Office for National Statistics for research.",
        "We send your name and address to our printing company so that they can print your bill.",
    ]))
    assert texts(found) == ["our partners", "the NHS", "the police", "the fire service", "Lowmoor Community Trust",
                            "the Office for National Statistics", "our printing company"]


def test_pronoun_refers_back_to_the_recipient() -> None:
    found = run(("", ["We work closely with schools and share information with them to offer a place."]))
    assert texts(found) == ["schools"]


# --- processors, publication, relative clauses ---------------------------------------------------------


def test_processors_are_recipients() -> None:
    found = run(("", [
        "Acme Cloud is our data processor.",
        "Our software providers store your information, but only on our instructions.",
    ]))
    assert texts(found) == ["Acme Cloud", "Our software providers"]
    assert {f.attributes["category"] for f in found} == {"contractors_processors"}
    alone = run(("", ["Before we use any third parties to process information on our behalf, we check them."]))
    assert texts(alone) == ["any third parties"]


def test_saying_we_are_a_processor_names_no_recipient() -> None:
    assert run(("", ["The council acts as a data processor for the school."])) == []


def test_publication_is_a_recipient() -> None:
    found = run(("", ["Planning applications, including your name and address, are published on our website."]))
    assert texts(found) == ["our website"]
    register = run(("", ["Your name and address will be made available on the public register."]))
    assert texts(register) == ["the public register"]
    assert run(("", ["The latest version of this privacy notice is published on our website."])) == []
    assert run(("", ["We do not publish objectors' names on the public register."])) == []


def test_relative_clause_names_recipients() -> None:
    found = run(("", ["The organisations we share your data with must keep it secure."]))
    assert texts(found) == ["The organisations"]


# --- the whole document ----------------------------------------------------------------------------------


def test_repeats_are_merged_and_a_bare_third_party_gives_way() -> None:
    found = run(
        ("Who we share with", ["We share information with:", *items("the Department for Work and Pensions (DWP)")]),
        ("More", [
            "We send the DWP monthly returns, and we share data with the DWP.",
            "Sometimes the law requires us to pass your details on to a third party.",
        ]),
    )
    assert texts(found) == ["the Department for Work and Pensions (DWP)"]
    alone = run(("", ["Sometimes the law requires us to pass your details on to a third party."]))
    assert texts(alone) == ["a third party"]


def test_pointer_when_no_recipient_is_named() -> None:
    found = run(("", ["Who we share your information with is set out in our corporate privacy notice."]))
    assert [f.kind for f in found] == ["pointer"]
    assert run(("", ["This notice explains who we share your information with."])) == []


def test_explaining_the_law_is_not_sharing() -> None:
    found = run(("About privacy notices", [
        "A privacy notice must tell you who your data is shared with, such as the police or HMRC.",
    ]))
    assert found == []


# --- the words --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("the police", True), ("Housing associations", True), ("HMRC", True), ("our website", True),
    ("members of the public", True), ("a list of councillors", True), ("children's centres", True),
    ("your name", False), ("dates of birth", False), ("information about your health", False),
    ("police reports", False), ("Managing our property", False), ("to assess your needs", False),
    ("the Data Protection Act 2018", False), ("service delivery", False), ("others", False),
])
def test_looks_like_recipient(text: str, expected: bool) -> None:
    assert looks_like_recipient(text) is expected


def test_names_only_where_the_context_allows() -> None:
    assert not looks_like_recipient("Acme Analytics")
    assert looks_like_recipient("Acme Analytics", allow_names=True)


@pytest.mark.parametrize(("text", "category"), [
    ("other services within the council", "internal_services"),
    ("Other council departments", "internal_services"),
    ("other local authorities (in cases of adoption and fostering)", "other_local_authorities"),
    ("the Department for Education", "central_government"),
    ("the Cabinet Office", "central_government"),
    ("GPs and hospitals", "nhs_health"),
    ("the police", "police_law_enforcement"),
    ("the youth justice service", "police_law_enforcement"),
    ("the county court", "courts_legal"),
    ("our solicitors", "courts_legal"),
    ("schools and colleges", "schools_education"),
    ("the Department for Work and Pensions", "benefits_agencies"),
    ("HM Revenue and Customs", "hmrc"),
    ("housing associations", "housing"),
    ("foster carers", "care_providers"),
    ("residential care homes", "care_providers"),
    ("voluntary and community groups", "voluntary_community"),
    ("our IT suppliers", "contractors_processors"),
    ("Acme Ltd (as data processor)", "contractors_processors"),
    ("the Local Government and Social Care Ombudsman", "regulators_ombudsmen"),
    ("the Information Commissioner's Office", "regulators_ombudsmen"),
    ("our internal and external auditors", "auditors_fraud"),
    ("the National Fraud Initiative", "auditors_fraud"),
    ("councillors and MPs", "elected_members"),
    ("your family and carers", "family_carers"),
    ("the media", "other"),
    ("National Regulators, for example the Information Commissioner", "regulators_ombudsmen"),
])
def test_categories(text: str, category: str) -> None:
    assert categorise(text) == category


def test_a_right_to_move_data_elsewhere_names_no_recipient() -> None:
    found = run(("Your rights", [
        "You have the right to ask that we transfer the information you gave us to another organisation."]))
    assert found == []


def test_data_mention_answers_as_the_case_insensitive_search() -> None:
    """``_mentions_data`` (lower-cased ASCII searched case-sensitively) says what the plain
    case-insensitive search says, on tricky strings and on random ones built of its words."""
    import random

    from notice_audit.extract.recipients import _DATA_MENTION, _mentions_data

    tricky = ["", "DATA", "Metadata", "data-sharing", "INFORMATIONAL", "It's", "ITEMS", "reCORDs", "Files?",
              "recordſ", "\u212aeep names", "naïve names", "IT’S", "information\u00e9", "_data", "data_", "9data"]
    pieces = ["data", "DATA", "it", "IT", "them", "names", "record", "s", "S", " ", "-", "_", "é", "ſ", "’", "x", "1"]
    rng = random.Random(3)
    fuzz = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(20_000)]
    for text in tricky + fuzz:
        assert _mentions_data(text) == (_DATA_MENTION.search(text) is not None), repr(text)
