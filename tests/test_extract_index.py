"""The extraction core: words and their inflections, concepts found in one scan, frames, and sentence roles."""

from __future__ import annotations

import re

import pytest

from notice_audit.extract import concepts, index
from notice_audit.extract.concepts import ConceptLexicon
from notice_audit.extract.frames import compile_frame
from notice_audit.extract.index import ROLES, index_of
from notice_audit.extract.tokens import infinitive_markers, inflections, is_participle, tokenize
from tests.conftest import make_doc

# --- words --------------------------------------------------------------------------------------


def test_contractions_are_words_of_their_own() -> None:
    assert tokenize("We don't share the Council’s data.").words == ("we", "do", "n't", "share", "the", "council",
                                                                   "'s", "data")


def test_spans_and_capitals_follow_the_text() -> None:
    t = tokenize("Send it to Lowmoor Council")
    assert [("Send it to Lowmoor Council"[a:b]) for a, b in t.spans] == ["Send", "it", "to", "Lowmoor", "Council"]
    assert t.capitalised == (True, False, False, True, True)


@pytest.mark.parametrize(("word", "forms"), [
    ("transfer", {"transfers", "transferred", "transferring"}),
    ("copy", {"copies", "copied", "copying"}),
    ("use", {"uses", "used", "using"}),
    ("process", {"processes", "processed", "processing"}),
    ("stop", {"stops", "stopped", "stopping"}),
])
def test_inflections_of_a_word(word: str, forms: set[str]) -> None:
    assert forms <= inflections(word)


def test_derived_words_are_not_inflections() -> None:
    assert "regulation" not in inflections("regulator")
    assert "information" not in inflections("inform")
    assert "notes" not in inflections("not")  # "+es" only after a hissing sound or "o"


def test_infinitive_is_told_from_a_preposition() -> None:
    words = tokenize("We use it to assess claims and send them to the council, up to 6 years").words
    assert [words[i + 1] for i in infinitive_markers(tokenize(" ".join(words)))] == ["assess"]
    assert infinitive_markers(tokenize("to to share it, send it to")) == [0, 1]  # the last word opens nothing
    assert infinitive_markers(tokenize("nothing here")) == []


def test_participles_by_ending() -> None:
    assert is_participle("assessing") and is_participle("providing")
    assert not is_participle("housing") and not is_participle("thing") and not is_participle("king")


# --- concepts -----------------------------------------------------------------------------------


def scan(lexicon: ConceptLexicon, *texts: str) -> list[dict[str, list[tuple[int, int]]]]:
    return lexicon.scan([tokenize(t) for t in texts])


def test_a_concept_finds_every_inflection_of_its_words() -> None:
    lex = ConceptLexicon({"transfer": ["transfer"], "abroad": ["outside the uk"]})
    found = scan(lex, "Data is transferred outside the uk.", "we may be transferring records.")
    assert found == [{"transfer": [(2, 2)], "abroad": [(3, 5)]}, {"transfer": [(3, 3)], "ing_word": [(3, 3)]}]


def test_exact_words_and_included_concepts() -> None:
    lex = ConceptLexicon({"person": ["=persons"], "who": ["+person", "people"]})
    found = scan(lex, "persons and person and people")
    assert found[0]["person"] == [(0, 0)]
    assert found[0]["who"] == [(0, 0), (4, 4)]


def test_a_phrase_never_spans_two_texts() -> None:
    lex = ConceptLexicon({"dob": ["date of birth"]})
    assert scan(lex, "the date", "of birth") == [{}, {}]


def test_the_lemma_is_the_longer_lexicon_word() -> None:
    lex = ConceptLexicon({"a": ["not", "note", "right"]})
    assert (lex.lemma("noted"), lex.lemma("notes"), lex.lemma("rights")) == ("note", "note", "right")


def test_virtual_concepts_come_from_the_words() -> None:
    found = scan(ConceptLexicon({"x": ["x"]}), "We keep it for 6 years, assessing Lowmoor claims to help")
    assert found[0]["num"] == [(4, 4)]
    assert found[0]["ing_word"] == [(6, 6)]
    assert found[0]["proper"] == [(7, 7)]
    assert found[0]["to_inf"] == [(9, 9)]
    assert "statute_ref" not in found[0]


