"""Who the notice is written for: children and young people, who need plainer language.

The ICO asks for privacy information adapted to children where they are the
audience, so plain-language thresholds are stricter for such notices (items
with ``when: {field: audience, contains: children}``). A notice is for
children when its title or a heading says so ("Privacy notice for pupils") or
when it speaks to a child in at least two different ways ("ask your teacher",
"if you are under 13"). A notice for parents (titled so, or speaking of "your
child" more than once), or about children's services, is not. Finding:
``audience`` with value ``children``, quoting the heading or the sentences.
Patterns live in ``lexicons/audience.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from notice_audit.extract import prefilter
from notice_audit.extract.base import compile_all, finding, load_lexicon, quote
from notice_audit.extract.practice.common import all_sentences
from notice_audit.extract.prefilter import Matcher
from notice_audit.model import Document, Evidence, Finding, Locator

#: Speaking to parents about their child: such a notice is for adults, whatever else it says.
_PARENTS = prefilter.compile(r"\byour (?:child|children|son|daughter)\b")
#: Headings looked at for a title (the first few: the title and the sections near the top).
TITLE_SECTIONS = 4


@dataclass(frozen=True, slots=True)
class AudienceLexicon:
    title: Matcher
    address: tuple[Matcher, ...]
    not_for_children: Matcher | None


@cache
def lexicon() -> AudienceLexicon:
    data = load_lexicon("audience")
    title = compile_all(data["title"])
    assert title is not None
    return AudienceLexicon(title, tuple(prefilter.compile(p) for p in data["address"]),
                           compile_all(data.get("not_for_children")))


def extract(doc: Document) -> list[Finding]:
    lex = lexicon()
    titles = [(doc.title, Locator(doc.source))] + [
        (s.heading, s.locator) for s in doc.sections[:TITLE_SECTIONS] if s.heading
    ]
    first_blocks = [b for s in doc.sections[:TITLE_SECTIONS] for b in s.blocks[:2]]
    titles += [(b.text, b.locator) for b in first_blocks if len(b.text) <= 120]
    for text, locator in titles:
        if not text:
            continue
        if lex.not_for_children is not None and lex.not_for_children.search(text):
            return []
        if (m := lex.title.search(text)) is not None:
            return [Finding("audience", Evidence(quote(text, m.start(), m.end()), locator), "children",
                            attributes={"by": "title"})]
    hits: dict[int, Finding] = {}
    sentences = all_sentences(doc)
    if sum(1 for s in sentences if _PARENTS.search(s.text)) >= 2:
        return []
    gate = prefilter.gate(*lex.address)
    for s in sentences:
        if gate.rules_out(s.text):
            continue
        for i, pattern in enumerate(lex.address):
            if i not in hits and (m := pattern.search(s.text)) is not None:
                hits[i] = finding("audience", s, value="children", attributes={"by": "address"},
                                  span=(s.start + m.start(), s.start + m.end()))
    # two different ways, in two different sentences ("ask your teacher" alone matches two patterns)
    places = {(f.evidence.locator.line, f.evidence.locator.fragment, f.evidence.quote) for f in hits.values()}
    return list(hits.values())[:3] if len(hits) >= 2 and len(places) >= 2 else []
