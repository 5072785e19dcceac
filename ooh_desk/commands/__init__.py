"""Command-line commands that live in their own module (see cli.MODULE_COMMANDS)."""
