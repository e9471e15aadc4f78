"""JSON from outside (request bodies, uploaded files), read so that no input can break it.

``json.loads`` alone accepts NaN and Infinity (not JSON), guesses UTF-16 and UTF-32, and
raises errors other than ``JSONDecodeError`` for some inputs: ValueError for integers with
thousands of digits, RecursionError for deep nesting. ``parse`` turns all of these into one
``BadJSON`` with a sentence a client can act on."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _


class BadJSON(ValueError):
    """The bytes are not a JSON document this platform reads; ``str()`` says why."""


def _refuse_constant(name: str) -> Any:
    raise BadJSON(_("%(name)s is not a JSON number.") % {"name": name})


def parse(data: bytes) -> Any:
    """The JSON document in ``data`` (UTF-8, RFC 8259), or ``BadJSON``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadJSON(_("The body is not UTF-8 text; JSON must be sent as UTF-8.")) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except BadJSON:
        raise
    except json.JSONDecodeError as exc:
        raise BadJSON(
            _("The body is not valid JSON (line %(line)s, column %(column)s: %(error)s).")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from None
    except ValueError:  # an integer too long to convert (sys.get_int_max_str_digits)
        raise BadJSON(_("The body holds a number with too many digits.")) from None
    except RecursionError:
        raise BadJSON(_("The body is nested too deeply.")) from None
