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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
compileall.compile_dir(ROOT / "ooh_desk", quiet=1)


def timed(cmd: list[str]) -> float:
    """Wall-clock seconds for one run of `cmd`, start-up included; fails loudly if it fails."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


@dataclass(frozen=True)
class Run:
    seconds: float  # wall clock, start-up included
    cpu: float  # user + system seconds of the process
    peak_mb: int


def measured(cmd: list[str]) -> Run:
    """Wall clock, CPU and peak memory of one run of `cmd` as its own process; fails loudly,
    with the command's error output, if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024)
