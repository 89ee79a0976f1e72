"""Template files (ERB/EJS, Jinja/Nunjucks, Twig, Liquid, Handlebars/Mustache, Template Toolkit) read as HTML.

Service repositories keep their notices as templates. Most tags are logic or
placeholders, not notice text, so they are removed; but some tags *show* text:
a translation call (``{{ __("We keep your data ...") }}``, ``<%= t("...") %>``,
``{% trans "..." %}``), a string literal, a variable set to one
(``{% set title = "..." %}``, ``<% @title = "..." %>``, ``[% title = "..." %]``
... ``{{ title }}``) or a macro's ``text`` and
``html`` arguments (``govukInsetText({ text: "..." })``). Each tag is replaced
by the text it shows (see ``translations``) followed by the newlines it
contained, so that line numbers in locators still point at the right line of
the file. ``{% trans %} ... {% endtrans %}`` blocks need nothing more: their
tags go and their text stays.
"""

from __future__ import annotations

from notice_audit.model import Document, Page
from notice_audit.parse import html
from notice_audit.parse.base import InputFormat
from notice_audit.parse.decode import decode
from notice_audit.parse.templatetags import looks_templated, strip_template_tags

__all__ = ["FORMAT", "looks_templated", "parse", "strip_template_tags"]


def parse(page: Page) -> Document:
    """Parse a template file: tags removed, the rest read as an HTML fragment."""
    return html.parse_text(strip_template_tags(decode(page, html=True)), page)


FORMAT = InputFormat(
    "template", ("text/x-template",), parse,
    (".erb", ".njk", ".jinja", ".jinja2", ".j2", ".html.erb", ".html.njk", ".liquid", ".hbs", ".handlebars",
     ".mustache", ".twig", ".html.twig", ".ejs", ".tt", ".tt2"),
)
