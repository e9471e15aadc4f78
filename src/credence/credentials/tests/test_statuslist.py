"""Bitstring Status List encoding, and the pure rules for reminders and score bands."""

from __future__ import annotations

import base64
import gzip
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credence.credentials import statuslist
from credence.credentials.policy import CertificateRecord, expiry_reminders_due, score_band


def test_bit_zero_is_the_most_significant_bit_of_the_first_byte():
    encoded = statuslist.encode([(0, 1), (9, 1)])
    assert encoded.startswith("u") and "=" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 == statuslist.LIST_SIZE == 131_072
    assert raw[0] == 0b1000_0000 and raw[1] == 0b0100_0000 and not any(raw[2:])


@given(st.sets(st.integers(min_value=0, max_value=statuslist.LIST_SIZE - 1), max_size=40))
def test_decoding_gives_back_exactly_the_set_bits(indexes):
    bits = statuslist.decode(statuslist.encode((i, 1) for i in indexes))
    probes = indexes | {0, 1, 7, 8, statuslist.LIST_SIZE - 1}
    assert {i for i in probes if statuslist.value_at(bits, i)} == indexes


def test_a_two_bit_entry_starts_at_its_index_times_two_most_significant_bit_first():
    """Bitstring Status List 3.2: the status is at the index multiplied by the status size;
    entry 0 with 0x2 (revoked) is bit 0, entry 1 with 0x1 (suspended) is bit 3, entry 3 with
    0x3 is bits 6 and 7. A two-bit list holds 131,072 entries in 32 KiB."""
    encoded = statuslist.encode([(0, 2), (1, 1), (3, 3)], status_size=2)
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 == 2 * statuslist.LIST_SIZE
    assert raw[0] == 0b1001_0011 and not any(raw[1:])
    bits = statuslist.decode(encoded, status_size=2)
    assert [statuslist.value_at(bits, i, 2) for i in range(5)] == [2, 1, 0, 3, 0]


@given(
    st.dictionaries(
        st.integers(min_value=0, max_value=statuslist.LIST_SIZE - 1),
        st.integers(min_value=1, max_value=3),
        max_size=40,
    )
)
def test_decoding_a_two_bit_list_gives_back_exactly_the_values(values):
    bits = statuslist.decode(statuslist.encode(values.items(), status_size=2), status_size=2)
    probes = set(values) | {0, 1, 7, 8, statuslist.LIST_SIZE - 1}
    assert {i: statuslist.value_at(bits, i, 2) for i in probes} == {
        i: values.get(i, 0) for i in probes
    }


def test_short_or_foreign_lists_are_refused():
    with pytest.raises(statuslist.StatusListError, match="fewer than"):
        statuslist.decode(statuslist.encode([], entries=8 * 1024))
    # a one-bit list of 131,072 entries is half the entries a two-bit list needs
    with pytest.raises(statuslist.StatusListError, match="fewer than"):
        statuslist.decode(statuslist.encode([]), status_size=2)
    with pytest.raises(statuslist.StatusListError, match="prefix"):
        statuslist.decode("zabc")
    with pytest.raises(statuslist.StatusListError):
        statuslist.encode([(statuslist.LIST_SIZE, 1)])
    with pytest.raises(statuslist.StatusListError, match="does not fit"):
        statuslist.encode([(0, 4)], status_size=2)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("70", "70\u201379"),
        ("79.99", "70\u201379"),
        ("84", "80\u201389"),
        ("90", "90\u2013100"),
        ("100", "90\u2013100"),
    ],
)
def test_score_bands(score, band):
    assert score_band(Decimal(score)) == band


CERT = CertificateRecord("nlp", date(2026, 5, 7), date(2031, 5, 7))
THRESHOLDS = (180, 90, 30)


def test_reminders_at_each_threshold_once():
    assert expiry_reminders_due(CERT, THRESHOLDS, [], date(2030, 11, 1)) == []
    assert expiry_reminders_due(CERT, THRESHOLDS, [], date(2031, 2, 6)) == [90]  # 90 days left
    assert expiry_reminders_due(CERT, THRESHOLDS, [180, 90], date(2031, 2, 6)) == []
    assert expiry_reminders_due(CERT, THRESHOLDS, [180, 90], date(2031, 4, 7)) == [30]


def test_a_late_first_run_sends_only_the_nearest_reminder():
    assert expiry_reminders_due(CERT, THRESHOLDS, [], date(2031, 4, 20)) == [30]


def test_no_reminder_for_an_expired_or_revoked_certificate():
    revoked = CertificateRecord("nlp", date(2026, 5, 7), date(2031, 5, 7), date(2031, 1, 1))
    assert expiry_reminders_due(CERT, THRESHOLDS, [], date(2031, 5, 8)) == []
    assert expiry_reminders_due(revoked, THRESHOLDS, [], date(2031, 4, 20)) == []
