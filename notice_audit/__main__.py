"""``python -m notice_audit`` runs the command line."""

import sys

from notice_audit.cli import main

sys.exit(main())
