"""The frozen app's entry point: the same `ooh-desk` command line as the installed script."""

import sys

from ooh_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
