"""Every format a notice is kept in: the text a reader would see comes out, with the source line of each block.

The fixtures are written for these tests (the fictional Lowmoor Borough Council); each format's
code, keys and styling must stay out of the document.
"""

from __future__ import annotations

import pytest

from notice_audit.model import Block, Document, Page
from notice_audit.parse import media_type_for, parse_page


def parse(text: str, source: str) -> Document:
    media_type = media_type_for(source)
    assert media_type is not None, source
    return parse_page(Page(source, source, text.encode(), media_type))


def blocks(doc: Document) -> dict[str, Block]:
    return {b.text: b for _, b in doc.blocks()}


def headings(doc: Document) -> list[tuple[int, str, int | None]]:
    return [(s.level, s.heading, s.locator.line) for s in doc.sections if s.heading]


# --- templates with translation calls -------------------------------------------------------------------------------

NUNJUCKS_TRANSLATED = """\
{% extends "layout.njk" %}
{% set pageTitle = "Lowmoor parking permits privacy notice" %}
{% block content %}
<p style='cursor:{{ __("enLangLink-cursor", props.language) }}'>{{ __("Back", props.language) }}</p>
<h1 class="govuk-heading-xl">{{ pageTitle }}</h1>
<p class="govuk-body">{{ __("Lowmoor Borough Council is the data controller for parking permits.", lang) }}</p>
<h2 class="govuk-heading-l">{{ __("What we collect", props.language) }}</h2>
<ul class="govuk-list">
  <li>{{ __("name", props.language) }}</li>
  <li>{{ __("vehicle registration number", props.language) }}</li>
  <li>{{ __('privacy_notice.heading') }}</li>
</ul>
<p>{% trans %}We keep permit records for {{ years }} six years.{% endtrans %}</p>
<h2>{% trans "Your rights" %}</h2>
<p>{% trans 'privacy.rights.intro' %}{{ _("You can ask for a copy of your data.") }}</p>
{{ govukInsetText({
  text: __("You can complain to the Information Commissioner's Office.", props.language),
  classes: "govuk-inset-text--wide"
}) }}
{% endblock %}
"""


def test_nunjucks_translation_calls_are_text_and_keys_are_not() -> None:
    doc = parse(NUNJUCKS_TRANSLATED, "views/parking-privacy.njk")
    assert doc.title == "Lowmoor parking permits privacy notice"  # {% set %} then {{ pageTitle }}
    assert headings(doc) == [
        (1, "Lowmoor parking permits privacy notice", 5),
        (2, "What we collect", 7),
        (2, "Your rights", 14),
    ]
    found = blocks(doc)
    assert found["Lowmoor Borough Council is the data controller for parking permits."].locator.line == 6
    items = [(b.text, b.locator.line) for _, b in doc.blocks() if b.kind == "list_item"]
    assert items == [("name", 9), ("vehicle registration number", 10)]  # the key on line 11 is dropped
    assert found["We keep permit records for six years."].locator.line == 13
    assert found["You can ask for a copy of your data."].locator.line == 15
    assert found["You can complain to the Information Commissioner's Office."].locator.line == 16
    for residue in ("enLangLink", "privacy_notice", "privacy.rights", "govuk", "props", "__(", "{{", "{%"):
        assert residue not in doc.text


def test_phase_banner_html_argument_is_read_with_its_translations() -> None:
    template = """<h1>Privacy notice</h1>
{{ govukPhaseBanner({
  tag: { text: "beta" },
  html: __('This is a new service') + ' – your <a href="' + __('feedback-url') + '">' + __('feedback') + '</a>'
}) }}
<p>{{ govukDetails({ summaryText: "Why we ask", html: '<p>We need your <b>address</b> to post a permit.</p>' }) }}</p>
"""
    doc = parse(template, "privacy.njk")
    texts = [b.text for _, b in doc.blocks()]
    assert "Why we ask" in texts
    assert "We need your address to post a permit." in texts
    assert "This is a new service – your feedback" in doc.removed  # a phase banner is furniture
    assert "feedback-url" not in doc.text and "feedback-url" not in " ".join(doc.removed)


