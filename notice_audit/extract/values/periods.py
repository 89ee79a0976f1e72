"""Recognisers for retention periods and pointers to retention schedules.

Retention is where notices are vaguest, so the audit needs to tell a concrete
period ("six years after the end of the financial year") from an event rule
("until the child's 25th birthday") and from a mere pointer ("see our retention
schedule"). These functions only recognise the wording; deciding whether a
period is about retention (not, say, the one-month deadline for answering a
subject access request) is the retention extractor's job, helped by
``attributes["qualifier"]`` ("for", "within", "up to", ...).

Periods are normalised to ISO 8601 durations ("P6Y", "P12M", "P2W", "P1Y1D").
All patterns are bounded or anchored at word starts, so they run in linear time.
"""

from __future__ import annotations

import re

from notice_audit.extract.values import ValueMatch

__all__ = ["find_periods", "find_schedule_references", "parse_number"]

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORD_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_ORD_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
              "seventeenth", "eighteenth", "nineteenth"]  # fmt: skip
_ORD_TENS = ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth",
             "ninetieth"]  # fmt: skip

_NUMBER_WORDS: dict[str, int] = {}
_ORDINAL_WORDS: dict[str, int] = {}
for _i, _w in enumerate(_UNITS, 1):
    _NUMBER_WORDS[_w] = _i
    _ORDINAL_WORDS[_ORD_UNITS[_i - 1]] = _i
for _i, _w in enumerate(_TEENS, 10):
    _NUMBER_WORDS[_w] = _i
    _ORDINAL_WORDS[_ORD_TEENS[_i - 10]] = _i
for _t, _w in enumerate(_TENS, 2):
    _NUMBER_WORDS[_w] = _t * 10
    _ORDINAL_WORDS[_ORD_TENS[_t - 2]] = _t * 10
    for _u, _uw in enumerate(_UNITS, 1):
        _NUMBER_WORDS[f"{_w} {_uw}"] = _t * 10 + _u
        _ORDINAL_WORDS[f"{_w} {_ORD_UNITS[_u - 1]}"] = _t * 10 + _u
for _w in ("hundred", "one hundred", "a hundred"):
    _NUMBER_WORDS[_w] = 100
_ORDINAL_WORDS["hundredth"] = _ORDINAL_WORDS["one hundredth"] = 100

_UNIT_ALT = "|".join(_UNITS)
_ORD_UNIT_ALT = "|".join(_ORD_UNITS)
_NUM_WORD = (
    rf"(?:(?:one|a)[ \-])?hundred|(?:{'|'.join(_TENS)})(?:[ \-](?:{_UNIT_ALT}))?"
    rf"|{'|'.join(_TEENS)}|{_UNIT_ALT}"
)
_ORD_WORD = (
    rf"(?:one[ \-])?hundredth|(?:{'|'.join(_TENS)})[ \-](?:{_ORD_UNIT_ALT})|{'|'.join(_ORD_TENS)}"
    rf"|{'|'.join(_ORD_TEENS)}|{_ORD_UNIT_ALT}"
)
_NUM = rf"(?:\d{{1,3}}(?![\d,.]\d)|(?:{_NUM_WORD})(?![\w-]))"
_UNIT = r"(?:calendar[ ]|working[ ]|business[ ])?(?:years?|yrs?|months?|weeks?|days?|hours?)"
_SP = r"[ \t\u00a0]"

_PERIOD = re.compile(
    r"(?<![\w.,/£$%\-])"
    rf"(?:(?P<min>{_NUM}){_SP}*(?:-|–|to){_SP}*)?"
    rf"(?P<num>{_NUM})(?:{_SP}*\({_SP}*(?:\d{{1,3}}|{_NUM_WORD}){_SP}*\))?(?:{_SP}|-)?(?P<unit>{_UNIT})\b"
    rf"(?:{_SP}*,?{_SP}+and{_SP}+(?P<num2>{_NUM}|an?\b){_SP}+(?P<unit2>{_UNIT})\b)?",
    re.IGNORECASE,
)
_AGE_AFTER = re.compile(rf"{_SP}+(?:old|of{_SP}+age)\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged|age\s+of)\s*$", re.IGNORECASE)
_TRIGGER = re.compile(
    rf"{_SP}*,?{_SP}+(?P<trigger>(?:after|from|following|since|beyond)\b[^.;:,()\n]{{1,120}})",
    re.IGNORECASE,
)
_TRIGGER_STOP = re.compile(
    r"\s(?:and|or|but|unless|when|whichever|then|which|where|before|in\s+which|during|in\s+accordance|in\s+line|as|so|"
    r"because|if|after\s+which|at\s+which|to|by|we|you|they|it|is|are|will|may|must)\b",
    re.IGNORECASE,
)
_PLUS_TAIL = re.compile(r"(?:\bplus|\+)\s*(?:a\s+further|an\s+additional|another)?\s*$", re.IGNORECASE)
_PLUS_CUT = re.compile(r".*\b(?:for|until|is|are|be|kept|retained|held|stored|keep|retain|hold|at)\s+",
                       re.IGNORECASE)  # fmt: skip
