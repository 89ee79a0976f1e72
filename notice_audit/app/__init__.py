"""The application: the command line (``cli``), an unattended run end to end (``run``), settings
(``config``), the run history (``history``), ``--changed-since`` (``changed``), progress lines
(``progress``) and signals (``interrupt``). The library (``notice_audit.Auditor`` and what it builds
on) knows nothing of these."""
