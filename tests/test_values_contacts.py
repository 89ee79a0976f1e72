"""Contact recognisers: emails, UK phones, postcodes, URLs and ICO numbers (fictional examples)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from notice_audit.extract.values import ValueMatch
from notice_audit.extract.values.contacts import (
    find_emails,
    find_ico_registrations,
    find_phones,
    find_postcodes,
    find_urls,
)


def values(matches: list[ValueMatch]) -> list[str | None]:
    return [m.value for m in matches]


# ------------------------------------------------------------------------- ValueMatch


def test_value_match_is_frozen_with_read_only_attributes() -> None:
    m = ValueMatch(0, 3, "abc", "abc", {"k": 1})
    with pytest.raises(AttributeError):
        m.start = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        m.attributes["k"] = 2  # type: ignore[index]
    assert m == ValueMatch(0, 3, "abc", "abc", {"k": 1})
    assert hash(m) == hash(ValueMatch(0, 3, "abc", "abc", {"k": 9}))


def test_spans_quote_the_text() -> None:
    text = "Write to dpo@borsetshire.gov.uk or call 01632 960123, Borchester BO1 2XY."
    for finder in (find_emails, find_phones, find_postcodes):
        for m in finder(text):
            assert text[m.start : m.end] == m.text


# ----------------------------------------------------------------------------- emails


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email DPO@Borsetshire.GOV.uk.", ["dpo@borsetshire.gov.uk"]),
        ("<a href='mailto:info.governance@anytown-surgery.nhs.uk'>", ["info.governance@anytown-surgery.nhs.uk"]),
        ("(records+sar@example-council.gov.uk), then", ["records+sar@example-council.gov.uk"]),
        ("contact foi [at] borsetshire.gov.uk today", ["foi@borsetshire.gov.uk"]),
        ("a@b.co.uk; c_d@e.org", ["a@b.co.uk", "c_d@e.org"]),
    ],
)
def test_emails_found_and_normalised(text: str, expected: list[str]) -> None:
    assert values(find_emails(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "[email protected]",  # Cloudflare-obfuscated, the address is not in the text
        "follow @borsetshire on social media",
        "user@localhost is not a public address",
        "name@domain.123",
        "price 5@3.50",
    ],
)
def test_email_negatives(text: str) -> None:
    assert find_emails(text) == []


def test_email_span_excludes_mailto_and_trailing_dot() -> None:
    text = "mailto:x@y.gov.uk."
    (m,) = find_emails(text)
    assert m.text == "x@y.gov.uk"
    assert m.attributes["mailto"] is True


# ----------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 0303 123 1113 today", "03031231113"),
        ("Tel: 01632 960123", "01632960123"),
        ("(01632) 960123", "01632960123"),
        ("01632-960-123", "01632960123"),
        ("01632.960.123", "01632960123"),
        ("+44 (0)1632 960123", "441632960123"),
        ("+44 20 7946 0000", "442079460000"),
        ("+442079460000", "442079460000"),
        ("0044 20 7946 0000", "442079460000"),
        ("Freephone 0800 123 4567.", "08001234567"),
        ("0800 123 456", "0800123456"),
        ("03000 123 456", "03000123456"),
        ("Mobile 07700 900123", "07700900123"),
        ("020 7946 0000", "02079460000"),
        ("0117 496 0000", "01174960000"),
        ("Phone Number: 01632960123", "01632960123"),
        ("(01632 960123)", "01632960123"),
        ("tel:+441632960123", "441632960123"),
    ],
)
def test_phone_formats(text: str, expected: str) -> None:
    assert values(find_phones(text)) == [expected]


@pytest.mark.parametrize(
    ("text", "ext"),
    [
        ("01632 960123 ext. 1234", "1234"),
        ("01632 960123 x1234", "1234"),
        ("01632 960123, extension 42", "42"),
        ("01632 960123 (ext 7)", "7"),
    ],
)
def test_phone_extension_kept_out_of_digits(text: str, ext: str) -> None:
    (m,) = find_phones(text)
    assert m.value == "01632960123"
    assert m.attributes["extension"] == ext
    assert ext in m.text


@pytest.mark.parametrize(
    "text",
    [
        "The GDPR took effect on 25 May 2018.",
        "Between 2018 and 2023 we held 12345 records.",
        "Registered with the ICO under number Z1234567.",
        "Our office is at BO1 2XY.",
        "under section 83 of the Children Act 1989",
        "Case reference 0123456789012345",
        "reference 0123 4567 8901 2345",
        "Dated 01/05/2018 and 01.05.2018",
        "Open 0900 - 1700 Monday to Friday",
        "Call 999 in an emergency or 101 otherwise; Childline 0800 1111",
        "https://example.gov.uk/page?id=01632960123",
        "version 1.01632960123",
        "01632960123abc",
        "00 1632 960123",
    ],
)
def test_phone_negatives(text: str) -> None:
    assert find_phones(text) == []


def test_two_phones_in_a_row_and_trailing_short_number() -> None:
    text = "Call 0300 123 4567 / 01632 960123, lines open 24 hours 7 days"
    assert values(find_phones(text)) == ["03001234567", "01632960123"]


# -------------------------------------------------------------------------- postcodes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anytown, sk9 5af.", "SK9 5AF"),
        ("London W1A 1AA", "W1A 1AA"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("M1 1AE", "M1 1AE"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("GIR 0AA", "GIR 0AA"),
        ("SW1A2AA", "SW1A 2AA"),
        ("BO1\u00a02XY", "BO1 2XY"),
    ],
)
def test_postcode_formats(text: str, expected: str) -> None:
    assert values(find_postcodes(text)) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "ABSW1A 1AAX",  # inside a longer token
        "token sw1a2aa",  # all lower case without a space: an identifier, not a postcode
        "QA1 1AA",  # Q never starts a postcode
        "SW1A 1CA",  # C is never an inward letter
        "GIR 1AA",
        "Section 83 of the Children Act 1989",
        "Z1234567",
    ],
)
def test_postcode_negatives(text: str) -> None:
    assert find_postcodes(text) == []


# ------------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://www.example.gov.uk/privacy.", ["https://www.example.gov.uk/privacy"]),
        ("(https://example.org/a_(b))", ["https://example.org/a_(b)"]),
        ("[notice](https://example.gov.uk/notice)", ["https://example.gov.uk/notice"]),
        ("visit www.example.co.uk, or", ["www.example.co.uk"]),
        ("complain at ico.org.uk/make-a-complaint.", ["ico.org.uk/make-a-complaint"]),
        ("see legislation.gov.uk and example.nhs.uk", ["legislation.gov.uk", "example.nhs.uk"]),
        ("go to example.com today", ["example.com"]),
    ],
)
def test_urls(text: str, expected: list[str]) -> None:
    assert values(find_urls(text)) == expected


def test_urls_exclude_emails() -> None:
    text = "Email dpo@example.gov.uk or foi [at] example.gov.uk, or visit example.gov.uk/foi"
    assert values(find_urls(text)) == ["example.gov.uk/foi"]


def test_url_host_attribute() -> None:
    (m,) = find_urls("https://WWW.Example.gov.uk:443/a?b=c")
    assert m.attributes["host"] == "www.example.gov.uk"


@pytest.mark.parametrize("text", ["e.g. this", "version 1.2.3", "file.pdf", "i.e. the council"])
def test_url_negatives(text: str) -> None:
    assert find_urls(text) == []


# ------------------------------------------------------------------ ICO registrations


def test_ico_registrations() -> None:
    text = "We are registered with the ICO (registration number Z1234567). Also ZA123456 and ZB654321."
    found = find_ico_registrations(text)
    assert values(found) == ["Z1234567", "ZA123456", "ZB654321"]
    assert found[0].attributes["in_context"] is True


@pytest.mark.parametrize("text", ["Z123456", "Z12345678", "ZC123456", "XZ1234567", "ZA1234567", "z1234567"])
def test_ico_negatives(text: str) -> None:
    assert find_ico_registrations(text) == []


# ------------------------------------------------------------------ linear-time guard

_RUNS = ["0", "0 ", "01234 ", "+44 ", "(0", " ", "@", ".", "a", "a.b@", "a@", "A ", "www.", "SW1", "Z1", "-"]


def adversarial(size: int = 1_000_000) -> str:
    """1 MB of long runs that make a backtracking pattern blow up (each run ~64 KB)."""
    chunk = size // len(_RUNS)
    return "".join((run * (chunk // len(run) + 1))[:chunk] for run in _RUNS)


@pytest.mark.parametrize("finder", [find_emails, find_phones, find_postcodes, find_urls, find_ico_registrations])
def test_contacts_finish_on_adversarial_input(finder: Callable[[str], list[ValueMatch]]) -> None:
    assert isinstance(finder(adversarial()), list)


@pytest.mark.parametrize(
    ("find", "text", "value"),
    [
        (find_emails, "Write to DPO [AT] Lowmoor.gov.uk today", "dpo@lowmoor.gov.uk"),
        (find_urls, "See HTTPS://WWW.LOWMOOR.GOV.UK/privacy now", "HTTPS://WWW.LOWMOOR.GOV.UK/privacy"),
        (find_urls, "See lowmoor.SCOT for more", "lowmoor.SCOT"),
        (find_phones, "Ring +44 1632 960 961 now", "441632960961"),
    ],
)
def test_quick_cues_do_not_hide_values(find: Callable[[str], list[ValueMatch]], text: str, value: str) -> None:
    """Each finder first looks for a cue every value holds ("@", "www.", "0"); upper case still counts."""
    assert [m.value for m in find(text)] == [value]


def test_texts_without_the_cue_find_nothing() -> None:
    text = "We keep your records for six years and share them with the police."
    assert find_emails(text) == find_urls(text) == find_phones(text) == find_ico_registrations(text) == []


def test_any_value_has_the_shared_cue() -> None:
    """``may_hold_value`` stands for every recogniser the contacts extractor runs: a text it
    passes over holds nothing any of them finds, and each value-bearing example above holds it."""
    from notice_audit.extract.contacts import RECOGNISERS
    from notice_audit.extract.values.contacts import may_hold_value

    with_values = ["Write to DPO [AT] Lowmoor.gov.uk today", "See lowmoor.SCOT for more", "Ring +44 1632 960 961",
                   "Wilmslow SK9 5AF", "registration Z5693416", "mail dpo@x.gov.uk", "www.example.com"]
    assert all(may_hold_value(t) for t in with_values)
    assert all(any(find(t) for find in RECOGNISERS.values()) for t in with_values)
    # long runs of what values are made of, less the cue itself
    runs = re.sub(r"[0-9@]|www\.|\.(?:uk|com|org|net|scot|wales|cymru)", "", adversarial(20_000), flags=re.I)
    without = ["We keep your records for six years.", "Contact the ICO at Wycliffe House, Water Lane",
               "visit our website (at your own pace)", "", "a.b c. d", runs]
    for text in without:
        assert not may_hold_value(text), text[:60]
        assert all(find(text) == [] for find in RECOGNISERS.values()), text[:60]


def test_value_cue_answers_as_its_plain_form() -> None:
    """The rewritten cue (each alternative opening with punctuation or a digit) says what the plain
    alternation says, on tricky strings and on random ones built of the cue's own pieces."""
    import random

    from notice_audit.extract.values.contacts import may_hold_value

    plain = re.compile(r"[0-9@]|[\[(]at[\])]|https?://|www\.|\.(?:uk|com|org|net|scot|wales|cymru)", re.IGNORECASE)
    tricky = ["", "http//x", "HTTPS://", "httpſ://x", "hTtP:/", "ww.x", "WwW.", "w.ww", ".UK", ".\u212a", ".uķ",
              "x.cymr", "[at)", "(AT]", "[a t]", "at]", ".", ":", "(", "[", "\u0663", "٣ items", "a:b.c(d[e",
              "https:", "ttps://", "www", ".scot", ".SCOTS", "mailto:", "x.net", "n.e.t", "10"]
    pieces = ["http", "https", "s", ":", "//", "/", "www", "w", ".", "uk", "com", "org", "net", "scot", "wales",
              "cymru", "[", "(", "at", "AT", "]", ")", " ", "a", "ſ", "\u212a", "K", "x", "@", "1"]
    rng = random.Random(5)
    fuzz = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(20_000)]
    for text in tricky + fuzz:
        assert may_hold_value(text) == (plain.search(text) is not None), repr(text)
