"""Output formats: one module per format, each defining a ``FORMAT`` that says everything about it.

``base`` says what a format is, ``registry`` lists the audit report's formats (the one place a format
is registered), ``output`` writes files safely. ``compare``, ``diff`` and ``history`` render other
documents (a comparison, a diff, a trend) with small registries of their own that share the report's
extensions. This file imports nothing, so that ``formats.output`` can be used without loading every
format.
"""
