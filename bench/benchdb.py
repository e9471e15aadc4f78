"""The database a benchmark runs on: a fresh SQLite file in a temporary directory, or with a
PostgreSQL ``DATABASE_URL`` a throwaway database beside the one named, dropped at the end, so a
benchmark never touches real data. Shared by the benchmarks that need Django."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def bench_database(**environment: str) -> Callable[[], None]:
    """Point Django at a fresh database (and var directory), set it up, and return the
    clean-up to call in the benchmark's ``finally``. ``environment`` adds settings."""
    workdir = tempfile.mkdtemp(prefix="credence-bench-")
    os.environ["CREDENCE_VAR_DIR"] = workdir
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.update(environment)
    throwaway: tuple[str, str] | None = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        import psycopg

        parts = urlsplit(os.environ["DATABASE_URL"])
        name = f"credence_bench_{os.getpid()}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        throwaway = (admin, name)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credence.settings")

    import django

    django.setup()

    def clean_up() -> None:
        from django.db import connections

        connections.close_all()
        if throwaway is not None:
            import psycopg

            admin, name = throwaway
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return clean_up
