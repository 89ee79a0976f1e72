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

#: Elements an extractor reports, by name (``Finding.element``).
ELEMENTS: frozenset[str] = frozenset({
    "controller_identity", "representative", "dpo_contact", "purposes", "lawful_basis",
    "legitimate_interests", "data_categories", "recipients", "international_transfers", "retention",
    "rights", "withdraw_consent", "complaint_to_ico", "data_source", "statutory_contractual_requirement",
    "automated_decision_making", "special_category_condition", "criminal_offence_data", "statute", "contact",
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
}
