"""What a template expression shows a reader: translation calls, string literals, macro text.

Service templates keep many sentences inside code: ``{{ __("We keep your
data for six years.") }}``, ``<%= t("...") %>``, ``@Localizer["..."]``,
``_e('...')``, ``govukInsetText({ text: "..." })``. The strings inside those
are the notice; the code around them is not. But a translation *key*
(``"privacy.heading"``, ``"feedback-form"``) is an identifier, not text: it is
dropped (:func:`looks_like_key`).

One small lexer serves every template language (Jinja/Nunjucks/Twig, ERB/EJS,
Razor's C#, PHP, JavaScript): strings in the usual quotes (interpolations such
as ``${x}``, ``#{x}``, ``{$x}`` and ``$x`` removed), names with their dotted
paths, and punctuation. It runs in time linear in the expression: an
unclosed string or comment ends the expression.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Lang = Literal["jinja", "ruby", "js", "php", "csharp"]

# Functions whose first argument is text to translate (the last part of a dotted name).
_TRANSLATORS = frozenset({
    "__", "_", "t", "$t", "$_", "tc", "$tc", "gettext", "ngettext", "dgettext", "ugettext", "lazy_gettext",
    "gettext_lazy", "_n", "__n", "_x", "_nx", "_e", "_ex", "esc_html__", "esc_html_e", "esc_html_x",
    "esc_attr__", "esc_attr_e", "esc_attr_x", "translate", "trans", "T", "L", "formatMessage", "loc",
})  # fmt: skip
# Functions whose first argument a reader sees as the text of a link or a fragment of markup.
_SHOWN_HELPERS = frozenset({
    "link_to", "govuk_link_to", "govuk_mail_to", "govuk_button_link_to", "mail_to", "button_to",
    "Html.ActionLink", "Html.RouteLink", "Html.Raw", "raw", "safe", "mark_safe", "Markup",
    "esc_html", "esc_attr", "htmlspecialchars", "htmlentities", "nl2br", "wp_kses_post", "printf", "sprintf",
    "vprintf", "vsprintf", "strip_tags",
})  # fmt: skip
# Filters that translate the string before them (``{{ "privacy.title" | trans }}``).
TRANSLATING_FILTERS = frozenset({"trans", "t", "translate", "i18n", "gettext", "_"})
# Keys of macro arguments that hold what the macro shows (GOV.UK Frontend: text, html, titleText ...).
_SHOWN_KEY = re.compile(r"(?:text|html|[a-z][A-Za-z]*(?:Text|Html))")

_NAME = re.compile(r"[A-Za-z_$\\][\w$\\]*(?:(?:\?\.|\.|->|::)[A-Za-z_$][\w$]*)*")
_NUMBER = re.compile(r"\d[\w.]*")
_SPACE = re.compile(r"\s+")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "b": "\b", "0": "\0"}
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r?\n|.)", re.S)
_PLACEHOLDER = re.compile(
    r"%\(\w{1,40}\)[sd]|%\d{0,2}\$?[sd]|\{\{-?\s*[\w.]{1,80}\s*-?\}\}|\{\s*[\w.]{1,80}\s*\}|\$\{[^{}]{0,200}\}"
)
_MARKUP = re.compile(r"<(?:[A-Za-z][\w:-]*(?:\s[^<>]*)?/?|/[A-Za-z][\w:-]*\s*)>|&(?:[a-zA-Z]{2,8}|#\d{1,6});")
_KEY = re.compile(r"[.#/:@]?[A-Za-z_$][\w$]*(?:[-.:/][\w$!]+)*[.:]?")
_CAMEL = re.compile(r"[a-z][A-Z]")
_EMAIL_OR_URL = re.compile(r"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}|(?:https?://|www\.)\S+", re.I)


@dataclass(frozen=True, slots=True)
class Token:
    """A string (``value`` unescaped, interpolations removed), a name (dotted path), a number or a mark."""

    kind: Literal["str", "name", "num", "op"]
    text: str
    value: str = ""
    start: int = 0  # offset in the lexed text


def looks_like_key(text: str) -> bool:
    """Whether a string is an identifier (a translation key, route, CSS class) rather than text.

    No white space, and a shape words do not have: dots, slashes, colons,
    hyphens or underscores between parts, camelCase, or letters mixed with
    digits. A plain word ("name", "Introduction") is text; so are e-mail
    addresses and web addresses, which a reader needs.
    """
    s = text.strip()
    if not s or any(c.isspace() for c in s) or _EMAIL_OR_URL.fullmatch(s):
        return False
    if not _KEY.fullmatch(s):
        return False
    if s.isalpha():
        return bool(_CAMEL.search(s))
    return True


def clean_placeholders(text: str) -> str:
    """Remove the placeholders of message formats (``%(name)s``, ``%s``, ``{name}``, ``{{name}}``, ``${x}``)."""
    return _PLACEHOLDER.sub("", text) if ("%" in text or "{" in text) else text


def has_markup(text: str) -> bool:
    """Whether a string holds HTML tags or entities, so is to be read as HTML rather than escaped."""
    return ("<" in text or "&" in text) and _MARKUP.search(text) is not None


def as_html(text: str) -> str:
    """A shown string as HTML: markup kept as it is, plain text escaped (quotes too, as it may sit in an attribute)."""
    return text if has_markup(text) else html.escape(text, quote=True)


# --- lexing -------------------------------------------------------------------------------------------------------


def _unescape(body: str, lang: Lang, quote: str) -> str:
    if "\\" not in body or (quote == "'" and lang in ("php", "ruby")):
        return body.replace("\\'", "'").replace("\\\\", "\\") if quote == "'" else body

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
            return ""  # a line continuation
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(one, body)


#: Strings inside interpolations inside strings ... deeper than this are taken to run to the end (no real
#: template nests so deep, and the scan stays iterative enough for Python's stack).
_MAX_NESTING = 50


def _skip_braced(text: str, i: int, lang: Lang, nesting: int = 0) -> int:
    """Index just past the ``}`` closing the ``{`` at ``i - 1`` (strings inside skipped); ``len`` if none."""
    depth = 1
    n = len(text)
    if nesting > _MAX_NESTING:
        return n
    while i < n:
        ch = text[i]
        if ch in "\"'`":
            i = string_end(text, i, lang, nesting=nesting + 1)[0]
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def string_end(text: str, i: int, lang: Lang, *, verbatim: bool = False, interpolated: bool = False,
               nesting: int = 0) -> tuple[int, str]:
    """End of the string literal opening at ``i`` and its value (interpolations removed)."""
    quote = text[i]
    n = len(text)
    parts: list[str] = []
    j = i + 1
    start = j
    interpolate = quote == "`" or interpolated or (quote == '"' and lang in ("php", "ruby"))
    while j < n:
        ch = text[j]
        if ch == "\\" and not verbatim:
            j += 2
            continue
        if ch == quote:
            if verbatim and j + 1 < n and text[j + 1] == quote:  # C# @"say ""hi"""
                parts.append(text[start:j + 1])
                j += 2
                start = j
                continue
            parts.append(text[start:j])
            body = "".join(parts)
            return j + 1, body if verbatim else _unescape(body, lang, quote)
        if interpolate:
            opener = text[j:j + 2]
            if opener in ("${", "#{") or (opener[:1] == "{" and (interpolated or text[j + 1:j + 2] == "$")):
                parts.append(text[start:j])
                j = _skip_braced(text, j + (1 if opener[0] == "{" else 2), lang, nesting + 1)
                start = j
                continue
            if ch == "$" and lang == "php" and j + 1 < n and (text[j + 1].isalpha() or text[j + 1] == "_"):
                parts.append(text[start:j])
                m = _NAME.match(text, j + 1)
                j = m.end() if m else j + 1
                start = j
                continue
        j += 1
    body = "".join(parts) + text[start:n]
    return n, body if verbatim else _unescape(body, lang, quote)


_HEREDOC = re.compile(r"<<<[ \t]*(['\"]?)([A-Za-z_]\w*)\1\r?\n")


def heredoc(text: str, i: int) -> tuple[int, str] | None:
    """A PHP heredoc or nowdoc at ``i``: the index after its closing label and its value; ``None`` if not one."""
    m = _HEREDOC.match(text, i)
    if m is None:
        return None
    label = m.group(2)
    close = re.compile(rf"^[ \t]*{label}\b", re.M).search(text, m.end())
    if close is None:
        return len(text), text[m.end():]
    body = text[m.end():close.start()].rstrip("\r\n")
    if m.group(1) != "'":  # a heredoc interpolates like a double-quoted string
        body = string_end('"' + body.replace('"', '\\"') + '"', 0, "php")[1]
    return close.end(), body


def lex(expr: str, lang: Lang = "jinja") -> list[Token]:
    """The tokens of an expression; comments dropped (``//``, ``/* */``, and ``#`` in PHP and Ruby)."""
    out: list[Token] = []
    i = 0
    n = len(expr)
    hash_comments = lang in ("php", "ruby")
    slash_comments = lang in ("js", "php", "csharp")
    while i < n:
        ch = expr[i]
        if ch.isspace():
            i = _SPACE.match(expr, i).end()  # type: ignore[union-attr]  # expr[i] is a space: it matches
            continue
        if slash_comments and ch == "/" and expr[i + 1:i + 2] in ("/", "*"):
            if expr[i + 1] == "/":
                end = expr.find("\n", i)
                i = n if end == -1 else end
            else:
                end = expr.find("*/", i + 2)
                i = n if end == -1 else end + 2
            continue
        if hash_comments and ch == "#" and expr[i + 1:i + 2] != "{":
            end = expr.find("\n", i)
            i = n if end == -1 else end
            continue
        if ch in "\"'`":
            start = i
            i, value = string_end(expr, i, lang)
            out.append(Token("str", ch, value, start))
            continue
        if lang == "csharp" and ch in "@$" and expr[i + 1:i + 3].lstrip("@$")[:1] == '"':
            start = i
            prefix = expr[i:expr.index('"', i)]
            j = i + len(prefix)
            i, value = string_end(expr, j, lang, verbatim="@" in prefix, interpolated="$" in prefix)
            out.append(Token("str", '"', value, start))
            continue
        if lang == "php" and ch == "<" and expr.startswith("<<<", i):
            found = heredoc(expr, i)
            if found is not None:
                out.append(Token("str", '"', found[1], i))
                i = found[0]
                continue
        if lang == "ruby" and ch == ":" and expr[i + 1:i + 2].isalpha():  # a symbol (:page_title) is not text
            m = _NAME.match(expr, i + 1)
            out.append(Token("name", ":symbol", "", i))
            i = m.end() if m else i + 1
            continue
        m = _NAME.match(expr, i)
        if m:
            name = re.sub(r"\?\.|->|::", ".", m.group())
            out.append(Token("name", name, "", i))
            i = m.end()
            continue
        m = _NUMBER.match(expr, i)
        if m:
            out.append(Token("num", m.group(), "", i))
            i = m.end()
            continue
        out.append(Token("op", ch, "", i))
        i += 1
    return out


# --- what an expression shows ---------------------------------------------------------------------------------------


def _brackets(tokens: list[Token]) -> tuple[list[int], list[int]]:
    """For each opening bracket the index of its closer (``len(tokens)`` when unclosed; -1 for other
    tokens), and each token's depth inside brackets."""
    match = [-1] * len(tokens)
    depth = [0] * len(tokens)
    stack: list[int] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for k, tok in enumerate(tokens):
        depth[k] = len(stack)
        if tok.kind != "op":
            continue
        if tok.text in "([{":
            stack.append(k)
        elif tok.text in pairs:
            while stack and tokens[stack[-1]].text != pairs[tok.text]:
                match[stack.pop()] = k  # a stray closer of another kind: close what it skips
            if stack:
                match[stack.pop()] = k
            depth[k] = len(stack)
    for k in stack:
        match[k] = len(tokens)
    return match, depth


def is_translator(name: str) -> bool:
    """Whether a called name translates its first argument (``__``, ``i18n.t``, ``Localizer`` ...)."""
    last = name.rsplit(".", 1)[-1]
    return last in _TRANSLATORS or last.endswith(("Localizer", "localizer"))


def _shows_first_argument(name: str) -> bool:
    return name in _SHOWN_HELPERS or name.rsplit(".", 1)[-1] in _SHOWN_HELPERS


@dataclass(slots=True)
class _Piece:
    """A string an expression shows, and where it came from (which decides how it becomes HTML).

    ``literal``: written in the template inside a concatenation (may be a bit of markup: ``'<a href="'``);
    ``translated``: the argument of a translation call (a key is dropped); ``value``: a whole shown string.
    """

    text: str
    origin: Literal["literal", "translated", "value"]


class Shown:
    """Evaluates the tokens of one expression for the text it shows."""

    def __init__(self, tokens: list[Token], variables: Mapping[str, str] | None = None, *,
                 paren_free: bool = False) -> None:
        """``paren_free``: a name followed by a name is a call without brackets (Ruby: ``render partial: 'x'``)."""
        self.paren_free = paren_free
        self.tokens = tokens
        self.close, self.depth = _brackets(tokens)
        self.variables = variables or {}

    # A term of a concatenation: a literal, a translation call, a known variable, a bracketed group.
    def term(self, k: int, end: int) -> tuple[list[_Piece], int]:
        tokens = self.tokens
        tok = tokens[k]
        nxt = tokens[k + 1] if k + 1 < end else None
        if tok.kind == "str":
            return [_Piece(tok.value, "literal")], k + 1
        if tok.kind == "name":
            if nxt is not None and nxt.kind == "op" and nxt.text in "([":
                after = min(self.close[k + 1], end - 1) + 1
                if is_translator(tok.text) or _shows_first_argument(tok.text):
                    pieces = self.concat(k + 2, self._first_argument_end(k + 2, after - 1))
                    if is_translator(tok.text):
                        pieces = [_Piece(p.text, "translated") for p in pieces]
                    return pieces, after
                return [], after
            if nxt is not None and nxt.kind == "str" and (is_translator(tok.text) or _shows_first_argument(tok.text)):
                origin: Literal["literal", "translated"] = "translated" if is_translator(tok.text) else "literal"
                return [_Piece(nxt.value, origin)], k + 2  # t "key" (Ruby, Handlebars)
            if tok.text in self.variables:
                return [_Piece(self.variables[tok.text], "value")], k + 1
            return [], k + 1
        if tok.kind == "op" and tok.text == "(":
            after = min(self.close[k], end - 1) + 1
            return self.concat(k + 1, after - 1), after
        return [], k + 1

    def _first_argument_end(self, k: int, end: int) -> int:
        """End of the first argument of a call whose arguments run from ``k`` to ``end``."""
        while k < end:
            tok = self.tokens[k]
            if tok.kind == "op" and tok.text == ",":
                return k
            if tok.kind == "op" and tok.text in "([{":
                k = min(self.close[k], end) + 1
                continue
            k += 1
        return end

    def concat(self, k: int, end: int) -> list[_Piece]:
        """The pieces of ``"a" + __("b") ~ 'c'`` (operators between terms ignored), with filters applied."""
        out: list[_Piece] = []
        while k < end:
            tok = self.tokens[k]
            if tok.kind == "op" and tok.text == "|" and k + 1 < end and self.tokens[k + 1].kind == "name":
                if self.tokens[k + 1].text in TRANSLATING_FILTERS:
                    out = [_Piece(p.text, "translated") for p in out]
                k += 2
                if k < end and self.tokens[k].kind == "op" and self.tokens[k].text == "(":
                    k = min(self.close[k], end - 1) + 1
                continue
            if tok.kind == "op" and tok.text in "?:,":
                break  # a conditional's branches or the next argument: not one value
            pieces, k = self.term(k, end)
            out += pieces
        return out

    def scan(self, k: int, end: int, out: list[str]) -> None:
        """What the tokens from ``k`` to ``end`` show, in order, as HTML pieces appended to ``out``.

        Outside brackets, literals and known variables are shown (``{{ "Hello" }}``,
        ``{{ title }}``); anywhere, translation calls are, and the ``text``/``html``
        values of macro arguments (each as a block of its own).
        """
        tokens = self.tokens
        while k < end:
            tok = tokens[k]
            nxt = tokens[k + 1] if k + 1 < end else None
            if (
                tok.kind in ("name", "str")
                and nxt is not None and nxt.kind == "op" and nxt.text == ":"
                and _SHOWN_KEY.fullmatch(tok.text if tok.kind == "name" else tok.value)
            ):
                value_end = self._first_argument_end(k + 2, end)
                first = tokens[k + 2] if k + 2 < value_end else None
                if first is not None and not (first.kind == "op" and first.text in "{["):
                    markup = "html" in (tok.text if tok.kind == "name" else tok.value).lower()
                    shown = render_pieces(self.concat(k + 2, value_end), markup=markup)
                    if shown.strip():
                        out.append(f"<div>{shown}</div>" if markup else f"<p>{shown}</p>")
                    k = value_end
                    continue
                k += 2
                continue
            if tok.kind == "name" and nxt is not None and nxt.kind == "op" and nxt.text in "([":
                if is_translator(tok.text) or _shows_first_argument(tok.text):
                    pieces, k = self.term(k, end)
                    out.append(render_pieces(pieces, markup=True))
                    continue
                k += 2  # a call: look inside its arguments
                continue
            if tok.kind == "name" and nxt is not None and nxt.kind == "str" and (
                is_translator(tok.text) or _shows_first_argument(tok.text)
            ):
                pieces, _ = self.term(k, end)
                out.append(render_pieces(pieces, markup=True))
                k = self._level_end(k, end)  # the other arguments of a call without brackets
                continue
            if tok.kind == "name" and nxt is not None and tok.text not in self.variables and (
                nxt.kind == "str" or nxt.text == ":symbol" or (self.paren_free and nxt.kind == "name")
            ):
                k = self._level_end(k + 1, end)  # render "partial", helper arg "x": a call's arguments, not shown
                continue
            if self.depth[k] == 0 and (tok.kind == "str" or (tok.kind == "name" and tok.text in self.variables)):
                value_end = self._value_end(k, end)
                pieces = [p if p.origin == "translated" else _Piece(p.text, "value") for p in self.concat(k, value_end)]
                out.append(render_pieces(pieces, markup=True))
                k = value_end
                continue
            k += 1

    def _level_end(self, k: int, end: int) -> int:
        """The first token after ``k`` outside the brackets ``k`` is in (or ``end``)."""
        level = self.depth[k]
        while k < end and self.depth[k] >= level and not (
            self.depth[k] == level and self.tokens[k].kind == "op" and self.tokens[k].text in ")]}"
        ):
            k += 1
        return k

    def _value_end(self, k: int, end: int) -> int:
        """End of the concatenation starting at ``k`` (a literal with its operators and filters)."""
        tokens = self.tokens
        while k < end:
            tok = tokens[k]
            if tok.kind == "op" and tok.text in "([{":
                k = min(self.close[k], end - 1) + 1
                continue
            if tok.kind == "op" and tok.text in ",;?:)]}":
                return k
            if tok.kind == "name" and tok.text in ("if", "else", "and", "or", "not", "in", "is", "as"):
                return k
            k += 1
        return end


def render_pieces(pieces: list[_Piece], *, markup: bool) -> str:
    """HTML for the pieces: keys from translation calls dropped, placeholders removed, text escaped.

    With ``markup`` (an ``html`` value, or output written straight into the page), literals written
    in the template are kept as they are: they are often bits of markup (``'<a href="'``).
    """
    out: list[str] = []
    for piece in pieces:
        text = clean_placeholders(piece.text)
        if piece.origin == "translated" and looks_like_key(text):
            continue
        if piece.origin == "literal":
            out.append(text if markup else html.escape(text, quote=True))
        else:
            out.append(as_html(text))
    joined = "".join(out)
    return joined if piece_has_letters(joined) else ""


def translated(text: str) -> str:
    """The HTML for the argument of a translation: '' for a key, else the text (placeholders removed)."""
    return render_pieces([_Piece(text, "translated")], markup=True)


def piece_has_letters(text: str) -> bool:
    return any(c.isalnum() for c in text)


def shown(expr: str, lang: Lang = "jinja", variables: Mapping[str, str] | None = None) -> str:
    """The HTML an output expression shows (``{{ expr }}``, ``<%= expr %>``, ``@(expr)``); '' when nothing."""
    tokens = lex(expr, lang)
    if not tokens:
        return ""
    evaluator = Shown(tokens, variables, paren_free=lang == "ruby")
    out: list[str] = []
    evaluator.scan(0, len(tokens), out)
    return " ".join(p for p in out if p)


def value_of(expr: str, lang: Lang = "jinja", variables: Mapping[str, str] | None = None) -> str | None:
    """The plain-text value of a string expression (``"a" ~ __("b")``), or ``None`` when it is not one."""
    tokens = lex(expr, lang)
    if not tokens or any(t.kind == "num" for t in tokens):
        return None
    evaluator = Shown(tokens, variables)
    pieces = evaluator.concat(0, len(tokens))
    if not pieces:
        return None
    text = "".join(
        clean_placeholders(p.text) for p in pieces if not (p.origin == "translated" and looks_like_key(p.text))
    )
    return text or None
