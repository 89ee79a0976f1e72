"""Controller identity: the organisation's proper name as controller or as the "we".

"We" or "the Council" alone does not identify anyone, and a name met only in
passing ("we share it with X Council", "see X Council's main notice") is not a
controller statement, so the name must stand in one of the shapes of the
lexicon: a sentence that makes it the controller or the body handling the
data, the notice's own title, the first block under a "Who we are" heading, a
letterhead, or a definition of the common noun the notice calls its
controller ("the Academy Trust called ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from notice_audit.extract import prefilter
from notice_audit.extract.base import (
    Sentence,
    block_finding,
    compile_all,
    finding,
    load_lexicon,
    locator_for,
    quote,
)
from notice_audit.extract.index import index_of, is_generic, register_body_names, sentences
from notice_audit.extract.prefilter import Gate, Matcher, Searcher
from notice_audit.model import Block, Document, Evidence, Finding, Locator

ELEMENT = "controller_identity"
_WORD = r"(?:[A-Z][A-Za-z'’&.-]{0,30})"
# Law names are not organisation names ("For the purposes of UK GDPR Lowmoor Trust is ...").
_NOT_LAW = r"(?!(?:UK\s)?GDPR\b)(?!DPA\b)(?!EU\b)"
# "the Care Act", "the Local Government Act": a statute, not a body.
_NOT_STATUTE = r"(?!\s{1,3}(?:Act|Acts|Regulations?|Order|Rules|Bill)\b)"
_QUOTE = r"[\"'‘’“”]?"
_PAREN = r"(?:\([^()]{0,80}\)\s{0,3},?\s{0,3})?"
_PERSON = r"(?P<org>[A-Z][a-z]{1,20}(?:[ -][A-Z][a-z'’]{1,20}){1,2})"
_BARE = (r"(?P<org>(?:[A-Z][A-Za-z'’&-]{1,30}|[a-z]{1,12}[A-Z][A-Za-z]{1,20})"
         r"(?: (?:of |for |and |& )?[A-Z][A-Za-z'’&-]{1,30}){0,3})")
_POSTCODE = r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"
_TRIES = 8  # candidate names tried per pattern and sentence (bounded, so linear)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled ``controller_identity.yaml``: name patterns and the shapes a name must stand in."""

    #: (pattern, check for a passing mention, what the text must hold for the shape to match at all)
    statements: tuple[tuple[Matcher, bool, _Needs], ...]
    #: one per statement: whether a sentence holds none of the words its shape needs, tested in a set
    #: look-up before any call (a named sentence passed through ~30 searches that found nothing to search)
    statement_gates: tuple[Gate, ...]
    #: Every shape that needs no organisation name in one prefiltered alternation: one search tells
    #: whether any of them is worth trying on a sentence (most sentences name nobody and hold none
    #: of them, nor the words any of them needs).
    any_bare: Matcher | None
    #: The same for the shapes that need a bracket ("X ('we')"): searched only in a sentence with one,
    #: as their words ("we", "our") are too short to rule a sentence out.
    any_bracketed: Matcher | None
    titles: tuple[Matcher, ...]
    title_names: tuple[Matcher, ...]
    headings: Matcher | None
    exclude: Matcher | None
    passing_before: Matcher | None
    generic_controller: Matcher | None
    definitions: tuple[Matcher, ...]
    letterhead: Matcher
    org: Matcher
    #: lower-cased words one of which every organisation name holds (a suffix's or prefix's words)
    org_words: frozenset[str]
    generic_words: frozenset[str]
    prefixed: Matcher


