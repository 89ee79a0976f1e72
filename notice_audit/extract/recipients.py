"""Recipients of this organisation's sharing, each with a category.

A recipient needs two things: a CONTEXT about disclosing data to someone and
WORDS that name someone. The contexts are lists under a sharing heading or
after a sharing introduction ("we may share your information with:"),
sentences that disclose ("we pass your details to the police and HMRC"),
publication ("applications are published on our website"), processors ("our
IT supplier, acting on our behalf") and relative clauses ("organisations we
share data with"). The words must look like an organisation, body, group,
service, person in a role or publication target, not a kind of data ("names",
"information about ..."), a purpose ("to assess your needs") or a law.

Sharing done by a third party on its own account ("the law allows the
Department to share ... with:") is left out: those are not this notice's
recipients. Words and patterns live in ``lexicons/recipients.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cache

from notice_audit.extract import prefilter
from notice_audit.extract.base import (
    Sentence,
    block_finding,
    compile_all,
    finding,
    load_lexicon,
    per_document,
    quote,
    split_sentences,
)
from notice_audit.extract.index import explains_law, index_of, is_generic, sentences, text_roles
from notice_audit.extract.prefilter import Matcher
from notice_audit.model import Block, Document, Finding, Section

#: Longest recipient phrase kept (in words); longer list items are sentences, not names.
MAX_RECIPIENT_WORDS = 24
#: How far before a sharing verb a negation or another subject is looked for.
SUBJECT_WINDOW = 70
#: How far before a sharing verb a request by the individual ("ask us to send it to ...") is looked for.
REQUEST_WINDOW = 300
#: How far after a sharing verb an enumeration of recipients may run.
ENUMERATION_WINDOW = 400
#: Most recipients kept for one document (bounds the work on hostile input).
MAX_RECIPIENTS = 300

_TRIM = re.compile(r"^[\s•·▪*\-–—>]+|[\s,;:.]+$|^(?:and|or|also|then|including|e\.g\.|i\.e\.)\s+|\s+(?:and|or|etc)$",
                   re.IGNORECASE)
_ARTICLES = re.compile(r"^(?:the|a|an|our|your|any|all|some|certain|relevant|appropriate|other|another)\s+",
                       re.IGNORECASE)
_ENUM_SPLIT = re.compile(r"\s*(?:;|,|:|\band/or\b|\bas well as\b|\bsuch as\b|\bincluding\b|\blike\b|\bfor example\b|"
                         r"\be\.g\.?|\bi\.e\.?|\bplus\b)\s*", re.IGNORECASE)
_CONJ_SPLIT = re.compile(r"\s+(?:and|or|&)\s+", re.IGNORECASE)
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")
_DATA_WORDS = (r"\b(?:information|data|details|records?|images?|footage|recordings?|it|them|this|"
               r"copies|register|reports?|names?|addresses|applications?|comments|files?)\b")
_DATA_MENTION = re.compile(_DATA_WORDS, re.IGNORECASE)
#: The same words searched case-sensitively in an ASCII text lower-cased: half the time of the
#: case-insensitive search, which folds the case of every character it tries (``_mentions_data``).
_DATA_MENTION_LOWER = re.compile(_DATA_WORDS)
_PRONOUN = re.compile(r"\s*(?:them|those|these|they|him|her)\b(?!\s+(?:organisations|bodies|agencies|partners|"
                      r"people|services|providers))", re.IGNORECASE)
_SELF = re.compile(r"\s*(?:us|you|ourselves|yourself|me|the individual|the data subject)\b", re.IGNORECASE)
_QUANTITY = re.compile(r"^(?:(?:a|an|the|our)\s+)?(?:(?:weekly|monthly|wide|small|large|limited|full)\s+)?"
                       r"(?:list|number|range|variety|group|panel|selection|series|network|mix|host)\s+of\s+",
                       re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9'’]+")
#: Where a clause before a sharing verb begins (its subject and negation are looked for after it).
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\b(?:but|however|although|unless|except|where|if|when)\b")


@dataclass(frozen=True, slots=True)
class RecipientLexicon:
    """The compiled ``recipients.yaml``: one case-insensitive alternation per key,
    except the keys whose patterns are tried one by one (``_SEPARATE``)."""

    headings: Matcher
    third_party: Matcher
    share_direct: Matcher
    share_object: Matcher
    negation: Matcher
    other_subject: Matcher
    on_request: Matcher
    sentence_stop: Matcher
    item_stop: Matcher
    head_stop: Matcher
    recipient_words: Matcher
    data_words: Matcher
    purpose_start: Matcher
    not_recipient: Matcher
    vague: Matcher
    infinitive: Matcher
    lead_trim: Matcher
    publication: Matcher
    publication_not: Matcher
    publication_object: Matcher
    processor_cue: Matcher
    processor_phrase: Matcher
    processor_not: Matcher
    intro: Matcher
    intro_to: Matcher
    purpose_tail: Matcher
    other_intro: Matcher
    pointer_topic: Matcher
    pointer_to_notice: Matcher
    publication_target: tuple[Matcher, ...]
    relative: tuple[Matcher, ...]
    named_processor: tuple[Matcher, ...]
    categories: tuple[tuple[str, Matcher], ...]


#: Keys whose patterns are tried one by one, in order (the first match decides or a group is read).
_SEPARATE = ("publication_target", "relative", "named_processor")
#: Keys matched case-sensitively: the names they capture are capitalised.
_CASE_SENSITIVE = ("named_processor",)


@cache
def lexicon() -> RecipientLexicon:
    """Read and compile the recipients lexicon once."""
    data = load_lexicon("recipients")
    values: dict[str, object] = {}
    for f in fields(RecipientLexicon):
        if f.name == "categories":
            values[f.name] = tuple((name, p) for name, pats in data["categories"].items()
                                   if (p := compile_all(pats)) is not None)
        elif f.name in _SEPARATE:
            flags = 0 if f.name in _CASE_SENSITIVE else re.IGNORECASE
            values[f.name] = tuple(prefilter.compile(p, flags) for p in data[f.name])
        else:
            pattern = compile_all(data.get(f.name))
            if pattern is None:
                raise ValueError(f"recipients.yaml: '{f.name}' needs at least one pattern")
            values[f.name] = pattern
    return RecipientLexicon(**values)  # type: ignore[arg-type]  # one checked value per field, built above


# --- the words: is this a recipient, and which category ------------------------------------------


@per_document
def head_zone(text: str) -> str:
    """The phrase up to its first qualifier: 'Department for Education' -> 'Department'.

    A leading quantity ("a list of councillors", "a range of partners") is skipped.
    """
    text = _QUANTITY.sub("", text.strip())
    m = lexicon().head_stop.search(text)
    return (text[: m.start()] if m else text).strip()


@per_document
def categorise(text: str) -> str:
    """The recipient category for a recipient's words ('other' when none fits).

    The head of the phrase decides first ("other local authorities (in adoption
    cases)" is a local authority, not a care provider), then the whole text.
    """
    for piece in (head_zone(text), text):
        for name, pattern in lexicon().categories:
            if pattern.search(piece):
                return name
    return "other"


@per_document
def looks_like_recipient(text: str, *, allow_names: bool = False) -> bool:
    """Do these words name a recipient, rather than data, a purpose or a law?

    ``allow_names`` accepts a bare proper name ("Zendesk", "Acme Ltd") too:
    safe inside a list introduced as recipients, not in running sentences.
    """
    lex = lexicon()
    text = text.strip()
    if not text or len(text.split()) > MAX_RECIPIENT_WORDS:
        return False
    if lex.purpose_start.search(text) or lex.not_recipient.search(text) or _is_activity(text):
        return False
    zone = head_zone(text)
    head_parts = re.split(r"[/\\]", zone.split()[-1]) if zone.split() else []
    if any(lex.recipient_words.fullmatch(p) for p in head_parts):
        return True
    if any(lex.data_words.fullmatch(p) for p in head_parts):
        return False
    if categorise(zone) != "other" or _ACRONYM.match(zone) or lex.recipient_words.search(zone):
        return True
    return allow_names and (_is_name(zone) or bool(lex.recipient_words.search(text)))


def _is_activity(text: str) -> bool:
    """'Managing our property' is an activity; 'Housing associations' and 'Funding bodies' are not.

    A phrase opening with an -ing word names a recipient only when it is a short
    compound noun: no article or possessive, no conjunction straight after.
    """
    words = text.split()
    if not re.match(r"^[A-Za-z]+ing$", words[0]):
        return False
    if len(words) == 1 or len(words) > 4:
        return True
    rest = [w.lower() for w in words[1:]]
    return bool(set(rest) & {"the", "a", "an", "our", "your", "their", "its", "his", "her", "and", "or", "to", "of",
                             "for", "with", "about", "out", "up", "on"})


def _is_name(text: str) -> bool:
    """A short capitalised name such as 'Acme Cloud' (not a sentence)."""
    words = text.split()
    return 0 < len(words) <= 5 and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("and", "of", "&")
                                       for w in words)


def clean(text: str) -> str:
    """Trim bullets, conjunctions and punctuation from the ends of a recipient phrase."""
    previous = None
    while previous != text:
        previous, text = text, _TRIM.sub("", text).strip()
    return text


def item_text(text: str) -> str:
    """A list item's recipient words, without the qualifiers after them."""
    text = clean(text)
    m = lexicon().item_stop.search(text)
    if m and m.start() > 0:
        text = clean(text[: m.start()])
    return text


