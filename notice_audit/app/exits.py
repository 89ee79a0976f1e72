"""The exit codes (contract, ``docs/usage.md``): a module of its own, so that the command line names them without
importing what a run does."""

EXIT_OK, EXIT_GATE, EXIT_USAGE = 0, 1, 2
