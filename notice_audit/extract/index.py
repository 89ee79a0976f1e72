"""The document index: every sentence and heading of a document, read once for all elements.

Built once per document and shared by every extractor: sentences split, words tokenized and
stemmed, every concept found in one scan (``concepts``), and each sentence's ROLE decided
once from ``lexicons/roles.yaml``: whether it explains the law in general (``law``), is the
notice describing itself (``self``), sends the reader elsewhere (``pointer``), is about
cookies (``cookies``), defines a word (``definition``), states a condition or exemption of a
right (``condition``), or tells what another body does with data (``other_party``). A
sentence with none of those roles is a disclosure. Extractors then run their frames only on
the sentences that hold the concepts they need.

Headings are units too, so that a section headed "How long we keep your information" can be
evidence for retention whatever its sentences say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Protocol

from notice_audit.extract import concepts
from notice_audit.extract.base import Sentence, load_lexicon, split_sentences
from notice_audit.extract.concepts import Hits
from notice_audit.extract.frames import Frame, Span, compile_frames
from notice_audit.extract.tokens import Tokens, tokenize
from notice_audit.model import Block, Document, Finding, Locator, Section

#: Roles a sentence may have (``lexicons/roles.yaml`` defines how each is recognised).
ROLES: frozenset[str] = frozenset({"law", "self", "pointer", "cookies", "definition", "condition", "other_party",
                             "right"})

#: Roles a list item takes from the sentence that introduces its list ("This notice explains:").
_INHERITED_FROM_LEAD = frozenset({"law", "self"})
#: Roles every sentence takes from a heading above it (a "Cookies" section is about cookies).
_INHERITED_FROM_HEADING = frozenset({"cookies"})
#: Roles a list item takes from its own section's heading ("What must a privacy notice include?").
_LIST_FROM_HEADING = frozenset({"law"})


@dataclass(eq=False, slots=True)
class Unit:
    """One sentence (or heading) with its words, concepts and roles."""

    sentence: Sentence
    kind: str  # the block kind, or "heading"
    tokens: Tokens
    hits: Hits
    position: int
    roles: frozenset[str] = frozenset()
    #: The sentence that introduces this list item's or table cell's list, if any.
    lead: Unit | None = None
    #: The first sentence of the paragraph that follows this list item's list, if any.
    tail: Unit | None = None
    #: Heading units above this unit, outermost first (a heading's own unit included for a heading).
    headings: tuple[Unit, ...] = ()
    #: The sentence before this one in the same section (None for the first, and for headings).
    prev: Unit | None = None
    #: Words of the unit as a set of concept names, for quick tests.
    concepts: frozenset[str] = field(default_factory=frozenset)

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def section(self) -> Section:
        return self.sentence.section

    @property
    def block(self) -> Block:
        return self.sentence.block

    def char_span(self, span: Span) -> tuple[int, int]:
        """Block offsets of a word span (for cutting quotes around it)."""
        start, end = self.tokens.span(*span)
        return self.sentence.start + start, self.sentence.start + end

    def has(self, *names: str) -> bool:
        return any(n in self.hits for n in names)

    @property
    def disclosing(self) -> bool:
        """Neither the law explained in general nor the notice describing itself."""
        return not (self.roles & {"law", "self"})


@dataclass(frozen=True, slots=True)
class RoleLexicon:
    frames: Mapping[str, tuple[Frame, ...]]
    #: Every (role, frame) pair, and for each concept the positions in it of the pairs whose first
    #: slot holds the concept: a sentence is tried only against the frames its concepts could open.
    pairs: tuple[tuple[str, Frame], ...]
    by_concept: dict[str, tuple[int, ...]]
    #: The concepts some frame opens with (the keys of ``by_concept``).
    openers: frozenset[str] = frozenset()

    def roles_of(self, unit: Unit) -> frozenset[str]:
        """The roles a unit's own words give it (no lead-in or heading taken into account).

        Only the frames the unit's concepts could open are tried (most units hold none of the few
        opening concepts: one C-level set intersection), and none of a role the unit already has."""
        by_concept, pairs = self.by_concept, self.pairs
        present = unit.concepts
        opening = present & self.openers
        if not opening:
            return frozenset()
        roles: set[str] = set()
        for i in {i for c in opening for i in by_concept[c]}:
            role, frame = pairs[i]
            if role not in roles and frame.match(unit) is not None:
                roles.add(role)
        return frozenset(roles)


@cache
def role_lexicon() -> RoleLexicon:
    data: dict[str, Any] = load_lexicon("roles")
    names = concepts.lexicon().names
    unknown = set(data) - ROLES
    if unknown:
        raise ValueError(f"roles.yaml: unknown role(s) {sorted(unknown)} (known: {sorted(ROLES)})")
    frames = {role: compile_frames(data.get(role), f"roles.yaml/{role}", names, frozenset()) for role in ROLES}
    pairs = tuple((role, frame) for role, fs in frames.items() for frame in fs)
    by_concept: dict[str, list[int]] = {}
    for i, (role, frame) in enumerate(pairs):
        if not frame.needs:
            raise ValueError(f"roles.yaml/{role}: every role frame needs a concept (an 'all' or 'seq' slot)")
        for concept in frame.needs[0]:
            by_concept.setdefault(concept, []).append(i)
    return RoleLexicon(frames, pairs, {c: tuple(ids) for c, ids in by_concept.items()}, frozenset(by_concept))


@dataclass(eq=False, slots=True)
class DocumentIndex:
    """Every unit of one document, in reading order (headings before their sections' sentences)."""

    document: Document
    units: list[Unit]
    #: Heading unit of each section (None when the section has no heading).
    heading_of: dict[int, Unit | None]
    #: Sentence units of each block, by block id.
    by_block: dict[int, list[Unit]]
    #: The controller's findings, once found (``controller.extract`` keeps them here).
    controller: tuple[Finding, ...] | None = None
    #: The names the notice gives its own controller, lower case, once read (``controller.own_names``): asked
    #: for every sentence that may send the reader to another body.
    own_names: tuple[str, ...] | None = None
    #: Findings of the frame-described elements, by element, once found (``elements.extract``).
    elements: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    #: Each sentence with the pointer next to it, once found (``elements.pointer_findings``): the same
    #: for every element, so worked out once per document rather than once per element.
    partners: tuple[tuple[Unit, Unit], ...] | None = None
    _sentences: list[Unit] | None = None

    def sentences(self) -> list[Unit]:
        """Sentence units (no headings), in reading order."""
        if self._sentences is None:
            self._sentences = [u for u in self.units if u.kind != "heading"]
        return self._sentences

    def headings(self) -> list[Unit]:
        return [u for u in self.units if u.kind == "heading"]

    def with_concepts(self, *names: str) -> Iterator[Unit]:
        """Sentence units that hold at least one of the concepts."""
        return (u for u in self.units if u.kind != "heading" and any(n in u.hits for n in names))

    def section_units(self, section: Section) -> list[Unit]:
        return [u for b in section.blocks for u in self.by_block.get(id(b), [])]

    def next_unit(self, unit: Unit) -> Unit | None:
        nxt = unit.position + 1
        return self.units[nxt] if nxt < len(self.units) else None


def _heading_sentence(section: Section) -> Sentence:
    block = Block("paragraph", section.heading, section.locator)
    return Sentence(section, block, 0, len(section.heading))


def build(doc: Document) -> DocumentIndex:
    """Split, tokenize, scan and give roles to every sentence and heading of ``doc``."""
    raw: list[tuple[Sentence, str, Tokens]] = []
    path_heads: dict[tuple[str, ...], int] = {}  # heading path -> its heading's index in raw
    section_heads: list[tuple[int, ...]] = []  # per unit: raw indices of the headings above it
    heading_at: dict[int, int | None] = {}
    for section in doc.sections:
        above: list[int] = []
        for depth in range(1, len(section.path)):
            prefix = section.path[:depth]
            if prefix in path_heads:
                above.append(path_heads[prefix])
        own: int | None = None
        if section.heading:
            own = len(raw)
            sentence = _heading_sentence(section)
            raw.append((sentence, "heading", tokenize(section.heading)))
            section_heads.append((*above, own))
            path_heads.setdefault(section.path or (section.heading,), own)
        heading_at[id(section)] = own
        heads = (*above, own) if own is not None else tuple(above)
        for block in section.blocks:
            for start, end in split_sentences(block.text):
                sentence = Sentence(section, block, start, end)
                raw.append((sentence, block.kind, tokenize(sentence.text)))
                section_heads.append(heads)
    hits = concepts.lexicon().scan([t for _, _, t in raw])
    for (sentence, _, _), h in zip(raw, hits, strict=True):
        _mark_values(sentence.text, h)
    units = [
        Unit(sentence, kind, tokens, h, i, concepts=frozenset(h))
        for i, ((sentence, kind, tokens), h) in enumerate(zip(raw, hits, strict=True))
    ]
    for unit, heads in zip(units, section_heads, strict=True):
        unit.headings = tuple(units[i] for i in heads)
    by_block: dict[int, list[Unit]] = {}
    prev: Unit | None = None
    for u in units:
        if u.kind == "heading":
            prev = None
            continue
        by_block.setdefault(id(u.block), []).append(u)
        if prev is not None and prev.section is u.section:
            u.prev = prev
        prev = u
    _link_leads(doc, by_block)
    _give_roles(units)
    return DocumentIndex(doc, units, {k: (units[v] if v is not None else None) for k, v in heading_at.items()},
                         by_block)


# Each of these only says whether a sentence holds a value of its kind (``_mark_values``), so each
# alternative is written to open with a character of punctuation: the regex engine then skips in C to
# the next such character instead of trying every alternative at every character (a fifth of the time).
#: An email address: a word character, "@", a domain with a dot; or "[at]" / "(at)".
_EMAIL = re.compile(r"@(?<=[\w.+-]@)[\w-]+\.\w|\[at\]|\(at\)", re.IGNORECASE)
#: A UK phone number: "+44", or a "0" that opens a word, then digits, spaces and brackets.
_PHONE = re.compile(r"(?:\+44|0(?<=\b0))[\d\s()-]{9,16}\d\b")
#: A web address: "http(s)://" or "www." opening a word, or a host name ending in a known suffix.
_URL = re.compile(r"""\.(?: (?<=\bwww\.)
        | (?<=[\w-]\.)(?: (?:gov|org|co|nhs|ac|police|sch)\.uk\b | (?:com|org|net|uk)/ ))
    | :(?: (?<=\bhttp:) | (?<=\bhttps:) )//""", re.IGNORECASE | re.VERBOSE)


#: What every contact value holds one of: a sentence without any gives none (one search, not three).
#: It is "@", "[at]", "(at)", three digits, "://", "www." or a dot before "uk", "com", "org" or "net"
#: (letters in any case), each alternative opening with one character of the leading set, as above.
_VALUE_CUE = re.compile(r"""[@\[(:.\d](?:
    (?<=\.)(?i:uk|com|org|net)\b | (?<=[wW][wW][wW]\.) | (?<=\d)\d\d | (?<=:)// | (?<=@) | (?<=\[)(?i:at)\]
    | (?<=\()(?i:at)\))""", re.VERBOSE)


def _mark_values(text: str, hits: Hits) -> None:
    """Mark sentences that give contact values: they are contact details, not descriptions."""
    if _VALUE_CUE.search(text) is None:
        return
    for name, pattern in (("email_value", _EMAIL), ("phone_value", _PHONE), ("url_value", _URL)):
        if pattern.search(text):
            hits.setdefault(name, []).append((0, 0))


def _link_leads(doc: Document, by_block: dict[int, list[Unit]]) -> None:
    """Each list item and table cell gets the last sentence of the paragraph before its list and the
    first sentence of the paragraph after it. A list item that ends with a colon introduces the
    items after it instead (a nested list, read flat: "- for our functions, such as:" / "- ...")."""
    for section in doc.sections:
        lead: Unit | None = None
        inner: Unit | None = None  # a list item ending with ":" over the items that follow it
        waiting: list[Unit] = []  # items of the current list, until a paragraph follows
        for block in section.blocks:
            units = by_block.get(id(block), [])
            if block.kind == "paragraph":
                if units:
                    for u in waiting:
                        u.tail = units[0]
                    waiting = []
                lead = units[-1] if units else lead
                inner = None
            else:
                for u in units:
                    u.lead = inner or lead
                waiting.extend(units)
                if units and block.kind == "list_item":
                    inner = units[-1] if block.text.rstrip().endswith(":") else inner


def _give_roles(units: Sequence[Unit]) -> None:
    lexicon = role_lexicon()
    for u in units:
        u.roles = lexicon.roles_of(u)
        # "See our main notice. It covers:" -- the sentence after a pointer that goes on about the same
        # document ("It covers", "This explains") points there too.
        prev = u.prev
        if (prev is not None and "pointer" in prev.roles and _CONTINUES.match(u.text)
                and any(a <= 2 for a, _ in u.hits.get("explain_verb", ()))):
            u.roles = u.roles | {"pointer"}
    for u in units:
        if u.kind == "heading":
            continue
        extra: set[str] = set()
        for h in u.headings:
            extra |= h.roles & _INHERITED_FROM_HEADING
        if u.kind != "paragraph":
            if u.lead is not None:
                extra |= u.lead.roles & _INHERITED_FROM_LEAD
            if u.headings:
                extra |= u.headings[-1].roles & _LIST_FROM_HEADING
        if extra:
            u.roles = u.roles | extra


#: Verbs that make a named body the one handling data ("The Agency collects ...").
_HANDLING = frozenset({"use_verb", "collect_verb", "share_verb", "keep_verb"})
#: "owned and managed by the Department": the data belongs to the body named after it.
_HELD = r"(?:owned|managed|held|run|maintained|controlled|operated)"
_HELD_BY = re.compile(rf"\b{_HELD}(?: and {_HELD})?(?: \w+){{0,3}} by (?:the )?(.{{3,80}})", re.IGNORECASE)
#: "you are entitled to ask the Department:": what another body will do for the reader.
_ASKED = re.compile(r"\b(?:ask|request|contact|write to|apply to)\s+(?:the\s+)?(.{3,80})", re.IGNORECASE)
_SHORT_NAME = re.compile(r"(?:the\s+)?([A-Z][a-z]+)\b")
#: A sentence that goes on about what the sentence before it was about ("It is held ...").
_CONTINUES = re.compile(r"^\W*(?:it|its|they|their|this|these|that|those|such)\b", re.IGNORECASE)


class BodyNames(Protocol):
    """How bodies are named: the controller extractor (``extract.controller``), which registers itself here
    (``register_body_names``) because it reads this index, so this module cannot import it. Importing
    ``notice_audit.extract`` (as importing any of its modules does) loads it."""

    def own_names(self, doc: Document) -> tuple[str, ...]:
        """The names the notice gives its own controller, lower case."""
        ...

    def leading_name(self, text: str) -> str | None:
        """The organisation a text opens with, if any."""
        ...


_bodies: list[BodyNames] = []


def register_body_names(names: BodyNames) -> None:
    """Tell the index how bodies are named (for telling other bodies' practice apart from the notice's own)."""
    _bodies[:] = [names]


def _mark_other_parties(doc: Document, units: Sequence[Unit]) -> None:
    """Sentences that tell what ANOTHER body does with data get the ``other_party`` role.

    The body is one the notice shares data with (named after a sharing verb) and not the notice's
    own controller; the sentence says nothing of "we" and either opens with the body's name and a
    data-handling verb ("The Department for Education collects data from schools"), says the data
    is held by it ("The database is owned and managed by the Department"), asks it for something
    ("you are entitled to ask the Department:"), sits in a section headed by its name, or goes on
    from such a sentence ("It is held ...", "This information is collected from ..."). List items
    take the role from their lead-in.
    """
    shared = " ".join(_after_sharing(u) for u in units if "share_verb" in u.hits)
    if not shared:
        return  # the notice shares with nobody: nobody else's practice can be told apart
    if not _bodies:
        return  # nobody to tell apart: the controller extractor is not loaded
    controller = _bodies[0]
    own = controller.own_names(doc)
    shared_words = frozenset(re.findall(r"[a-z]+", shared))
    others: list[str] = []

    def other(name: str | None) -> bool:
        if not name or _is_own(name, own) or not _mentioned(name, shared, shared_words):
            return False
        others.append(name.lower())
        return True

    def named_after(pattern: re.Pattern[str], text: str) -> bool:
        m = pattern.search(text)
        if m is None:
            return False
        tail = m.group(1)
        short = _SHORT_NAME.match(tail)  # "the Department": a name given in full before
        return other(controller.leading_name(tail)) or (
            short is not None and any(short.group(1).lower() in o for o in others))

    heads: dict[int, bool] = {}
    prev: Unit | None = None
    for u in units:
        if u.kind == "heading":
            prev = None
            continue
        if "we" not in u.hits:
            key = id(u.section)
            if key not in heads:
                heads[key] = bool(u.section.heading) and _names_only(u.section.heading, controller, other)
            early_verb = any(c in u.hits and any(a <= 8 for a, _ in u.hits[c]) for c in _HANDLING)
            acts = early_verb and other(controller.leading_name(u.text))
            held = ("by_word" in u.hits and named_after(_HELD_BY, u.text)) or (
                "ask_verb" in u.hits and named_after(_ASKED, u.text))
            goes_on = prev is not None and "other_party" in prev.roles and _CONTINUES.match(u.text) is not None
            from_lead = u.kind != "paragraph" and u.lead is not None and "other_party" in u.lead.roles
            if acts or held or goes_on or from_lead or heads[key]:
                u.roles = u.roles | {"other_party"}
        prev = u


def _after_sharing(unit: Unit) -> str:
    """The lower-cased text after a sentence's first sharing verb: where its recipients are named."""
    first = min(a for a, _ in unit.hits["share_verb"])
    return unit.text[unit.tokens.spans[first][1]:].lower()


def _names_only(heading: str, controller: BodyNames, other: Callable[[str | None], bool]) -> bool:
    """A heading that is only another body's name ("The Department for Education")."""
    name = controller.leading_name(heading)
    if not name:
        return False
    return len(name) >= len(heading.strip()) - 12 and other(name)


def _is_own(name: str, own: Sequence[str]) -> bool:
    name = name.lower()
    return any(name in o or o in name for o in own)


def _mentioned(name: str, text: str, words: frozenset[str]) -> bool:
    """The name, or the acronym made of its capitals, occurs in ``text`` (lower-cased; ``words`` are its words)."""
    acronym = "".join(w[0] for w in name.split() if w[:1].isupper())
    return name.lower() in text or (len(acronym) >= 3 and acronym.lower() in words)


_CACHE: dict[int, tuple[tuple[Section, ...], DocumentIndex]] = {}
_CACHE_SIZE = 4


def index_of(doc: Document) -> DocumentIndex:
    """The index of ``doc``, built on first use and shared by every extractor."""
    key = id(doc.sections)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is doc.sections:
        return hit[1]
    built = build(doc)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (doc.sections, built)
    # Who the controller is decides which named bodies are others; the controller's recogniser
    # reads this index, so another body's sentences are marked once it is in the cache.
    _mark_other_parties(doc, built.units)
    return built


def release(doc: Document) -> None:
    """Forget ``doc``'s index, if it is kept, and cut the links between its units (a heading's unit
    lists itself among its headings), so that it is freed at once rather than by the cycle collector.

    For the caller done with the document: asked again, ``index_of`` builds it anew."""
    hit = _CACHE.get(id(doc.sections))
    if hit is None or hit[0] is not doc.sections:
        return
    del _CACHE[id(doc.sections)]
    hit[1].partners = None
    for unit in hit[1].units:
        unit.headings = ()
        unit.lead = unit.tail = unit.prev = None


# --- what the older extractors ask of a document -----------------------------------------------


def sentences(doc: Document) -> list[Sentence]:
    """Every sentence of the document that could disclose something, in reading order.

    Sentences that explain the law in general, and list items introduced by such a sentence or
    heading, are left out: describing the law is not disclosing.
    """
    return [u.sentence for u in index_of(doc).sentences() if "law" not in u.roles]


def every_sentence(doc: Document) -> list[Sentence]:
    """Every sentence of every block, in reading order, those that explain the law included."""
    return [u.sentence for u in index_of(doc).sentences()]


def is_generic(doc: Document, block: Block) -> bool:
    """Whether a block only explains the law (or lists what the law requires)."""
    units = index_of(doc).by_block.get(id(block), [])
    return bool(units) and all("law" in u.roles for u in units)


@lru_cache(maxsize=8192)
def text_roles(text: str) -> frozenset[str]:
    """The roles a text has on its own (no lead-in, heading or neighbour to take one from): for
    texts outside a document's index, such as a list's lead-in read whole or a crawled page."""
    tokens = tokenize(text)
    hits = concepts.lexicon().scan([tokens])[0]
    _mark_values(text, hits)
    unit = Unit(Sentence(_LOOSE, Block("paragraph", text, _LOOSE.locator), 0, len(text)), "paragraph", tokens,
                hits, 0, concepts=frozenset(hits))
    return role_lexicon().roles_of(unit)


def explains_law(text: str) -> bool:
    """Whether a text explains the law in general rather than what this body does."""
    return "law" in text_roles(text)


_LOOSE = Section("", 0, (), (), Locator(""))
