from __future__ import annotations

import tomllib

from credence.catalog.tomllocate import TomlLocator

TEXT = '''\
title = "x"  # line 1
[a]
b.c = 1
text = """
several
lines"""
after = 2

[[items]]
code = "one"
[items.extra]
deep = { k = 1, m = [
  10,
  { n = 2 },
] }

[[items]]
code = "two"
list = ["p", 'q', """r"""]

[[items.sub]]
x = 1
[[items.sub]]
x = 2
'''


def test_the_sample_is_valid_toml():
    tomllib.loads(TEXT)


def test_keys_tables_and_entries_have_their_lines():
    at = TomlLocator(TEXT).line_for

    assert at(("title",)) == 1
    assert at(("a",)) == 2
    assert at(("a", "b", "c")) == 3
    assert at(("a", "after")) == 7  # found after a multi-line string
    assert at(("items", 0)) == 9
    assert at(("items", 0, "extra", "deep", "m", 1, "n")) == 14
    assert at(("items", 0, "extra", "deep", "m", 0)) == 13
    assert at(("items", 1, "code")) == 18
    assert at(("items", 1, "list", 2)) == 19
    assert at(("items", 1, "sub", 1, "x")) == 24


def test_an_unwritten_key_falls_back_to_its_table():
    at = TomlLocator(TEXT).line_for

    assert at(("items", 1, "missing")) == 17
    assert at(("nowhere",)) is None


def test_the_key_written_on_a_line():
    locator = TomlLocator(TEXT)

    assert locator.loc_at_line(18) == ("items", 1, "code")
    assert locator.loc_at_line(8) == ()


def test_malformed_text_does_not_break_the_locator():
    locator = TomlLocator('[a]\nb = "unterminated\nc = [1, 2\n[[')

    assert locator.line_for(("a", "b")) == 2
