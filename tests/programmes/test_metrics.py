"""Indicator arithmetic, measurement import (all or nothing) and the firm survey panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from clusterobs.imports.errors import ImportValidationError
from clusterobs.programmes import selectors, services
from clusterobs.programmes.metrics import progress
from clusterobs.programmes.models import Measurement

D = Decimal


@pytest.mark.parametrize(
    ("baseline", "target", "latest", "direction", "change", "pct", "attain", "improved", "met"),
    [
        ("100", "150", "125", "higher", "25", "25.00", "50.00", True, False),
        ("100", "150", "160", "higher", "60", "60.00", "120.00", True, True),
        ("100", "150", "90", "higher", "-10", "-10.00", "-20.00", False, False),
        ("10", "8", "9", "lower", "-1", "-10.00", "50.00", True, False),
        ("10", "8", "7.5", "lower", "-2.5", "-25.00", "125.00", True, True),
        ("10", "8", "11", "lower", "1", "10.00", "-50.00", False, False),
        ("0", "5", "2", "higher", "2", None, "40.00", True, False),
        ("5", "5", "6", "higher", "1", "20.00", None, True, True),
    ],
)
def test_progress(baseline, target, latest, direction, change, pct, attain, improved, met):
    p = progress(baseline=D(baseline), target=D(target), latest=D(latest), direction=direction)
    assert p.change == D(change)
    assert p.percent_change == (D(pct) if pct else None)
    assert p.attainment_percent == (D(attain) if attain else None)
    assert p.improved is improved and p.target_met is met


def test_progress_without_measurement_or_bad_direction():
    p = progress(baseline=D(1), target=D(2), latest=None, direction="higher")
    assert p.change is None and p.attainment_percent is None and p.target_met is None
    with pytest.raises(ValueError):
        progress(baseline=D(1), target=D(2), latest=D(1), direction="up")


def _track(programme, users):
    initiative = programme["initiative"]
    for key, base, target in (("employment", 5000, 6000), ("energy-intensity", 12, 10)):
        services.track_indicator(
            user=users["manager"], initiative=initiative, indicator_key=key,
            baseline=D(base), baseline_date=dt.date(2020, 4, 1), baseline_source="DSR",
            target=D(target), target_date=dt.date(2024, 3, 31),
        )  # fmt: skip
    return initiative


def test_import_measurements_all_or_nothing(programme, users, tmp_path):
    initiative = _track(programme, users)
    bad = tmp_path / "followup.csv"
    bad.write_text(
        "indicator,date,value,source\n"
        "employment,2022-03-31,5600,survey 2022\n"
        "exports,2022-03-31,10,survey\n"
        "employment,31/03/2023,5800,survey\n"
        "energy-intensity,2023-03-31,abc,audit\n"
    )
    with pytest.raises(ImportValidationError) as info:
        services.import_measurements(user=users["manager"], initiative=initiative, path=bad)
    messages = [str(e) for e in info.value.errors]
    assert "followup.csv, row 3, field 'indicator'" in messages[0]
    assert any("row 4, field 'date'" in m for m in messages)
    assert any("row 5, field 'value'" in m for m in messages)
    assert Measurement.objects.count() == 0
    good = tmp_path / "ok.csv"
    good.write_text(
        "indicator,date,value,source,note\n"
        "employment,2022-03-31,5600,survey 2022,\n"
        "energy-intensity,2023-03-31,11,energy audit,ok\n"
    )
    assert (
        services.import_measurements(user=users["manager"], initiative=initiative, path=good) == 2
    )
    with pytest.raises(ImportValidationError, match="already has a measurement"):
        services.import_measurements(user=users["manager"], initiative=initiative, path=good)
    rows = {r["indicator"].key: r["progress"] for r in selectors.indicator_progress(initiative)}
    assert rows["employment"].attainment_percent == D("60.00")
    assert rows["energy-intensity"].attainment_percent == D("50.00")
    assert rows["energy-intensity"].improved is True


def test_survey_import_builds_firm_panel(programme, users, tmp_path):
    initiative = programme["initiative"]
    path = tmp_path / "survey.csv"
    path.write_text(
        "firm,cluster,treated_cluster,participant,year,employment,trust\n"
        "f1,Agra,yes,yes,2019,10,3\n"
        "f1,Agra,yes,yes,2021,14,4\n"
        "f2,Kanpur,no,no,2019,8,2\n"
        "f2,Kanpur,no,no,2021,9,2\n"
    )
    assert services.import_survey(user=users["manager"], initiative=initiative, path=path) == 4
    panel = selectors.firm_panel(initiative, outcome="employment", programme_start=2020)
    assert len(panel) == 4 and panel["start"].notna().sum() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("firm,cluster,treated_cluster,participant,year,trust\nf3,Kanpur,no,yes,2019,9\n")
    with pytest.raises(ImportValidationError) as info:
        services.import_survey(user=users["manager"], initiative=initiative, path=bad)
    text = str(info.value)
    assert "field 'participant'" in text and "field 'trust'" in text