def key(text: str) -> str:
    """A comparison key: lower-case words without leading articles or possessives."""
    words = " ".join(_WORD.findall(text.lower().replace("’", "'")))
    previous = None
    while previous != words:
        previous, words = words, _ARTICLES.sub("", words)
    return words


def _mentions_data(text: str) -> bool:
    """Whether the text names data ('information', 'records', 'it' ...): ``_DATA_MENTION.search``.

    Lower-casing an ASCII text changes no length and no word boundary, so the lower-case words
    match in it exactly where the case-insensitive ones match in the text; other texts are searched
    as they are (Unicode case folding has its own rules).
    """
    if text.isascii():
        return _DATA_MENTION_LOWER.search(text.lower()) is not None
    return _DATA_MENTION.search(text) is not None


@per_document
def _is_third_party(text: str) -> bool:
    return bool(lexicon().third_party.search(text))


# --- extraction -------------------------------------------------------------------------------------


def extract(doc: Document) -> list[Finding]:
    """Every recipient of this organisation's sharing, deduplicated, with its category.

    A later mention of a recipient already found ("the Department" after "the
    Department for Education (DfE)") is dropped. A bare "third party" is dropped
    too where the notice names more specific recipients: it adds nothing then.
    """
    found: list[Finding] = []
    keys: list[str] = []
    for f in _candidates(doc):
        if len(found) >= MAX_RECIPIENTS:
            break
        k = key(f.attributes["text"])
        if not k or any(_same(k, other) for other in keys):
            continue
        keys.append(k)
        found.append(f)
    vague = lexicon().vague
    if any(not vague.search(key(f.attributes["text"])) for f in found):
        found = [f for f in found if not vague.search(key(f.attributes["text"]))]
    if not found:
        found = _pointers(doc)
    return found


