"""Reading saved reports back (``report.load``): JSON and JSON Lines into the same ``AuditReport``.

The formats that write reports live in :mod:`notice_audit.formats`.
"""
