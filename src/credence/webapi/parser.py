"""How the API reads a JSON request body: through ``credence.core.jsonin`` like every other
JSON from outside (docs/security.md).

ninja's default parser is ``json.loads(request.body)``, which takes UTF-16 and UTF-32 bodies
(RFC 8259 requires UTF-8) and NaN and Infinity (not JSON). ``jsonin`` refuses those, and also
turns a number with thousands of digits and deep nesting into the same ``BadJSON``. ninja
answers any parser exception with a 400 whose cause is that exception; the problem-details
handler puts its sentence in ``detail`` (``credence.webapi.problems``).
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny

from credence.core import jsonin


class StrictJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        # Not necessarily a dict: the operation's schema refuses other documents with a 422.
        return cast(DictStrAny, jsonin.parse(request.body))