def _org_regex(data: dict[str, Any]) -> str:
    """A proper organisation name: capitalised words ending in a suffix, or opened by a prefix."""
    suffixes = "|".join(sorted(data["org_suffixes"], key=len, reverse=True))
    prefixes = "|".join(sorted(data["org_prefixes"], key=len, reverse=True))
    inner = "|".join(re.escape(w) for w in data["inner_words"])
    not_first = "|".join(data["not_first_words"].split())
    by_suffix = (
        rf"(?:{_WORD}\s{{1,3}}(?:(?:{inner})\s{{1,3}}){{0,2}}){{0,6}}(?:{_WORD},\s{{1,3}})?(?:{suffixes})(?![\w-])"
        rf"(?:\s{{1,3}}(?:of|for)\s{{1,3}}{_WORD}(?:\s{{1,3}}{_WORD}){{0,3}})?"
    )
    by_prefix = rf"(?:{prefixes})\s{{1,3}}{_WORD}(?:\s{{1,3}}(?:(?:{inner})\s{{1,3}})?{_WORD}){{0,3}}"
    return rf"(?<![\w'’./@-])(?P<org>{_NOT_LAW}(?!(?:{not_first})\s)(?:{by_suffix}|{by_prefix})){_NOT_STATUTE}"


def _expand(template: str, data: dict[str, Any], org: str) -> Matcher:
    """Compile a template: the name case-sensitive, the words around it case-insensitive."""
    verbs = "|".join(data["verbs"])
    names = {"{org}": org, "{person}": _PERSON, "{bare}": _BARE, "{name}": _BARE.replace("(?P<org>", "(?:", 1)}
    parts = re.split(r"(\{org\}|\{person\}|\{bare\}|\{name\})", template)
    out = []
    for part in parts:
        if part in names:
            out.append(names[part])
        elif part:
            part = part.replace("{paren}", _PAREN).replace("{q}", _QUOTE).replace("{verb}", f"(?:{verbs})")
            out.append(f"(?i:{part})")
    return prefilter.compile("".join(out), 0)


@dataclass(frozen=True, slots=True)
class _Needs:
    """What a shape needs before its pattern is worth searching: an organisation's name (``{org}``)
    or a bracket (the "X ('we')" shapes, whose name-first pattern would otherwise be tried at
    every capital letter of every sentence)."""

    org: bool
    bracket: bool
    #: the pattern opens with the name: it can match only where a name opens (``_name_starts``)
    opens: bool


def _needs(template: str) -> _Needs:
    return _Needs("{org}" in template, bool(re.search(r"\{(?:bare|org)\}\\s\{0,3\}\\\(", template)),
                  template.startswith("{org}"))


def _anchor_words(entries: list[str]) -> frozenset[str]:
    """The literal capitalised words of the suffix and prefix patterns, lower-cased (and without an
    optional plural "s"): a sentence holding none of them names no organisation, and its costly
    name pattern need not run."""
    words: set[str] = set()
    for entry in entries:
        literal = re.sub(r"\[[^\]]*\]|\{[^}]*\}", " ", entry)  # character classes and counts are not words
        for m in re.finditer(r"([A-Z][A-Za-z]*?)(s\?)?(?![A-Za-z])", literal):
            words.add(m.group(1).lower() + ("s" if m.group(2) else ""))
            words.add(m.group(1).lower())
    return frozenset(words)


def _union(patterns: Iterable[Matcher]) -> Matcher | None:
    """One pattern that matches where any of ``patterns`` does (their names dropped), searched only
    in the sentences that hold the words one of them needs.

    As one plain pattern it was tried at every capital letter of every sentence: a tenth of the
    audit of a whole notice."""
    parts = [p.pattern.replace("(?P<org>", "(?:") for p in patterns]
    return prefilter.Alternation(parts, 0) if parts else None


