"""The shipped frameworks follow the structure they are modelled on; bad files are refused with
the file, row and field named, and nothing is loaded."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from decimal import Decimal

import pytest

from clusterobs.excellence import frameworks as loader
from clusterobs.excellence.frameworks import FrameworkError
from clusterobs.excellence.models import Framework, LabelLevel

pytestmark = pytest.mark.django_db


def test_bronze_like_framework_has_36_indicators_in_six_areas(frameworks):
    fw = frameworks["cluster-benchmark"]
    assert fw.indicators.count() == 36 and fw.areas.count() == 6
    per_area = Counter(fw.indicators.values_list("area__key", flat=True))
    assert set(per_area) == {
        "structure",
        "governance",
        "financing",
        "services",
        "interaction",
        "achievements",
    }
    assert "Modelled on" in fw.modelled_on and "ESCA Bronze" in fw.modelled_on
    bronze = LabelLevel.objects.get(key="bronze")
    assert bronze.validity_years == 2 and bronze.framework == fw and bronze.pass_mark is None


def test_gold_like_framework_has_31_thresholded_indicators(frameworks):
    fw = frameworks["cluster-quality"]
    assert fw.indicators.count() == 31
    assert all("gold" in t for t in fw.indicators.values_list("thresholds", flat=True))
    gold = LabelLevel.objects.get(key="gold")
    assert gold.pass_mark == Decimal(80) and gold.validity_years == 2
    assert (gold.national_assessors, gold.foreign_assessors) == (1, 1)
    assert "verified_profile" in gold.eligibility


def test_reloading_is_idempotent_and_answered_versions_are_frozen(frameworks, world):
    from clusterobs.excellence import assessments

    assert loader.load_shipped() == {"frameworks": 0, "indicators": 0, "label levels": 0}
    assert Framework.objects.count() == 2
    fw = frameworks["cluster-benchmark"]
    path = next(p for p in loader.shipped() if p.name.startswith("cluster-benchmark"))
    fw.indicators.filter(key="awards").update(question="changed")
    loader.load(loader.read(path))  # an unanswered version is reloaded from its file
    assert fw.indicators.get(key="awards").question != "changed"
    assessments.start(user=world["manager"], organisation=world["org"], framework=fw, year=2026)
    fw.indicators.filter(key="awards").update(question="changed")
    loader.load(loader.read(path))
    assert fw.indicators.get(key="awards").question == "changed"  # answered: frozen


def _copy(tmp_path):
    for path in loader.shipped():
        shutil.copy(path, tmp_path)
        meta = json.loads(path.read_text())
        shutil.copy(path.with_name(meta["indicators_file"]), tmp_path)
    return tmp_path / "cluster-benchmark-2026.json", tmp_path / "cluster-benchmark-2026.csv"


@pytest.mark.parametrize(
    "change,message",
    [
        (
            ("management_fte,governance,", "management_fte,gouvernance,"),
            "cluster-benchmark-2026.csv, row 8, field area: 'gouvernance' is not an area",
        ),
        (
            ("days per person,number,higher,Training", "days per person,count,higher,Training"),
            "cluster-benchmark-2026.csv, row 13, field type: 'count'",
        ),
        (
            (",value_lt:2,A cluster", ",value_below:2,A cluster"),
            "cluster-benchmark-2026.csv, row 8, field rule",
        ),
        (
            ("members_large,structure,", "members_total,structure,"),
            "cluster-benchmark-2026.csv, row 5, field key: appears twice",
        ),
        (  # a misspelt optional column: its values would have been read as empty
            ("key,area,question,unit,", "key,area,question,units,"),
            "cluster-benchmark-2026.csv: unknown column(s) units; the columns are key, area,",
        ),
    ],
)
def test_bad_indicator_files_name_file_row_and_field(db, tmp_path, change, message):
    meta, csv_path = _copy(tmp_path)
    text = csv_path.read_text()
    assert change[0] in text
    csv_path.write_text(text.replace(change[0], change[1], 1))
    with pytest.raises(FrameworkError) as exc:
        loader.read(meta)
    assert message in str(exc.value)
    assert Framework.objects.count() == 0


def test_bad_framework_json(db, tmp_path):
    meta, _csv = _copy(tmp_path)
    data = json.loads(meta.read_text())
    del data["version"]
    meta.write_text(json.dumps(data))
    with pytest.raises(
        FrameworkError, match=r"cluster-benchmark-2026\.json, field version: required"
    ):
        loader.read(meta)
