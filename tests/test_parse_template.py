"""Template files: tags removed with line numbers kept, then read as HTML."""

from __future__ import annotations

from notice_audit.model import Document, Page
from notice_audit.parse import parse_page
from notice_audit.parse.template import strip_template_tags

ERB = """\
<% content_for :page_title, t(".title") %>
<%= render "shared/notices" %>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h1 class="govuk-heading-l"><%= t("privacy.heading") %>Privacy notice</h1>
    <%# a comment
        over two lines %>
    <h2 class="govuk-heading-m" id="data">The data we need</h2>
    <ul class="govuk-list govuk-list--bullet">
      <li>your name</li>
      <% if show_phone? %>
      <li>your phone number</li>
      <% end %>
    </ul>
    <p class="govuk-body">Contact <%= link_to "our DPO", "mailto:dpo@lowmoor.gov.uk" %>
      at <a href="mailto:dpo@lowmoor.gov.uk">dpo@lowmoor.gov.uk</a>.</p>
  </div>
</div>
"""

NUNJUCKS = """\
{% extends "layout.njk" %}
{% from "govuk/components/button/macro.njk" import govukButton %}
{% block content %}
{{ govukPhaseBanner({
  tag: { text: "beta" },
  html: 'This is a new service – your <a href="/feedback">feedback</a> will help.'
}) }}
<h1>Privacy notice</h1>
{# reviewers: keep this short #}
<p>We keep your data for {{ retention }} years.</p>
{{{ raw_html }}}
<p>{{ govukButton({ text: "Continue }}" }) }}Read on.</p>
{%- endblock %}
"""


def parse(text: str, source: str) -> Document:
    return parse_page(Page(source, source, text.encode(), "text/x-template"))


def test_strip_keeps_line_numbers() -> None:
    for template in (ERB, NUNJUCKS):
        stripped = strip_template_tags(template)
        assert stripped.count("\n") == template.count("\n")
    assert strip_template_tags("a <%= x %> b") == "a   b"
    assert "<%" not in strip_template_tags(ERB) and "%>" not in strip_template_tags(ERB)


def test_strip_handles_nested_braces_and_quotes() -> None:
    stripped = strip_template_tags(NUNJUCKS)
    assert "govuk" not in stripped
    assert "raw_html" not in stripped
    assert "Read on." in stripped
    # A macro shows its text and html arguments (the closing braces inside the string do not end the tag).
    assert "<p>Continue }}</p>" in stripped
    assert '<div>This is a new service – your <a href="/feedback">feedback</a> will help.</div>' in stripped


def test_unclosed_tags_are_left_alone_and_stay_linear() -> None:
    assert strip_template_tags("price {{ x") == "price {{ x"
    assert strip_template_tags("<% unclosed\n<p>text</p>") == "<% unclosed\n<p>text</p>"
    hostile = "{{ {" * 50_000 + "<% " * 50_000  # its timing: the scaling benchmark's hostile template
    assert strip_template_tags(hostile) == hostile


def test_erb_template_parses_with_file_lines() -> None:
    doc = parse(ERB, "app/views/pages/privacy.html.erb")
    assert doc.title == "Privacy notice"
    assert [s.heading for s in doc.sections] == ["Privacy notice", "The data we need"]
    data = doc.sections[1]
    assert data.locator.line == 8
    assert data.locator.fragment == "data"
    items = [(b.text, b.locator.line) for b in data.blocks if b.kind == "list_item"]
    assert items == [("your name", 10), ("your phone number", 12)]
    contact = data.blocks[-1]
    assert contact.text == "Contact our DPO at dpo@lowmoor.gov.uk."  # link_to shows its first argument
    assert contact.locator.line == 15
    assert "render" not in doc.text and "t(" not in doc.text


def test_nunjucks_template_parses() -> None:
    doc = parse(NUNJUCKS, "app/views/privacy.njk")
    assert doc.title == "Privacy notice"
    texts = [b.text for _, b in doc.blocks()]
    assert texts == ["We keep your data for years.", "Continue }}", "Read on."]
    # The phase banner's text and html arguments are read, and then dropped as furniture, as in a page.
    assert doc.removed == ("beta", "This is a new service – your feedback will help.")
    assert doc.sections[0].blocks[0].locator.line == 10


def test_liquid_and_handlebars() -> None:
    liquid = (
        "{% if page.show %}\n<h2>Your rights</h2>\n{% endif %}\n"
        "<p>You can ask for {{ page.thing | escape }} a copy.</p>\n"
    )
    doc = parse(liquid, "privacy.liquid")
    assert doc.sections[0].heading == "Your rights"
    assert doc.sections[0].blocks[0].text == "You can ask for a copy."
    assert doc.sections[0].blocks[0].locator.line == 4
    hbs = "<h2>{{title}}Retention</h2>\n{{#each items}}<p>{{this}}</p>{{/each}}\n<p>Kept for {{{years}}} 6 years.</p>"
    doc = parse(hbs, "privacy.hbs")
    assert doc.sections[0].heading == "Retention"
    assert [b.text for _, b in doc.blocks()] == ["Kept for 6 years."]