_QUALIFIER = re.compile(
    r"\b(?P<q>for\s+up\s+to|for\s+at\s+least|for\s+a\s+(?:minimum\s+|maximum\s+)?period\s+of|"
    r"up\s+to|at\s+least|(?:a\s+)?minimum\s+of|(?:a\s+)?maximum\s+of|no\s+(?:longer|more)\s+than|"
    r"not\s+(?:longer|more)\s+than|a\s+further|an\s+additional|another|for|within|over|after|"
    r"around|approximately|about)\s*$",
    re.IGNORECASE,
)
_UNTIL = re.compile(r"(?<!\w)until\s+", re.IGNORECASE)
_EVENT_BIRTHDAY = re.compile(
    rf"(?P<event>(?:[\w'’]+\s+){{0,3}}?(?:(?P<ordd>\d{{1,3}})(?:st|nd|rd|th)|(?P<ordw>{_ORD_WORD}))\s+birthday)\b",
    re.IGNORECASE,
)
_EVENT_AGE = re.compile(
    r"(?P<event>(?:[\w'’]+\s+){1,3}?(?:reach(?:es)?|reached|turns?|is|are|attains?|becomes?)\s+"
    rf"(?:the\s+age\s+of\s+)?(?:aged?\s+)?(?P<age>{_NUM})(?:\s+years?(?:\s+old|\s+of\s+age)?)?)(?![\w-])",
    re.IGNORECASE,
)
_EVENT_END = re.compile(r"(?P<event>the\s+(?:end|closure|expiry|termination)\s+of\s+[^.;:,()\n]{1,100})",
                        re.IGNORECASE)  # fmt: skip
# Every period match carries the same keys, so callers can index without .get().
_EMPTY_ATTRS: dict[str, object] = {
    "amount": None,
    "unit": None,
    "trigger": None,
    "event": None,
    "age": None,
    "qualifier": None,
    "min_amount": None,
    "working_days": False,
}
#: Every ``_PERIOD`` match holds one of these, in ``str.lower`` form: it folds all that re's
#: IGNORECASE takes for their letters (the Kelvin sign to "k"), so one ``in`` test per stem
#: rules out most sentences before the regex, which must try every character.
_UNIT_STEMS = ("yr", "year", "month", "week", "day", "hour")
_ISO = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H"}


def parse_number(token: str) -> int | None:
    """Value of a number written in digits or words ("6", "six", "twenty-five", "a hundred")."""
    token = " ".join(token.lower().replace("-", " ").split())
    if token.isdigit():
        return int(token)
    return _NUMBER_WORDS.get(token)


def _parse_ordinal(token: str) -> int | None:
    """Value of an ordinal word ("twenty-fifth" -> 25)."""
    return _ORDINAL_WORDS.get(" ".join(token.lower().replace("-", " ").split()))


def _unit_name(unit: str) -> str:
    """Canonical unit ("yrs" -> "year", "working days" -> "day")."""
    last = unit.lower().split()[-1]
    return {"yr": "year", "yrs": "year"}.get(last, last.rstrip("s"))


def _iso(parts: list[tuple[int, str]]) -> str:
    """ISO 8601 duration for (amount, unit) parts; weeks become days when mixed with other units."""
    if len(parts) > 1:
        parts = [(n * 7, "day") if u == "week" else (n, u) for n, u in parts]
    totals: dict[str, int] = {}
    for n, u in parts:
        totals[u] = totals.get(u, 0) + n
    date = "".join(f"{totals[u]}{_ISO[u]}" for u in ("year", "month", "week", "day") if u in totals)
    time = f"T{totals['hour']}H" if "hour" in totals else ""
    return f"P{date}{time}"


def _cut_phrase(phrase: str, max_words: int = 10) -> tuple[str, int]:
    """Trim a trailing clause off a trigger/event phrase and bound its length.

    Returns the phrase with single spaces and its length in the raw text.
    """
    stop = _TRIGGER_STOP.search(phrase, 1)
    if stop:
        phrase = phrase[: stop.start()]
    words = list(re.finditer(r"\S+", phrase))[:max_words]
    if not words:
        return "", 0
    return " ".join(w.group(0) for w in words), words[-1].end()


def _added_to(before: str) -> str | None:
    """The thing a period is added to: "the duration of your tenancy" in "... tenancy plus 6 years"."""
    tail = before[-30:]
    if "+" not in tail and "plus" not in tail.lower():
        return None  # cheap test first: most periods are not "X plus N years"
    plus = _PLUS_TAIL.search(tail)
    if not plus:
        return None
    head = before[: len(before) - len(tail) + plus.start()]
    clause = re.split(r"[.;:()\n,]", head)[-1]
    pre = _PLUS_CUT.sub("", clause[-80:]).strip()
    return " ".join(pre.split()[-8:]) or None


