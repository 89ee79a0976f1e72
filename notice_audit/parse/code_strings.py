"""String modules read as their string values in order: TypeScript/JavaScript, JSON and YAML.

Some services keep a notice's every sentence in a module of strings
(``export const PrivacyStrings = { header: "...", body: "..." + "..." }``)
or a locale file (``en: privacy: title: ...``), and the page is assembled
elsewhere. What a reader sees is the values, in order; the keys say what each
is. So:

- a value under a heading key (``title``, ``heading``, ``header``, ``h1``..``h6``,
  or a key ending in ``Title``/``Heading``/``Header``, ``_title`` ...) is a heading,
  its level the depth of objects it sits in (``h2`` keys say their own);
- a value holding HTML is read as HTML (``bodyHtml: `<p>...</p>` ``);
- other prose is a paragraph, or a list item when it sits in an array;
- identifiers are dropped: strings without spaces shaped like keys, routes
  or CSS classes (``"govuk-body"``, ``"/contact-us"``), lower-case single words
  (``"button"``, ``"en"``: settings), and strings all of whose words are such;
- a value ending in a space with its sentence unfinished runs on into the next
  (``"...sign in using "``, ``"NHS login"``, ``", we store ..."``): the page joins
  them around a link, and so does the reader.

Concatenations (``"a" + "b"``) are joined, template literals lose their
``${...}``, translation calls (``t("...")``) count as their text, and string
arguments of other calls (``querySelector(".x")``, ``import ... from "x"``) are
code. Every value keeps the line it starts on, so locators point at the source.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notice_audit.model import BlockKind, Document, Page
from notice_audit.parse import html
from notice_audit.parse.base import InputFormat, ParseError
from notice_audit.parse.builder import DocumentBuilder
from notice_audit.parse.decode import decode
from notice_audit.parse.translations import Token, clean_placeholders, has_markup, is_translator, looks_like_key

if TYPE_CHECKING:
    import yaml

_HEADING_KEY = re.compile(
    r"(?i:title|heading|header|h[1-6])|.*(?:Title|Heading|Header)|.*[_-](?i:title|heading|header)"
)
_SETTING = re.compile(r"[a-z]+")
_UNFINISHED_END = re.compile(r"[^.!?:;]\s$", re.S)
_RUNS_ON = re.compile(r"[,.;:)]")
#: A value that opens a sentence of its own ("If you are not happy ...") does not run on from the one
#: before, even when that one stops mid-sentence: the detail it waited for is injected elsewhere.
_OPENS_SENTENCE = re.compile(
    r"(?:If|You|Your|We|We'll|Our|The|This|These|It|In|For|To|When|Where|Please|Find|Read|Contact|How|What|Why)\b")
_KEYWORDS_BEFORE_PAREN = frozenset({
    "if", "for", "while", "switch", "catch", "return", "typeof", "await", "yield", "in", "of", "case", "else",
    "new", "void", "delete", "throw",
})  # fmt: skip
_DECLARATIONS = frozenset({"const", "let", "var"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One string value: where it is, what it says and what it is under."""

    line: int
    text: str
    path: tuple[str, ...]  # the keys above it (the variable's name first, for a module constant)
    depth: int  # objects around it
    in_list: bool  # an element of an array

    @property
    def key(self) -> str | None:
        return self.path[-1] if self.path else None


# --- values from JavaScript / TypeScript / JSON tokens ------------------------------------------------------------


@dataclass(slots=True)
class _Frame:
    kind: str  # "{", "[", "(" or "top"
    path: tuple[str, ...]  # the keys down to this object or array
    key: str | None = None  # the key now being given a value (objects and the top level)
    call: bool = False  # a call's arguments (not a group)
    translator: bool = False  # a translation call's arguments


