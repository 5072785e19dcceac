"""What the benchmarks share: timing one command as a separate process, with our modules'
bytecode compiled as an installed app has it.

A user's install carries compiled bytecode (pip writes it; a frozen bundle ships it), and so
do the floors' libraries in site-packages. A machine that sets PYTHONDONTWRITEBYTECODE would
make every timed run of ours compile the whole package afresh (about 0.3 s here) — a cost no
user pays — so every benchmark imports this module first."""

from __future__ import annotations

import compileall
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
compileall.compile_dir(ROOT / "ooh_desk", quiet=1)


def timed(cmd: list[str]) -> float:
    """Wall-clock seconds for one run of `cmd`, start-up included; fails loudly if it fails."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start
