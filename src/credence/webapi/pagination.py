"""Lists answer ``{"items": [...], "count": n}`` and take ``limit`` (1-100, default 50) and
``offset`` (0-1,000,000). The bounds keep every database's OFFSET in range: an unbounded
offset (2**64) is a server error on SQLite, not a page."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
