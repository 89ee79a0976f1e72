"""Rights and withdrawing consent on small hand-written notices (fictional bodies)."""

from __future__ import annotations

import pytest

from notice_audit.extract import rights
from notice_audit.extract.elements import extract as extract_cues
from notice_audit.model import Finding
from tests.conftest import make_doc


def run(*sections) -> list[Finding]:  # type: ignore[no-untyped-def]
    return rights.extract(make_doc(*sections))


def values(found: list[Finding]) -> set[str]:
    return {f.value for f in found if f.value is not None and f.kind != "pointer"}


def kinds(found: list[Finding]) -> set[str]:
    return {f.kind for f in found}


def test_each_right_in_plain_words_under_a_rights_heading() -> None:
    found = run(("Your rights", [
        "Depending on the service, Lowmoor residents may:",
        ("list_item", "be informed about how we use your information"),
        ("list_item", "ask for a copy of the information we hold about you"),
        ("list_item", "have inaccurate details corrected"),
        ("list_item", "ask us to delete your records"),
        ("list_item", "restrict how we use your data"),
        ("list_item", "obtain and reuse your data for your own purposes"),
        ("list_item", "ask us to stop using your information"),
        ("list_item", "object to automated decision-making"),
    ]))
    assert values(found) == {"informed", "access", "rectification", "erasure", "restriction", "portability",
                             "objection", "automated_decision_making"}


def test_legal_names_of_rights_in_a_sentence() -> None:
    found = run(("", [
        "Residents may send Lowmoor Borough Council a subject access request.",
        "You also have the right to rectification, the right to erasure and the right to data portability.",
    ]))
    assert {"access", "rectification", "erasure", "portability"} <= values(found)


def test_export_to_another_controller_is_portability_and_correct_is_rectification() -> None:
    found = run(("Your privacy rights", [
        ("list_item", "amend your records if they are wrong in any way;"),
        ("list_item", "export your data to a new provider."),
    ]))
    assert values(found) == {"rectification", "portability"}


@pytest.mark.parametrize(("sentence", "right"), [
    ("If what we hold about you is inaccurate you can ask us to put it right.", "rectification"),
    ("You can ask for your data in a format you can take to another provider.", "portability"),
    ("You have the right to ask for your information to be amended.", "rectification"),
])
def test_a_right_by_what_is_asked_for(sentence: str, right: str) -> None:
    assert values(run(("", [sentence]))) == {right}


def test_deleting_on_a_schedule_is_retention_not_the_right_to_erasure() -> None:
    found = run(("How long we keep it", ["We will delete your file six years after you last contact us."]))
    assert "erasure" not in values(found)
    asked = run(("", ["You may ask the Information Team to delete records about you."]))
    assert "erasure" in values(asked)


def test_opting_out_of_use_of_your_records_is_objection() -> None:
    found = run(("", ["You can choose to opt out of your health records being used for research."]))
    assert values(found) == {"objection"}


def test_asking_for_cctv_images_of_yourself_is_access() -> None:
    found = run(("", ["You may request CCTV images of yourself by writing to the Data Protection Team."]))
    assert values(found) == {"access"}


def test_withdraw_consent_and_complaint_come_from_their_own_elements() -> None:
    doc = make_doc(("", [
        "Where we rely on your agreement, you may take back your consent at any time.",
        "If you are unhappy you can complain to the Information Commissioner's Office.",
    ]))
    found = rights.extract(doc)
    assert values(found) == {"withdraw_consent", "complaint"}
    assert extract_cues(doc, "withdraw_consent")  # the same sentence meets the withdraw_consent item


def test_explaining_the_law_names_no_right() -> None:
    found = run(("About privacy notices", ["A privacy notice must tell you about your right of access."]))
    assert found == []


def test_pointer_to_the_corporate_notice_in_one_sentence() -> None:
    found = run(("", ["Your rights under data protection law are set out in our corporate privacy notice."]))
    assert kinds(found) == {"pointer"} and values(found) == set()


def test_pointer_in_the_next_sentence() -> None:
    found = run(("", [
        "You have certain rights over the information we hold.",
        "You can read more about them in our main privacy notice.",
    ]))
    assert kinds(found) == {"pointer"}
    assert "main privacy notice" in found[0].evidence.quote


def test_pointer_around_a_list_of_topics() -> None:
    lead_in = run(("Further details", [
        "Our general privacy notice tells you about:",
        ("list_item", "who we are"),
        ("list_item", "your rights and how to exercise them"),
    ]))
    assert kinds(lead_in) == {"pointer"}
    closing = run(("Further details", [
        "We give more details about:",
        ("list_item", "your rights under data protection law"),
        "You can read these in the council's general privacy notice.",
    ]))
    assert kinds(closing) == {"pointer"}


def test_the_notice_describing_itself_is_not_a_pointer() -> None:
    found = run(("", ["This notice describes how Lowmoor Borough Council uses your data and what your rights are."]))
    assert found == []


def test_mentioning_rights_without_pointing_or_naming_finds_nothing() -> None:
    found = run(("", ["We respect your rights and take privacy seriously."]))
    assert found == []


def test_withdraw_consent_lexicon() -> None:
    said = make_doc(("", ["You gave us consent for newsletters and you can cancel this at any point."]))
    assert extract_cues(said, "withdraw_consent")
    not_consent = make_doc(("", ["You may withdraw from the course at any time."]))
    assert not extract_cues(not_consent, "withdraw_consent")


def test_unsubscribing_withdraws_consent_only_where_consent_was_given() -> None:
    consented = make_doc(("Newsletter", ["If you give your consent, we will send you our newsletter.",
                                         "You can unsubscribe at any time using the link in every email."]))
    assert extract_cues(consented, "withdraw_consent")
    no_consent = make_doc(("Newsletter", ["We send a newsletter to every tenant.",
                                          "You can unsubscribe at any time using the link in every email."]))
    assert not extract_cues(no_consent, "withdraw_consent")


