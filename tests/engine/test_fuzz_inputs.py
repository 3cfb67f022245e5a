"""Property-based checks of the two inputs a user writes by hand: the long employment table and
the cluster definition. Any input either builds, or fails with an ``InputValidationError`` that
names the file and the row or field; never a traceback of another kind, and never a silent drop
(what builds accounts for every employment value it was given)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from clusterobs.definitions.model import custom_definition
from clusterobs.definitions.reader import load_definition
from clusterobs.mapping import pipeline
from clusterobs.sources.errors import InputValidationError
from clusterobs.sources.generic import LongColumns, read_long
from clusterobs.tables.engine import connect

CODES = ["100000", "100001", "100002", "200000"]  # 200000: in no cluster
DEFINITION = custom_definition({"a": ["100000", "100001"], "b": ["100002"]}, "TEST")
# In CI the examples are derived from the test's name (``derandomize``): a red run is
# reproducible and a green one is not luck. On a developer's machine they are random, and
# ``CLUSTEROBS_FUZZ_EXAMPLES=2000`` explores further (a random run found the rows lost under
# codes without detail, now a regression test in test_never_mislead.py).
FUZZ = settings(
    max_examples=int(os.environ.get("CLUSTEROBS_FUZZ_EXAMPLES", "30")),
    deadline=None,
    derandomize=os.environ.get("CI", "").lower() == "true",
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

text = st.one_of(
    st.sampled_from(["", " ", "x", "-1", "1e3", "NaN", "inf", "1,5", "0", "12", "3.5"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
)
row = st.fixed_dictionaries(
    {
        "region": st.one_of(st.sampled_from(["r1", "r2", "r3", ""]), text),
        "industry": st.one_of(st.sampled_from(CODES), text),
        "year": st.one_of(st.sampled_from(["2010", "2011"]), text),
        "employment": st.one_of(st.integers(min_value=0, max_value=10**6).map(str), text),
    }
)


def _write(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _names_place(err: InputValidationError, path: Path) -> bool:
    """The file, and the row or field; a file the CSV reader cannot parse at all is named with
    the reader's reason (there is no row to name)."""
    message = str(err)
    located = "row " in message or "field " in message or "cannot be read as a table" in message
    return path.name in message and located


@FUZZ
@given(rows=st.lists(row, min_size=1, max_size=12))
def test_long_table_builds_or_names_file_row_and_field(tmp_path: Path, rows: list) -> None:
    path = tmp_path / "employment.csv"
    _write(path, rows, ["region", "industry", "year", "employment"])
    eng = connect()
    try:
        src = read_long(eng, path, columns=LongColumns(), vintage="TEST")
        result = pipeline.build(src, DEFINITION, engine=eng)
    except InputValidationError as err:
        assert _names_place(err, path), str(err)
        return
    except ValueError as err:  # "no rows (check --years)" and the like name the file too
        assert path.name in str(err), str(err)
        return
    # Built: every employment value given is accounted for (nothing dropped): in the detailed
    # totals, or named in the manifest as a subtotal row or as a code with no detailed rows
    # beneath it (the CLI warns about those).
    given_total = sum(float(r["employment"]) for r in rows)
    outside = result.manifest["rows_outside_the_detail_level"]
    accounted = (
        result.region_year["detailed_employment"].sum()
        + outside["no_detail_employment"]
        + outside["subtotal_employment"]
    )
    assert accounted == pytest.approx(given_total)


definition_row = st.fixed_dictionaries(
    {
        "industry_code": st.one_of(st.sampled_from(CODES), text),
        "cluster_code": st.one_of(st.sampled_from(["a", "b"]), text),
        "cluster_name": text,
        "subcluster_code": st.one_of(st.just(""), text),
        "subcluster_name": text,
        "traded_local": st.one_of(st.sampled_from(["traded", "local", "Traded"]), text),
    }
)


@FUZZ
@given(rows=st.lists(definition_row, min_size=1, max_size=8))
def test_definition_reads_or_names_file_row_and_field(tmp_path: Path, rows: list) -> None:
    path = tmp_path / "definition.csv"
    _write(path, rows, list(rows[0]))
    try:
        d = load_definition(path, "TEST", format="canonical")
    except InputValidationError as err:
        assert _names_place(err, path), str(err)
        return
    assert len(d.table) == len(rows)  # every row kept


@FUZZ
@given(content=st.binary(max_size=200))
def test_arbitrary_bytes_are_refused_with_the_file_named(tmp_path: Path, content: bytes) -> None:
    for name, read in (
        ("employment.csv", lambda p: read_long(connect(), p, vintage="TEST")),
        ("definition.csv", lambda p: load_definition(p, "TEST", format="canonical")),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        try:
            read(path)
        except InputValidationError as err:
            assert path.name in str(err), str(err)
