"""``credence serve``: the production WSGI server (gunicorn), not Django's runserver."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from credence.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve Credence with gunicorn (set WEB_CONCURRENCY for the number of workers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        self.stdout.write(f"Serving Credence on http://{host}:{port}/ (Ctrl+C stops)")
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                # The demo's SQLite file is opened per worker; a short graceful timeout keeps
                # Ctrl+C snappy.
                "graceful_timeout": 5,
            }
        ).run()