def test_erb_output_tags_show_translations_and_link_text_but_code_tags_do_not() -> None:
    erb = """<% content_for :page_title, t("Hidden title") %>
<h1><%= t(".heading") %><%= t("Housing privacy notice") %></h1>
<p><%= t "Lowmoor Borough Council uses your information to manage your tenancy." %></p>
<% note = "Not shown either" %>
<p>Ask our <%= govuk_link_to "Data Protection Officer", privacy_contact_path %> for a copy.</p>
<%# t("a comment") %>
"""
    doc = parse(erb, "app/views/privacy/show.html.erb")
    assert headings(doc) == [(1, "Housing privacy notice", 2)]
    assert [b.text for _, b in doc.blocks()] == [
        "Lowmoor Borough Council uses your information to manage your tenancy.",
        "Ask our Data Protection Officer for a copy.",
    ]
    assert "Hidden" not in doc.text and "Not shown" not in doc.text and "comment" not in doc.text


def test_twig_liquid_and_handlebars_translation_forms() -> None:
    twig = """{% extends 'base.html.twig' %}
<h2>{{ 'privacy.title'|trans }}{{ "How long we keep your data"|trans }}</h2>
<p>{{ "We keep applications for two years."|trans({}, 'privacy') }}</p>
"""
    doc = parse(twig, "templates/privacy/index.html.twig")
    assert media_type_for("index.html.twig") == "text/x-template"
    assert headings(doc) == [(2, "How long we keep your data", 2)]
    assert blocks(doc)["We keep applications for two years."].locator.line == 3
    liquid = "<h2>{{ 'Who we share it with' | t }}</h2>\n<p>{{ 'sharing.body' | t }}We share it with the police.</p>\n"
    doc = parse(liquid, "privacy.liquid")
    assert headings(doc) == [(2, "Who we share it with", 1)]
    assert [b.text for _, b in doc.blocks()] == ["We share it with the police."]
    hbs = '<h2>{{t "Your rights"}}</h2>\n{{!-- t "not this" --}}\n<p>{{i18n "rights.x"}}{{t "You can object."}}</p>\n'
    doc = parse(hbs, "privacy.hbs")
    assert headings(doc) == [(2, "Your rights", 1)]
    assert [b.text for _, b in doc.blocks()] == ["You can object."]


def test_template_toolkit_and_template_variables() -> None:
    toolkit = """[% contact_href = 'mailto:dpo@lowmoor.gov.uk' %]
<h1>[% loc('Street reports privacy notice') %]</h1>
[% IF c.cobrand.moniker == 'lowmoor' %]
<p>Lowmoor Borough Council is the data controller for [% c.cobrand.council_name %] street reports.</p>
[% END %]
<p><a href="[% contact_href %]">Contact us</a> [%# not shown %]</p>
"""
    doc = parse(toolkit, "templates/web/base/about/privacy.html")
    assert headings(doc) == [(1, "Street reports privacy notice", 2)]
    found = blocks(doc)
    assert found["Lowmoor Borough Council is the data controller for street reports."].locator.line == 4
    assert found["Contact us (dpo@lowmoor.gov.uk)"].locator.line == 6  # the variable became the link's target
    assert "IF" not in doc.text and "cobrand" not in doc.text and "not shown" not in doc.text
    erb = '<% @title = "Your privacy" %>\n<%= render partial: "sidebar" %>\n<h1><%= @title %></h1>\n<p>Text.</p>'
    doc = parse(erb, "app/views/help/privacy.html.erb")
    assert headings(doc) == [(1, "Your privacy", 3)]
    assert "sidebar" not in doc.text


