"""Reads compiled once (decision 0047): the rows are the ORM's own, for every value, on both
databases; only the building is not repeated."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from credence.accounts.models import User
from credence.audit.api import record
from credence.audit.models import AuditEvent
from credence.billing.models import Fund
from credence.core.compiled import CompiledRead, model_columns

pytestmark = pytest.mark.django_db


def _users(count: int) -> list[User]:
    return [
        User.objects.create_user(f"p{n}@example.invalid", None, full_name=f"Person {n}")
        for n in range(count)
    ]


def test_the_rows_are_the_orms_for_each_value_and_the_query_is_built_once():
    built: list[int] = []

    def build(pk: int) -> object:
        built.append(pk)
        return User.objects.filter(pk=pk).values_list("email", "date_joined", "is_active")

    read = CompiledRead(build)
    for user in _users(3):
        orm = list(User.objects.filter(pk=user.pk).values_list("email", "date_joined", "is_active"))
        with CaptureQueriesContext(connection) as queries:
            assert read.rows(user.pk) == orm
        assert len(queries) == 1  # counted like any other statement
    assert read.rows(-1) == []  # no such row
    assert len(built) == 1  # built with marker values, once


def test_two_values_go_where_the_read_uses_them():
    first, second, third = _users(3)
    read = CompiledRead(
        lambda low, high: (
            User.objects.filter(pk__gte=low, pk__lte=high).order_by("pk").values_list("email")
        )
    )
    assert read.rows(first.pk, second.pk) == [(first.email,), (second.email,)]
    assert read.rows(second.pk, third.pk) == [(second.email,), (third.email,)]
    assert read.rows(third.pk, first.pk) == []


def test_values_are_converted_as_the_orm_converts_them():
    """Decimals (SQLite stores them as text or real) and JSON (read as text on PostgreSQL)
    come back as the ORM gives them."""
    Fund.objects.create(code="subsidy", currency="EUR", balance=Decimal("12.50"))
    [(balance,)] = CompiledRead(lambda: Fund.objects.values_list("balance")).rows()
    assert balance == Decimal("12.50") and isinstance(balance, Decimal)
    [user] = _users(1)
    columns = ("after", "at")
    events = CompiledRead(
        lambda pk: AuditEvent.objects.filter(subject_user=pk).values_list(*columns)
    )
    record(action="person.noted", subject=user, actor=None, subject_user=user, after={"n": [1]})
    assert events.rows(user.pk) == list(
        AuditEvent.objects.filter(subject_user=user).values_list(*columns)
    )
    assert events.rows(user.pk)[0][0] == {"n": [1]}


def test_a_read_that_does_not_use_its_value_is_refused():
    read = CompiledRead(lambda pk: User.objects.values_list("pk"))
    with pytest.raises(ValueError, match="does not use each of its 1 values"):
        read.rows(1)


def test_a_locking_read_locks_inside_the_callers_transaction():
    """``select_for_update`` is kept: on PostgreSQL the statement ends in FOR UPDATE (SQLite
    has no row locks; its transactions take the database's write lock instead)."""
    [user] = _users(1)
    read = CompiledRead(lambda pk: User.objects.select_for_update().filter(pk=pk).values_list("pk"))
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert read.rows(user.pk) == [(user.pk,)]
    if connection.features.has_select_for_update:
        assert queries[-1]["sql"].rstrip().endswith("FOR UPDATE")


def test_rows_become_model_instances_with_the_columns_read():
    fund = Fund.objects.create(code="subsidy", currency="EUR", balance=Decimal("3.00"))
    columns = model_columns(Fund, "balance", "id")  # any order in, the model's order out
    assert columns == ("id", "balance")
    [row] = CompiledRead(lambda pk: Fund.objects.filter(pk=pk).values_list(*columns)).rows(fund.pk)
    read = Fund.from_db(connection.alias, columns, row)
    assert (read.pk, read.balance) == (fund.pk, Decimal("3.00"))
    with CaptureQueriesContext(connection) as queries:
        assert read.currency == "EUR"  # a column not read is read when asked for
    assert len(queries) == 1


def test_an_unknown_column_is_named():
    with pytest.raises(ValueError, match="Fund has no column colour"):
        model_columns(Fund, "balance", "colour")


class CompiledReadProperties(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.decimals(min_value=0, max_value=9999, places=2), max_size=6))
    def test_sums_read_compiled_equal_the_orms(self, amounts: list[Decimal]) -> None:
        Fund.objects.all().delete()
        for n, amount in enumerate(amounts):
            Fund.objects.create(code=f"f{n}", currency="EUR", balance=amount)
        read = CompiledRead(lambda: Fund.objects.order_by("code").values_list("code", "balance"))
        assert read.rows() == list(Fund.objects.order_by("code").values_list("code", "balance"))
