"""When the notice says it was last updated or reviewed ("Last updated: 3 March 2024").

The ICO asks for privacy information to be kept under regular review; a date
tells readers (and auditors) how current it is. The finding's value is the
date in ISO form. A date given only to the month or the year counts as its
*last* day ("July 2019" -> 2019-07-31), so a notice is never called older than
it can be. "Next review due" dates are not when the notice was last looked at
and are left out. Words live in ``lexicons/review_date.yaml``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from notice_audit.extract.base import compile_all, load_lexicon, locator_for, quote
from notice_audit.extract.prefilter import Gate, Matcher, gate
from notice_audit.model import Block, Document, Evidence, Finding, Section

_MONTHS = {
    name: i
    for i, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s{1,3})?"
#: One date, in the forms notices use: 9 August 2018, Thursday, 9 August 2018, August 9, 2018,
#: August 2018, 09/08/2018, 2018-08-09.
DATE = re.compile(
    _WEEKDAY + r"(?:"
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s{1,3}(?:of\s{1,3})?(?P<m1>" + _MONTH + r"),?\s{1,3}(?P<y1>(?:19|20)\d\d)"
    r"|(?P<m2>" + _MONTH + r")\s{1,3}(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s{1,3}(?P<y2>(?:19|20)\d\d)"
    r"|(?P<m3>" + _MONTH + r"),?\s{1,3}(?P<y3>(?:19|20)\d\d)"
    r"|(?P<d4>\d{1,2})[/.-](?P<m4>\d{1,2})[/.-](?P<y4>(?:19|20)\d\d)"
    r"|(?P<y5>(?:19|20)\d\d)-(?P<m5>\d{2})-(?P<d5>\d{2})"
    r")\b",
    re.IGNORECASE,
)
#: How far after a label its date may start ("Last updated on: ", "was last reviewed in").
LABEL_GAP = 25
#: The longest line read as a version line with its date ("July 2019 version 2.1").
VERSION_LINE = 80


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date read from text: the latest day it can mean, and how precise it was."""

    day: date
    precision: str  # day | month
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DateLexicon:
    labels: Matcher
    label_only: Matcher
    next_review: Matcher | None
    version: Matcher | None
    #: Rules out, in one set test, a block holding no label word: most blocks, which neither
    #: label a date nor are a label line (``label_only`` needs a ``labels`` match too).
    label_gate: Gate


@cache
def lexicon() -> DateLexicon:
    data = load_lexicon("review_date")
    labels = compile_all(data["labels"])
    assert labels is not None
    return DateLexicon(
        labels=labels,
        label_only=re.compile(r"^\W{0,3}(?:" + labels.pattern + r")\W{0,3}$", re.IGNORECASE),
        next_review=compile_all(data.get("next_review")),
        version=compile_all(data.get("version")),
        label_gate=gate(labels),
    )


def parse_date(m: re.Match[str]) -> FoundDate | None:
    """The date a ``DATE`` match stands for, or None when it is not a real date."""
    g = m.groupdict()
    try:
        if g["y1"]:
            y, mo, d = int(g["y1"]), _MONTHS[g["m1"].lower().rstrip(".")], int(g["d1"])
        elif g["y2"]:
            y, mo, d = int(g["y2"]), _MONTHS[g["m2"].lower().rstrip(".")], int(g["d2"])
        elif g["y3"]:
            y, mo = int(g["y3"]), _MONTHS[g["m3"].lower().rstrip(".")]
            return FoundDate(date(y, mo, calendar.monthrange(y, mo)[1]), "month", m.start(), m.end())
        elif g["y4"]:  # UK order: day/month/year
            y, mo, d = int(g["y4"]), int(g["m4"]), int(g["d4"])
        else:
            y, mo, d = int(g["y5"]), int(g["m5"]), int(g["d5"])
        return FoundDate(date(y, mo, d), "day", m.start(), m.end())
    except (KeyError, ValueError):
        return None


def find_dates(text: str) -> list[FoundDate]:
    return [d for m in DATE.finditer(text) if (d := parse_date(m)) is not None]


def extract(doc: Document) -> list[Finding]:
    """One finding per dated "last updated / reviewed / published" statement."""
    lex = lexicon()
    out: list[Finding] = []
    for section in doc.sections:
        # a heading that is only a label ("Last updated") dates the text right under it
        label = section.heading if section.heading and lex.label_only.match(section.heading) else ""
        for block in section.blocks:
            text = block.text
            if label:
                dates = find_dates(text[:60])
                if dates and dates[0].start < 25:
                    out.append(_finding(section, block, dates[0], label, label.rstrip() + " " + text,
                                        span=(0, len(label) + 1 + dates[0].end)))
                    label = ""
                    continue
                label = ""
            labelled = not lex.label_gate.rules_out(text)
            if labelled and lex.label_only.match(text):
                label = text  # "Last updated" / "Thursday, 9 August 2018" as two lines
                continue
            if labelled or len(text) <= VERSION_LINE:
                out.extend(_labelled(section, block, labelled))
    return out


def _labelled(section: Section, block: Block, labelled: bool) -> list[Finding]:
    """Dates right after a label in the block (only a version line's when ``labelled`` is False)."""
    lex = lexicon()
    text = block.text
    out: list[Finding] = []
    for m in lex.labels.finditer(text) if labelled else ():
        if lex.next_review is not None and lex.next_review.search(text[max(0, m.start() - 20) : m.end()]):
            continue
        window = text[m.end() : m.end() + LABEL_GAP + 40]
        dates = find_dates(window)
        if dates and dates[0].start <= LABEL_GAP and not re.search(r"[.;]\s", window[: dates[0].start]):
            d = dates[0]
            found = FoundDate(d.day, d.precision, m.end() + d.start, m.end() + d.end)
            out.append(_finding(section, block, found, m.group(0), text, span=(m.start(), found.end)))
    if not out and lex.version is not None and len(text) <= VERSION_LINE and lex.version.search(text):
        dates = find_dates(text)
        if dates:  # "July 2019 version 2.1"
            out.append(_finding(section, block, dates[0], "version", text))
    return out


def _finding(section: Section, block: Block, found: FoundDate, label: str, text: str,
             span: tuple[int, int] | None = None) -> Finding:
    start, end = span or (found.start, found.end)
    return Finding(
        element="review_date",
        evidence=Evidence(quote(text, start, end), locator_for(section, block)),
        value=found.day.isoformat(),
        attributes={"date": found.day.isoformat(), "precision": found.precision,
                    "label": " ".join(label.lower().split()).rstrip(": ")},
    )


def latest(findings: list[Finding]) -> Finding | None:
    """The most recent dated finding (the notice's current date)."""
    dated = [f for f in findings if f.attributes.get("date")]
    return max(dated, key=lambda f: str(f.attributes["date"])) if dated else None
