"""Recognisers for contact values: emails, UK phone numbers, postcodes, URLs, ICO numbers.

Values are normalised as the corpus rubric asks (emails lower-cased, phones as
digits only with a leading +44 kept as ``44``, postcodes upper-case with one
space) so extractors and the evaluation compare like with like.

Linear time: every pattern starts only at a token boundary (a look-behind that
rejects starting inside a run of the same characters) and uses possessive or
bounded repetition; the awkward parts (phone digit groups, trailing URL
punctuation) are done in plain Python over a bounded window.
"""

from __future__ import annotations

import re

from notice_audit.extract.values import ValueMatch

__all__ = [
    "find_emails",
    "find_ico_registrations",
    "find_phones",
    "find_postcodes",
    "find_urls",
    "may_hold_value",
]

# --------------------------------------------------------------------------- emails

# Local part, then "@" (or an obfuscated " [at] " / " (at) "), then a run of domain
# characters; the domain is validated in Python (it must end in a letters-only TLD).
_EMAIL = re.compile(
    r"(?<![\w.%+'-])(?P<mailto>mailto:)?"
    r"(?P<local>[A-Za-z0-9][\w.%+'-]*+)"
    r"(?P<at>@|[ \t]?[\[(]at[\])][ \t]?)"
    r"(?P<domain>[A-Za-z0-9][A-Za-z0-9.-]*+)",
    re.IGNORECASE,
)
_TLD = re.compile(r"[A-Za-z]{2,24}")
#: Every address holds "@" or an obfuscated "[at]" / "(at)": texts with neither are passed over.
_AT_WORD = re.compile(r"[\[(]at[\])]", re.IGNORECASE)


def find_emails(text: str) -> list[ValueMatch]:
    """Email addresses, lower-cased; ``mailto:`` and trailing punctuation are not part of the value.

    The obfuscated form ``name [at] example.gov.uk`` is accepted too (value
    normalised to ``name@example.gov.uk``, attribute ``obfuscated=True``).
    """
    out: list[ValueMatch] = []
    if "@" not in text and _AT_WORD.search(text) is None:
        return out
    for m in _EMAIL.finditer(text):
        local = m.group("local").rstrip(".'")
        if not local or local != m.group("local"):
            continue  # "name.@x" or a dangling apostrophe: not an address
        domain = m.group("domain").rstrip(".-")
        labels = domain.split(".")
        if len(labels) < 2 or any(not lab or lab.startswith("-") or lab.endswith("-") for lab in labels):
            continue
        if not _TLD.fullmatch(labels[-1]):
            continue
        obfuscated = m.group("at") != "@"
        start = m.start("local")
        end = m.start("domain") + len(domain)
        value = f"{local}@{domain}".lower()
        attrs = {"obfuscated": obfuscated, "mailto": m.group("mailto") is not None}
        out.append(ValueMatch(start, end, text[start:end], value, attrs))
    return out


# --------------------------------------------------------------------------- phones

# A phone can only start where no word, "+", or URL/identifier punctuation precedes it,
# so ICO numbers ("Z5693416"), query strings ("?id=0123...") and decimals are skipped.
_PHONE_START = re.compile(r"(?<![\w+/=@#&%.\-\\])(?:\+[ \t\u00a0]?44|0044|\([ \t]?0|0)")
_SPACE = " \t\u00a0\u2009\u202f"
_EXTENSION = re.compile(
    r"[ \t\u00a0]*,?[ \t\u00a0]*\(?(?:ext(?:ension)?\.?|x)[ \t\u00a0]*:?[ \t\u00a0]*(?P<ext>\d{1,6})\)?(?!\w)",
    re.IGNORECASE,
)
_MAX_NATIONAL = 11  # UK national numbers: 10 or 11 digits including the leading 0
_MIN_NATIONAL = 10


def _skip_space(text: str, i: int, limit: int = 2) -> int:
    """Skip at most ``limit`` blank characters (bounded, so scanning stays linear)."""
    n = 0
    while i < len(text) and text[i] in _SPACE and n < limit:
        i += 1
        n += 1
    return i


def _digits_at(text: str, i: int, limit: int = 14) -> int:
    """End of the digit run starting at ``i`` (scans at most ``limit`` + 1 characters)."""
    j = i
    while j < len(text) and text[j].isascii() and text[j].isdigit() and j - i <= limit:
        j += 1
    return j