@cache
def lexicon() -> Lexicon:
    data = load_lexicon("controller_identity")
    org = _org_regex(data)
    statements = (*((_expand(t, data, org), False, _needs(t)) for t in data["statements"]),
                  *((_expand(t, data, org), True, _needs(t)) for t in data["weak_statements"]))
    return Lexicon(
        statements=statements,
        statement_gates=tuple(Gate(pattern) for pattern, _, _ in statements),
        any_bare=_union(pattern for pattern, _, needs in statements if not (needs.org or needs.bracket)),
        any_bracketed=_union(pattern for pattern, _, needs in statements if needs.bracket and not needs.org),
        titles=tuple(_expand(t, data, org) for t in data["titles"]),
        title_names=tuple(_expand(t, data, org) for t in data.get("title_names", [])),
        headings=compile_all(data.get("headings")),
        exclude=compile_all(data.get("exclude")),
        passing_before=compile_all(data.get("passing_before")),
        generic_controller=compile_all(data.get("generic_controller")),
        definitions=tuple(_expand(t, data, org) for t in data.get("definitions", [])),
        letterhead=prefilter.compile(
            rf"^\s{{0,5}}(?:The\s)?{org}[^.]{{0,100}}?(?:{_POSTCODE}|\b(?:Tel|Telephone)\b)", 0
        ),
        org=prefilter.compile(org, 0),
        org_words=_anchor_words([*data["org_suffixes"], *data["org_prefixes"]]),
        generic_words=frozenset(data["generic_words"].lower().split()),
        prefixed=re.compile(rf"^(?:{'|'.join(data['org_prefixes'])})\s[A-Z]"),
    )


def extract(doc: Document) -> list[Finding]:
    """Every place that names the controller; the first suffices for the item.

    Found once per document and kept in its index: the index asks for them too (to tell the
    notice's own body from others)."""
    index = index_of(doc)
    if index.controller is None:
        index.controller = tuple(_extract(doc))
    return list(index.controller)


def _extract(doc: Document) -> list[Finding]:
    lex = lexicon()
    found = [*_statement_findings(doc, lex), *_title_findings(doc, lex), *_heading_findings(doc, lex)]
    found.extend(_letterhead_findings(doc, lex))
    found.extend(_definition_findings(doc, lex))
    return found


# --- names --------------------------------------------------------------------------------------


_ARTICLE = re.compile(r"\W*(?:[Tt]he\s+)?")


def leading_name(text: str) -> str | None:
    """The organisation a text opens with ("The Department for Education (DfE) collects ..."), if any."""
    lex = lexicon()
    article = _ARTICLE.match(text)  # always matches (perhaps nothing)
    m = lex.org.match(text, article.end() if article else 0)
    if m is None:
        return None
    name = clean_name(m.group("org"))
    return name if name and is_proper(name, lex) else None



def clean_name(name: str) -> str:
    """The name without a leading article or pronoun and trailing punctuation."""
    name = re.sub(r"^(?:(?:The|This|Our|Your|A|An|We|We are|Are|If|When|Where|At)\s{1,3}){1,4}", "", name.strip())
    return name.strip(" ,;:'’\"“”‘")


def is_proper(name: str, lex: Lexicon) -> bool:
    """A name with a word that is not a common noun ("County Council" is not one).

    A name opened by a prefix ("Department for Education") is proper as a whole.
    """
    if "Information Commissioner" in name:
        return False
    if lex.prefixed.search(name):
        return True
    words = re.findall(r"[A-Za-z&]+(?:['’][A-Za-z]+)?", name)
    content = [re.sub(r"['’]s$", "", w.lower()) for w in words]
    return any(w not in lex.generic_words for w in content)


def _names(pattern: Matcher, text: str, lex: Lexicon, *, weak: bool,
           starts: Sequence[int] | None = None) -> re.Match[str] | None:
    """The first match whose name is proper and, for a weak shape, not a passing mention.

    ``starts``, for a shape that opens with the name, are every position where a name opens
    (``_name_starts``): the shape is matched there only, with the same matches as a search, which
    tried the name's big pattern at every character of the sentence, again for each such shape."""
    at: Searcher | None = None
    if starts is not None:
        at = pattern.for_text(text) if isinstance(pattern, prefilter.Alternation) else pattern
        if at is None:
            return None  # none of the shape's words: no search would match
    pos = 0
    for _ in range(_TRIES):
        m = pattern.search(text, pos) if at is None else _match_at(at, text, starts, pos)  # type: ignore[arg-type]
        if m is None:
            return None
        name = clean_name(m.group("org"))
        before = text[max(0, m.start("org") - 40): m.start("org")]
        passing = weak and lex.passing_before is not None and lex.passing_before.search(before)
        if name and is_proper(name, lex) and not passing:
            return m
        pos = m.start() + 1
    return None


