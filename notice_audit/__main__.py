"""``python -m notice_audit`` runs the command line."""

from notice_audit.cli import run

run()
