"""Controller identity: the organisation's proper name as controller or as the "we".

"We" or "the Council" alone does not identify anyone, and a name met only in
passing ("other services with X Council") is not a controller statement, so
the name must stand in one of the statement shapes of the lexicon.
"""

from __future__ import annotations

import re
from functools import cache

from notice_audit.extract.base import explains_law, finding, load_lexicon, sentences
from notice_audit.model import Document, Finding

_WORD = r"(?:[A-Z][A-Za-z'’&.-]{0,30}|[A-Z]{2,10})"
_JOIN = r"(?:of|and|for|the|upon|on|in|&)"


@cache
def patterns() -> tuple[re.Pattern[str], ...]:
    data = load_lexicon("controller_identity")
    suffixes = "|".join(sorted(data["org_suffixes"], key=len, reverse=True))
    org = (
        rf"(?P<org>(?:{_WORD}\s+(?:{_JOIN}\s+){{0,2}}){{0,6}}(?:{suffixes})\b"
        rf"(?:\s+(?:of|for)\s+{_WORD}(?:\s+{_WORD}){{0,3}})?)"
    )
    out = []
    for template in data["statements"]:
        # The name is case-sensitive (proper nouns); the words around it are not.
        pieces = [f"(?i:{piece})" if piece else "" for piece in template.split("{org}")]
        out.append(re.compile(org.join(pieces)))
    return tuple(out)


_GENERIC = re.compile(
    r"^(?:The\s+)?(?:Council|Authority|Trust|Surgery|Practice|School|Academy|College|University|Agency|Office|"
    r"Service|Police|Board|Department|Government|Centre|Group|Care|Library|Executive|Commission|Partnership|"
    r"Local Authority|County Council|Borough Council|District Council|City Council|This Council|Our Council|"
    r"Data Controller|Controller|Information Commissioner|Information Commissioner's Office|Data Protection Officer)$"
)


def extract(doc: Document) -> list[Finding]:
    found: list[Finding] = []
    for s in sentences(doc.sections):
        text = s.text
        if explains_law(text):
            continue
        for pattern in patterns():
            m = pattern.search(text)
            if not m:
                continue
            name = _strip_article(m.group("org"))
            if not name or _GENERIC.match(name) or "Information Commissioner" in name:
                continue
            found.append(finding("controller_identity", s, value=name,
                                 span=(s.start + m.start(), s.start + m.end())))
            break
    return found


def _strip_article(name: str) -> str:
    name = re.sub(r"^(?:The|This|Our|Your|A|An|We|We are|Are|If|When|Where)\s+", "", name.strip())
    return name.strip()
