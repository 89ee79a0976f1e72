"""Contact details (emails, UK phones, postcodes, web addresses, ICO numbers) with roles.

The role (``dpo``, ``ico``, ``controller`` or ``service``) says whose detail a
value is. It comes from the words around the value: its sentence (the role
named nearest wins), then the short label lines just above its block (an
address laid out line by line under "Data Protection Officer"), then its
headings. A value in a sentence that names the controller ("We are Lowmoor
Borough Council, Town Hall, ...") is the controller's; an ICO registration
number always identifies the controller; the ICO's own published details are
always the ICO's. Words and patterns live in ``lexicons/contact_roles.yaml``.

``dpo_contact`` is met from these roles, or from a sentence that gives a route
to the DPO in words (a contact form, "via the school office"), so a DPO named
without any contact route does not count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from notice_audit.extract import controller
from notice_audit.extract.base import (
    Sentence,
    compile_all,
    finding,
    load_lexicon,
    locator_for,
    quote,
)
from notice_audit.extract.index import sentences
from notice_audit.extract.prefilter import Matcher
from notice_audit.extract.values import ValueMatch
from notice_audit.extract.values.contacts import (
    find_emails,
    find_ico_registrations,
    find_phones,
    find_postcodes,
    find_urls,
    may_hold_value,
)
from notice_audit.model import Document, Evidence, Finding, Section

RECOGNISERS: dict[str, Callable[[str], list[ValueMatch]]] = {
    "email": find_emails,
    "phone": find_phones,
    "postcode": find_postcodes,
    "url": find_urls,
    "ico_registration": find_ico_registrations,
}
ROLES = ("dpo", "ico", "controller", "service")
#: A block this short reads as a label or an address line rather than prose.
LABEL_CHARS = 120
#: How many label lines above a block are read for its role.
LABEL_LINES = 8


@dataclass(frozen=True, slots=True)
class RoleLexicon:
    roles: tuple[tuple[str, Matcher], ...]
    headings: tuple[tuple[str, Matcher], ...]
    ico_values: frozenset[str]
    dpo_mailbox: Matcher
    dpo_route: Matcher
    dangling: Matcher
    internal_pointer: Matcher
    dpo_pointer: Matcher


def _role_patterns(table: dict[str, list[str]]) -> tuple[tuple[str, Matcher], ...]:
    out = []
    for role in ROLES:
        pattern = compile_all(table.get(role))
        if pattern is not None:
            out.append((role, pattern))
    return tuple(out)


@cache
def lexicon() -> RoleLexicon:
    data = load_lexicon("contact_roles")
    route = compile_all(data["dpo_route"])
    assert route is not None
    return RoleLexicon(
        roles=_role_patterns(data["roles"]),
        headings=_role_patterns(data["headings"]),
        ico_values=frozenset(v.lower() for v in data["ico_values"]),
        dpo_mailbox=re.compile(data["dpo_mailbox"], re.IGNORECASE),
        dpo_route=route,
        dangling=re.compile(data["dangling"], re.IGNORECASE),
        internal_pointer=re.compile(data["internal_pointer"], re.IGNORECASE),
        dpo_pointer=re.compile(data["dpo_pointer"], re.IGNORECASE),
    )


# --- roles ---------------------------------------------------------------------------------------


def role_of(window: str, at: int, *contexts: str) -> str:
    """The role named nearest to position ``at`` of ``window``, else the first named in ``contexts``.

    Nearest wins because one sentence often names two roles ("if the DPO cannot
    help, contact the ICO on 0303 ...").
    """
    return _nearest_role(window, at) or _context_role(contexts, lexicon().roles) or "service"


def _nearest_role(window: str, at: int) -> str | None:
    """The role whose words sit closest to position ``at``, if the window names any."""
    best: tuple[int, str] | None = None
    for role, pattern in lexicon().roles:
        for m in pattern.finditer(window):
            distance = at - m.end() if m.end() <= at else m.start() - at
            if best is None or abs(distance) < best[0]:
                best = (abs(distance), role)
    return best[1] if best is not None else None


def _context_role(contexts: tuple[str, ...] | list[str], table: tuple[tuple[str, Matcher], ...]) -> str | None:
    """The first role named by the first context that names one."""
    for context in contexts:
        for role, pattern in table:
            if pattern.search(context):
                return role
    return None


def _fixed_role(kind: str, match: ValueMatch) -> str | None:
    """Roles that follow from the value itself, whatever the words around it say."""
    lex = lexicon()
    value = (match.value or "").lower()
    if kind == "ico_registration":
        return "controller"  # the controller's entry in the ICO's register of fee payers
    if value in lex.ico_values or (kind in ("email", "url") and "ico.org.uk" in value):
        return "ico"
    if kind == "email" and lex.dpo_mailbox.search(value):
        return "dpo"
    return None


def _labels_above(doc: Document) -> dict[int, list[str]]:
    """For each block, the label lines that speak for it, nearest first.

    A label or address line reads the whole run of such lines above it in its
    section; a prose block reads only a line just above that introduces it
    ("Our DPO can be contacted at:").
    """
    out: dict[int, list[str]] = {}
    for section in doc.sections:
        run: list[str] = []
        for block in section.blocks:
            if is_label_line(block.text):
                out[id(block)] = run[: -LABEL_LINES - 1 : -1]  # nearest first
                run.append(block.text)
            else:
                out[id(block)] = run[-1:] if run and run[-1].rstrip().endswith(":") else []
                run = []
    return out


def is_label_line(text: str) -> bool:
    """A label or address line ("Data Protection Officer", "Town Hall", "Contact the DPO at:"), not prose.

    A short block that ends a sentence of more than a few words is prose: it ends the run.
    """
    text = text.strip()
    return len(text) < LABEL_CHARS and not (text.endswith((".", "!", "?")) and len(text.split()) > 6)


def _heading_role(section: Section) -> str | None:
    return _context_role(list(reversed(section.path)), lexicon().headings)


def _controller_places(found: Sequence[Finding]) -> dict[str, list[str]]:
    """Locator -> quotes of the sentences that name the controller: their contacts are the controller's."""
    places: dict[str, list[str]] = {}
    for f in found:
        core = f.evidence.quote.strip("…").strip()
        if core:
            places.setdefault(str(f.evidence.locator), []).append(core)
    return places


def _role(kind: str, m: ValueMatch, s: Sentence, labels: list[str], named: bool) -> tuple[str, str]:
    """(role, where it came from): the value itself, its sentence, the controller, a label, a heading."""
    fixed = _fixed_role(kind, m)
    if fixed is not None:
        return fixed, "value"
    lo = max(0, m.start - 160)
    near = _nearest_role(s.text[lo: m.end + 60], m.start - lo)
    if near is not None:
        return near, "sentence"
    if named:
        return "controller", "controller"
    label = _context_role(labels, lexicon().roles)
    if label is not None:
        return label, "label"
    heading = _heading_role(s.section)
    if heading is not None:
        return heading, "heading"
    return "service", "default"


def extract(doc: Document, controller_findings: Sequence[Finding] | None = None) -> list[Finding]:
    """Every contact value of the document, each with its kind, role and where the role came from.

    ``controller_findings`` are ``controller.extract(doc)``'s, when the caller has them already.
    """
    found: list[Finding] = []
    labels = _labels_above(doc)
    named = _controller_places(controller.extract(doc) if controller_findings is None else controller_findings)
    for s in sentences(doc):
        text = s.text
        if not may_hold_value(text):
            continue
        for kind, recognise in RECOGNISERS.items():
            for m in recognise(text):
                is_named = _names_controller(s, named) if named else False
                role, source = _role(kind, m, s, labels.get(id(s.block), []), is_named)
                attributes = {"kind": kind, "role": role, "role_from": source, "text": m.text, **dict(m.attributes)}
                found.append(finding("contact", s, value=m.value, attributes=attributes,
                                     span=(s.start + m.start, s.start + m.end)))
    return found


def _names_controller(s: Sentence, named: dict[str, list[str]]) -> bool:
    """Whether a controller finding quotes (part of) this sentence."""
    cores = named.get(str(locator_for(s.section, s.block)), ())
    return any(core in s.text or s.text in core for core in cores)


def values_by_kind(findings: list[Finding] | tuple[Finding, ...], kind: str) -> list[str]:
    return list(dict.fromkeys(f.value for f in findings if f.attributes.get("kind") == kind and f.value))


# --- DPO contact ---------------------------------------------------------------------------------


def dpo_findings(contacts: list[Finding], doc: Document) -> list[Finding]:
    """DPO contact: a contact whose role is the DPO, a route to the DPO in words, or a pointer to one."""
    out = [Finding("dpo_contact", f.evidence, f.value, "statement", {"via": f.attributes["kind"]})
           for f in contacts if f.attributes.get("role") == "dpo"]
    if out:
        return out
    lex = lexicon()
    dpo = dict(lex.roles)["dpo"]
    for s in sentences(doc):
        text = s.text
        if not dpo.search(text):  # sentences() leaves out the law explained in general
            continue
        if lex.internal_pointer.search(text):
            # "email our DPO using the address below": the address in the blocks that follow
            below = _values_below(s, contacts)
            if below is not None:
                out.append(Finding("dpo_contact", Evidence(quote(f"{text} … {below.evidence.quote}"),
                                                           below.evidence.locator),
                                   below.value, "statement", {"via": below.attributes["kind"]}))
            continue
        if _dangles(text):
            continue
        if lex.dpo_pointer.search(text):
            out.append(finding("dpo_contact", s, kind="pointer"))
        elif lex.dpo_route.search(text):
            out.append(finding("dpo_contact", s, attributes={"via": "words"}))
    return out


def _values_below(s: Sentence, contacts: list[Finding]) -> Finding | None:
    """The first contact value in the two blocks after the sentence's, in its section."""
    blocks = s.section.blocks
    at = next((i for i, b in enumerate(blocks) if b is s.block), None)
    if at is None:
        return None
    after = {str(locator_for(s.section, b)) for b in blocks[at + 1 : at + 3]}
    return next((f for f in contacts if str(f.evidence.locator) in after), None)


def _dangles(text: str) -> bool:
    """The sentence stops where the detail should be ("contact our DPO at")."""
    return lexicon().dangling.search(text.rstrip(" .;,")) is not None