def _match_at(pattern: Searcher, text: str, starts: Sequence[int], pos: int) -> re.Match[str] | None:
    """What ``pattern.search(text, pos)`` finds, for a pattern that can match only at ``starts``
    (in order): a search returns the match at the first position where there is one."""
    for start in starts:
        if start >= pos and (m := pattern.match(text, start)) is not None:
            return m
    return None


def _name_starts(lex: Lexicon, text: str, first: int) -> list[int]:
    """Every position at which an organisation's name matches, from the first one found.

    A shape that opens with ``{org}`` matches only where the name pattern alone does, so these
    few positions (found in about one search) are the only ones worth matching it at."""
    starts = [first]
    org = lex.org.full if isinstance(lex.org, prefilter.Alternation) else lex.org
    while (m := org.search(text, starts[-1] + 1)) is not None:
        starts.append(m.start())
    return starts


# --- shapes --------------------------------------------------------------------------------------


def _statement_findings(doc: Document, lex: Lexicon) -> list[Finding]:
    found: list[Finding] = []
    gate = prefilter.gate(*(pattern for pattern, _, _ in lex.statements))  # no shape can match: no statement
    for unit in index_of(doc).sentences():
        if "law" in unit.roles:
            continue
        s, text = unit.sentence, unit.text
        if gate.rules_out(text) or (lex.exclude is not None and lex.exclude.search(text)):
            continue
        # one search spares ~20 for the many sentences naming nobody, and a word look-up spares the search
        org = lex.org.search(text) if not lex.org_words.isdisjoint(unit.tokens.words) else None
        named = org is not None
        bracket = "(" in text
        some_bare = _found_in(lex.any_bare, text) or (bracket and _found_in(lex.any_bracketed, text))
        if not (named or some_bare):
            continue
        starts = _name_starts(lex, text, org.start()) if org is not None else None
        for (pattern, weak, needs), shape_gate in zip(lex.statements, lex.statement_gates, strict=True):
            if ((not named if needs.org else not some_bare) or (needs.bracket and not bracket)
                    or shape_gate.rules_out(text)):
                continue
            m = _names(pattern, text, lex, weak=weak, starts=starts if needs.opens else None)
            if m is not None:
                found.append(_found(s, m, **({"by": "weak"} if weak else {})))
                break
    return found


