"""A small reader of regular-expression pattern strings, for the literal prefilter.

The prefilter needs, of each lexicon pattern, the literals every match must hold. It used to read
CPython's private regex parser (``re._parser``), whose shape may change with any Python version.
This reads the pattern string itself, into a few kinds of item, and gives up (``read`` returns None) on
anything it does not know, so that the pattern is then searched in every text: an item it cannot
analyse is never read as a literal, which keeps the derived literals sound.

Items are ``(kind, value)``:

- ``LITERAL``: one character (its code point);
- ``TEXT``: a run of ASCII characters, each a literal (one item, not one per character: the
  literals of 700 patterns are derived at start-up);
- ``AT``: a zero-width anchor (``\\b``, ``^``, ``$`` ...);
- ``IN``: a character class whose members are ``(LITERAL, code)``, ``(SPACE, None)`` (``\\s``) or
  ``(OTHER, None)`` (anything else: ranges, other classes);
- ``GROUP``: a group's items (non-capturing, capturing, named or scoped flags alike);
- ``BRANCH``: alternatives, each a list of items;
- ``REPEAT``: ``(low, high, items)``, ``high`` being ``MAX_REPEAT`` when unbounded;
- ``OTHER``: anything that matches characters not known here (``.``, ``\\w``, lookarounds,
  back-references): read as "something", never as a literal.
"""

from __future__ import annotations

import re
from typing import Any

LITERAL, TEXT, AT, IN, GROUP, BRANCH = "literal", "text", "at", "in", "group", "branch"
REPEAT, OTHER, SPACE = "repeat", "other", "space"
#: What ``{3,}``, ``*`` and ``+`` read as their upper bound.
MAX_REPEAT = 1 << 30

Item = tuple[str, Any]

#: Escapes that match no character.
_ANCHORS = frozenset("bBAZ")
#: Escapes of one class of characters, not known here (``\s`` is, as SPACE).
_CLASSES = frozenset("dDwWS")
_QUANTITY = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_NAME = re.compile(r"[A-Za-z_]\w*")
_FLAGS = re.compile(r"[aiLmsux-]*")
#: A run of characters that stand for themselves.
_PLAIN = re.compile(r"[^\\()\[\]{}|?*+.^$]+")


class _Unknown(ValueError):
    """A pattern, or a part of one, this reader does not analyse: the pattern is searched in full."""


