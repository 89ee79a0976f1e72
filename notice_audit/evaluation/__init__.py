"""``notice-audit evaluate``: accuracy against hand-made labels, beside a keyword floor.

For every labelled document the audit's verdict on each item is compared with
the label: "present" (met or partial, i.e. the text states it or points to
it) against "missing" (what an auditor would flag). Each class gets its own
precision, recall and F1 per item, then macro averages. Values (lawful bases,
rights, emails, phones, postcodes) are compared as (document, value) pairs.

Where a class never occurs in the labels and is never predicted (no label has
an Art 27 representative, and none is found), its F1 counts as 1.0: there was
nothing to find and nothing was wrongly found. Where it never occurs in the labels but is
predicted, its F1 is 0.0 (false alarms only). Tables mark both (``*`` and ``†``): the figure
printed is the one the macro F1 averages, and the mark says why it is that figure.
"""

from __future__ import annotations

from notice_audit.evaluation.corpus import evaluate_corpus, find_document, keyword_predict, normalise_value, predict
from notice_audit.evaluation.render import render_disagreements, render_splits, render_table
from notice_audit.evaluation.scores import VALUE_FIELDS, Counts, Evaluation, Scores
from notice_audit.evaluation.splits import (
    STANDARD_REFERENCE,
    STANDARD_SPLITS,
    MultiEvaluation,
    Split,
    SplitError,
    evaluate_splits,
    parse_split,
    standard_splits,
)

__all__ = [
    "STANDARD_REFERENCE",
    "STANDARD_SPLITS",
    "VALUE_FIELDS",
    "Counts",
    "Evaluation",
    "MultiEvaluation",
    "Scores",
    "Split",
    "SplitError",
    "evaluate_corpus",
    "evaluate_splits",
    "find_document",
    "keyword_predict",
    "normalise_value",
    "parse_split",
    "predict",
    "render_disagreements",
    "render_splits",
    "render_table",
    "standard_splits",
]
