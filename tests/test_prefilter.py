"""Literal prefilters (extract/prefilter.py): sound literals, and the same matches as the full alternation."""

from __future__ import annotations

import gc
import random
import re
import sys
from pathlib import Path

import pytest

from notice_audit.extract.prefilter import (
    CASE_SPECIAL,
    Alternation,
    present,
    required_literals,
    required_sets,
    scan_text,
)
from tests.conftest import CORPUS, need


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"information commissioner", {"information commissioner"}),
        (r"\b(?:ICO|Information Commissioner)\b", {"ico", "information commissioner"}),
        (r"(?:keep|retain)s?\s+(?:it|them)", {"keep ", "keeps ", "retain ", "retains "}),  # \s is " "
        (r"(?:keep|retain)s?\s*(?:it|them)", {"keep", "retain"}),  # "keeps" holds "keep"
        (r"d\.?o\.?b\b", {"dob", "d.ob", "do.b", "d.o.b"}),  # small choices expand
        (r"e-?mail address", {"email address", "e-mail address"}),
        (r"(?:tele)?phone", {"phone"}),
        (r"(?:retain)?\s*for", {"for"}),  # the optional word is not required
        (r"(?:retain)?\s*to", None),  # nothing of three letters is
        (r"\d{2,4}\s+years?", {" year"}),  # a match of "\s+" ends with a white space
        (r"\d{2,4}\s*(?:yrs?|years?)", None),  # "yr" is too short to test for
        (r"\d{2,4}\s+(?:yrs?|years?)", {" yr", " year"}),  # " yr" is not
        (r"[a-z]+ council", {" council"}),
        (r"(?:a|b)c", None),  # nothing of three letters
        (r"tran(?:sfer|smit)", {"transfer", "transmit"}),  # the parser factors "trans" out
        (r"data\s+(?:protection|processing) officer", {" protection officer", " processing officer"}),
        (r"(?:send)+ to", {"send to"}),
    ],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    assert required_literals(pattern, re.IGNORECASE) == (None if expected is None else frozenset(expected))


def test_required_sets_keep_every_requirement_best_first() -> None:
    """A verb and a data kind both required: the rarer words first, the verbs as a second test."""
    sets = required_sets(r"\b(?:use|hold)\w*\b[^.]{0,80}?\b(?:date of birth|passport)", re.IGNORECASE)
    assert sets == [frozenset({"date of birth", "passport"}), frozenset({"use", "hold"})]
    alt = Alternation([r"\b(?:use|hold)\w*\b[^.]{0,80}?\b(?:date of birth|passport)", r"never"])
    assert alt.for_text("we hold your passport") is not None
    assert alt.for_text("your passport") is None  # the second set is not met: nothing to search
    assert required_sets(r"(?:a|b)c", re.IGNORECASE) == []
    # a digit is rare enough in prose to test for alone
    assert required_sets(r"\b9\s?(?:\(2\)|\.2)", re.IGNORECASE) == [frozenset({"9(2)", "9 (2)", "9.2", "9 .2"})]
    assert required_sets(r"\b9[^.]{0,3}2", re.IGNORECASE) == [frozenset({"9"}), frozenset({"2"})]
    # a set another implies is dropped: every text holding "keep " holds "keep"
    assert required_sets(r"(?:keep|retain)\s+(?:it|them)\b", re.IGNORECASE) == [
        frozenset({"keep ", "retain "}), frozenset({" it", " them"})]


