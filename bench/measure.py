"""What the benchmarks share: timing one command as a separate process."""

from __future__ import annotations

import subprocess
import time


def timed(cmd: list[str]) -> float:
    """Wall-clock seconds for one run of `cmd`, start-up included; fails loudly if it fails."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start
