"""One pass over JavaScript or TypeScript source: its tokens, and the markup of any JSX in it.

Notices kept in code come in two shapes: string modules (``export const
Strings = { heading: "...", body: "..." }``, read by ``code_strings``) and
components whose JSX returns the notice's markup (read by ``jsx``). Both need
the same careful reading of the source, so that a quote inside a comment, a
regular expression or a template literal is never taken for the start of a
string: this scanner. No JavaScript parser is needed for that (and none is
depended on): strings, template literals (with ``${...}`` nested to any depth),
comments, regular expressions and JSX elements are told apart by the usual
rule of the previous significant token.

Output: ``tokens`` (``translations.Token``: strings with their values, names,
numbers, punctuation; with offsets), and ``markup``: the source with every
JSX element rendered as HTML in place and everything else blanked to its
newlines, so that line numbers still match. Inside JSX, ``{expr}`` becomes
what it shows (a string, a translation call, nested JSX) and component tags
become ``span`` (``Link``, ``Trans``) or the HTML element they stand for
(``H2``, ``Paragraph``). Linear in the source's length; an unclosed string,
comment, template or element runs to the end of the file.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from notice_audit.parse.textutil import place_on_lines
from notice_audit.parse.translations import Shown, Token

_NAME = re.compile(r"[A-Za-z_$\u00c0-\uffff][\w$\u00c0-\uffff]*")
_NUMBER = re.compile(r"(?:\d[\w.]*|\.\d[\w]*)")
_SPACE = re.compile(r"\s+")
_TEMPLATE_STOP = re.compile(r"[`\\$]")
_CHILD_STOP = re.compile(r"[<{]")
_JSX_NAME = re.compile(r"[A-Za-z_$][\w$]*(?:[.:-][\w$]+)*")
_ATTR_NAME = re.compile(r"[A-Za-z_$][\w$.:-]*")
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r?\n|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "b": "\b", "0": "\0"}
# After these a '/' starts a regular expression and a '<' may start JSX; after anything else they are operators.
_EXPRESSION_KEYWORDS = frozenset({
    "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield",
    "await", "default", "extends",
})  # fmt: skip
_OPERATORS_BEFORE_EXPRESSION = set("(,=:[!&|?{};+-*%<>~^")
# Components that stand for an HTML element (GOV.UK and NHS React libraries name them so).
_COMPONENT_TAGS = {
    "Paragraph": "p", "P": "p", "Heading": "h2", "Title": "h1", "ListItem": "li", "Li": "li",
    "UnorderedList": "ul", "OrderedList": "ol", "List": "ul", "Table": "table", "Main": "main", "Nav": "nav",
    "Header": "header", "Footer": "footer", "Section": "section", "Article": "article", "Details": "details",
    "Summary": "summary", "Strong": "strong", "Em": "em", "Br": "br", "H1": "h1", "H2": "h2", "H3": "h3",
    "H4": "h4", "H5": "h5", "H6": "h6",
}  # fmt: skip
_ATTRIBUTE_NAMES = {"className": "class", "htmlFor": "for"}
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
)


def unescape_js(body: str) -> str:
    """The value of a JavaScript string body (escapes resolved; a backslash-newline joins lines)."""
    if "\\" not in body:
        return body

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] == "u" and len(code) > 1:
            digits = code[2:-1] if code[1] == "{" else code[1:]
            try:
                return chr(int(digits, 16))
            except (ValueError, OverflowError):
                return ""
        if code[0] == "x" and len(code) == 3:
            return chr(int(code[1:], 16))
        if code in ("\n", "\r\n"):
            return ""
        return _SIMPLE_ESCAPES.get(code, code)

    return _ESCAPE.sub(one, body)


def html_tag(name: str) -> str:
    """The HTML element a JSX tag name renders as: lower-case HTML stays, components become ``span``."""
    if name in _COMPONENT_TAGS:
        return _COMPONENT_TAGS[name]
    if name[:1].islower() and "." not in name and ":" not in name:
        return name
    return "span"


@dataclass
class _Frame:
    """A place in the source the scanner is inside.

    ``js``: code after an opening bracket (``opener`` is ``(``, ``[``, ``{``, ``${`` for a template's
    expression, ``jsx`` for an expression container in JSX, ``attr`` for one in an attribute, or
    ``""`` at the top); ``template``: a template literal's text; ``tag``: an opening JSX tag's attributes;
    ``children``: a JSX element's content.
    """

    kind: str
    opener: str = ""
    name: str = ""  # the tag of a JSX element
    start: int = 0  # where a template literal or an expression container started
    parts: list[str] = field(default_factory=list)  # a template literal's text
    mark_tokens: int = 0  # tokens before an expression container: those after it are its own
    mark_out: int = 0  # output pieces before an expression container
    nested_jsx: bool = False  # an expression container holding JSX
    attrs: dict[str, str] = field(default_factory=dict)  # an opening tag's string attributes


class JsScan:
    """Scan ``text``; ``jsx`` enables JSX (``.jsx``, ``.tsx``, ``.js``; never ``.ts``, where ``<T>x`` is a cast).

    ``variables`` are string constants of the module (``title``, ``Strings.intro.body``) that an
    expression container may show (``<h1>{title}</h1>``).
    """

    def __init__(self, text: str, *, jsx: bool, variables: Mapping[str, str] | None = None) -> None:
        self.text = text
        self.jsx = jsx
        self.variables = variables or {}
        self.tokens: list[Token] = []
        self.has_jsx = False
        self._out: list[str] = []
        self._done = 0  # text before this offset has been written to the output
        self._stack: list[_Frame] = [_Frame("js")]
        self._containers: list[_Frame] = []  # the open expression containers ({...} in JSX), innermost last
        self._silent = 0  # inside this many attribute expressions: nothing there is the page's markup
        self._run()
        self.markup = "".join(self._out)

    # --- output -------------------------------------------------------------------------------------------------

    def _blank(self, to: int) -> None:
        """Write the newlines of the source up to ``to`` (code is not markup)."""
        if self._silent:
            self._done = max(self._done, to)
            return
        if to > self._done:
            count = self.text.count("\n", self._done, to)
            if count:
                self._out.append("\n" * count)
            self._done = to

    def _copy(self, to: int) -> None:
        if self._silent:
            self._done = max(self._done, to)
            return
        if to > self._done:
            self._out.append(self.text[self._done:to])
            self._done = to

    def _emit(self, text: str, to: int) -> None:
        """Write ``text`` for the source up to ``to``, then the newlines that source held."""
        if self._silent:
            self._done = max(self._done, to)
            return
        count = self.text.count("\n", self._done, to)
        self._out.append(text + "\n" * count)
        self._done = max(self._done, to)

    # --- scanning -----------------------------------------------------------------------------------------------

    def _run(self) -> None:
        text = self.text
        n = len(text)
        i = 0
        while i < n:
            frame = self._stack[-1]
            if frame.kind == "js":
                i = self._js(i)
            elif frame.kind == "template":
                i = self._template(i)
            elif frame.kind == "tag":
                i = self._tag(i)
            else:
                i = self._children(i)
        if any(f.kind in ("tag", "children") for f in self._stack):
            self._copy(n)  # an unclosed element: its text is still markup
        self._blank(n)

    def _expression_position(self) -> bool:
        """Whether what comes next starts an expression (so '/' is a regex and '<' may be JSX)."""
        frame_start = self._stack[-1].mark_tokens if self._stack[-1].opener in ("jsx", "attr", "${") else 0
        if len(self.tokens) <= frame_start:
            return True
        prev = self.tokens[-1]
        if prev.kind == "op":
            return prev.text in _OPERATORS_BEFORE_EXPRESSION
        if prev.kind == "name":
            return prev.text in _EXPRESSION_KEYWORDS
        return False

    def _js(self, i: int) -> int:
        text = self.text
        n = len(text)
        ch = text[i]
        if ch.isspace():
            return _SPACE.match(text, i).end()  # type: ignore[union-attr]  # text[i] is a space: it matches
        if ch == "/" and text[i + 1:i + 2] == "/":
            end = text.find("\n", i)
            return n if end == -1 else end
        if ch == "/" and text[i + 1:i + 2] == "*":
            end = text.find("*/", i + 2)
            return n if end == -1 else end + 2
        if ch in "\"'":
            end, value = self._string(i)
            self.tokens.append(Token("str", ch, value, i))
            return end
        if ch == "`":
            self._stack.append(_Frame("template", start=i))
            return i + 1
        if ch == "/" and self._expression_position():
            return self._regex(i)
        if ch == "<" and self.jsx and self._expression_position() and self._jsx_starts(i):
            self._open_root(i)
            return self._done
        m = _NAME.match(text, i)
        if m:
            self.tokens.append(Token("name", m.group(), "", i))
            return m.end()
        m = _NUMBER.match(text, i)
        if m:
            self.tokens.append(Token("num", m.group(), "", i))
            return m.end()
        self.tokens.append(Token("op", ch, "", i))
        if ch in "([{":
            self._stack.append(_Frame("js", ch))
        elif ch in ")]}" and len(self._stack) > 1:
            self._close_js(i)
        return i + 1

    def _close_js(self, i: int) -> None:
        """A closing bracket in code: ends a bracket, a template's ``${...}`` or a JSX expression container."""
        frame = self._stack.pop()
        if frame.opener == "${":
            del self.tokens[frame.mark_tokens:]  # the template shows nothing of its expressions
        elif frame.opener == "jsx":
            self.tokens.pop()
            self._finish_container(frame, i + 1)
        elif frame.opener == "attr":  # name={expr}: neither its tokens nor any JSX inside it are the page's
            del self.tokens[frame.mark_tokens:]
            self._silent -= 1
            if not self._silent:
                self._out.append("\n" * self.text.count("\n", frame.start, i + 1))
            self._done = i + 1

    def _string(self, i: int) -> tuple[int, str]:
        """End and value of the quoted string at ``i``; an unclosed one ends at the line's end."""
        text = self.text
        quote = text[i]
        n = len(text)
        j = i + 1
        while j < n:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == quote:
                return j + 1, unescape_js(text[i + 1:j])
            if ch == "\n":
                return j, unescape_js(text[i + 1:j])
            j += 1
        return n, unescape_js(text[i + 1:n])

    def _regex(self, i: int) -> int:
        text = self.text
        n = len(text)
        j = i + 1
        in_class = False
        while j < n:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "\n":
                return j
            if in_class:
                in_class = ch != "]"
            elif ch == "[":
                in_class = True
            elif ch == "/":
                j += 1
                m = _NAME.match(text, j)
                j = m.end() if m else j
                break
            j += 1
        self.tokens.append(Token("name", "<regex>", "", i))  # a value: a '/' after it divides
        return min(j, n)

    def _template(self, i: int) -> int:
        """Inside a template literal's text: up to its end or its next ``${``."""
        text = self.text
        frame = self._stack[-1]
        m = _TEMPLATE_STOP.search(text, i)
        while m is not None and m.group() == "$" and text[m.end():m.end() + 1] != "{":
            m = _TEMPLATE_STOP.search(text, m.end())
        if m is None:
            frame.parts.append(text[i:])
            self._end_template(frame)
            return len(text)
        j = m.start()
        if m.group() == "\\":
            frame.parts.append(text[i:min(j + 2, len(text))])
            return j + 2
        frame.parts.append(text[i:j])
        if m.group() == "`":
            self._end_template(frame)
            return j + 1
        self._stack.append(_Frame("js", "${", mark_tokens=len(self.tokens)))
        return j + 2

    def _end_template(self, frame: _Frame) -> None:
        self._stack.pop()
        self.tokens.append(Token("str", "`", unescape_js("".join(frame.parts)), frame.start))

    # --- JSX ----------------------------------------------------------------------------------------------------

    def _jsx_starts(self, i: int) -> bool:
        """``<>`` or ``<Name`` followed by what a tag allows (not ``<T,>`` or ``a < b``)."""
        text = self.text
        if text[i + 1:i + 2] == ">":
            return True
        m = _JSX_NAME.match(text, i + 1)
        if m is None:
            return False
        after = text[m.end():m.end() + 1]
        return after == "" or after.isspace() or after in (">", "/", "{")

    def _open_root(self, i: int) -> None:
        """A JSX element where an expression starts: markup from here."""
        self.has_jsx = True
        if self._containers:
            self._containers[-1].nested_jsx = True
        self._blank(i)
        self._open_tag(i)

    def _open_tag(self, i: int) -> None:
        text = self.text
        if text[i + 1:i + 2] == ">":  # a fragment <>
            self._stack.append(_Frame("children", name=""))
            self._emit("", i + 2)
            return
        m = _JSX_NAME.match(text, i + 1)
        name = m.group() if m else "span"
        self._stack.append(_Frame("tag", name=name))
        self._emit("<" + html_tag(name), m.end() if m else i + 1)

    def _tag(self, i: int) -> int:
        """Inside an opening tag: attributes up to ``>`` or ``/>``."""
        text = self.text
        frame = self._stack[-1]
        ch = text[i]
        if ch.isspace():
            end = _SPACE.match(text, i).end()  # type: ignore[union-attr]  # text[i] is a space: it matches
            self._blank(end)
            return end
        if text.startswith("/>", i) or ch == ">":
            self_closing = ch == "/"
            end = i + (2 if self_closing else 1)
            tag = html_tag(frame.name)
            shown = frame.attrs.get("defaultMessage", "")  # react-intl's <FormattedMessage defaultMessage="..."/>
            if self_closing:
                self._stack.pop()
                closing = f">{htmllib.escape(shown)}</{tag}>" if tag not in _VOID else ">"
                self._emit(closing, end)
                self._after_element(end)
            else:
                frame.kind = "children"
                self._emit(">" + htmllib.escape(shown), end)
            return end
        if ch == "{":  # {...spread} or a stray expression: code, not markup
            self._open_attribute_expression(i)
            return i + 1
        m = _ATTR_NAME.match(text, i)
        if m is None:
            self._blank(i + 1)
            return i + 1
        name = m.group()
        j = _SPACE.match(text, m.end())
        j_end = j.end() if j else m.end()
        if text[j_end:j_end + 1] != "=":
            self._emit(" " + _ATTRIBUTE_NAMES.get(name, name), m.end())
            return m.end()
        k = j_end + 1
        space = _SPACE.match(text, k)
        k = space.end() if space else k
        quote = text[k:k + 1]
        if quote in ('"', "'"):
            close = text.find(quote, k + 1)
            end = len(text) if close == -1 else close + 1
            value = text[k + 1:end - 1] if close != -1 else text[k + 1:]
            frame.attrs[name] = value
            out_name = _ATTRIBUTE_NAMES.get(name, name)
            self._emit(f' {out_name}="{htmllib.escape(htmllib.unescape(value), quote=True)}"', end)
            return end
        if quote == "{":  # name={expr}: code
            self._open_attribute_expression(k)
            return k + 1
        self._blank(k)
        return k

    def _open_attribute_expression(self, at: int) -> None:
        self._blank(at)
        self._stack.append(_Frame("js", "attr", start=at, mark_tokens=len(self.tokens)))
        self._silent += 1
        self._done = at + 1

    def _children(self, i: int) -> int:
        """Inside an element: text is markup; ``{`` opens an expression; ``<`` a child or the closing tag."""
        text = self.text
        m = _CHILD_STOP.search(text, i)
        if m is None:
            self._copy(len(text))
            return len(text)
        j = m.start()
        self._copy(j)
        if m.group() == "{":
            container = _Frame("js", "jsx", start=j, mark_tokens=len(self.tokens), mark_out=len(self._out))
            self._stack.append(container)
            self._containers.append(container)
            self._done = j + 1
            return j + 1
        if text.startswith("</", j):
            close = text.find(">", j)
            end = len(text) if close == -1 else close + 1
            frame = self._stack.pop()
            self._emit(f"</{html_tag(frame.name)}>" if frame.name else "", end)
            self._after_element(end)
            return end
        if text[j + 1:j + 2] == ">" or _JSX_NAME.match(text, j + 1):
            self._open_tag(j)
            return self._done
        self._copy(j + 1)  # a lone '<' in text
        return j + 1

    def _after_element(self, end: int) -> None:
        """An element closed: if it was a root (code around it), the code's tokens see one value."""
        if self._stack[-1].kind == "js":
            self.tokens.append(Token("name", "<jsx>", "", end))

    def _finish_container(self, frame: _Frame, end: int) -> None:
        """``{expr}`` in JSX closed: what it shows, placed where it started (nested JSX is already written)."""
        if self._containers and self._containers[-1] is frame:
            self._containers.pop()
        if self._silent:
            del self.tokens[frame.mark_tokens:]
            self._done = end
            return
        if frame.nested_jsx:
            del self.tokens[frame.mark_tokens:]  # the container's code (cond && ..., items.map(...)) is not a value
            self._blank(end)
            return
        tokens = _member_names(self.tokens[frame.mark_tokens:])
        del self.tokens[frame.mark_tokens:]
        out: list[str] = []
        Shown(tokens, self.variables).scan(0, len(tokens), out)
        shown = " ".join(p for p in out if p)
        if shown and "<" not in shown:
            shown = f"<span>{shown}</span>"
        elif not shown and any(t.kind == "str" and t.value.isspace() for t in tokens):
            shown = " "  # {" "}: JSX's explicit space
        del self._out[frame.mark_out:]
        newlines = self.text.count("\n", frame.start, end)
        self._out.append(place_on_lines([(0, shown)], newlines) if shown or newlines else "")
        self._done = end


def _member_names(tokens: list[Token]) -> list[Token]:
    """``a . b . c`` as one name ``a.b.c`` (how ``translations`` names a dotted path)."""
    out: list[Token] = []
    k = 0
    while k < len(tokens):
        tok = tokens[k]
        if tok.kind == "name":
            name = tok.text
            while (k + 2 < len(tokens) and tokens[k + 1].kind == "op" and tokens[k + 1].text == "."
                   and tokens[k + 2].kind == "name"):
                name += "." + tokens[k + 2].text
                k += 2
            out.append(Token("name", name, "", tok.start))
        else:
            out.append(tok)
        k += 1
    return out