def test_required_literals_are_in_every_match() -> None:
    """Each literal set is sound: every match of the pattern contains one of them."""
    rng = random.Random(5)
    words = ["we", "share", "sharing", "data", "Data", "ICO", "retain", "keep", "years", "council", "officer",
             "protection", "transmit", "transfer", "information", "commissioner", "12", "for", "c", "ac"]
    spaces = [" ", " ", " ", "\t", "\n", "\xa0", "\u2003", "\u3000", " \n "]
    texts = ["".join(rng.choice(words) + rng.choice(spaces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    patterns = [r"(?:keep|retain)s?\s+(?:data|information)", r"\d+\s+years?", r"tran(?:sfer|smit)",
                r"(?:information )?commissioner('s)? office|\bico\b", r"data\s+(?:protection|processing) officer",
                r"\bkeep\s*data\b", r"share\s{1,3}data", r"(?:we\s)+share"]
    for pattern in patterns:
        literals = required_literals(pattern, re.IGNORECASE)
        assert literals is not None
        compiled = re.compile(pattern, re.IGNORECASE)
        matched = 0
        for text in texts:
            for m in compiled.finditer(text):
                matched += 1
                assert any(lit in scan_text(m.group(0)) for lit in literals), (pattern, m.group(0))
        assert matched > 0, pattern


def test_white_space_of_any_kind_is_read_as_a_space() -> None:
    """\\s matches tabs, line breaks and no-break spaces: the scan reads them all as " "."""
    alt = Alternation([r"data\s+protection\s+officer", r"keep\s?it"])
    # one or more spaces between words: the run breaks there, so the rarest piece is kept
    assert alt.literals == {" protection ", "keep it", "keepit"}
    for text in ["our data\tprotection\nofficer", "our data\xa0protection\u2003officer", "we keep\u2028it",
                 "data  protection officer", "data-protection officer", "we keep  it"]:
        got, want = alt.search(text), alt.full.search(text)
        assert (got and got.span()) == (want and want.span()), text
    assert scan_text("A\tB\u00a0C\r\nD") == "a b c  d"


def test_narrowed_search_is_the_full_search() -> None:
    alt = Alternation([r"we share", r"(?:keep|retain) (?:it|them)", r"ico", r"\bno\b"])
    for text in ["We share it", "We keep it for 6 years", "Contact the ICO", "no", "nothing here",
                 "we retain them, we share", "", "ico", "we share", "keep them"]:
        got, want = alt.search(text), alt.full.search(text)
        assert (got and got.span()) == (want and want.span()), text
        for method in ("match", "fullmatch"):
            got, want = getattr(alt, method)(text), getattr(alt.full, method)(text)
            assert (got and got.span()) == (want and want.span()), (method, text)
        assert alt.findall(text) == alt.full.findall(text)
        assert alt.sub("#", text) == alt.full.sub("#", text)
        assert alt.split(text) == alt.full.split(text)
    assert alt.for_text("nothing relevant") is not None  # r"\bno\b" has no literal: always tried
    assert Alternation([r"we share", r"ico"]).for_text("nothing relevant") is None


def test_alternatives_searched_one_by_one_give_the_alternations_match() -> None:
    """Several possible alternatives of a groupless alternation are searched one by one, each compiled
    alone: the earliest start wins, the first alternative on a tie, as in the alternation; every
    method gives what the full pattern gives, empty matches included."""
    from notice_audit.extract.prefilter import _Leftmost

    alt = Alternation([r"share\w*", r"sha\w*", r"data", r"(?:we )?keep\b", r"x*(?=icon)"])
    texts = ["we share data and keep it", "shall we keep data", "data shared", "we keep data, shared data",
             "an icon: share icons", "sharing is shallow", "nothing", "keep keep keep", ""]
    for text in texts:
        for pos in range(len(text) + 1):
            got, want = alt.search(text, pos), alt.full.search(text, pos)
            assert (got and got.span()) == (want and want.span()), (text, pos)
            for method in ("match", "fullmatch"):
                got, want = getattr(alt, method)(text, pos), getattr(alt.full, method)(text, pos)
                assert (got and got.span()) == (want and want.span()), (method, text, pos)
        assert [m.span() for m in alt.finditer(text)] == [m.span() for m in alt.full.finditer(text)], text
        assert alt.findall(text) == alt.full.findall(text), text
        assert alt.sub("#", text) == alt.full.sub("#", text)
    several = alt.for_text("an icon: we share data")  # not "keep": not every alternative is possible
    assert isinstance(several, _Leftmost)  # searched one by one, not as a compiled combination
    tie = alt.search("shared")  # "share\w*" and "sha\w*" both match from 0: the first listed wins
    assert tie is not None and tie.re.pattern == r"(?:share\w*)"


def test_groups_keep_their_numbers() -> None:
    alt = Alternation([r"(keep)s? it", r"(?P<who>ico)", r"(share)d?"])
    m = alt.search("then it was shared")
    assert m is not None and m.group(3) == "share" and m.group(1) is None
    m = alt.search("the ICO")
    assert m is not None and m.group("who") == "ICO" and alt.groupindex == alt.full.groupindex


def test_case_special_characters_skip_the_prefilter() -> None:
    """'ſ' matches 's' case-insensitively but does not lower to it: such texts are searched in full."""
    alt = Alternation([r"we share"])
    assert re.search("we share", "we \u017fhare", re.IGNORECASE)
    assert present("we \u017fhare") is None
    assert alt.search("we \u017fhare") is not None
    assert "we share" in (present("we share \u2019curly\u2019") or ())  # ordinary non-ASCII keeps the prefilter


def test_case_special_covers_every_letter_that_lowers_oddly() -> None:
    """Every character that re.IGNORECASE equates with an ASCII letter lowers to it, or is in CASE_SPECIAL."""
    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    odd = [f"U+{code:04X}" for code in range(128, sys.maxunicode + 1)
           if ascii_letter.fullmatch(chr(code)) and not chr(code).lower().isascii() and chr(code) not in CASE_SPECIAL]
    assert odd == []
    assert {"\u017f", "\u0131", "\u0130"} <= CASE_SPECIAL  # ſ, ı, İ


def _lexicon_alternations() -> list[Alternation]:
    gc.unfreeze()  # an audit's warm-up earlier in this process hid what it loaded from get_objects
    return [o for o in gc.get_objects() if isinstance(o, Alternation)]


def test_every_lexicon_gives_the_full_alternations_matches_on_real_notices() -> None:
    """Over real notices, each lexicon's narrowed search finds exactly what its full alternation finds."""
    need(CORPUS / "notices")
    from notice_audit.audit import audit_document
    from notice_audit.parse import parse_page
    from notice_audit.rules.checklist import load_checklist
    from notice_audit.sources.files import local_files, read_file

    checklist = load_checklist("uk-gdpr")
    texts: list[str] = []
    for path in local_files(str(CORPUS / "notices"))[::3]:
        doc = parse_page(read_file(path))
        audit_document(doc, checklist)  # builds (and caches) every lexicon
        texts.extend(b.text for s in doc.sections for b in s.blocks)
        texts.extend(s.heading for s in doc.sections if s.heading)
    alternations = _lexicon_alternations()
    assert len(alternations) > 50
    rng = random.Random(3)
    sample = rng.sample(texts, min(len(texts), 1200))
    narrowed = 0
    for alt in alternations:
        for text in sample:
            got, want = alt.search(text), alt.full.search(text)
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (alt.pattern, text)
            if not alt.groups:  # searched one alternative at a time: every match, not just the first
                assert [m.span() for m in alt.finditer(text)] == [m.span() for m in alt.full.finditer(text)]
            narrowed += alt.for_text(text) is not alt.full
    assert narrowed > len(alternations) * len(sample) / 2  # the prefilter does prune most searches


def test_a_gate_rules_out_exactly_the_texts_without_a_first_literal_of_its_patterns() -> None:
    """``Gate.rules_out`` (a test of alternation serial numbers) answers as the literal test it
    stands for, and never rules out a text one of its patterns matches."""
    from notice_audit.extract.prefilter import Gate

    share = Alternation([r"\bshar(?:e|es|ed|ing)\b", r"\bdisclos\w+ (?:to|with)\b"])
    keep = Alternation([r"\b(?:keep|retain)\s+(?:it|them|your)\b", r"\bdestroy\w*"])
    ico = Alternation([r"\bico\b"])
    gate = Gate(share, keep, ico)
    texts = ["We share it", "we disclose it to the police", "We keep it", "we retain them", "ICO", "Nothing here",
             "we keep\tyour data", "shared", "destroyed securely", "a sharp icon", "\u0130CO", ""]
    for text in texts:
        found = present(text)
        expected = found is not None and (share.literals | keep.literals | ico.literals).isdisjoint(found)
        assert gate.rules_out(text) == expected, text
        if gate.rules_out(text):
            assert all(p.full.search(text) is None for p in (share, keep, ico)), text
    assert gate.rules_out("Nothing here") and not gate.rules_out("ICO")
    assert not Gate(share, re.compile("x")).rules_out("Nothing here")  # an unfiltered pattern: nothing ruled out


def test_gates_are_built_once_for_the_whole_run() -> None:
    """Extractors ask ``prefilter.gate`` for their gate every document: it is built once, and no
    extractor asks with patterns of its own making (the cache would grow with every document)."""
    from notice_audit.audit import WARM_UP_NOTICE, audit_document
    from notice_audit.extract import prefilter
    from notice_audit.model import Page
    from notice_audit.parse import parse_page
    from notice_audit.rules.checklist import load_checklist

    share = Alternation([r"\bshare\b"])
    assert prefilter.gate(share) is prefilter.gate(share)
    checklist = load_checklist("uk-gdpr")
    page = Page("w.txt", "w.txt", WARM_UP_NOTICE, "text/plain")
    audit_document(parse_page(page), checklist)
    before = prefilter.gate.cache_info()
    for _ in range(3):
        audit_document(parse_page(page), checklist)
    after = prefilter.gate.cache_info()
    assert after.currsize == before.currsize and after.hits >= before.hits + 3 * 5


def test_a_literal_inside_a_longer_one_at_the_same_place_is_found() -> None:
    """The scan reports the longest literal at each position; the shorter ones there are its prefixes."""
    short, long = Alternation([r"9\s?\.\s?2"]), Alternation([r"9\.2 of the"])
    assert short.literals == {"9.2", "9 .2", "9. 2", "9 . 2"} and long.literals == {"9.2 of the"}
    text = "as set out in 9.2 of the Act"
    assert {"9.2", "9.2 of the"} <= (present(text) or set())
    assert short.search(text) is not None and long.search(text) is not None


def test_a_lexicon_loaded_late_is_prefiltered_too() -> None:
    """Literals added after texts were scanned are looked for in those texts as well."""
    text = "the quokkaesque registry of wombats"
    present(text)  # scanned, and remembered, before the new alternation exists
    late = Alternation([r"quokkaesque registry", r"wombats?\b"])
    assert {"quokkaesque registry", "wombat"} <= (present(text) or set())
    m = late.search(text)
    assert m is not None and m.group(0) == "quokkaesque registry"


def test_literals_added_during_a_document_are_found_at_once() -> None:
    """A lexicon loaded mid-document adds literals: the automaton is rebuilt for the next scan,
    and texts scanned before are scanned again (their remembered answers may lack the new ones)."""
    from notice_audit.extract.prefilter import _Literals

    literals = _Literals()
    assert literals.present("a quokka here") == set()  # nothing known yet: nothing found
    literals.add({"quokka"})
    assert literals.present("a quokka here") == {"quokka"}
    built = literals.automaton()
    assert literals.automaton() is built  # kept while no literal is added
    literals.add({"wombat", "quokka and a"})
    assert literals.present("a quokka and a wombat") == {"quokka", "wombat", "quokka and a"}
    assert literals.present("a quokka here") == {"quokka"}
    literals.forget()
    assert literals.present("one Wombat,\tone QUOKKA") == {"quokka", "wombat"}
    literals.forget()  # the remembered answers are shared: leave none of this instance's behind


def test_the_warm_up_notice_loads_every_lexicon() -> None:
    """Workers fork after the warm-up: a lexicon first loaded later would be compiled in each one."""
    import subprocess
    import textwrap

    script = textwrap.dedent("""
        from notice_audit.audit import WARM_UP_NOTICE, audit_document
        from notice_audit.extract import prefilter
        from notice_audit.sources.files import local_files, read_file
        from notice_audit.model import Page
        from notice_audit.parse import parse_page
        from notice_audit.rules.checklist import load_checklist
        checklist = load_checklist("uk-gdpr")
        audit_document(parse_page(Page("w.txt", "w.txt", WARM_UP_NOTICE, "text/plain")), checklist)
        before = len(prefilter.LITERALS.known)
        for path in local_files("notice_audit/demo/site"):
            audit_document(parse_page(read_file(path)), checklist)
        print(before, len(prefilter.LITERALS.known))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout.split()
    assert int(out[0]) > 1000 and out[0] == out[1]
