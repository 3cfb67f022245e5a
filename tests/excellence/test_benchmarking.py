"""The benchmarking report on a generated population of 1,000 assessments, checked against a
plain numpy computation; the minimum group size; the recommendation rules; the trend."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import override_settings

from clusterobs.excellence import benchmarking
from clusterobs.excellence.benchmarking import AGE_BANDS, SIZE_BANDS, band
from clusterobs.excellence.models import Assessment
from tests.excellence.conftest import generate_population

pytestmark = pytest.mark.django_db


def _expected(values: np.ndarray, x: float, lower: bool) -> float:
    """Percentile rank, 'mean' convention, written out independently of the module."""
    v = values[~np.isnan(values)]
    p = (np.sum(v < x) + np.sum(v <= x)) / 2 / len(v) * 100
    return 100 - p if lower else p


def test_report_matches_numpy_on_1000_assessments(frameworks):
    fw = frameworks["cluster-benchmark"]
    rows = generate_population(fw, 1000)
    keys = list(fw.indicators.order_by("position").values_list("key", flat=True))
    lower = {k for k, b in fw.indicators.values_list("key", "better") if b == "lower"}
    matrix = np.array([[r.scores.get(k, np.nan) for k in keys] for r in rows], dtype=float)
    checked = 0
    for own in (rows[0], rows[500], rows[999]):
        own = Assessment.objects.get(pk=own.pk)
        report = benchmarking.report(own)
        members = {
            "all": np.ones(len(rows), bool),
            "country": np.array([r.country == own.country for r in rows]),
            "sector": np.array([r.sector == own.sector for r in rows]),
            "age": np.array(
                [band(r.age_years, AGE_BANDS) == band(own.age_years, AGE_BANDS) for r in rows]
            ),
            "size": np.array(
                [band(r.members, SIZE_BANDS) == band(own.members, SIZE_BANDS) for r in rows]
            ),
        }
        for group in report.groups:
            assert group.size == int(members[group.key].sum())
            assert not group.hidden  # every group of 1,000 random rows has >= 10 members
        for j, result in enumerate(report.indicators):
            assert result.indicator.key == keys[j]
            x = own.scores.get(keys[j])
            for gkey, mask in members.items():
                pos = result.positions[gkey]
                column = matrix[mask, j]
                assert pos.n == int(np.sum(~np.isnan(column)))
                if x is None:
                    assert pos.percentile is None
                    continue
                expected = _expected(column, x, keys[j] in lower)
                assert pos.percentile == pytest.approx(round(expected, 1), abs=0.051)
                quant = np.percentile(column[~np.isnan(column)], [10, 25, 50, 75, 90])
                assert list(pos.quantiles) == pytest.approx(quant.tolist(), abs=0.0051)
                checked += 1
    assert checked > 3 * 36 * 5 * 0.8


def test_bands_of_many_values_agree_with_one_at_a_time():
    from clusterobs.excellence.benchmarking import bands

    values = [None, 0, 4, 5, 9, 10, 19, 20, 75, 49, 50, 149, 150, 499, 500, 5000]
    for table in (AGE_BANDS, SIZE_BANDS):
        assert bands(values, table).tolist() == [band(v, table) for v in values]


def test_groups_under_the_minimum_are_hidden(frameworks):
    fw = frameworks["cluster-benchmark"]
    rows = generate_population(fw, 30, countries=("DE",))
    # nine organisations in IN: below the default minimum of ten
    for r in rows[:9]:
        r.country = "IN"
    Assessment.objects.bulk_update(rows[:9], ["country"])
    report = benchmarking.report(Assessment.objects.get(pk=rows[0].pk))
    country = report.group("country")
    assert country.hidden and country.reason
    assert "country" not in report.indicators[0].positions
    assert report.as_dict()["groups"][1]["size"] is None  # the size of a hidden group is not shown
    assert not report.group("all").hidden
    # the tenth organisation makes the group visible
    rows[9].country = "IN"
    Assessment.objects.bulk_update([rows[9]], ["country"])
    Assessment.objects.filter(pk=rows[9].pk).update(
        submitted_at=rows[9].submitted_at.replace(year=2027)
    )
    report = benchmarking.report(Assessment.objects.get(pk=rows[0].pk))
    assert not report.group("country").hidden and report.group("country").size == 10


@override_settings(EXCELLENCE_MIN_GROUP_SIZE=50)
def test_minimum_group_size_is_a_setting(frameworks):
    fw = frameworks["cluster-benchmark"]
    rows = generate_population(fw, 40)
    report = benchmarking.report(Assessment.objects.get(pk=rows[0].pk))
    assert all(g.hidden for g in report.groups)
    assert all(not r.positions for r in report.indicators)
    assert report.findings == [] or all(f.kind == "recommendation" for f in report.findings)


def test_a_position_from_too_few_answers_is_hidden(frameworks):
    fw = frameworks["cluster-benchmark"]
    rows = generate_population(fw, 20)
    for r in rows[1:12]:
        r.scores.pop("awards", None)
        r.save()
    own = Assessment.objects.get(pk=rows[0].pk)
    own.scores["awards"] = 3.0
    own.save()
    report = benchmarking.report(own)
    awards = next(r for r in report.indicators if r.indicator.key == "awards")
    assert awards.positions["all"].n < 10 and awards.positions["all"].percentile is None


def test_recommendation_rules_name_the_values_that_triggered_them(frameworks):
    fw = frameworks["cluster-benchmark"]
    rows = generate_population(fw, 40)
    own = Assessment.objects.get(pk=rows[0].pk)
    own.scores.update(
        {
            "management_fte": 1.0,
            "public_funding_share": 85.0,
            "strategy_written": 0.0,
            "members_total": 0.0,
            "success_stories": 4.0,
        }
    )
    own.save()
    report = benchmarking.report(own)
    recs = {f.indicator: f for f in report.findings if f.kind == "recommendation"}
    assert recs["management_fte"].trigger == "1 FTE < 2 FTE"
    assert recs["public_funding_share"].trigger == "85 % > 70 %"
    assert recs["strategy_written"].trigger == "answered no"
    assert "members_total" in recs and "percentile" in recs["members_total"].trigger
    assert "(n=" in recs["members_total"].trigger
    assert "success_stories" not in recs  # 4 stories: its rule (value_lt:1) does not hold
    weak = {f.indicator for f in report.findings if f.kind == "weakness"}
    assert "members_total" in weak and "management_fte" not in {
        f.indicator for f in report.findings if f.kind == "strength"
    }


def test_lower_is_better_reverses_the_position(frameworks):
    fw = frameworks["cluster-benchmark"]
    rows = generate_population(fw, 30)
    own = Assessment.objects.get(pk=rows[0].pk)
    own.scores["public_funding_share"] = 0.0  # the least dependent on public money
    own.save()
    result = next(
        r for r in benchmarking.report(own).indicators if r.indicator.key == "public_funding_share"
    )
    assert result.positions["all"].percentile > 95


def test_trend_against_the_previous_assessment(frameworks):
    fw = frameworks["cluster-benchmark"]
    rows = generate_population(fw, 20)
    own = Assessment.objects.get(pk=rows[0].pk)
    earlier = Assessment.objects.create(
        organisation=own.organisation,
        framework=fw,
        year=2024,
        status="submitted",
        submitted_at=own.submitted_at,
        scores={**own.scores, "management_fte": 2.0, "public_funding_share": 90.0},
    )
    own.scores.update({"management_fte": 5.0, "public_funding_share": 95.0})
    own.save()
    report = benchmarking.report(own)
    assert report.trend_years == [earlier.year]
    by_key = {r.indicator.key: r for r in report.indicators}
    assert by_key["management_fte"].change == 3.0 and by_key["management_fte"].improved is True
    assert by_key["public_funding_share"].improved is False  # lower is better


def test_ordinals():
    from clusterobs.excellence.benchmarking import ordinal

    assert [ordinal(p) for p in (1, 2, 3, 4, 11, 12, 13, 21, 22.4, 100)] == [
        f"{x} percentile"
        for x in ("1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "100th")
    ]
