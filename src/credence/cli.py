"""The ``credence`` console script: Django's management commands under the project's name.

``credence program check``, ``credence demo``, ``credence serve`` and every other command are
management commands of the project's apps, so they are also reachable as
``python -m django <command>`` with DJANGO_SETTINGS_MODULE=credence.settings.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credence.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["credence", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