def test_a_statute_is_a_capitalised_act_after_a_capitalised_word() -> None:
    found = scan(ConceptLexicon({"x": ["x"]}), "Under the Lowmoor Harbours Act we act, as the Act and Regulations say")
    assert found[0]["statute_ref"] == [(4, 4)]


@pytest.mark.parametrize(("data", "message"), [
    ({"a": ["+b"]}, "unknown concept 'b'"),
    ({"a": ["+a"]}, "includes itself"),
])
def test_broken_lexicons_are_refused(data: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ConceptLexicon(data)


def test_the_bundled_lexicon_is_all_words() -> None:
    data = concepts.load_concepts()
    assert all(isinstance(p, str) for phrases in data.values() for p in phrases)
    assert {"no", "on"} <= {p for phrases in data.values() for p in phrases}  # quoted, not booleans


# --- frames -------------------------------------------------------------------------------------


NAMES = frozenset({"neg", "verb", "place", "we"})


class Unit:
    """A sentence as a frame reads it, built by hand."""

    def __init__(self, text: str, **hits: list[tuple[int, int]]) -> None:
        self.tokens = tokenize(text)
        self.hits = hits
        self.concepts = frozenset(hits)
        self.kind = "paragraph"
        self.roles: frozenset[str] = frozenset()
        self.lead = None
        self.headings: tuple[Unit, ...] = ()
        self.prev = None


def frame(**spec: object):  # type: ignore[no-untyped-def]
    return compile_frame(spec, "test", NAMES, ROLES)


def test_seq_keeps_order_and_gaps() -> None:
    u = Unit("we do not ever send data far away", neg=[(2, 2)], verb=[(4, 4)], place=[(6, 7)])
    assert frame(seq=["neg", "verb", "place"], gap=[2, 1]).match(u) == (2, 7)
    assert frame(seq=["neg", "verb", "place"], gap=[0, 1]).match(u) is None  # "ever" sits between
    assert frame(seq=["place", "verb"]).match(u) is None


def test_all_within_a_window_and_none() -> None:
    u = Unit("a b c d e f g h", verb=[(0, 0)], place=[(7, 7)])
    assert frame(all=["verb", "place"]).match(u) == (0, 7)
    assert frame(all=["verb", "place"], within=5).match(u) is None
    assert frame(all=["verb"], none=["place"]).match(u) is None


def _chain_by_brute_force(occ: list[list[tuple[int, int]]], gap: int) -> tuple[int, int] | None:
    """Every chain, one occurrence per slot in order within the gap; the one ending first, earliest start."""
    chains = [(o[0], o) for o in occ[0]]
    for slot in occ[1:]:
        chains = [(min(s for s, p in chains if p[1] < o[0] and o[0] - p[1] - 1 <= gap), o)
                  for o in slot if any(p[1] < o[0] and o[0] - p[1] - 1 <= gap for _, p in chains)]
    if not chains:
        return None
    start, last = min(chains, key=lambda c: c[1][1])
    return start, last[1]


def _window_by_brute_force(occ: list[list[tuple[int, int]]], within: int) -> tuple[int, int] | None:
    import itertools
    spans = [(min(o[0] for o in pick), max(o[1] for o in pick)) for pick in itertools.product(*occ)]
    fitting = [s for s in spans if s[1] - s[0] < within]
    return min(fitting, key=lambda s: (s[1] - s[0], s[0])) if fitting else None


@pytest.mark.parametrize("seed", range(40))
def test_seq_and_window_agree_with_brute_force_on_long_sentences(seed: int) -> None:
    import random
    rnd = random.Random(seed)
    size = rnd.choice([30, 200])
    occ = [sorted({(w, w + rnd.choice([0, 0, 1])) for w in rnd.sample(range(size - 1), rnd.randint(1, 12))})
           for _ in range(3)]
    u = Unit("w " * size, neg=occ[0], verb=occ[1], place=occ[2])
    gap = rnd.randint(0, 6)
    assert frame(seq=["neg", "verb", "place"], gap=gap).match(u) == _chain_by_brute_force(occ, gap)
    within = rnd.randint(3, 40)
    found = frame(all=["neg", "verb", "place"], within=within).match(u)
    expected = _window_by_brute_force(occ, within)
    assert (found is None) == (expected is None)
    if found is not None and expected is not None:
        assert found[1] - found[0] == expected[1] - expected[0]


def test_first_last_and_counts() -> None:
    u = Unit("we send it to them from", verb=[(1, 1), (5, 5)])
    assert frame(seq=["verb"], first=2).match(u) == (1, 1)
    assert frame(seq=["we", "verb"], first=0).match(u) is None
    assert frame(seq=["verb"], last=1).match(Unit("x from", verb=[(1, 1)])) == (1, 1)
    assert frame(at_least={"verb": 2}).match(u) is not None
    assert frame(at_least={"verb": 2}).match(Unit("x y", verb=[(0, 1), (1, 1)])) is None  # overlapping: one


def test_frames_name_only_known_concepts_and_keys() -> None:
    with pytest.raises(ValueError, match="unknown concept"):
        frame(all=["nope"])
    with pytest.raises(ValueError, match="unknown key"):
        frame(every=["verb"])
    with pytest.raises(ValueError, match="bounds for"):
        frame(seq=["neg", "verb"], gap=[1, 2])


# --- roles --------------------------------------------------------------------------------------


def roles(*blocks: str | tuple[str, str], heading: str = "") -> list[frozenset[str]]:
    return [u.roles for u in index_of(make_doc((heading, list(blocks)))).sentences()]


@pytest.mark.parametrize(("sentence", "role"), [
    ("Organisations must tell you why they use your data.", "law"),
    ("A privacy notice should explain how long data is kept.", "law"),
    ("This notice explains how we use your information.", "self"),
    ("For more information see our corporate privacy notice.", "pointer"),
    ("We use cookies to remember your settings.", "cookies"),
    ("'Personal data' means any information about a living person.", "definition"),
    ("You can object unless we have compelling grounds.", "condition"),
    ("You have the right to ask us to move your data to another provider.", "right"),
    ("In some cases you are entitled to have your records corrected.", "right"),
])
def test_roles_of_a_sentence(sentence: str, role: str) -> None:
    assert role in roles(sentence)[0]


def test_a_disclosure_has_no_role() -> None:
    assert roles("We keep your records for six years.") == [frozenset()]


def test_list_items_take_the_role_of_their_lead_in() -> None:
    found = roles("This notice explains:", ("list_item", "how long we keep your data"), "We keep it for a year.")
    assert "self" in found[1] and "self" not in found[2]


def test_a_list_item_ending_in_a_colon_introduces_the_items_after_it() -> None:
    doc = make_doc(("", [
        "We rely on these bases:",
        ("list_item", "your consent"),
        ("list_item", "our legitimate interests in running the hall, such as:"),
        ("list_item", "taking bookings"),
        "Ask us if you have questions.",
        ("list_item", "by email"),
    ]))
    leads = {u.text: u.lead.text if u.lead else None for u in index_of(doc).sentences()}
    assert leads["your consent"] == "We rely on these bases:"
    assert leads["taking bookings"] == "our legitimate interests in running the hall, such as:"
    assert leads["by email"] == "Ask us if you have questions."


def test_a_cookies_section_is_about_cookies() -> None:
    assert all("cookies" in r for r in roles("We use them to count visits.", heading="Cookies"))


def test_another_bodys_practice() -> None:
    doc = make_doc(("Sharing", ["We share your details with the Lowmoor Housing Agency."]),
                   ("", ["The Lowmoor Housing Agency uses the data to plan homes."]))
    assert [("other_party" in u.roles) for u in index_of(doc).sentences()] == [False, True]


def test_a_released_index_is_let_go_with_its_links_cut() -> None:
    """``release`` drops the cached index and cuts the links between its units (a heading's unit is
    among its own headings, a cycle), so it is freed without the cycle collector; asked again, the
    index is built anew, the same."""
    from notice_audit.extract.index import release

    doc = make_doc(("Who we share it with", ["We share your data with the police. They may keep it."]))
    first = index_of(doc)
    assert index_of(doc) is first
    heading = next(u for u in first.units if u.kind == "heading")
    assert heading in heading.headings
    release(doc)
    assert all(not u.headings and u.prev is None and u.lead is None and u.tail is None for u in first.units)
    again = index_of(doc)
    assert again is not first
    assert [(u.text, u.kind, sorted(u.roles)) for u in again.units] == [
        (u.text, u.kind, sorted(u.roles)) for u in first.units]
    release(doc)
    release(doc)  # nothing kept: nothing to do


def test_reading_a_document_releases_its_index_and_restores_the_collector() -> None:
    import gc

    from notice_audit.extract import extract, reading
    from notice_audit.extract.index import _CACHE

    doc = make_doc(("Your rights", ["You have the right to ask for a copy of your data."]))
    assert gc.isenabled()
    with reading(doc):
        assert not gc.isenabled()
        extract(doc)
        assert id(doc.sections) in _CACHE
    assert gc.isenabled()
    assert id(doc.sections) not in _CACHE


#: The plain forms of the index's contact-value patterns (which are written to be searched faster).
_PLAIN_VALUES = {
    "_VALUE_CUE": re.compile(r"@|\[at\]|\(at\)|\d\d\d|://|www\.|\.(?:uk|com|org|net)\b", re.IGNORECASE),
    "_EMAIL": re.compile(r"[\w.+-]@[\w-]+\.\w|\[at\]|\(at\)", re.IGNORECASE),
    "_PHONE": re.compile(r"(?:\+44|\b0)[\d\s()-]{9,16}\d\b"),
    "_URL": re.compile(r"\bhttps?://|\bwww\.|(?<![\w-])[\w-]+\.(?:gov|org|co|nhs|ac|police|sch)\.uk\b"
                       r"|(?<![\w-])[\w-]+\.(?:com|org|net|uk)/", re.IGNORECASE),
}


@pytest.mark.parametrize("text", [
    "Email dpo@lowmoor.gov.uk", "write to dpo [AT] lowmoor", "dpo (at) lowmoor", "call 01632 960000",
    "call +44 1632 960000", "ref 101632 960000", "a@b", "x@y.z", "see https://x", "HTTP://x", "xhttp://x",
    "WWW.LOWMOOR.GOV", "awww.x", "lowmoor.COM", "lowmoor.com/x", "lowmoor.nhs.uk", "lowmoor.police.uk.",
    "lowmoor.uk.", "Kelvin: x.\u212ak", "12 34 56", "ww.w", "www", "x.ukx", "x.company", "[a t]", ".uk", "9\u06639",
    "", "We keep it for six years.",
])
@pytest.mark.parametrize("name", sorted(_PLAIN_VALUES))
def test_the_contact_value_patterns_find_what_their_plain_forms_find(name: str, text: str) -> None:
    assert (getattr(index, name).search(text) is None) == (_PLAIN_VALUES[name].search(text) is None)


def test_a_frames_needs_split_into_required_concepts_and_choices() -> None:
    """One-concept slots are tested at once (a subset test), slots offering a choice one by one."""
    names = concepts.lexicon().names
    frame = compile_frame({"seq": ["we", ["share_verb", "keep_verb"]], "all": ["data_noun"]}, "t", names,
                          ROLES)
    assert frame.required == {"we", "data_noun"} and frame.choices == (frozenset({"share_verb", "keep_verb"}),)
    assert frame.holds_needs(frozenset({"we", "data_noun", "keep_verb", "num"}))
    assert not frame.holds_needs(frozenset({"we", "data_noun"}))
    assert not frame.holds_needs(frozenset({"we", "share_verb"}))
    assert compile_frame({"max_words": 3}, "t", names, ROLES).holds_needs(frozenset())
