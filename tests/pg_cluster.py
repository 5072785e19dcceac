"""A throwaway PostgreSQL cluster for the team-sync tests and CI (standard library only, so
.ci/run can start one before the virtual environment exists).

    python3 tests/pg_cluster.py start DIR   # prints the superuser's URL (Unix socket in DIR)
    python3 tests/pg_cluster.py stop DIR

The cluster listens on a Unix socket in DIR (trust, for the superuser `postgres`) and on
127.0.0.1 at the same free port with scram-sha-256, so a wrong password is really refused.
As root it runs as the `postgres` user (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def installed() -> bool:
    return bool(find_bin("initdb") and find_bin("pg_ctl"))


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_of(folder: Path) -> str:
    port = (folder / "port").read_text().strip()
    return f"postgresql://postgres@/postgres?host={folder}&port={port}"


def start(folder: Path) -> str:
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise RuntimeError("PostgreSQL is not installed (initdb and pg_ctl not found)")
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    folder.chmod(0o755)
    subprocess.run(_as_owner([initdb, "-D", str(data), "-U", "postgres", "--auth-local=trust",
                              "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    port = _free_port()
    (folder / "port").write_text(str(port))
    options = (f"-c port={port} -c listen_addresses=127.0.0.1 "
               f"-c unix_socket_directories={folder} -c fsync=off -c max_connections=60")
    subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w",
                              "-o", options, "start"]), check=True, capture_output=True)
    return url_of(folder)


def stop(folder: Path) -> None:
    pg_ctl = find_bin("pg_ctl")
    if pg_ctl and (folder / "data" / "postmaster.pid").exists():
        subprocess.run(_as_owner([pg_ctl, "-D", str(folder / "data"), "-m", "fast", "-w",
                                  "stop"]), capture_output=True)


if __name__ == "__main__":
    verb, where = sys.argv[1], Path(sys.argv[2])
    if verb == "start":
        print(start(where))
    else:
        stop(where)