def _parse_phone(text: str, start: int) -> tuple[int, int, str, bool] | None:
    """Parse digit groups from ``start``; return (start, end, national digits, international) or None.

    Groups are separated by one blank, a hyphen or a dot (optionally padded), and
    the first group may sit in brackets ("(01234) 567890"). Groups are added while
    the national number stays within 11 digits; the result must have 10 or 11.
    """
    i = start
    international = False
    if text.startswith("+", i) or text.startswith("0044", i):
        international = True
        i = i + 4 if text.startswith("0044", i) else _skip_space(text, i + 1, 1) + 2
        i = _skip_space(text, i)
        if text.startswith("-", i):
            i = _skip_space(text, i + 1)
        # "+44 (0)1234 567890": the trunk "(0)" is dropped
        k = i
        if text.startswith("(", k):
            k = _skip_space(text, k + 1, 1)
            if text.startswith("0", k):
                k = _skip_space(text, k + 1, 1)
                if text.startswith(")", k):
                    i = _skip_space(text, k + 1)
        if not (i < len(text) and text[i] in "123456789"):
            return None
    national = "0" if international else ""
    groups = 0
    end = start
    bracket_open = False
    while True:
        j = i
        if groups == 0 and not international and text.startswith("(", j):
            j = _skip_space(text, j + 1, 1)
            bracket_open = True
        k = _digits_at(text, j)
        run = text[j:k]
        if not run:
            break
        if groups == 0:
            if not international and (len(run) < 3 or run[0] != "0" or run[1] == "0"):
                return None
        elif len(run) < 3:
            break  # "0300 123 4567 24 hours": a short trailing number is not part of it
        if len(national) + len(run) > _MAX_NATIONAL:
            if groups == 0:
                return None  # one unbroken run that is too long: a reference number
            break
        national += run
        groups += 1
        end = k
        i = k
        if bracket_open:
            bracket_open = False
            if text.startswith(")", i):
                i += 1
                end = i
            else:
                start = j  # "(01905 765765)": the bracket encloses the whole number
        # separator: blanks, or a hyphen / dot optionally padded by blanks
        s = _skip_space(text, i)
        if s < len(text) and text[s] in "-.\u2013" and s + 1 < len(text):
            s = _skip_space(text, s + 1)
        if s == i or s >= len(text) or not text[s].isdigit():
            break
        i = s
    if not (_MIN_NATIONAL <= len(national) <= _MAX_NATIONAL):
        return None
    # reject numbers glued to letters or more digits ("01234567890abc", "01234 567890.5")
    if end < len(text) and (text[end].isalnum() or text[end] in "@_"):
        return None
    if end + 1 < len(text) and text[end] in "./" and text[end + 1].isdigit():
        return None
    return start, end, national, international


def find_phones(text: str) -> list[ValueMatch]:
    """UK phone numbers as digits only (``+44 (0)20 7946 0000`` -> ``442079460000``).

    Why the rules: a UK national number is 10-11 digits starting with 0 (not 00),
    written in groups of at least three digits; anything else that merely looks
    numeric (dates, years, statute numbers, long references, ICO numbers) fails
    one of those tests. An extension ("ext. 1234", "x1234") is kept in
    ``attributes["extension"]``, never in the value.
    """
    out: list[ValueMatch] = []
    if "0" not in text and "44" not in text:  # every start holds a 0 or the 44 of +44
        return out
    pos = 0
    for m in _PHONE_START.finditer(text):
        if m.start() < pos:
            continue
        parsed = _parse_phone(text, m.start())
        if parsed is None:
            continue
        begin, end, national, international = parsed
        value = "44" + national[1:] if international else national
        attrs: dict[str, object] = {"international": international, "extension": None}
        ext = _EXTENSION.match(text, end)
        if ext:
            attrs["extension"] = ext.group("ext")
            end = ext.end()
        out.append(ValueMatch(begin, end, text[begin:end], value, attrs))
        pos = end
    return out


# ------------------------------------------------------------------------ postcodes

# Royal Mail format rules: first letter not Q/V/X, second not I/J/Z, the letter in
# A9A is one of ABCDEFGHJKPSTUW, in AA9A one of ABEHMNPRVWXY, and the inward
# letters never use C/I/K/M/O/V. The rules keep ordinary tokens from matching.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?P<out>"
    r"[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"
    r"|GIR"
    r")(?P<sep>[ \u00a0]?)(?P<in>[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def find_postcodes(text: str) -> list[ValueMatch]:
    """UK postcodes, normalised upper-case with one space (``sk9 5af`` -> ``SK9 5AF``)."""
    out: list[ValueMatch] = []
    for m in _POSTCODE.finditer(text):
        outward, inward = m.group("out").upper(), m.group("in").upper()
        if outward == "GIR" and inward != "0AA":
            continue
        # an all-lower-case code written without a space ("ab12cd") is far more often an
        # identifier than a postcode; accept those only with the space.
        if not m.group("sep") and m.group(0).islower():
            continue
        out.append(ValueMatch(m.start(), m.end(), m.group(0), f"{outward} {inward}", {}))
    return out