def _find_events(text: str) -> list[ValueMatch]:
    """Event rules introduced by "until": birthdays, ages reached and "the end of ..."."""
    out: list[ValueMatch] = []
    for m in _UNTIL.finditer(text):
        window = text[m.end() : m.end() + 160]
        attrs: dict[str, object] = dict(_EMPTY_ATTRS)
        b = _EVENT_BIRTHDAY.match(window)
        a = _EVENT_AGE.match(window) if not b else None
        e = _EVENT_END.match(window) if not (a or b) else None
        if b:
            event, length = b.group("event"), b.end("event")
            age = int(b.group("ordd")) if b.group("ordd") else _parse_ordinal(b.group("ordw"))
        elif a:
            event, length = a.group("event"), a.end("event")
            age = parse_number(a.group("age"))
        elif e:
            event, length = _cut_phrase(e.group("event"), 12)
            age = None
        else:
            continue
        attrs.update(event=" ".join(event.split()), age=age)
        end = m.end() + length
        out.append(ValueMatch(m.start(), end, text[m.start() : end], None, attrs))
    return out


def may_hold_period(text: str) -> bool:
    """False when ``text`` names no unit of time, so no duration can be found in it."""
    lowered = text.lower()
    return any(stem in lowered for stem in _UNIT_STEMS)


def find_periods(text: str) -> list[ValueMatch]:
    """Durations ("6 years", "six (6) years", "twenty-five years") and "until ..." event rules.

    Durations get ``value`` as an ISO 8601 duration and attributes ``amount``,
    ``unit``, ``trigger`` (what the period runs from: "after the end of the
    financial year", or the thing it is added to in "tenancy plus 6 years"),
    ``qualifier`` (the word before: "for", "within", "up to", ...) and
    ``min_amount`` for ranges ("6-12 months" -> P12M, min 6). Ages ("13 years
    old", "aged 16 years") are not durations and are skipped. Event rules
    ("until the child's 25th birthday") have ``value`` None and ``attributes["event"]``.
    Results are in text order.
    """
    out: list[ValueMatch] = []
    for m in _PERIOD.finditer(text) if may_hold_period(text) else ():
        if _AGE_AFTER.match(text, m.end()) or _AGE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        amount = parse_number(m.group("num"))
        if amount is None or amount == 0:
            continue
        unit = _unit_name(m.group("unit"))
        parts = [(amount, unit)]
        if m.group("unit2"):
            n2 = 1 if m.group("num2").lower() in {"a", "an"} else parse_number(m.group("num2"))
            if n2:
                parts.append((n2, _unit_name(m.group("unit2"))))
        before = text[max(0, m.start() - 100) : m.start()]
        attrs: dict[str, object] = dict(_EMPTY_ATTRS)
        attrs.update(amount=amount, unit=unit)
        if m.group("min"):
            attrs["min_amount"] = parse_number(m.group("min"))
        if m.group("unit").lower().startswith(("working", "business")):
            attrs["working_days"] = True
        q = _QUALIFIER.search(before[-40:])
        if q:
            attrs["qualifier"] = " ".join(q.group("q").lower().split())
        end = m.end()
        t = _TRIGGER.match(text, m.end())
        trigger, length = _cut_phrase(t.group("trigger")) if t else ("", 0)
        if t and len(trigger.split()) > 1:
            attrs["trigger"] = trigger
            end = t.start("trigger") + length
        else:
            attrs["trigger"] = _added_to(before)
        start = m.start()
        out.append(ValueMatch(start, end, text[start:end], _iso(parts), attrs))
    out.extend(_find_events(text))
    out.sort(key=lambda v: v.start)
    return out


_SCHEDULE = re.compile(
    r"(?<!\w)(?:(?:records?|document|information|data|corporate)\s+)?"
    r"(?:retention(?:\s+(?:and|&)\s+(?:disposal|destruction))?|disposal|records\s+management)\s+"
    r"(?P<kind>schedules?|polic(?:y|ies)|guidelines?|guidance|code\s+of\s+practice)(?!\w)",
    re.IGNORECASE,
)


def find_schedule_references(text: str) -> list[ValueMatch]:
    """Mentions of a retention schedule/policy ("retention and disposal schedule", "records management policy").

    A notice that points to its retention schedule meets the retention item by the
    rubric, so the pointer is a value of its own. ``value`` is the phrase lower-cased
    with single spaces; ``attributes["kind"]`` is "schedule", "policy", "guidance" or "code".
    """
    out: list[ValueMatch] = []
    for m in _SCHEDULE.finditer(text):
        kind_word = m.group("kind").lower()
        if kind_word.startswith("schedule"):
            kind = "schedule"
        elif kind_word.startswith("polic"):
            kind = "policy"
        elif kind_word.startswith("code"):
            kind = "code"
        else:
            kind = "guidance"
        value = " ".join(m.group(0).lower().split())
        out.append(ValueMatch(m.start(), m.end(), m.group(0), value, {"kind": kind}))
    return out
