"""Imports: good files in every format, bad files refused whole with file, row and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from clusterobs.imports.errors import ImportValidationError
from clusterobs.registry.importers import (
    ImportOptions,
    import_clusters,
    import_organisations,
    import_schemes,
)
from clusterobs.registry.models import Cluster, KeyFigure, Organisation, OrganisationSector
from tests.support import FIXTURES

HEADER = "name,product,place,country,cluster_type,industry_codes,employment,figures_year,source\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_clusters_import_with_figures_codes_and_suggestions(db, registry, tmp_path) -> None:
    path = write(
        tmp_path,
        "clusters.csv",
        HEADER
        + ",Leather tanning,Kanpur,IN,micro,NIC2008:15112,12000,2012,DC-MSME survey\n"
        + "Brass cluster,Brass castings,Moradabad,in,traditional_manufacturing,,,,\n",
    )
    result = import_clusters(path)
    assert (result.created, result.updated) == (2, 0)
    kanpur = Cluster.objects.get(slug="leather-tanning-cluster-kanpur")
    assert kanpur.name == "Leather tanning cluster, Kanpur"  # UNIDO naming: product and place
    assert [c.key for c in kanpur.thematic_challenges.all()] == ["pollution-intensive"]
    assert [(c.classification, c.code) for c in kanpur.industry_codes.all()] == [
        ("NIC2008", "15112")
    ]
    figure = KeyFigure.objects.get(cluster=kanpur)
    assert (figure.indicator, int(figure.value), figure.unit, figure.year) == (
        "employment",
        12000,
        "persons",
        2012,
    )
    assert kanpur.source == "DC-MSME survey"
    brass = Cluster.objects.get(slug="brass-cluster")
    assert brass.country == "IN"
    assert brass.source == "import of clusters.csv"  # provenance is never empty
    assert [c.key for c in brass.thematic_challenges.all()] == ["energy-intensive"]


def test_xlsx_and_json_read_the_same_columns(db, registry, tmp_path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["product", "place", "country", "units", "figures_year"])
    sheet.append(["Carpets", "Bhadohi", "IN", 1500, 2011])
    book.save(tmp_path / "c.xlsx")
    assert import_clusters(tmp_path / "c.xlsx").created == 1
    (tmp_path / "c.json").write_text(
        json.dumps(
            [
                {
                    "product": "Locks",
                    "place": "Aligarh",
                    "country": "IN",
                    "industry_codes": ["NIC2008:25931"],
                }
            ]
        )
    )
    assert import_clusters(tmp_path / "c.json").created == 1
    assert Cluster.objects.get(slug="locks-cluster-aligarh").industry_codes.get().code == "25931"
    assert int(KeyFigure.objects.get(cluster__slug="carpets-cluster-bhadohi").value) == 1500


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (",Carpets,Bhadohi,XX,,,,,", "country", "not an ISO 3166-1"),
        (",,Bhadohi,IN,,,,,", "product", "is required"),
        (",Carpets,Bhadohi,IN,spaceship,,,,", "cluster_type", "is not one of"),
        (",Carpets,Bhadohi,IN,,NAICS2017:33A,,,", "industry_codes", "not a valid NAICS2017"),
        (",Carpets,Bhadohi,IN,,336111,,,", "industry_codes", "no classification prefix"),
        (",Carpets,Bhadohi,IN,,,-5,2011,", "employment", "below the minimum 0"),
        (",Carpets,Bhadohi,IN,,,12.5k,2011,", "employment", "is not a number"),
        (",Carpets,Bhadohi,IN,,,100,,", "figures_year", "is required when employment"),
        (",Leather footwear,Agra,IN,,,,,", "name", "already exists"),
    ],
)
def test_bad_rows_fail_the_whole_import(db, registry, tmp_path, row, field, message) -> None:
    good = ",Locks,Aligarh,IN,,,,,\n"
    path = write(tmp_path, "bad.csv", HEADER + good + row + "\n")
    before = Cluster.objects.count()
    with pytest.raises(ImportValidationError) as excinfo:
        import_clusters(path)
    error = excinfo.value.errors[0]
    assert (error.file, error.row, error.field) == ("bad.csv", 3, field)
    assert message in error.message
    assert f"bad.csv, row 3, field '{field}'" in str(excinfo.value)
    assert Cluster.objects.count() == before  # the good row 2 was not written either


def test_duplicates_within_a_file_and_unknown_regions_are_named(db, registry, tmp_path) -> None:
    path = write(
        tmp_path,
        "dup.csv",
        "product,place,country,state_code\nLocks,Aligarh,IN,\nLocks,Aligarh,IN,\n"
        "Glass,Firozabad,IN,09\n",
    )
    with pytest.raises(ImportValidationError) as excinfo:
        import_clusters(path)
    found = {(e.row, e.field) for e in excinfo.value.errors}
    assert found == {(3, "name"), (4, "state_code")}
    assert "duplicate of row 2" in str(excinfo.value)


def test_unknown_columns_are_errors_unless_ignored(db, registry, tmp_path) -> None:
    path = write(tmp_path, "x.csv", "product,country,colour\nLocks,IN,blue\n")
    with pytest.raises(ImportValidationError, match="colour"):
        import_clusters(path)
    assert import_clusters(path, options=ImportOptions(ignore_columns={"colour"})).created == 1


def test_update_flag_updates_existing_records_with_history(db, registry, tmp_path) -> None:
    path = write(
        tmp_path,
        "u.csv",
        "name,product,place,country,description\n"
        '"Leather footwear cluster, Agra",Leather footwear,Agra,IN,Shoes since 1900\n',
    )
    result = import_clusters(path, options=ImportOptions(update=True))
    assert (result.created, result.updated) == (0, 1)
    leather = Cluster.objects.get(slug="leather-footwear-cluster-agra")
    assert leather.description == "Shoes since 1900" and leather.version == 2
    assert leather.history.count() == 2


def test_ragged_csv_rows_are_refused(db, tmp_path) -> None:
    path = write(tmp_path, "r.csv", "product,country\nLocks,IN,extra\n")
    with pytest.raises(ImportValidationError, match=r"r\.csv, row 2: has 3 cells"):
        import_clusters(path)


def test_us_cluster_organisations_import_cleanly(db) -> None:
    path = FIXTURES / "uscmp_cluster_organizations.csv"
    result = import_organisations(
        path,
        options=ImportOptions(
            country="US",
            kind="cluster_organisation",
            ignore_columns={"n_rows_in_source"},
            source="clustermapping.us CurrentOrganizationsAndClusters.csv",
        ),
    )
    # 145 organisations (org ids) tagged with 237 (organisation, cluster) pairs in the source
    assert result.created == 145
    assert Organisation.objects.count() == 145
    assert OrganisationSector.objects.filter(classification="USCMP").count() == 237
    assert any("Rochester Regional Photonics Cluster" in n for n in result.notes)
    colorado = Organisation.objects.get(name="Colorado Photonics Industry Association")
    assert colorado.country == "US" and colorado.kind == "cluster_organisation"
    assert list(colorado.sector_codes.values_list("code", flat=True)) == ["23"]


def test_organisation_rows_that_contradict_each_other_are_refused(db, tmp_path) -> None:
    path = write(
        tmp_path,
        "o.csv",
        "org_id,org_title,country,kind,cluster_code\n"
        "7,Photonics Hub,US,cluster_organisation,23\n"
        "7,Photonics Hub,DE,cluster_organisation,24\n"
        "8,Cyber Hub,US,cluster_organisation,23\n"
        "8,Cyber Hub,US,cluster_organisation,23\n",
    )
    with pytest.raises(ImportValidationError) as excinfo:
        import_organisations(path)
    found = {(e.row, e.field) for e in excinfo.value.errors}
    assert found == {(3, "country"), (5, "sector_code")}
    assert Organisation.objects.count() == 0


def test_schemes_import_with_coverage(db, registry, tmp_path) -> None:
    path = write(
        tmp_path,
        "s.csv",
        "name,kind,institution,country,focus_areas,clusters,coverage_value,coverage_year\n"
        "Cluster Scheme of Kerala,scheme,Industries Department,IN,"
        "Training; Skills,leather-footwear-cluster-agra,12,2013\n",
    )
    assert import_schemes(path).created == 1
    from clusterobs.registry.models import Scheme

    scheme = Scheme.objects.get(slug="cluster-scheme-of-kerala")
    assert scheme.focus_areas == ["Training", "Skills"]
    assert list(scheme.clusters.values_list("slug", flat=True)) == ["leather-footwear-cluster-agra"]
    coverage = scheme.coverage.get()
    assert (int(coverage.value), coverage.unit, coverage.year) == (12, "clusters", 2013)