def _found_in(pattern: Matcher | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _found(s: Sentence, m: re.Match[str], **attributes: str) -> Finding:
    return finding(ELEMENT, s, value=clean_name(m.group("org")), attributes=attributes,
                   span=(s.start + m.start(), s.start + m.end()))


def _title_text(text: str) -> str:
    """An all-capitals title in title case, so that its name can be read as one."""
    return text.title() if text.isupper() else text


def _title_findings(doc: Document, lex: Lexicon) -> list[Finding]:
    """The notice's title, a top heading, or a short first line (a page title kept as text) names the
    organisation whose notice it is."""
    candidates: list[tuple[str, Locator]] = [
        (s.heading, s.locator) for s in doc.sections if s.heading and len(s.path) <= 2][:3]
    first = next(iter(doc.blocks()), None)
    if first is not None and first[1].kind == "paragraph" and len(first[1].text.split()) <= 12:
        candidates.append((first[1].text, locator_for(*first)))
    for n, (title, locator) in enumerate(candidates):
        text = _title_text(title)
        for pattern in (*lex.titles, *(lex.title_names if n == 0 else ())):
            m = _names(pattern, text, lex, weak=False)
            if m is not None:
                evidence = Evidence(quote(title), locator)
                return [Finding(ELEMENT, evidence, clean_name(m.group("org")), attributes={"by": "title"})]
    return []


def _heading_findings(doc: Document, lex: Lexicon) -> list[Finding]:
    """The first block under "Who we are" / "Who is the data controller?" that names somebody."""
    if lex.headings is None:
        return []
    person = re.compile(rf"^{_PERSON}\b")
    for section in doc.sections:
        if not section.heading or not lex.headings.search(section.heading):
            continue
        for block in section.blocks[:2]:
            if is_generic(doc, block):
                continue
            name = _block_name(block, lex) or _person_name(person, block, lex)
            if name:
                return [block_finding(ELEMENT, section, block, value=name, attributes={"by": "heading"})]
    return []


def _block_name(block: Block, lex: Lexicon) -> str | None:
    m = _names(lex.org, block.text, lex, weak=True)
    return None if m is None else clean_name(m.group("org"))


def _person_name(person: Matcher, block: Block, lex: Lexicon) -> str | None:
    m = person.search(block.text)
    if m is None or not is_proper(m.group("org"), lex):
        return None
    return m.group("org")


def _letterhead_findings(doc: Document, lex: Lexicon) -> list[Finding]:
    """A first block that opens with the name and its address, as a letterhead does."""
    first = next(iter(doc.blocks()), None)
    if first is None:
        return []
    section, block = first
    m = lex.letterhead.search(block.text)
    if m is None or not is_proper(clean_name(m.group("org")), lex):
        return []
    return [block_finding(ELEMENT, section, block, value=clean_name(m.group("org")), attributes={"by": "letterhead"})]


def _definition_findings(doc: Document, lex: Lexicon) -> list[Finding]:
    """"The Trust is the data controller" plus "the Academy Trust called X Trust" names X."""
    if lex.generic_controller is None or not lex.definitions:
        return []
    all_sentences = sentences(doc)
    if not any(lex.generic_controller.search(s.text) for s in all_sentences):
        return []
    for s in all_sentences:
        for pattern in lex.definitions:
            m = _names(pattern, s.text, lex, weak=False)
            if m is not None:
                return [_found(s, m, by="definition")]
    return []


#: Shapes that name a body without calling it the controller: they yield to a recipient match.
WEAK_SHAPES = frozenset({"weak", "title"})


def without_recipients(found: list[Finding], recipients: list[Finding]) -> list[Finding]:
    """Drop weakly stated controllers that the notice shares data *with*.

    A body the notice discloses to is a third party ("we share ... with the
    Department for Education"; "the Department collects ..."), not the
    controller, unless the notice calls it the controller outright.
    """
    names = [str(r.attributes.get("text", "")).lower() for r in recipients if r.kind != "pointer"]
    return [
        f for f in found
        if f.attributes.get("by") not in WEAK_SHAPES
        or not any(_same_body(str(f.value).lower(), n) for n in names)
    ]


def _same_body(name: str, recipient: str) -> bool:
    return bool(name) and name in recipient and not re.search(r"\b(?:other|within|services|teams?)\b", recipient)


def own_names(doc: Document) -> tuple[str, ...]:
    """The names the notice gives its controller (strong findings only), lower case; read once per document
    and kept in its index (a whole notice asked for them a few hundred times)."""
    index = index_of(doc)
    if index.own_names is None:
        index.own_names = tuple(str(f.value).lower() for f in extract(doc)
                                if f.value and f.attributes.get("by") != "weak")
    return index.own_names


class _BodyNames:
    """What the index asks of this module (``index.BodyNames``)."""

    own_names = staticmethod(own_names)
    leading_name = staticmethod(leading_name)


register_body_names(_BodyNames())
