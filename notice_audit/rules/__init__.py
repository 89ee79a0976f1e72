"""Checklists, the rule engine and scoring."""
