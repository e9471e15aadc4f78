"""Where in a TOML text a key path was written, so that schema errors can name a line.

``tomllib`` returns plain dicts and lists without positions, and pydantic reports a key path
such as ``("certifications", 2, "kind")``. This module scans the text once and remembers the
line on which each key, table header, array-of-tables entry and array element starts. It is a
best-effort reader for text that ``tomllib`` has already accepted (it never raises): on
malformed text it still gives the key written on a line, which is enough to name the key at
the line tomllib complains about.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from contextlib import suppress

Loc = tuple[str | int, ...]


def format_path(loc: Loc) -> str:
    """A key path as written in the file: ``certifications[2].kind``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else f'"{part}"'
            text += f".{key}" if text else key
    return text


_BARE_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class TomlLocator:
    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self._lines: dict[Loc, int] = {}
        # array-of-tables path -> how many entries have been opened so far
        self._arrays: dict[Loc, int] = {}
        # on malformed text the scan may run off the end: keep what was found
        with suppress(IndexError):
            self._scan_document()

    def line_for(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest enclosing key or table that was written."""
        loc = tuple(loc)
        while loc:
            if loc in self._lines:
                return self._lines[loc]
            loc = loc[:-1]
        return None

    def loc_at_line(self, line: int) -> Loc:
        """The most specific key path written on ``line`` (``()`` if none)."""
        found = [loc for loc, at in self._lines.items() if at == line]
        return max(found, key=len, default=())

    # -- scanning -----------------------------------------------------------------------------

    def _line(self, pos: int | None = None) -> int:
        return bisect_right(self._line_starts, self._pos if pos is None else pos)

    def _peek(self, offset: int = 0) -> str:
        at = self._pos + offset
        return self._text[at] if at < len(self._text) else ""

    def _record(self, loc: Loc, *, overwrite: bool = False) -> None:
        if overwrite:
            self._lines[loc] = self._line()
        else:
            self._lines.setdefault(loc, self._line())

    def _skip_blank(self, *, newlines: bool) -> None:
        while self._pos < len(self._text):
            ch = self._text[self._pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self._pos += 1
            elif ch == "#":
                while self._pos < len(self._text) and self._text[self._pos] != "\n":
                    self._pos += 1
            else:
                return

    def _skip_line(self) -> None:
        while self._pos < len(self._text) and self._text[self._pos] != "\n":
            self._pos += 1

    def _scan_document(self) -> None:
        prefix: Loc = ()
        while True:
            self._skip_blank(newlines=True)
            if self._pos >= len(self._text):
                return
            start = self._pos
            if self._peek() == "[":
                prefix = self._scan_header()
            else:
                keys = self._scan_key()
                self._skip_blank(newlines=False)
                if keys and self._peek() == "=":
                    self._record_key(prefix, keys)
                    self._pos += 1
                    self._scan_value((*prefix, *keys))
            if self._pos == start:  # nothing understood here: move on rather than loop
                self._skip_line()

    def _scan_header(self) -> Loc:
        is_array = self._peek(1) == "["
        self._pos += 2 if is_array else 1
        self._skip_blank(newlines=False)
        parts = self._scan_key()
        self._skip_line()
        resolved: Loc = ()
        for part in parts[:-1] if is_array else parts:
            resolved = (*resolved, part)
            self._record(resolved)
            if resolved in self._arrays:  # [a.b] inside [[a]] means the last entry of a
                resolved = (*resolved, self._arrays[resolved] - 1)
        if not is_array:
            self._record(resolved, overwrite=True)
            return resolved
        array = (*resolved, parts[-1]) if parts else resolved
        self._record(array)
        count = self._arrays.get(array, 0)
        self._arrays[array] = count + 1
        entry = (*array, count)
        self._record(entry, overwrite=True)
        return entry

    def _scan_key(self) -> list[str]:
        """A possibly dotted key; stops before ``=``, ``]`` or the end of the line."""
        parts: list[str] = []
        while True:
            self._skip_blank(newlines=False)
            ch = self._peek()
            if ch in ('"', "'"):
                parts.append(self._scan_string())
            elif ch and ch in _BARE_KEY_CHARS:
                start = self._pos
                while self._peek() and self._peek() in _BARE_KEY_CHARS:
                    self._pos += 1
                parts.append(self._text[start : self._pos])
            else:
                return parts
            self._skip_blank(newlines=False)
            if self._peek() != ".":
                return parts
            self._pos += 1

    def _record_key(self, prefix: Loc, keys: list[str]) -> None:
        for depth in range(1, len(keys) + 1):
            self._record((*prefix, *keys[:depth]))

    def _scan_value(self, loc: Loc) -> None:
        self._skip_blank(newlines=False)
        ch = self._peek()
        if ch in ('"', "'"):
            self._scan_string()
        elif ch == "[":
            self._scan_array(loc)
        elif ch == "{":
            self._scan_inline_table(loc)
        else:  # number, boolean, date: runs to a delimiter
            while self._peek() and self._peek() not in ",]}\n#":
                self._pos += 1

    def _scan_array(self, loc: Loc) -> None:
        self._pos += 1
        index = 0
        while self._pos < len(self._text):
            self._skip_blank(newlines=True)
            if self._peek() in ("]", ""):
                self._pos += 1
                return
            start = self._pos
            self._record((*loc, index))
            self._scan_value((*loc, index))
            self._skip_blank(newlines=True)
            if self._peek() == ",":
                self._pos += 1
                index += 1
            elif self._pos == start:
                self._pos += 1  # unexpected character: step over it

    def _scan_inline_table(self, loc: Loc) -> None:
        self._pos += 1
        while self._pos < len(self._text):
            self._skip_blank(newlines=True)
            if self._peek() in ("}", ""):
                self._pos += 1
                return
            start = self._pos
            keys = self._scan_key()
            self._skip_blank(newlines=False)
            if keys and self._peek() == "=":
                self._record_key(loc, keys)
                self._pos += 1
                self._scan_value((*loc, *keys))
            self._skip_blank(newlines=True)
            # step over the comma, or over a character not understood
            if self._peek() == "," or self._pos == start:
                self._pos += 1

    def _scan_string(self) -> str:
        quote = self._peek()
        triple = self._text.startswith(quote * 3, self._pos)
        self._pos += 3 if triple else 1
        start = self._pos
        while self._pos < len(self._text):
            ch = self._text[self._pos]
            if ch == "\\" and quote == '"':
                self._pos += 2
                continue
            if triple and self._text.startswith(quote * 3, self._pos):
                # a closing delimiter may be preceded by up to two quotes of the content
                while self._text.startswith(quote * 4, self._pos):
                    self._pos += 1
                value = self._text[start : self._pos]
                self._pos += 3
                return value
            if not triple and ch in (quote, "\n"):
                value = self._text[start : self._pos]
                self._pos += 1
                return value
            self._pos += 1
        return self._text[start:]