# ----------------------------------------------------------------------------- URLs

_URL_CHARS = r"[^\s<>\"'`{}|\\^\[\]]"
_BARE_SUFFIX = r"(?:gov|org|nhs|co|ac|sch|police|ltd|plc|net|mod|parliament|nic)\.uk|uk|com|org|net|scot|wales|cymru"
_URL = re.compile(
    r"(?<![\w@.-])(?:"
    rf"(?P<scheme>https?://){_URL_CHARS}++"
    rf"|(?P<www>www\.){_URL_CHARS}++"
    rf"|(?P<bare>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,62}}+)\.){{1,8}}(?:{_BARE_SUFFIX}))"
    rf"(?![\w@-]|\.\w)(?:/{_URL_CHARS}*+)?"
    r")",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'\"*"
#: One of these is in every address _URL finds (scheme, "www." or a known suffix after a dot).
_URL_CUE = re.compile(r"https?://|www\.|\.(?:uk|com|org|net|scot|wales|cymru)", re.IGNORECASE)


def _trim_url(url: str) -> str:
    """Drop trailing sentence punctuation and unbalanced closing brackets."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        else:
            break
    return url


def find_urls(text: str) -> list[ValueMatch]:
    """Web addresses: ``http(s)://``, ``www.`` and bare UK/common domains (``ico.org.uk/concerns``).

    Email domains are excluded (the look-behind rejects a domain preceded by ``@``).
    The value is the address as written, minus trailing punctuation;
    ``attributes["host"]`` is the lower-cased host name.
    """
    out: list[ValueMatch] = []
    if _URL_CUE.search(text) is None:
        return out
    emails = [(e.start, e.end) for e in find_emails(text)]
    for m in _URL.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in emails):
            continue  # the domain of an (obfuscated) email address, not a web address
        url = _trim_url(m.group(0))
        if m.group("scheme") or m.group("www"):
            rest = url[len(m.group("scheme") or "") :]
            host = re.split(r"[/?#:]", rest, maxsplit=1)[0].lower()
            if "." not in host.strip("."):
                continue
        else:
            host = m.group("bare").lower()
        end = m.start() + len(url)
        out.append(ValueMatch(m.start(), end, url, url, {"host": host}))
    return out


# ---------------------------------------------------------------------- any value

#: Every value the finders here recognise holds one of these: a digit (phones, postcodes, ICO
#: numbers), "@" or "[at]" (emails) or a web address's cue. Read as the plain alternation
#: ``[0-9@]|[\[(]at[\])]|https?://|www\.|\.(?:uk|com|...)`` (case-insensitive), it has no
#: literal first character, so the engine tried all five alternatives at every character of every
#: sentence; here each alternative opens with one character of a leading set (letters before it are
#: checked by look-behinds), so the engine skips in C to the next candidate (5x faster, same answer).
_ANY_CUE = re.compile(r"""[0-9@\[(:.](?:
    (?<=[0-9@]) | (?<=[\[(])(?i:at)[\])] | (?<=(?i:http):)// | (?<=(?i:https):)//
    | (?<=\.)(?i:uk|com|org|net|scot|wales|cymru) | (?<=(?i:www)\.))""", re.VERBOSE)


def may_hold_value(text: str) -> bool:
    """False when no finder here can find anything in ``text``: one search spares five."""
    return _ANY_CUE.search(text) is not None


# ------------------------------------------------------------------ ICO registration

_ICO = re.compile(r"(?<![A-Za-z0-9])(?:Z[0-9]{7}|Z[AB][0-9]{6})(?![A-Za-z0-9])")
_ICO_CONTEXT = re.compile(r"regist|\bICO\b|Information Commissioner|data protection", re.IGNORECASE)


def find_ico_registrations(text: str) -> list[ValueMatch]:
    """ICO registration numbers (``Z5693416``, ``ZA123456``, ``ZB123456``).

    Standalone tokens are accepted; ``attributes["in_context"]`` says whether a
    registration cue ("registered", "ICO", ...) occurs within 120 characters
    before, which callers can use to weigh the evidence.
    """
    out: list[ValueMatch] = []
    if "Z" not in text:
        return out
    for m in _ICO.finditer(text):
        window = text[max(0, m.start() - 120) : m.start()]
        attrs = {"in_context": bool(_ICO_CONTEXT.search(window))}
        out.append(ValueMatch(m.start(), m.end(), m.group(0), m.group(0), attrs))
    return out