def _same(a: str, b: str) -> bool:
    """The same recipient named again: one key is the other, or a whole-word part of it."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return f" {short} " in f" {long} "


#: Sentences that share with nobody on this body's behalf: the law explained, the notice describing
#: itself, and another body's practice ("The Department shares data with researchers").
SKIP_ROLES = frozenset({"law", "self", "other_party", "right"})


def _candidates(doc: Document) -> Iterator[Finding]:
    yield from _from_lists(doc)
    lex = lexicon()
    # a sentence none of the sharing, relative, processor or publication patterns can match
    gate = prefilter.gate(lex.share_direct, lex.share_object, *lex.relative, *lex.named_processor,
                          lex.processor_cue, lex.publication)
    # and each reader's own: a sentence with a sharing verb seldom has a relative clause, a processor
    # or a publication, and each reader finds nothing without its first patterns' words (one set test)
    readers = ((prefilter.gate(lex.share_direct, lex.share_object), _from_sentence),
               (prefilter.gate(*lex.relative), _from_relative),
               (prefilter.gate(*lex.named_processor, lex.processor_cue), _from_processor),
               (prefilter.gate(lex.publication), _from_publication))
    for unit in index_of(doc).sentences():
        s, text = unit.sentence, unit.text
        if unit.roles & SKIP_ROLES or gate.rules_out(text) or _is_third_party(text) \
                or _is_third_party(s.section.heading):
            continue
        for own, read in readers:
            if not own.rules_out(text):
                yield from read(s)


# --- lists -------------------------------------------------------------------------------------------


def _from_lists(doc: Document) -> Iterator[Finding]:
    """List items under a sharing heading or introduction that name recipients.

    A list is judged as a whole: when most of its items are not recipients
    (purposes such as "plan services", kinds of data), the few that look like
    recipients are not taken either.
    """
    for section in doc.sections:
        sharing_heading = _is_sharing_heading(section.heading)
        intro: Block | None = None
        run: list[Block] = []
        for block in (*section.blocks, None):
            if block is not None and block.kind == "list_item":
                run.append(block)
                continue
            if run:
                yield from _list_run(doc, section, intro, run, sharing_heading)
            intro, run = block, []


def _list_run(doc: Document, section: Section, intro: Block | None, run: list[Block],
              sharing_heading: bool) -> Iterator[Finding]:
    """Recipients from one list (consecutive list items after one introduction)."""
    items: list[tuple[Block, list[str]]] = []
    run_context = _list_context(sharing_heading, intro)
    if run_context is None:
        return
    for block in run:
        if is_generic(doc, block):
            continue
        context = run_context
        if context == "lead_in" and re.match(r"\s*(?:with|to)\s", block.text, re.IGNORECASE):
            context = "intro"  # "sharing happens:" then items that begin "with our printers ..."
        if context not in ("intro", "heading"):
            continue
        items.append((block, _item_recipients(block.text, allow_names=True)))
    if len(items) >= 3 and sum(1 for _, names in items if names) * 2 < len(items):
        return
    for block, names in items:
        for text in names:
            category = categorise(text)
            yield block_finding("recipients", section, block, value=category,
                                attributes={"text": text, "category": category, "by": "list"})


def _item_recipients(raw: str, *, allow_names: bool) -> list[str]:
    """The recipients one list item names: itself, or each part of an enumeration in it."""
    text = _lead_trim(item_text(raw))
    if not looks_like_recipient(text, allow_names=allow_names):
        return []
    if re.search(r"\b(?:e\.g|i\.e|such as|including|for example|like)\b|[(/]", text, re.IGNORECASE):
        return [text]
    parts = [_lead_trim(clean(p)) for p in _split_enumeration(text)]
    if len(parts) > 1 and all(looks_like_recipient(p, allow_names=allow_names) for p in parts):
        return parts
    return [text]


def _is_sharing_heading(heading: str) -> bool:
    lex = lexicon()
    return bool(heading) and bool(lex.headings.search(heading)) and not _is_third_party(heading)


def _list_context(sharing_heading: bool, intro: Block | None) -> str | None:
    """How a list is introduced: 'intro' (as recipients), 'heading' (under a sharing heading) or None.

    A list whose introduction is about something else (the data collected, the
    purposes, where data comes from, your rights) is not a list of recipients,
    even under a sharing heading.
    """
    lex = lexicon()
    if intro is None:
        return "heading" if sharing_heading else None
    last, context = _intro_sentences(intro.text)
    if _is_third_party(context) or explains_law(context) or _data_intro(last):
        return None
    if lex.purpose_tail.search(last):
        return None
    if lex.other_intro.search(last) and not _discloses_to(last):
        return "lead_in" if lex.intro.search(last) else None
    to_someone = _discloses_to(context)
    leads_in = bool(lex.intro.search(last)) or last.rstrip().endswith(":")
    if leads_in and to_someone:
        return "intro"
    if lex.other_intro.search(last) or not sharing_heading:
        return "lead_in" if leads_in and lex.intro.search(last) else None
    return "heading"


def _discloses_to(text: str) -> bool:
    """Does the text speak of giving data TO someone (not 'to us', not 'to help ...')?"""
    lex = lexicon()
    for m in lex.intro_to.finditer(text):
        if lex.negation.search(text[max(0, m.start() - 30): m.start()] + m.group(0)[:30]):
            continue
        if not m.group(0).lower().endswith("to") or not lex.infinitive.search(text[m.end():].lstrip()):
            return True
    return False


def _intro_sentences(text: str) -> tuple[str, str]:
    """The sentence that leads into a list, and it with the sentence before when it is short."""
    spans = split_sentences(text)
    if not spans:
        return text, text
    last = text[spans[-1][0]: spans[-1][1]]
    if len(spans) > 1 and len(last.split()) < 10:
        return last, text[spans[-2][0]: spans[-1][1]]
    return last, last


def _data_intro(text: str) -> bool:
    """An introduction to a list of DATA ('the information we share includes:')."""
    return re.search(r"\b(?:types?|categor(?:y|ies)|kinds?|pieces?) of (?:personal )?(?:information|data)\b|"
                     r"^(?:(?:the|this|that|your|personal|such|these|our|some|other|relevant) )*"
                     r"(?:information|data|details|records)\b[^.:]{0,40}\b(?:includes?|such as|consists? of|comprises?)"
                     r"\b[^.]{0,20}:?\s*$", text.strip(), re.IGNORECASE) is not None and not re.search(
        r"\b(?:with|to)\b[^.]{0,40}\b(?:organisations|agencies|bodies|partners|recipients)\b", text, re.IGNORECASE)


def _lead_trim(text: str) -> str:
    """Drop leading verbs and prepositions ('include', 'use', 'with'), but keep 'to help ...' whole."""
    lex = lexicon()
    previous = None
    while previous != text:
        m = re.match(r"to\s+", text, re.IGNORECASE)
        if m and lex.infinitive.search(text[m.end():]):
            return text
        previous, text = text, lex.lead_trim.sub("", text).strip()
    return text


# --- sentences ---------------------------------------------------------------------------------------


def _from_sentence(s: Sentence) -> Iterator[Finding]:
    """Enumerations after a disclosing verb: 'we share it with the police, HMRC and other councils'."""
    lex = lexicon()
    text = s.text
    if not _mentions_data(text):
        return
    for pattern in (lex.share_direct, lex.share_object):
        for m in pattern.finditer(text):
            if _negated_or_not_ours(text, m.start(), m.group(0)):
                continue
            start = m.end()
            prep = re.search(r"(?:within|across|between)$", m.group(0), re.IGNORECASE)
            if prep and prep.group(0).lower() != "between":
                start = m.start() + prep.start()  # "within the council" names internal services
            elif m.group(0).lower().endswith("to") and lex.infinitive.search(text[m.end():].lstrip()):
                continue
            if _SELF.match(text[m.end():]):
                continue  # "passed to us", "sent to you": data coming in, not going out
            if _PRONOUN.match(text[m.end():]):
                yield from _antecedent(s, m.start())
                continue
            yield from _enumeration(s, start)


def _antecedent(s: Sentence, verb_at: int) -> Iterator[Finding]:
    """'we work with schools and share information with them': 'them' are the schools."""
    before = s.text[max(0, verb_at - REQUEST_WINDOW): verb_at]
    found = list(re.finditer(r"\b(?:with|to)\s+((?:[\w'’-]+\s+){0,3}?[\w'’-]+?)\s+(?:and|,|who|which)\b", before,
                             re.IGNORECASE))
    if found:
        name = _lead_trim(clean(found[-1].group(1)))
        if looks_like_recipient(name) and not _PRONOUN.match(name):
            yield _sentence_finding(s, name)


def _negated_or_not_ours(text: str, verb_at: int, verb: str) -> bool:
    """'we will not share ...' says no sharing; 'you must provide it to us' is not our disclosure."""
    lex = lexicon()
    before = text[max(0, verb_at - SUBJECT_WINDOW): verb_at]
    clause = _CLAUSE_BREAK.split(before)[-1]
    near = clause[-30:] + verb[:40]
    if lex.negation.search(near):
        return True
    # The windows below are runs of ``text`` (the verb is ``text[verb_at:]``'s start): a pattern the
    # prefilter rules out of the whole sentence cannot match them, and the sentence's test is
    # remembered where each new window would be scanned for the prefilter's words again.
    if not prefilter.gate(lex.other_subject).rules_out(text) and lex.other_subject.search(before[-45:] + verb):
        return True
    return not prefilter.gate(lex.on_request).rules_out(text) and \
        bool(lex.on_request.search(text[max(0, verb_at - REQUEST_WINDOW): verb_at + len(verb) + 40]))


def _enumeration(s: Sentence, start: int) -> Iterator[Finding]:
    """The recipients named from ``start`` (sentence offset) to the end of the enumeration."""
    lex = lexicon()
    text = s.text
    tail = text[start: start + ENUMERATION_WINDOW]
    stop = lex.sentence_stop.search(tail, 1 if re.match(r"(?:within|across)\b", tail, re.IGNORECASE) else 0)
    if stop:
        tail = tail[: stop.start()]
    for to in re.finditer(r"\bto\s+", tail, re.IGNORECASE):
        if lex.infinitive.match(tail[to.end():]):
            tail = tail[: to.start()]  # "within the council to answer your request"
            break
    for part in _split_enumeration(tail):
        name = _lead_trim(clean(part)) if not re.match(r"(?:within|across)\b", part.strip(), re.IGNORECASE) \
            else clean(part)
        if not looks_like_recipient(name):
            continue
        pos = text.find(name, start)
        span = (s.start + pos, s.start + pos + len(name)) if pos >= 0 else None
        category = categorise(name)
        yield finding("recipients", s, value=category, span=span,
                      attributes={"text": name, "category": category, "by": "sentence"})


def _split_enumeration(tail: str) -> list[str]:
    """Split 'A, B and C' into names, keeping 'Department for Work and Pensions' whole."""
    out: list[str] = []
    for piece in _ENUM_SPLIT.split(tail):
        if re.search(r"\bboth\b", piece, re.IGNORECASE):
            out.append(piece)  # "services both inside and outside the council" is one recipient
            continue
        current = ""
        tokens = _CONJ_SPLIT.split(piece)
        for i, token in enumerate(tokens):
            token = _lead_trim(clean(token)) if current else token
            if current and lexicon().not_recipient.search(clean(current)):
                current = token  # "between the council and X": the council is us
                continue
            if current and _is_activity_start(token):
                out.append(current)  # "with other agencies and recording your data ...": the list has ended
                return out
            if current and _has_recipient_head(clean(current)) and _starts_recipient(token, tokens[i + 1:]) and \
                    not _one_name(clean(current), token):
                out.append(current)
                current = token
            else:
                current = f"{current} and {token}" if current else token
        if current:
            out.append(current)
    return out


def _starts_recipient(token: str, rest: list[str]) -> bool:
    """Does a recipient begin at ``token``: 'the Lowmoor' + 'District Ombudsman' does, 'Pensions' does not."""
    phrase = token
    for nxt in (None, *rest[:3]):
        if nxt is not None:
            phrase = f"{phrase} and {nxt}"
        if looks_like_recipient(clean(phrase)):
            return True
    return False


def _one_name(left: str, right: str) -> bool:
    """'Local Government and Social Care Ombudsman': Title Case on both sides of 'and' is one name."""
    return bool(re.search(r"\b[A-Z][a-z]+$", left)) and bool(re.match(r"[A-Z][a-z]", right)) and \
        not _ACRONYM.match(right.split()[0]) and head_zone(left) == left.strip()


def _has_recipient_head(text: str) -> bool:
    """'police' or 'HMRC' can stand alone before 'and'; 'voluntary' (in 'voluntary and community groups') cannot."""
    words = _WORD.findall(head_zone(text))
    if not words or not looks_like_recipient(text):
        return False
    head = words[-1]
    return bool(lexicon().recipient_words.fullmatch(head)) or bool(_ACRONYM.match(head)) or \
        (len(words) > 1 and _is_name(" ".join(words)))


def _is_activity_start(text: str) -> bool:
    words = text.split()
    return bool(words) and (bool(lexicon().purpose_start.search(text)) or _is_activity(text))


def _from_relative(s: Sentence) -> Iterator[Finding]:
    """'the organisations we share your data with' names them before the verb."""
    lex = lexicon()
    for pattern in lex.relative:
        for m in pattern.finditer(s.text):
            if lex.negation.search(s.text[max(0, m.start() - 30): m.end()]):
                continue
            name = _lead_trim(clean(m.group(1)))
            if looks_like_recipient(name):
                yield _sentence_finding(s, name)


def _from_processor(s: Sentence) -> Iterator[Finding]:
    """Processors handling the data for us are recipients: 'our IT supplier acts on our behalf'."""
    lex = lexicon()
    text = s.text
    named = False
    for pattern in lex.named_processor:
        for m in pattern.finditer(text):
            name = clean(m.group(1))
            if name and not lex.negation.search(text[max(0, m.start() - 30): m.end()]) and \
                    not re.match(r"(?:We|The|This|It|They|You|Our|If|Where|When)\b", name):
                named = True
                yield _sentence_finding(s, name, category="contractors_processors")
    if named or not lex.processor_cue.search(text) or lex.processor_not.search(text):
        return
    phrase = lex.processor_phrase.search(text)
    if phrase is None or lex.negation.search(text[max(0, phrase.start() - 30): phrase.start()]):
        return
    name = _lead_trim(clean(phrase.group(0)))
    if looks_like_recipient(name):
        yield _sentence_finding(s, name, category="contractors_processors")


def _from_publication(s: Sentence) -> Iterator[Finding]:
    """Publishing personal data discloses it: the public, a public register, our website."""
    lex = lexicon()
    text = s.text
    m = lex.publication.search(text)
    if m is None or lex.publication_not.search(text) or not lex.publication_object.search(text) or \
            re.search(r"\b(?:not|never|n[o'’]t)\b", text[max(0, m.start() - 30): m.start() + 15], re.IGNORECASE):
        return
    for target in lex.publication_target:
        t = target.search(text)
        if t:
            yield _sentence_finding(s, clean(t.group(0)), category="other")
            return
    yield _sentence_finding(s, "the public", category="other")


def _sentence_finding(s: Sentence, name: str, *, category: str | None = None) -> Finding:
    category = category or categorise(name)
    pos = s.text.find(name)
    span = (s.start + pos, s.start + pos + len(name)) if pos >= 0 else None
    return finding("recipients", s, value=category, span=span,
                   attributes={"text": name, "category": category, "by": "sentence"})


# --- pointers ----------------------------------------------------------------------------------------


def _pointers(doc: Document) -> list[Finding]:
    """'Who we share it with is set out in our corporate privacy notice': a pointer, not a recipient."""
    lex = lexicon()
    out: list[Finding] = []
    for s in sentences(doc):
        text = s.text
        if lex.pointer_topic.search(text) and ("pointer" in text_roles(text) or lex.pointer_to_notice.search(text)):
            out.append(finding("recipients", s, kind="pointer",
                               attributes={"text": quote(text, limit=120), "category": "other", "by": "pointer"}))
            break
    return out
