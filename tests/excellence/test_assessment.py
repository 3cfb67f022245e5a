"""Self-assessment: pre-fills with their source and confirmation, validation, save and resume,
evidence, import of last year's answers, completeness and submission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterobs.excellence import assessments
from clusterobs.excellence.assessments import AssessmentError
from clusterobs.excellence.models import Answer, AssessmentStatus
from tests.excellence.conftest import answer_all

pytestmark = pytest.mark.django_db


def _start(world, frameworks, year=2026, user=None):
    return assessments.start(
        user=user or world["manager"],
        organisation=world["org"],
        framework=frameworks["cluster-benchmark"],
        year=year,
    )


def test_prefill_from_platform_data_with_source_awaiting_confirmation(world, frameworks):
    from clusterobs.collaboration.models import Agreement, Event

    Event.objects.create(
        slug="ev1",
        name="Meet",
        kind="c2c",
        organiser=world["org"],
        starts_on=dt.date(2025, 5, 1),
        ends_on=dt.date(2025, 5, 1),
    )
    Event.objects.create(
        slug="ev2",
        name="Old",
        kind="c2c",
        organiser=world["org"],
        starts_on=dt.date(2023, 5, 1),
        ends_on=dt.date(2023, 5, 1),
    )
    agreement = Agreement.objects.create(key="mou", title="MoU", kind="mou", status="active")
    agreement.parties.set([world["org"], world["foreign_org"]])
    a = _start(world, frameworks)
    answers = {x.indicator.key: x for x in a.answers.select_related("indicator")}
    assert answers["members_total"].value == 140
    assert "Registry profile of Agra Footwear Association" in answers["members_total"].source
    assert answers["members_sme_share"].value == Decimal("85.7")
    assert answers["age_years"].value == 28 and "founded in 1998" in answers["age_years"].source
    assert answers["management_fte"].value == 4
    assert answers["events_per_year"].value == 1  # only the 2025 event ("last year")
    assert answers["cooperation_agreements"].value == 1
    assert answers["international_partners"].value == 1
    assert not any(x.confirmed for x in answers.values())
    check = assessments.completeness(a)
    assert len(check.unconfirmed) == len(answers) and not check.ready


def test_save_and_resume_with_validation_errors(world, frameworks):
    a = _start(world, frameworks)
    errors = assessments.save_answers(
        user=world["manager"],
        assessment=a,
        values={
            "members_foreign_share": "140",
            "member_satisfaction": "7",
            "strategy_written": "maybe",
            "budget_keur": "abc",
            "staff_training_days": "3",
        },
    )
    assert set(errors) == {
        "members_foreign_share",
        "member_satisfaction",
        "strategy_written",
        "budget_keur",
    }
    assert "between 0 and 100" in errors["members_foreign_share"]
    assert Answer.objects.get(assessment=a, indicator__key="staff_training_days").value == 3
    # resume: starting again returns the same draft
    assert _start(world, frameworks).pk == a.pk


def test_a_typed_value_replaces_the_prefill_and_its_source(world, frameworks):
    a = _start(world, frameworks)
    assessments.save_answers(
        user=world["manager"],
        assessment=a,
        values={"members_total": "150"},
        confirm={"management_fte"},
    )
    members = Answer.objects.get(assessment=a, indicator__key="members_total")
    fte = Answer.objects.get(assessment=a, indicator__key="management_fte")
    assert members.value == 150 and members.source == "" and members.confirmed
    assert fte.confirmed and fte.source  # confirmed as pre-filled, source kept


def test_submit_needs_every_answer_confirmed_and_evidence(world, frameworks):
    a = _start(world, frameworks)
    with pytest.raises(AssessmentError) as exc:
        assessments.submit(user=world["manager"], assessment=a)
    assert exc.value.errors["members_total"] == "pre-filled value not confirmed"
    assert exc.value.errors["budget_keur"] == "not answered"
    answer_all(a)
    assessments.save_answers(
        user=world["manager"], assessment=a, values={}, texts={"kpi_monitoring": ""}
    )
    with pytest.raises(AssessmentError) as exc:
        assessments.submit(user=world["manager"], assessment=a)
    assert set(exc.value.errors) == {"kpi_monitoring"}
    kpi = a.framework.indicators.get(key="kpi_monitoring")
    assessments.attach_evidence(
        user=world["manager"],
        assessment=a,
        indicator=kpi,
        upload=SimpleUploadedFile("kpi.pdf", b"%PDF-1.4 report"),
    )
    submitted = assessments.submit(user=world["manager"], assessment=a)
    assert submitted.status == AssessmentStatus.SUBMITTED and submitted.latest
    assert submitted.country == "IN" and submitted.members == 5  # the answer, not the profile
    assert submitted.scores["strategy_written"] == 1.0 and len(submitted.scores) == 36
    with pytest.raises(AssessmentError):
        assessments.save_answers(user=world["manager"], assessment=a, values={"awards": "1"})


def test_import_last_years_answers(world, frameworks):
    old = _start(world, frameworks, year=2025)
    answer_all(old, {"awards": "2", "budget_keur": "321"})
    assessments.submit(user=world["manager"], assessment=old)
    new = _start(world, frameworks, year=2026)
    assessments.save_answers(user=world["manager"], assessment=new, values={"awards": "4"})
    copied = assessments.import_previous(user=world["manager"], assessment=new)
    budget = Answer.objects.get(assessment=new, indicator__key="budget_keur")
    assert budget.value == 321 and not budget.confirmed and "2025" in budget.source
    assert Answer.objects.get(assessment=new, indicator__key="awards").value == 4  # kept
    assert copied > 20
    # only the newest becomes 'latest' once submitted
    answer_all(new)
    assessments.submit(user=world["manager"], assessment=new)
    old.refresh_from_db()
    assert not old.latest


def test_import_without_an_earlier_assessment_says_so(world, frameworks):
    a = _start(world, frameworks)
    with pytest.raises(AssessmentError, match="no earlier submitted assessment"):
        assessments.import_previous(user=world["manager"], assessment=a)


@pytest.mark.parametrize("who", ["other_manager", "viewer", "label_admin"])
def test_only_the_organisations_managers_fill_in(world, frameworks, who):
    with pytest.raises(PermissionDenied):
        _start(world, frameworks, user=world[who])
    a = _start(world, frameworks)
    with pytest.raises(PermissionDenied):
        assessments.save_answers(user=world[who], assessment=a, values={"awards": "1"})
    with pytest.raises(PermissionDenied):
        assessments.submit(user=world[who], assessment=a)


def test_overlapping_me_indicator_prefills_when_the_registry_has_nothing(world, frameworks):
    from clusterobs.programmes.models import (
        ClusterInitiative,
        InitiativeIndicator,
        LifecycleStage,
        Measurement,
    )
    from clusterobs.programmes.models import Indicator as MEIndicator
    from clusterobs.registry.models import OrganisationProfile

    OrganisationProfile.objects.filter(organisation=world["org"]).delete()
    stage = LifecycleStage.objects.first() or LifecycleStage.objects.create(
        key="implementation", name="Implementation", order=1
    )
    initiative = ClusterInitiative.objects.create(
        name="Agra footwear SICI",
        slug="agra-sici",
        cluster=world["org"].clusters.first(),
        implementing_agency=world["org"],
        stage=stage,
    )
    me = MEIndicator.objects.get_or_create(
        key="network-members",
        defaults={
            "name": "Network members",
            "level": "cluster",
            "definition": "d",
            "unit": "enterprises",
            "direction": "higher",
            "frequency": "annual",
            "data_source": "survey",
        },
    )[0]
    tracked = InitiativeIndicator.objects.create(initiative=initiative, indicator=me)
    Measurement.objects.create(
        tracked=tracked, measured_on=dt.date(2024, 3, 1), value=80, source="diagnostic study"
    )
    Measurement.objects.create(
        tracked=tracked, measured_on=dt.date(2025, 3, 1), value=95, source="annual survey"
    )
    Measurement.objects.create(
        tracked=tracked, measured_on=dt.date(2027, 3, 1), value=200, source="future"
    )
    from clusterobs.registry.models import Organisation

    world["org"] = Organisation.objects.get(pk=world["org"].pk)
    a = _start(world, frameworks)
    members = a.answers.get(indicator__key="members_total")
    assert members.value == 95 and not members.confirmed
    assert members.source == (
        "Programme M&E: Network members of Agra footwear SICI measured on 2025-03-01 "
        "(annual survey)"
    )


def test_an_unknown_me_indicator_is_refused(db, tmp_path):
    import json
    import shutil

    from clusterobs.excellence import frameworks as loader
    from clusterobs.excellence.frameworks import FrameworkError

    meta = next(p for p in loader.shipped() if p.name.startswith("cluster-quality"))
    shutil.copy(meta, tmp_path)
    csv_name = json.loads(meta.read_text())["indicators_file"]
    text = meta.with_name(csv_name).read_text().replace(",network-members", ",net-members", 1)
    (tmp_path / csv_name).write_text(text)
    with pytest.raises(FrameworkError, match="row 2, field me_indicator: 'net-members'"):
        loader.read(tmp_path / meta.name)


def test_a_late_submission_of_an_older_year_does_not_replace_the_latest(world, frameworks):
    new = _start(world, frameworks, year=2026)
    answer_all(new)
    assessments.submit(user=world["manager"], assessment=new)
    old = _start(world, frameworks, year=2025)
    answer_all(old)
    old = assessments.submit(user=world["manager"], assessment=old)
    new.refresh_from_db()
    assert new.latest and not old.latest
