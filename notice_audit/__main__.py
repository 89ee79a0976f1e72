"""``python -m notice_audit`` runs the command line."""

from notice_audit.app.cli import run

run()