class _Reader:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0
        self.groups = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def alternatives(self) -> list[Item]:
        """Items up to a ``)`` or the end: one sequence, or one BRANCH of several."""
        branches = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else [(BRANCH, branches)]

    def sequence(self) -> list[Item]:
        items: list[Item] = []
        text = self.text
        while self.peek() not in ("", "|", ")"):
            plain = _PLAIN.match(text, self.pos)
            if plain is not None:
                # a run of literals at once, but its last character when a quantifier follows
                end = plain.end()
                after = text[end:end + 1]
                if after in ("?", "*", "+") or (after == "{" and _quantity(text, end) is not None):
                    end -= 1
                if end > self.pos:
                    for ch in text[self.pos:end]:
                        if ch.isascii() and items and items[-1][0] == TEXT:
                            items[-1] = (TEXT, items[-1][1] + ch)
                        else:
                            items.append((TEXT, ch) if ch.isascii() else (LITERAL, ord(ch)))
                    self.pos = end
                    continue
            atom = self.atom()
            if atom is None:
                continue
            if atom[0] == LITERAL and atom[1] < 128:
                atom = (TEXT, chr(atom[1]))
            item = self.quantified(atom)
            if item[0] == TEXT and items and items[-1][0] == TEXT:
                items[-1] = (TEXT, items[-1][1] + item[1])
                continue
            items.append(item)
        return items

    def quantified(self, atom: Item) -> Item:
        ch = self.peek()
        low: int
        high: int
        if ch == "?":
            low, high = 0, 1
            self.pos += 1
        elif ch == "*":
            low, high = 0, MAX_REPEAT
            self.pos += 1
        elif ch == "+":
            low, high = 1, MAX_REPEAT
            self.pos += 1
        elif ch == "{" and (m := _quantity(self.text, self.pos)) is not None:
            lo, comma, hi = m.groups()
            low = int(lo) if lo else 0
            high = (int(hi) if hi else MAX_REPEAT) if comma else low
            self.pos = m.end()
        else:
            return atom
        if atom[0] == AT:
            raise _Unknown("a repeated anchor")
        if self.peek() in ("?", "+"):  # lazy or possessive: the same strings
            self.pos += 1
        if self.peek() in ("?", "*", "+", "{"):
            raise _Unknown("a repeated repeat")
        return (REPEAT, (low, high, [atom]))

    def atom(self) -> Item | None:
        ch = self.peek()
        self.pos += 1
        if ch == "(":
            return self.group()
        if ch == "[":
            return self.char_class()
        if ch == "\\":
            return self.escape(in_class=False)
        if ch in ("^", "$"):
            return (AT, None)
        if ch == ".":
            return (OTHER, None)
        if ch in ("*", "+", "?"):
            raise _Unknown("nothing to repeat")
        return (LITERAL, ord(ch))

    def group(self) -> Item | None:
        text = self.text
        if not text.startswith("?", self.pos):
            self.groups += 1
            return self.closed(GROUP)
        self.pos += 1
        ch = self.peek()
        if ch == ":":
            self.pos += 1
            return self.closed(GROUP)
        if ch == "P" and text.startswith("<", self.pos + 1):
            m = _NAME.match(text, self.pos + 2)
            if m is None or not text.startswith(">", m.end()):
                raise _Unknown("a bad group name")
            self.pos = m.end() + 1
            self.groups += 1
            return self.closed(GROUP)
        if ch in ("=", "!") or text.startswith(("<=", "<!"), self.pos):
            self.pos += 1 if ch in ("=", "!") else 2
            self.closed(GROUP)  # read, then forgotten: what a look-around holds is not in the match
            return (OTHER, None)
        if ch == "#":
            end = text.find(")", self.pos)
            if end < 0:
                raise _Unknown("an unclosed comment")
            self.pos = end + 1
            return None
        m = _FLAGS.match(text, self.pos)
        if m is not None and m.end() < len(text) and text[m.end()] in (":", ")") and "x" not in m.group():
            self.pos = m.end() + 1
            if text[m.end()] == ")":
                if self.pos != m.end() - m.start() + 3:  # global flags belong at the start
                    raise _Unknown("global flags not at the start")
                return None
            return self.closed(GROUP)
        raise _Unknown(f"a group (?{ch}")

    def closed(self, kind: str) -> Item:
        items = self.alternatives()
        if self.peek() != ")":
            raise _Unknown("an unclosed group")
        self.pos += 1
        return (kind, items)

    def escape(self, *, in_class: bool) -> Item:
        ch = self.peek()
        if not ch:
            raise _Unknown("a trailing backslash")
        self.pos += 1
        if ch == "s":
            return (IN, [(SPACE, None)]) if not in_class else (SPACE, None)
        if ch in _ANCHORS and not in_class:
            return (AT, None)
        if ch in _CLASSES or ch.isalnum() or not ch.isascii():
            # \d \w ..., back-references, \n \t \x.. \u....: not read as literals
            return (OTHER, None)
        return (LITERAL, ord(ch))

    def char_class(self) -> Item:
        text = self.text
        members: list[Item] = []
        if self.peek() == "^":
            self.pos += 1
            members.append((OTHER, None))  # a negated class: anything but
            negated = True
        else:
            negated = False
        first = True
        while True:
            ch = self.peek()
            if not ch:
                raise _Unknown("an unclosed class")
            if ch == "]" and not first:
                self.pos += 1
                break
            first = False
            self.pos += 1
            if ch == "[" and self.peek() in (":", "=", "."):
                raise _Unknown("a POSIX class")
            member = self.escape(in_class=True) if ch == "\\" else (LITERAL, ord(ch))
            if self.peek() == "-" and self.pos + 1 < len(text) and text[self.pos + 1] != "]":
                self.pos += 1  # a range
                after = self.peek()
                self.pos += 1
                if after == "\\":
                    self.escape(in_class=True)
                member = (OTHER, None)
            if not negated:
                members.append(member)
        return (IN, members)


def _quantity(text: str, pos: int) -> re.Match[str] | None:
    """The ``{m,n}`` at ``pos``, if one is there (``{}`` and ``{,}`` are literals)."""
    m = _QUANTITY.match(text, pos)
    return m if m is not None and (m.group(1) or m.group(3)) else None


def read(pattern: str, flags: int = 0) -> tuple[list[Item], int] | None:
    """The items of ``pattern`` and its number of capturing groups, or None for a pattern this does
    not read. Verbose patterns are not read (their white space and comments are not literals)."""
    if flags & re.VERBOSE:
        return None
    reader = _Reader(pattern)
    try:
        items = reader.alternatives()
    except (_Unknown, RecursionError):
        return None
    if reader.pos != len(pattern):
        return None  # an unbalanced parenthesis
    return items, reader.groups
