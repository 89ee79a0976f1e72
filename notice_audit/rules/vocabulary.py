"""Names shared by extractors, checklists and reports (the contract's vocabularies).

Checklists may only name elements and fields listed here; the loader checks
them so that a typo is an error rather than an item that can never be met.
"""

from __future__ import annotations

LAWFUL_BASES: tuple[str, ...] = (
    "consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests",
)
SPECIAL_CATEGORY_CONDITIONS: tuple[str, ...] = (
    "explicit_consent", "employment_social_security", "vital_interests", "not_for_profit", "made_public",
    "legal_claims", "substantial_public_interest", "health_social_care", "public_health",
    "archiving_research_statistics",
)
RIGHTS: tuple[str, ...] = (
    "informed", "access", "rectification", "erasure", "restriction", "portability", "objection",
    "automated_decision_making", "withdraw_consent", "complaint",
)

#: Good-practice elements (``notice_audit/extract/practice/``): dates, outdated law, ICO contact routes,
#: vagueness, plain-language metrics and audience, special category and criminal offence data
#: conditions, law-enforcement processing and broken links (found only when crawling).
PRACTICE_ELEMENTS: tuple[str, ...] = (
    "review_date", "outdated_law", "ico_contact", "vague_recipients", "vague_retention", "plain_language",
    "audience", "special_category_data", "criminal_offence_condition", "schedule_1_condition",
    "appropriate_policy_document", "law_enforcement", "law_enforcement_basis", "broken_link",
)
#: Values of the practice elements that rules and conditions test.
AUDIENCES: tuple[str, ...] = ("children",)
ICO_CONTACT_KINDS: tuple[str, ...] = ("website", "helpline", "address", "email")
OUTDATED_REFERENCES: tuple[str, ...] = (
    "dpa_1998", "data_protection_directive", "safe_harbour", "privacy_shield", "eu_gdpr", "eu_law_applies",
    "gdpr_without_uk_gdpr",
)
#: Metrics a ``metric`` rule may name (attributes of ``plain_language`` findings).
METRICS: tuple[str, ...] = (
    "reading_ease", "grade_level", "words_per_sentence", "sentences_over_20_words", "sentences_over_25_words",
    "jargon_per_100_words",
)

#: Elements an extractor reports, by name (``Finding.element``).
ELEMENTS: frozenset[str] = frozenset({
    "controller_identity", "representative", "dpo_contact", "purposes", "lawful_basis",
    "legitimate_interests", "data_categories", "recipients", "international_transfers", "retention",
    "rights", "withdraw_consent", "complaint_to_ico", "data_source", "statutory_contractual_requirement",
    "automated_decision_making", "special_category_condition", "criminal_offence_data", "statute", "contact",
    # the notice speaks of consent at all (withdrawing it then applies)
    "consent",
    # good practice beyond the legal minimum (extract/practice/)
    *PRACTICE_ELEMENTS,
})

#: Value fields a rule or condition may test: field -> (element, attribute holding the value or None
#: for ``Finding.value``).
FIELDS: dict[str, tuple[str, str | None]] = {
    "lawful_bases": ("lawful_basis", None),
    "special_category_conditions": ("special_category_condition", None),
    "rights": ("rights", None),
    "recipient_categories": ("recipients", "category"),
    "contact_kinds": ("contact", "kind"),
    "contact_roles": ("contact", "role"),
    "audience": ("audience", None),
    "ico_contact_kinds": ("ico_contact", None),
    "outdated_references": ("outdated_law", None),
}