def test_template_hostile_input_terminates_with_the_text_before_it() -> None:
    from notice_audit.parse.template import strip_template_tags

    head = "<p>Lowmoor privacy notice</p>"
    for opener in ('{{ __("', "{% trans '", '<%= t "', "{{ `${", "{% set a = '"):
        stripped = strip_template_tags(head + opener * (1_000_000 // len(opener)))
        assert stripped.startswith(head)
    nested = strip_template_tags(head + "{{ " + "`${" * 300_000 + " }}")  # deeper than any real template
    assert nested.startswith(head)


@pytest.mark.parametrize(
    ("key", "dropped"),
    [("enLangLink-cursor", True), (".privacy.title", True), ("feedback-form", True),
     ("privacy_notice.heading", True), ("cookieBanner", True), ("step2", True), ("name", False),
     ("Introduction", False), ("dpo@lowmoor.gov.uk", False), ("https://ico.org.uk/make-a-complaint", False),
     ("We keep it.", False)],
)
def test_translation_keys_are_identifiers(key: str, dropped: bool) -> None:
    from notice_audit.parse.translations import looks_like_key

    assert looks_like_key(key) is dropped


# --- Razor ------------------------------------------------------------------------------------------------------------

RAZOR = """\
@page "/privacy"
@model PrivacyModel
@using Lowmoor.Web.Resources
@inject IViewLocalizer Localizer
@{
    ViewData["Title"] = "Privacy notice";
    var year = DateTime.Now.Year;
}
@* reviewers: this comment is not notice text *@
<h1 class="govuk-heading-xl">@ViewData["Title"]Council tax privacy notice</h1>
<p class="govuk-body">Lowmoor Borough Council is the data controller. Email dpo@lowmoor.gov.uk or @@lowmoor.</p>
@if (Model.ShowSharing)
{
    var count = Model.Partners.Count;
    <h2 class="govuk-heading-m">Who we share it with</h2>
    <p class="govuk-body">We share your data with the Valuation Office Agency
        and with @Model.PartnerName when the law requires it.</p>
}
else
{
    <p class="govuk-body">We do not share your data.</p>
}
<ul class="govuk-list">
@foreach (var item in Model.Items)
{
    <li>@item.Name</li>
}
    <li>@Localizer["We keep council tax records for six years."]</li>
    <li>@T("You can ask us to correct your data.")</li>
    <li>@Localizer["privacy.rights.erasure"]</li>
</ul>
@using (Html.BeginForm("Feedback", "Privacy"))
{
    <p>@Html.ActionLink("Contact the Data Protection Officer", "Contact", "Home")</p>
}
@section Scripts {
    <script>window.dataLayer = { page: "privacy" };</script>
}
@code {
    private string hidden = "Not notice text";
}
"""


def test_razor_code_is_removed_and_shown_text_kept_on_its_lines() -> None:
    doc = parse(RAZOR, "Pages/Privacy.cshtml")
    assert headings(doc) == [(1, "Council tax privacy notice", 10), (2, "Who we share it with", 15)]
    found = blocks(doc)
    controller = "Lowmoor Borough Council is the data controller. Email dpo@lowmoor.gov.uk or @lowmoor."
    assert found[controller].locator.line == 11
    sharing = found["We share your data with the Valuation Office Agency and with when the law requires it."]
    assert (sharing.locator.line, sharing.kind) == (16, "paragraph")
    assert found["We do not share your data."].locator.line == 21
    items = [(b.text, b.locator.line) for _, b in doc.blocks() if b.kind == "list_item"]
    assert items == [("We keep council tax records for six years.", 28), ("You can ask us to correct your data.", 29)]
    assert found["Contact the Data Protection Officer"].locator.line == 34
    for residue in ("@", "ViewData", "var ", "Model", "Localizer", "dataLayer", "hidden", "else", "{", "}"):
        assert residue not in doc.text.replace("dpo@lowmoor.gov.uk", "").replace("@lowmoor.", "")
    assert media_type_for("Components/Pages/Privacy.razor") == "text/x-razor"


def test_razor_unclosed_block_runs_to_the_end_and_stays_linear() -> None:
    from notice_audit.parse.razor import strip_razor

    text = "<p>Lowmoor keeps your data safe.</p>\n@{ var unclosed = 1;\n<p>never shown</p>\n"
    assert strip_razor(text) == "<p>Lowmoor keeps your data safe.</p>\n\n\n"
    hostile = "@{(" * 300_000 + "@if (" * 100_000 + "@*" * 100_000
    stripped = strip_razor(hostile)
    assert stripped.strip() == "" and len(stripped) < len(hostile)


# --- PHP ------------------------------------------------------------------------------------------------------------

PHP = """\
<?php
$title = "Allotments privacy notice";
$hidden = 'not shown: never echoed';
require 'header.php';
?>
<h1><?= $title ?></h1>
<p><?php _e('Lowmoor Borough Council is the data controller for allotment tenancies.', 'lowmoor'); ?></p>
<h2><?php esc_html_e( 'sharing.heading', 'x' ); ?><?php echo esc_html__( 'Who we share it with', 'x' ); ?></h2>
<?php if ( $show_sharing ) : ?>
<p><?php echo "We share your name with the allotment society ?> committee."; // a comment ?> after the code</p>
<?php endif; ?>
<?php
echo '<h2>How long we keep it</h2>';
printf( __( 'We keep tenancy records for %s years.', 'lowmoor' ), '6' );
echo <<<HTML
<p>You can ask for a copy of your $record data.</p>
HTML;
?>
<p>&copy; <?= date("Y") ?> Lowmoor Borough Council</p>
<?php
/* the footer: unclosed, as PHP files often end */
echo "<p>Contact our Data Protection Officer at dpo@lowmoor.gov.uk.</p>";
"""


def test_php_blocks_become_what_they_print_on_their_lines() -> None:
    doc = parse(PHP, "site/allotments-privacy.php")
    assert headings(doc) == [(1, "Allotments privacy notice", 6), (2, "Who we share it with", 8),
                             (2, "How long we keep it", 13)]
    found = blocks(doc)
    assert found["Lowmoor Borough Council is the data controller for allotment tenancies."].locator.line == 7
    assert found["We share your name with the allotment society ?> committee. after the code"].locator.line == 10
    assert found["We keep tenancy records for years."].locator.line == 14
    assert found["You can ask for a copy of your data."].locator.line == 15
    assert found["© Lowmoor Borough Council"].locator.line == 19
    assert found["Contact our Data Protection Officer at dpo@lowmoor.gov.uk."].locator.line == 22
    for residue in ("<?", "?php", "echo", "require", "hidden", "sharing.heading", "lowmoor'", "HTML", "date("):
        assert residue not in doc.text
    assert media_type_for("privacy.phtml") == "application/x-httpd-php"


def test_php_hostile_input_terminates() -> None:
    from notice_audit.parse.php import strip_php

    for opener in ("<?php '", "<?php /*", "<?= \"", "<?php <<<A\n", "<?php echo "):
        hostile = "<p>Lowmoor privacy notice</p>" + opener * (200_000 // len(opener))
        assert strip_php(hostile).startswith("<p>Lowmoor privacy notice</p>")


# --- string modules: TypeScript / JavaScript, JSON, YAML -----------------------------------------------------------

TS_MODULE = """\
import { Content } from "@/types/content";
export const LibraryPrivacyStrings: Content = {
  pageTitle: "Library privacy notice",
  breadcrumb: "/privacy/library",
  intro: {
    heading: "Who we are",
    body: "Lowmoor Borough Council is the data controller"
      + " for the library service.",
    className: "govuk-body govuk-!-margin-bottom-4",
  },
  sharing: {
    header: "Who we share it with",
    lead: "We share your details with ",
    link: "the Lowmoor Library Trust",
    rest: ", which runs the mobile library.",
    partners: ["the police, when the law requires it", 'our IT supplier, Northgate Systems'],
  },
  retention: {
    h3: "How long we keep it",
    bodyHtml: `
      <p>We keep your borrowing history for <strong>two years</strong>.</p>
      <p>We delete it ${"sooner"} if you ask.</p>`,
  },
  variant: "primary",
  key: t("privacy.library.title"),
  review: t('We review this notice every year.'),
};
document.querySelector(".js-privacy-banner"); // "A quoted comment" is not text
const pattern = /"[^"]*"/g;
"""


def test_typescript_string_module_values_in_order_with_headings_and_lines() -> None:
    doc = parse(TS_MODULE, "src/content/LibraryPrivacyStrings.ts")
    assert doc.title == "Library privacy notice"
    assert headings(doc) == [(1, "Library privacy notice", 3), (2, "Who we are", 6),
                             (2, "Who we share it with", 12), (3, "How long we keep it", 19)]
    found = blocks(doc)
    intro = found["Lowmoor Borough Council is the data controller for the library service."]
    assert (intro.kind, intro.locator.line) == ("paragraph", 7)
    joined = found["We share your details with the Lowmoor Library Trust, which runs the mobile library."]
    assert (joined.locator.line, joined.locator.end_line) == (13, 15)
    items = [(b.text, b.locator.line) for _, b in doc.blocks() if b.kind == "list_item"]
    assert items == [("the police, when the law requires it", 16), ("our IT supplier, Northgate Systems", 16)]
    assert found["We keep your borrowing history for two years."].locator.line == 21
    assert found["We delete it if you ask."].locator.line == 22
    assert found["We review this notice every year."].locator.line == 26
    for code in ("/privacy", "govuk", "primary", "privacy.library", "js-privacy", "quoted comment", "@/types",
                 "sooner", "[^"):
        assert code not in doc.text


def test_a_value_that_opens_a_sentence_does_not_run_on_from_an_unfinished_one() -> None:
    # The address was injected from elsewhere: "at " waits for it, the next value starts afresh.
    module = """export const Strings = {
  dpo: "If you have questions, contact our Data Protection Officer at ",
  complain: "If you are not happy with our answer, you can complain to the ICO.",
  login: "You sign in using ",
  provider: "NHS login, a service run for us.",
};
"""
    texts = [b.text for _, b in parse(module, "src/PrivacyStrings.ts").blocks()]
    assert texts == ["If you have questions, contact our Data Protection Officer at",
                     "If you are not happy with our answer, you can complain to the ICO.",
                     "You sign in using NHS login, a service run for us."]


def test_json_locale_file() -> None:
    locale = """{
  "en": {
    "privacy": {
      "title": "Garden waste privacy notice",
      "intro": "Lowmoor Borough Council collects your name and address to empty your garden waste bin.",
      "link": "/privacy/garden",
      "items": ["your name", "your address"],
      "contactHeading": "Contact us",
      "contact": "Email <a href=\\"mailto:dpo@lowmoor.gov.uk\\">our Data Protection Officer</a> with any question."
    }
  }
}
"""
    doc = parse(locale, "locales/en/privacy-notice.json")
    assert headings(doc) == [(1, "Garden waste privacy notice", 4), (1, "Contact us", 8)]
    found = blocks(doc)
    intro = "Lowmoor Borough Council collects your name and address to empty your garden waste bin."
    assert found[intro].locator.line == 5
    assert [(b.text, b.kind) for _, b in doc.blocks() if b.locator.line == 7] == [
        ("your name", "list_item"), ("your address", "list_item")
    ]
    assert found["Email our Data Protection Officer (dpo@lowmoor.gov.uk) with any question."].locator.line == 9
    assert "/privacy/garden" not in doc.text and doc.warnings == ()
    broken = parse(locale[:-4], "privacy.json")  # truncated: its strings are read, with a warning
    assert "Contact us" in broken.text and broken.warnings[0].startswith("not valid JSON")


YAML_LOCALE = """\
en:
  privacy:
    heading: Council tax privacy notice
    intro: >
      Lowmoor Borough Council is the data controller
      for council tax.
    route: privacy/council-tax
    sections:
      - title: Your rights
        body: You can ask for a copy of your information.
      - title: Complaints
        body: "You can complain to the Information Commissioner's Office."
    count: 3
    enabled: true
"""


def test_yaml_locale_file() -> None:
    doc = parse(YAML_LOCALE, "config/locales/privacy.en.yml")
    assert headings(doc) == [(1, "Council tax privacy notice", 3), (2, "Your rights", 9), (2, "Complaints", 11)]
    found = blocks(doc)
    assert found["Lowmoor Borough Council is the data controller for council tax."].locator.line == 4
    assert found["You can ask for a copy of your information."].locator.line == 10
    assert found["You can complain to the Information Commissioner's Office."].locator.line == 12
    assert "privacy/council-tax" not in doc.text and "true" not in doc.text
    assert media_type_for("privacy.yaml") == media_type_for("privacy.yml") == "application/yaml"


def test_broken_yaml_is_a_clear_error() -> None:
    from notice_audit.parse import ParseError

    with pytest.raises(ParseError, match=r"^privacy\.yml: not valid YAML: .* at line \d+$"):
        parse("en:\n  title: Privacy\n  body: [unclosed\n", "privacy.yml")
    with pytest.raises(ParseError, match=r"^privacy\.yml: not valid YAML: .*(nest|deep)"):
        parse("[" * 100_000, "privacy.yml")


def test_yaml_aliases_are_read_once() -> None:
    laughs = "a: &a [\"Lowmoor keeps your data safe\"]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    doc = parse(laughs, "privacy.yaml")
    assert [b.text for _, b in doc.blocks()] == ["Lowmoor keeps your data safe"]


# --- JSX / TSX ------------------------------------------------------------------------------------------------------

TSX = """\
import React from "react";
import { Link } from "govuk-react";

const Strings = {
  intro: "Lowmoor Borough Council is the data controller for school admissions.",
};
const heading = "School admissions privacy notice";

export default function PrivacyPage({ t }: { t: (key: string) => string }) {
  const isWelsh = useState<boolean>(false);
  return (
    <Layout title={heading} className="govuk-width-container">
      <h1 className="govuk-heading-xl">{heading}</h1>
      <p className="govuk-body">{Strings.intro}</p>
      {/* the next paragraph is translated */}
      <p>{t("We use your child's details to offer a school place.")}{t("admissions.extra")}</p>
      <H2>Who we share it with</H2>
      <ul className="govuk-list">
        {partners.map((partner) => <li key={partner.id}>{partner.name}</li>)}
        <li>the school you apply to</li>
        <li>
          other councils, when you move{" "}
          <Link href="/moving">between areas</Link>
        </li>
      </ul>
      {isWelsh && <p lang="cy">{t("Rydym yn cadw eich data yn ddiogel.")}</p>}
    </Layout>
  );
}
"""


def test_tsx_component_markup_without_the_code_around_it() -> None:
    doc = parse(TSX, "src/pages/PrivacyPage.tsx")
    assert headings(doc) == [(1, "School admissions privacy notice", 13), (2, "Who we share it with", 17)]
    found = blocks(doc)
    assert found["Lowmoor Borough Council is the data controller for school admissions."].locator.line == 14
    assert found["We use your child's details to offer a school place."].locator.line == 16
    items = [(b.text, b.locator.line) for _, b in doc.blocks() if b.kind == "list_item"]
    assert items == [("the school you apply to", 20), ("other councils, when you move between areas", 21)]
    assert found["Rydym yn cadw eich data yn ddiogel."].locator.line == 26
    for code in ("import", "useState", "partner", "admissions.extra", "className", "=>", "{", "reviewers"):
        assert code not in doc.text


def test_js_file_without_jsx_is_a_string_module_and_with_jsx_a_component() -> None:
    module = 'module.exports = {\n  title: "Cookies notice",\n  body: "We use one cookie to remember your choice."\n}\n'
    doc = parse(module, "cookies-notice.js")
    assert headings(doc) == [(1, "Cookies notice", 2)]
    assert blocks(doc)["We use one cookie to remember your choice."].locator.line == 3
    component = "export const Notice = () => (\n<main>\n<h1>Cookies notice</h1>\n<p>We use one cookie.</p>\n</main>)"
    doc = parse(component, "CookiesNotice.js")
    assert headings(doc) == [(1, "Cookies notice", 3)]
    assert blocks(doc)["We use one cookie."].locator.line == 4


def test_code_inside_jsx_is_neither_markup_nor_a_module_value() -> None:
    from notice_audit.parse.jsscan import JsScan

    scan = JsScan('const a = <div>{ok ? "Yes please" : <b>No</b>}</div>;\nconst b = "After";', jsx=True)
    assert [t.value for t in scan.tokens if t.kind == "str"] == ["After"]
    assert scan.markup == "<div><b>No</b></div>\n"


@pytest.mark.parametrize("opener", ["'", "`${", "/*", "<div a={", "<p>{<q>{"])
def test_scanning_hostile_javascript_terminates(opener: str) -> None:
    from notice_audit.parse.jsscan import JsScan

    source = 'const a = { title: "Lowmoor privacy notice" };\nexport default () => ' + opener * (
        1_000_000 // len(opener)
    )
    scan = JsScan(source, jsx=True)
    assert next(t.value for t in scan.tokens if t.kind == "str") == "Lowmoor privacy notice"
    assert scan.markup.count("\n") == source.count("\n")


# --- Vue, Svelte, MDX -------------------------------------------------------------------------------------------------

VUE = """\
<script setup lang="ts">
const title = "Not the page: script";
const html = `<template><p>nor this</p></template>`;
</script>

<template>
  <main class="govuk-main-wrapper">
    <h1 class="govuk-heading-xl">{{ $t('Bereavement support privacy notice') }}</h1>
    <p v-if="showIntro">{{ $t('bereavement.intro') }}Lowmoor Borough Council is the data controller.</p>
    <template v-if="welsh">
      <p>{{ t("We keep case notes for six years.") }}</p>
    </template>
    <p :class="{ active: isActive }">Count: {{ count }}</p>
  </main>
</template>

<style scoped>
.govuk-main-wrapper { padding: 0 }
</style>
<i18n lang="json">{"en": {"hidden": "Not shown: a custom block"}}</i18n>
"""


def test_vue_template_part_only() -> None:
    doc = parse(VUE, "src/views/BereavementPrivacy.vue")
    assert headings(doc) == [(1, "Bereavement support privacy notice", 8)]
    found = blocks(doc)
    assert found["Lowmoor Borough Council is the data controller."].locator.line == 9
    assert found["We keep case notes for six years."].locator.line == 11
    assert found["Count:"].locator.line == 13
    for code in ("script", "nor this", "padding", "bereavement.intro", "custom block", "{{"):
        assert code not in doc.text


SVELTE = """\
<script>
  import { _ } from 'svelte-i18n';
  export let showSharing = true;
  const brace = "{ not markup }";
</script>

<svelte:head><title>Markets privacy notice</title></svelte:head>
<h1 class="heading">{$_('Markets privacy notice')}</h1>
<p>Lowmoor Borough Council licenses market traders. {$_('markets.intro.extra')}</p>
{#if showSharing}
  <h2>{$_("Who we share it with")}</h2>
  <p title={$_('Tooltip text is not shown')}>We share licence details with {traderCount} other councils.</p>
{:else}
  <p>We do not share your details.</p>
{/if}
{#each items as item}<li>{item.name}</li>{/each}
{@html '<p>You can ask for a copy of your <strong>licence record</strong>.</p>'}
<style>
  h1 { color: red; }
</style>
"""


def test_svelte_blocks_and_expressions() -> None:
    doc = parse(SVELTE, "src/routes/markets/privacy/+page.svelte")
    assert [h[1:] for h in headings(doc)] == [("Markets privacy notice", 8), ("Who we share it with", 11)]
    found = blocks(doc)
    assert found["Lowmoor Borough Council licenses market traders."].locator.line == 9
    assert found["We share licence details with other councils."].locator.line == 12
    assert found["We do not share your details."].locator.line == 14
    assert found["You can ask for a copy of your licence record."].locator.line == 17
    for code in ("import", "showSharing", "markets.intro", "Tooltip", "{", "}", "color", "#if", "item"):
        assert code not in doc.text


MDX = """\
---
title: Website privacy notice
---
import { Callout } from '../components/Callout'
export const meta = {
  author: "Web team",
}

# Website privacy notice

Lowmoor Borough Council runs this website.{/* a comment for editors */} We use {props.cookieCount} cookies.

<Callout type="info">
We keep server logs for 30 days.
</Callout>

## Your rights

You can ask for a copy of your data, as {t("our complaints page explains")}.

```js
const example = { kept: "as written" };
```
"""


def test_mdx_is_markdown_without_its_javascript() -> None:
    doc = parse(MDX, "docs/privacy.mdx")
    assert headings(doc) == [(1, "Website privacy notice", 9), (2, "Your rights", 17)]
    found = blocks(doc)
    assert found["Lowmoor Borough Council runs this website. We use cookies."].locator.line == 11
    assert found["We keep server logs for 30 days."].locator.line == 13
    assert found["You can ask for a copy of your data, as our complaints page explains."].locator.line == 19
    assert 'const example = { kept: "as written" };' in doc.text  # code stays as written
    for code in ("import", "Web team", "comment for editors", "props", "{t("):
        assert code not in doc.text


def test_components_and_mdx_hostile_input_terminate() -> None:
    from notice_audit.parse.components import svelte_markup, vue_markup
    from notice_audit.parse.mdx import strip_mdx

    head = "<p>Lowmoor privacy notice</p>\n"
    for opener in ("{", "{#if ", "<script>", "{'", "{@html "):
        assert svelte_markup(head + opener * (1_000_000 // len(opener))).startswith(head)
    assert vue_markup("<template>" * 100_000 + head).strip() == head.strip()  # unclosed: runs to the end
    for opener in ("{", "`", "```\n", "export {\n"):
        assert strip_mdx(head + opener * (1_000_000 // len(opener))).startswith(head)
