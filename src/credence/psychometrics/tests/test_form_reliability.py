"""The reliability of the form a candidate sat, as their credential states it (decision
0054): KR-20 over real sittings, computed again here from the stored responses."""

from __future__ import annotations

import numpy as np

from credence.exams.models import Response, Sitting
from credence.psychometrics import api


def shares_table(sittings: list[Sitting]) -> np.ndarray:
    rows = []
    for sitting in sittings:
        right = dict(
            Response.objects.filter(sitting=sitting).values_list("position", "answer__choice")
        )
        rows.append([1.0 if right.get(p) == 0 else 0.0 for p in range(len(sitting.form))])
    return np.array(rows)


def kr20(table: np.ndarray) -> float:
    k = table.shape[1]
    return k / (k - 1) * (1 - table.var(axis=0, ddof=1).sum() / table.sum(axis=1).var(ddof=1))


def test_drawn_forms_of_one_length_are_counted_as_randomly_parallel(sit_session):
    session = sit_session(12, seed=3, factory=True)
    sittings = list(Sitting.objects.filter(booking__session=session).order_by("pk"))
    assert len({tuple(sorted(e["version"] for e in s.form)) for s in sittings}) > 1
    figure = api.form_reliability("ml-expert", sittings[0].pk)
    assert figure is not None
    assert figure.method == "KR-20 of the session's randomly parallel forms"
    assert figure.sittings == 12
    assert abs(figure.value - kr20(shares_table(sittings))) < 1e-9


def test_no_figure_for_a_sitting_that_is_not_there_or_alone(sit_session):
    session = sit_session(1, seed=1, factory=True)
    [sitting] = Sitting.objects.filter(booking__session=session)
    assert api.form_reliability("ml-expert", sitting.pk) is None
    assert api.form_reliability("ml-expert", 10**9) is None