def test_planning_objections_and_service_access_are_not_rights() -> None:
    found = run(("", [
        "You can object to a planning application online.",
        "You can access information about council tax bands on our website.",
    ]))
    assert values(found) == set()
    asked = run(("", ["You can object to us using your details for marketing."]))
    assert values(asked) == {"objection"}


def test_the_regulators_website_is_not_a_pointer_to_this_bodys_rights() -> None:
    found = run(("", ["For more information about your rights, visit the Information Commissioner's website."]))
    assert found == []


OWN = "Lowmoor Borough Council is the data controller for your housing benefit claim."


def asked_of(*sentences: str, heading: str = "Your rights") -> dict[str, object]:
    """Each right found, with the other body it is asked of (None: this notice's own)."""
    found = run(("", [OWN]), (heading, list(sentences)))
    return {str(f.value): f.attributes.get("other_body") for f in found if f.kind == "statement"}


def test_a_right_asked_of_another_named_body_names_that_body() -> None:
    assert asked_of("You can ask the Department for Work and Pensions for a copy of the information it holds "
                    "about you.") == {"access": "Department for Work and Pensions"}
    assert asked_of("To have wrong details corrected, contact Northshire Valuation Tribunal.") == {
        "rectification": "Northshire Valuation Tribunal"}


def test_a_body_as_the_subject_of_the_sentence_is_one_too() -> None:
    assert asked_of("Northshire Valuation Tribunal will give you a copy of the information it holds about you "
                    "if you ask.") == {"access": "Northshire Valuation Tribunal"}


def test_rights_this_notice_gives_name_no_other_body() -> None:
    assert asked_of("You can ask us for a copy of your information.") == {"access": None}
    assert asked_of("You can ask Lowmoor Borough Council for a copy of your information.") == {"access": None}
    # "us" makes the sentence about this body even when another is named in it
    assert asked_of("You can ask us, or the Department for Work and Pensions, for a copy of your information.") == {
        "access": None}


def test_a_notice_that_never_names_itself_cannot_tell_another_body_from_its_own() -> None:
    found = run(("Your rights", ["You can ask the Department for Work and Pensions for a copy of the information "
                                 "it holds about you."]))
    assert [f.attributes.get("other_body") for f in found if f.value == "access"] == [None]


def test_a_right_asked_of_another_body_is_still_among_the_rights_the_text_names() -> None:
    found = run(("", [OWN]), ("Your rights", ["You can ask the Department for Work and Pensions for a copy of the "
                                              "information it holds about you."]))
    assert values(found) == {"access"}


def test_a_list_read_with_its_lead_in_asks_the_body_the_lead_in_names() -> None:
    found = run(("", [OWN]), ("Your rights", [
        "You can ask Northshire Valuation Tribunal:",
        ("list_item", "for a copy of the information it holds about you"),
        ("list_item", "to have inaccurate details corrected"),
    ]))
    assert {f.value: f.attributes.get("other_body") for f in found if f.kind == "statement"} == {
        "access": "Northshire Valuation Tribunal", "rectification": "Northshire Valuation Tribunal"}


def test_a_sentence_the_index_reads_as_another_bodys_practice_is_marked_without_its_name() -> None:
    found = run(("", [OWN, "We share your details with the Northshire Transport Authority to issue your pass."]),
                ("Your rights", ["To see the records held about you by the Northshire Transport Authority, you "
                                 "should make a subject access request."]))
    assert [f.attributes.get("other_body") for f in found if f.value == "access"] == [True]


def test_the_data_then_the_erasing_word_in_a_sentence_about_asking_is_erasure() -> None:
    """A long enumeration of rights puts "deleted" far from "right" or "ask": the data just before it
    ("to have it deleted") carries it, as "to have it corrected" does rectification."""
    listed = run(("", ["You have the right to ask for a copy of your information, to have it corrected, "
                       "to have it deleted and to restrict how we use it."]))
    assert {"access", "rectification", "erasure", "restriction"} <= values(listed)
    assert "erasure" in values(run(("", ["You can ask for your records to be erased."])))
    kept = run(("How long we keep it", ["Your information is deleted six years after your tenancy ends."]))
    assert "erasure" not in values(kept)  # no asking, no right: retention


def test_each_rights_openers_are_its_frames_first_slots() -> None:
    """The concepts a sentence is passed over by are exactly those a frame of the right opens with."""
    from notice_audit.extract.frames import FrameSet

    lex = rights.lexicon()
    assert [v for v, _, _ in lex.openers] == list(lex.values)
    for value, frames, openers in lex.openers:
        assert frames is lex.values[value]
        firsts = [f.needs[0] if f.needs else None for f in frames]
        assert openers == (None if None in firsts else frozenset().union(*firsts))
    assert FrameSet(()).openers == frozenset()


def test_a_sentence_holding_no_right_s_opening_concept_is_passed_over_in_one_test() -> None:
    """The union of the rights' opening concepts stands for each right's own test; with a right that may
    open any sentence there is no union, and every sentence is tried."""
    lex = rights.lexicon()
    assert lex.any_opener == frozenset().union(*(openers for _, _, openers in lex.openers if openers is not None))
    assert rights._any_opener([frozenset({"a"}), frozenset({"b", "c"})]) == {"a", "b", "c"}
    assert rights._any_opener([frozenset({"a"}), None]) is None
    # a right is still found in a sentence that holds one of the openers
    doc = make_doc(("Your rights", ["You have the right to ask us to delete your data."]))
    assert "erasure" in [f.value for f in rights.extract(doc)]
