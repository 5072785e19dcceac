"""One module per command-line command. Each has NAME, HELP, `add_arguments(parser)` and
`run(args) -> int`; cli.py imports them all by name, so a missing one fails loudly."""
