"""Reads compiled once per process: the ORM builds the query the first time it runs, and each
later run only sends the SQL with new values (decision 0047).

On a booking, building and compiling a small query cost the ORM as much time as PostgreSQL
took to run it (about 0.3 ms each, issue 14). A ``CompiledRead`` keeps the SQL the ORM wrote
and the converters it would apply, so the statement, its rows and the queries a test counts
are the ORM's own; only the building is not repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

# The values a read is built with, marking where each argument goes among the statement's
# parameters: negative, so that they are no row's key, and within 32 bits, so that Django
# keeps them as given (it turns an exact lookup with an out-of-range integer into no rows).
_MARKS = tuple(-2_000_000_001 - n for n in range(4))

Converters = list[tuple[int, list[Callable[..., Any]], Any]]


def model_columns(model: type[Model], *names: str) -> tuple[str, ...]:
    """``names`` in the order of ``model``'s fields, the order ``Model.from_db`` reads a row
    of some columns in: for a read whose rows become model instances (the other columns are
    read when something asks for them)."""
    ordered = tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)
    if len(ordered) != len(names):
        unknown = sorted(set(names) - set(ordered))
        raise ValueError(f"{model.__name__} has no column {', '.join(unknown)}")
    return ordered


class CompiledRead:
    """A read of a few columns (``values_list``) whose only varying inputs are integers,
    such as a candidate's or a session's key. ``build`` takes those integers and returns the
    queryset; it is called once per database vendor, with marker values."""

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self._build = build
        self._compiled: dict[str, tuple[str, list[Any], list[int | None], Converters]] = {}

    def _compile(self, arity: int) -> tuple[str, list[Any], list[int | None], Converters]:
        queryset = self._build(*_MARKS[:arity])
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        where = [
            _MARKS.index(value) if type(value) is int and value in _MARKS else None
            for value in params
        ]
        if sorted({slot for slot in where if slot is not None}) != list(range(arity)):
            raise ValueError(f"the read does not use each of its {arity} values as given: {sql}")
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = [
            (position, functions, expression)
            for position, (functions, expression) in compiler.get_converters(columns).items()
        ]
        compiled = (sql, list(params), where, converters)
        self._compiled[connection.vendor] = compiled
        return compiled

    def rows(self, *values: int) -> list[tuple[Any, ...]]:
        """The rows for ``values``, converted as the ORM would (decimals, dates on SQLite)."""
        compiled = self._compiled.get(connection.vendor) or self._compile(len(values))
        sql, params, where, converters = compiled
        given = [
            param if slot is None else values[slot]
            for param, slot in zip(params, where, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, given)
            rows = cursor.fetchall()
        if not converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, expression in converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted
