"""One module per command-line command. Each has NAME, HELP, `add_arguments(parser)` and
`run(args) -> int`; cli.py lists them by module name and loads only the one a command line
names (every one for --help); tests/test_readme.py checks that each is listed."""