def js_entries(tokens: list[Token], text: str) -> list[Entry]:
    """The string values of JavaScript or JSON tokens, in order, with the keys they sit under."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    stack = [_Frame("top", ())]
    out: list[Entry] = []
    n = len(tokens)
    k = 0
    while k < n:
        tok = tokens[k]
        frame = stack[-1]
        prev = tokens[k - 1] if k else None
        nxt = tokens[k + 1] if k + 1 < n else None
        if tok.kind == "op":
            if tok.text in "{[":
                stack.append(_Frame(tok.text, _value_path(frame)))
            elif tok.text == "(":
                call = prev is not None and (
                    (prev.kind == "name" and prev.text not in _KEYWORDS_BEFORE_PAREN) or prev.text in (")", "]")
                )
                translator = call and prev is not None and prev.kind == "name" and is_translator(prev.text)
                stack.append(_Frame("(", _value_path(frame), call=call, translator=translator))
            elif tok.text in ")]}" and len(stack) > 1:
                stack.pop()
            elif tok.text in ",;" and frame.kind in ("{", "top"):
                frame.key = None
            k += 1
            continue
        if nxt is not None and nxt.kind == "op" and nxt.text == ":" and frame.kind == "{" and (
            prev is None or prev.text in ("{", ",")
        ) and tok.kind in ("name", "str", "num"):
            frame.key = tok.value if tok.kind == "str" else tok.text
            k += 2
            continue
        if tok.kind == "name":
            if tok.text in _DECLARATIONS and nxt is not None and nxt.kind == "name":
                frame.key = nxt.text
                k += 2
                continue
            if tok.text in ("from", "import", "require") and nxt is not None and nxt.kind == "str":
                k += 2  # a module's name
                continue
            k += 1
            continue
        if tok.kind != "str":
            k += 1
            continue
        if frame.kind == "(" and frame.call and not frame.translator:
            k += 1  # an argument of a call: code (querySelector(".x"), console.log(...))
            continue
        pieces = [tok.value]
        k += 1
        while k + 1 < n and tokens[k].kind == "op" and tokens[k].text == "+" and tokens[k + 1].kind == "str":
            pieces.append(tokens[k + 1].value)
            k += 2
        owner = next((f for f in reversed(stack) if f.kind != "("), stack[0])
        path = _value_path(owner)
        depth = sum(1 for f in stack if f.kind == "{")
        line = bisect.bisect_left(newlines, tok.start) + 1
        out.append(Entry(line, "".join(pieces), path, depth, owner.kind == "["))
    return out


def _value_path(frame: _Frame) -> tuple[str, ...]:
    """The path of the value now being written in ``frame`` (its key added, if it has one)."""
    return (*frame.path, frame.key) if frame.key is not None else frame.path


def constants(entries: list[Entry]) -> dict[str, str]:
    """Module string constants by dotted path (``title``, ``Strings.intro.body``), for JSX to show."""
    return {".".join(e.path): e.text for e in entries if e.path and not e.in_list}


# --- values from YAML -----------------------------------------------------------------------------------------------


def yaml_entries(text: str, source: str) -> list[Entry]:
    """The string values of a YAML file (every document), in order; a broken file is a ``ParseError``."""
    import yaml  # deferred: PyYAML is this reader's library, imported when a YAML file is read

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        documents = list(yaml.compose_all(text, Loader=loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ParseError(f"{source}: not valid YAML: {exc.problem or exc.context}{where}") from exc
    except yaml.YAMLError as exc:
        raise ParseError(f"{source}: not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise ParseError(f"{source}: not valid YAML: nested too deeply to read") from exc
    out: list[Entry] = []
    seen: set[int] = set()  # an alias is read once, however often it is used
    for document in documents:
        if document is not None:
            out += _walk_yaml(document, seen)
    return out


def _walk_yaml(root: yaml.Node, seen: set[int]) -> Iterator[Entry]:
    import yaml  # deferred with ``yaml_entries``, which has imported it

    stack: list[tuple[yaml.Node, tuple[str, ...], int, bool]] = [(root, (), 0, False)]
    while stack:
        node, path, depth, in_list = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            children = [(v, (*path, str(k.value) if isinstance(k, yaml.ScalarNode) else "?"), depth + 1, False)
                        for k, v in node.value]
            stack += reversed(children)
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed([(v, path, depth, True) for v in node.value])
        elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            yield Entry(node.start_mark.line + 1, str(node.value), path, depth, in_list)


# --- entries to a document ------------------------------------------------------------------------------------------


def is_code(text: str) -> bool:
    """An identifier-like value: a key, route, class list or setting, not text a reader sees."""
    words = text.split()
    if not words:
        return True
    if len(words) == 1:
        return looks_like_key(words[0]) or bool(_SETTING.fullmatch(words[0]))
    return all(looks_like_key(w) for w in words)


def heading_level(key: str | None) -> int | None:
    """The level a key makes its value a heading of: ``h3`` says 3; other heading keys 0 (by depth); else None."""
    if key is None or not _HEADING_KEY.fullmatch(key):
        return None
    if len(key) == 2 and key[0] in "hH" and key[1].isdigit():
        return int(key[1])
    return 0


def build(entries: list[Entry], page: Page, *, warnings: tuple[str, ...] = ()) -> Document:
    """A document of the entries: headings, HTML, paragraphs and list items, on their lines."""
    builder = DocumentBuilder(page.source)
    kept = [(e, clean_placeholders(e.text)) for e in entries]
    kept = [(e, t) for e, t in kept if t.strip() and not is_code(t)]
    levels = [heading_level(e.key) if not has_markup(t) else None for e, t in kept]
    depths = [e.depth for (e, _), level in zip(kept, levels, strict=True) if level == 0]
    top = min(depths) if depths else 0
    run: list[tuple[Entry, str]] = []  # prose that runs on from one value into the next

    def flush() -> None:
        if run:
            first = run[0][0]
            kind: BlockKind = "list_item" if first.in_list else "paragraph"
            builder.block(kind, "".join(t for _, t in run), line=first.line, end_line=run[-1][0].line)
            run.clear()

    for (entry, text), level in zip(kept, levels, strict=True):
        if level is not None:
            flush()
            builder.heading(text, level or 1 + entry.depth - top, line=entry.line)
        elif has_markup(text):
            flush()
            html.parse_fragment_into(text, builder, line_offset=entry.line - 1)
        else:
            if run and (_OPENS_SENTENCE.match(text) or not (_UNFINISHED_END.search(run[-1][1])
                                                              or _RUNS_ON.match(text))):
                flush()
            run.append((entry, text))
    flush()
    return dataclasses.replace(builder.document(page), warnings=warnings)


# --- entry points ---------------------------------------------------------------------------------------------------


def string_module(text: str, page: Page, tokens: list[Token], *, warnings: tuple[str, ...] = ()) -> Document:
    """A document from a scanned JavaScript/TypeScript/JSON module's tokens."""
    return build(js_entries(tokens, text), page, warnings=warnings)


def parse(page: Page) -> Document:
    """Parse a string module: ``.ts``, JSON, YAML (``.js`` goes through ``jsx``: a file holding JSX is a component)."""
    text = decode(page)
    media_type = page.media_type.split(";", 1)[0].strip().lower()
    if media_type == "application/yaml":
        return build(yaml_entries(text, page.source), page)
    warnings: tuple[str, ...] = ()
    if media_type == "application/json":
        try:
            json.loads(text)
        except ValueError as exc:
            warnings = (f"not valid JSON ({exc}): its strings were read all the same",)
    from notice_audit.parse.jsscan import JsScan  # deferred: the scanner is read only for script files

    scan = JsScan(text, jsx=False)
    return string_module(text, page, scan.tokens, warnings=warnings)


TYPESCRIPT = InputFormat("typescript", ("application/x-typescript",), parse, (".ts", ".mts", ".cts"),
                         notice_names_only=True)
JSON = InputFormat("json", ("application/json",), parse, (".json",), notice_names_only=True)
YAML = InputFormat("yaml", ("application/yaml",), parse, (".yaml", ".yml"), notice_names_only=True)
