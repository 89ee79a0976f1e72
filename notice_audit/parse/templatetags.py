"""Template tags replaced by the text they show, keeping line numbers (see ``template`` for the formats).

Shared by the template reader and by the HTML, Markdown and component readers, which strip stray
template tags from pages too; kept apart from ``template`` so that ``html`` does not import a reader
that itself reads HTML.
"""

from __future__ import annotations

import re

from notice_audit.parse.translations import TRANSLATING_FILTERS, Lang, lex, shown, translated, value_of

_OPENERS = re.compile(r"<%|\{[%{#]|\[%")
_CLOSERS = {"<%": "%>", "{%": "%}", "{#": "#}", "[%": "%]"}
_QUOTES = "\"'`"


def _balanced_end(text: str, start: int) -> int:
    """End of a ``{{ ... }}`` expression starting at ``start``, or -1.

    Braces inside the expression (``{{ macro({ key: 1 }) }}``) and quoted
    strings are skipped, so the tag ends at the brace that closes it.
    """
    depth = 0
    quote = ""
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in _QUOTES and depth >= 2:
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def strip_template_tags(text: str) -> str:
    """Replace each template tag by the text it shows, keeping line numbers; linear in the text length.

    A tag showing nothing within a line becomes one space; a tag spanning lines
    is followed by the same number of newlines. An opener without a closer is
    left as it is.
    """
    out: list[str] = []
    pos = 0
    exhausted: set[str] = set()  # openers whose closer no longer occurs: stop looking
    balanced_ok = True
    variables: dict[str, str] = {}
    for match in _OPENERS.finditer(text):
        start = match.start()
        if start < pos:
            continue
        opener = match.group()
        if opener in exhausted:
            continue
        end = -1
        if opener == "{{":
            if balanced_ok:
                end = _balanced_end(text, start)
                balanced_ok = end != -1
            if end == -1:
                found = text.find("}}", start + 2)
                end = found + 2 if found != -1 else -1
        else:
            found = text.find(_CLOSERS[opener], start + 2)
            end = found + 2 if found != -1 else -1
        if end == -1:
            exhausted.add(opener)
            continue
        if opener == "{{" and end < len(text) and text[end] == "}" and text[start + 2 : start + 3] == "{":
            end += 1  # Handlebars triple braces {{{ raw }}}
        out.append(text[pos:start])
        shows = tag_text(text[start:end], variables).replace("\n", " ")
        newlines = text.count("\n", start, end)
        out.append(shows + "\n" * newlines if newlines or shows else " ")
        pos = end
    out.append(text[pos:])
    return "".join(out)


# Statement tags that show their string argument: {% trans "..." %} (Django, Jinja i18n), {% t "..." %} (Liquid).
_SHOWING_STATEMENTS = TRANSLATING_FILTERS | {"blocktrans", "blocktranslate"}


def tag_text(tag: str, variables: dict[str, str]) -> str:
    """The HTML one template tag shows ('' for logic and comments); records ``{% set x = "..." %}`` in ``variables``."""
    if tag.startswith("{{"):
        inner = tag[3:-3] if tag.startswith("{{{") and tag.endswith("}}}") else tag[2:-2]
        inner = inner.strip("-~+ \t\r\n")
        if inner[:1] in ("!", "#", "/", "^", ">", "{", "&") or not inner:
            return ""  # Handlebars comments, blocks, partials
        return shown(inner, "jinja", variables)
    if tag.startswith("{%"):
        return _statement(tag[2:-2].strip("-~+ \t\r\n"), variables)
    if tag.startswith("<%=") or tag.startswith("<%=="):
        return shown(tag[3:-2].lstrip("=").rstrip("-"), "ruby", variables)
    if tag.startswith("[%"):
        return _toolkit(tag[2:-2].strip("-+~= \t\r\n"), variables)
    if tag.startswith("<%") and not tag.startswith("<%#"):
        _assignment(tag[2:-2].strip("- \t\r\n"), "ruby", variables)
    return ""  # {# comments #}, <% code %>, <%# comments %>


# Template Toolkit directives: they show nothing (SET and DEFAULT set variables).
_TOOLKIT_DIRECTIVES = frozenset({
    "IF", "ELSIF", "ELSE", "END", "UNLESS", "FOREACH", "FOR", "WHILE", "NEXT", "LAST", "SWITCH", "CASE", "INCLUDE",
    "PROCESS", "INSERT", "WRAPPER", "BLOCK", "MACRO", "CALL", "FILTER", "USE", "TRY", "CATCH", "FINAL", "THROW",
    "RETURN", "STOP", "CLEAR", "META", "TAGS", "DEBUG", "PERL", "RAWPERL", "SET", "DEFAULT",
})  # fmt: skip
_ASSIGNMENT = re.compile(r"@?([A-Za-z_]\w*)\s*=(?!=)\s*(.+)", re.S)


def _assignment(code: str, lang: Lang, variables: dict[str, str]) -> bool:
    """Record ``name = "string"`` in ``variables``; whether ``code`` was an assignment."""
    m = _ASSIGNMENT.fullmatch(code)
    if m is None:
        return False
    value = value_of(m.group(2), lang, variables)
    if value is None:
        variables.pop(m.group(1), None)
    else:
        variables[m.group(1)] = value
    return True


def _toolkit(inner: str, variables: dict[str, str]) -> str:
    """What a Template Toolkit tag shows: ``[% loc('...') %]`` and variables do; directives do not."""
    if inner.startswith("#"):
        return ""  # a comment
    word, _, rest = inner.partition(" ")
    if word in _TOOLKIT_DIRECTIVES:
        if word in ("SET", "DEFAULT"):
            _assignment(rest.strip(), "jinja", variables)
        return ""
    if _assignment(inner, "jinja", variables):
        return ""
    return shown(inner.removeprefix("GET "), "jinja", variables)


def _statement(inner: str, variables: dict[str, str]) -> str:
    """What a ``{% ... %}`` tag shows: the text of ``{% trans "..." %}``; ``set``/``assign`` remember a string."""
    name, _, rest = inner.partition(" ")
    if name in ("set", "assign"):
        target, equals, value = rest.partition("=")
        target = target.strip()
        if equals and re.fullmatch(r"[A-Za-z_]\w*", target):
            text = value_of(value.strip(), "jinja", variables)
            if text is not None:
                variables[target] = text
            else:
                variables.pop(target, None)
        return ""
    if name in _SHOWING_STATEMENTS:
        tokens = lex(rest)
        if tokens and tokens[0].kind == "str" and not any(t.kind == "name" and t.text == "as" for t in tokens):
            return translated(tokens[0].value)  # {% trans "..." as greeting %} stores it: not shown
    return ""


def looks_templated(text: str) -> bool:
    """Whether HTML text carries template tags that should be stripped first."""
    return bool(re.search(r"<%.{0,2000}?%>|\{%.{0,2000}?%\}|\{\{.{0,2000}?\}\}|\[%.{0,2000}?%\]", text, re.S))
