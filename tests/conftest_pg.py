"""The team-sync tests' PostgreSQL: `pg_server`, a throwaway cluster for the whole run (or the
one CI started, named by OOH_DESK_TEST_PG), and `pg_db`, a fresh database per test on it.
No PostgreSQL installed: the tests skip, except in CI (env CI set), where they fail."""

from __future__ import annotations

import itertools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import pg_cluster
import pytest


@dataclass
class PgDatabase:
    """A database of its own for one test: the superuser's URL (Unix socket), and how to
    reach the same database over TCP as a login role with a password."""

    url: str
    name: str
    port: int

    def tcp_url(self, user: str) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{self.name}"

    def admin(self):
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def login_role(self, user: str, password: str) -> str:
        with self.admin() as conn:
            conn.execute(f'drop role if exists "{user}"')
            conn.execute(f"create role \"{user}\" login password '{password}'")
        return self.tcp_url(user)


@pytest.fixture(scope="session")
def pg_server():
    """A libpq URL (the superuser, over the cluster's Unix socket)."""
    given = os.environ.get("OOH_DESK_TEST_PG")
    if given:
        yield given
        return
    if not pg_cluster.installed():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed, and CI must run the team-sync tests "
                        "(.ci/run installs the postgresql package)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql), so the "
                    "team-sync tests cannot run here")
    folder = Path(tempfile.mkdtemp(prefix="ooh-desk-pg-"))
    try:
        url = pg_cluster.start(folder)
    except Exception as exc:  # noqa: BLE001 - say why, in CI fail
        if os.environ.get("CI"):
            pytest.fail(f"could not start a PostgreSQL cluster: {exc}")
        pytest.skip(f"could not start a PostgreSQL cluster: {exc}")
    try:
        yield url
    finally:
        pg_cluster.stop(folder)


_numbers = itertools.count(1)


@pytest.fixture
def pg_db(pg_server):
    import psycopg

    name = f"test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name}")
        conn.execute(f"create database {name}")
    parts = urlsplit(pg_server)
    options = dict(parse_qsl(parts.query))
    port = int(parts.port or options.get("port") or 5432)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))
    yield PgDatabase(url, name, port)
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")
