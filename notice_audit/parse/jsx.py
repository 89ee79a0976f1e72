"""JSX and TSX components read as the markup they return.

A React (or Preact, Next.js, GOV.UK React) notice is a component whose JSX is
the page. ``jsscan`` renders each JSX element as HTML in place and blanks the
JavaScript around it, keeping line numbers; an expression container shows
what it holds: a string, a translation call, a module string constant
(``{title}``, ``{Strings.intro.body}``), nested JSX; other placeholders show
nothing. The result is read as HTML. A file without JSX is a string module.
"""

from __future__ import annotations

from notice_audit.model import Document, Page
from notice_audit.parse import code_strings, html
from notice_audit.parse.base import InputFormat
from notice_audit.parse.decode import decode


def parse(page: Page) -> Document:
    """Parse a ``.jsx``/``.tsx`` (or JSX-holding ``.js``) file."""
    return parse_text(decode(page), page)


def parse_text(text: str, page: Page) -> Document:
    from notice_audit.parse.jsscan import JsScan  # deferred: the scanner is read only for script files

    first = JsScan(text, jsx=True)
    if not first.has_jsx:
        return code_strings.string_module(text, page, first.tokens)
    variables = code_strings.constants(code_strings.js_entries(first.tokens, text))
    markup = JsScan(text, jsx=True, variables=variables).markup if variables else first.markup
    return html.parse_text(markup, page)


JSX = InputFormat("jsx", ("text/jsx",), parse, (".jsx", ".tsx"))
#: A ``.js`` module is read here, not in ``code_strings``: one holding JSX is a component, one without a string module.
JAVASCRIPT = InputFormat("javascript", ("text/javascript",), parse, (".js", ".mjs", ".cjs"), notice_names_only=True)
