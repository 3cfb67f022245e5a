"""Labels with a lifecycle: eligibility, the Gold-like assessor rule, conflicts of interest,
scores and the pass mark, decisions in the history, dates of award, expiry and renewal,
reminders, imports, verification, and labels where they matter (matchmaking, funding rules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from clusterobs.excellence import assessments, lifecycle, selectors
from clusterobs.excellence.label_import import LabelImportError, import_labels
from clusterobs.excellence.lifecycle import LifecycleError, add_years
from clusterobs.excellence.models import Label, LabelLevel, Reminder
from tests.excellence.conftest import answer_all

pytestmark = pytest.mark.django_db


def _submitted(world, framework, year=None):
    a = assessments.start(
        user=world["manager"],
        organisation=world["org"],
        framework=framework,
        year=year or timezone.localdate().year,
    )
    answer_all(a)
    return assessments.submit(user=world["manager"], assessment=a)


def _accepted_gold(world, frameworks):
    a = _submitted(world, frameworks["cluster-quality"])
    app = lifecycle.apply(
        user=world["manager"],
        organisation=world["org"],
        level=LabelLevel.objects.get(key="gold"),
        assessment=a,
        competitors=[world["rival"]],
    )
    return lifecycle.accept(user=world["label_admin"], application=app)


def _score_all(app, assessor, value):
    for key in app.level.framework.indicators.values_list("key", flat=True):
        lifecycle.score(
            user=assessor.user, application=app, indicator_key=key, value=Decimal(value)
        )


# --- dates -------------------------------------------------------------------------------------


def test_expiry_is_the_same_day_years_later_and_leap_days_move_to_march():
    assert add_years(dt.date(2026, 3, 15), 2) == dt.date(2028, 3, 15)
    assert add_years(dt.date(2024, 2, 29), 2) == dt.date(2026, 3, 1)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


def test_validity_is_computed_from_the_dates(world, frameworks):
    level = LabelLevel.objects.get(key="gold")
    label = Label.objects.create(
        number="X-1",
        organisation=world["org"],
        level=level,
        awarded_on=dt.date(2024, 5, 1),
        expires_on=dt.date(2026, 5, 1),
    )
    assert label.is_valid(dt.date(2024, 5, 1)) and label.is_valid(dt.date(2026, 4, 30))
    assert not label.is_valid(dt.date(2026, 5, 1)) and not label.is_valid(dt.date(2024, 4, 30))
    label.revoked_on = dt.date(2025, 1, 1)
    assert not label.is_valid(dt.date(2025, 6, 1))


def test_expiry_removes_the_badge_without_any_job(world, frameworks):
    from clusterobs.collaboration import labels as held

    today = timezone.localdate()
    level = LabelLevel.objects.get(key="gold")
    Label.objects.create(
        number="OLD",
        organisation=world["org"],
        level=level,
        awarded_on=add_years(today, -2),
        expires_on=today,
    )
    assert held.valid_labels([world["org"].pk]) == {}
    Label.objects.create(
        number="NEW",
        organisation=world["org"],
        level=level,
        awarded_on=today,
        expires_on=add_years(today, 2),
    )
    badges = held.valid_labels([world["org"].pk])[world["org"].pk]
    assert [b.number for b in badges] == ["NEW"] and badges[0].url == "/excellence/labels/NEW/"


# --- eligibility, assessors, scores, decision -------------------------------------------------


def test_eligibility_is_checked_before_acceptance(world, frameworks):
    from clusterobs.collaboration.models import CollaborationProfile

    CollaborationProfile.objects.filter(organisation=world["org"]).update(verified=False)
    app = lifecycle.apply(
        user=world["manager"], organisation=world["org"], level=LabelLevel.objects.get(key="gold")
    )
    app = lifecycle.accept(user=world["label_admin"], application=app)
    assert app.status == "ineligible"
    assert "verified_profile: no verified profile" in app.reasons
    assert "submitted_assessment" in app.reasons
    with pytest.raises(LifecycleError):
        lifecycle.assign(user=world["label_admin"], application=app, assessor=world["national"])


def test_silver_needs_an_earlier_bronze(world, frameworks):
    a = _submitted(world, frameworks["cluster-benchmark"])
    silver = LabelLevel.objects.get(key="silver")
    app = lifecycle.apply(
        user=world["manager"], organisation=world["org"], level=silver, assessment=a
    )
    assert [c["ok"] for c in app.eligibility if c["rule"] == "held_level:bronze"] == [False]
    today = timezone.localdate()
    Label.objects.create(
        number="B-1",
        organisation=world["org"],
        level=LabelLevel.objects.get(key="bronze"),
        awarded_on=add_years(today, -2),
        expires_on=today - dt.timedelta(days=30),
    )
    assert lifecycle.accept(user=world["label_admin"], application=app).status == "accepted"


def test_gold_needs_one_national_and_one_foreign_assessor(world, frameworks):
    app = _accepted_gold(world, frameworks)
    admin = world["label_admin"]
    first = lifecycle.assign(user=admin, application=app, assessor=world["national"])
    assert first.role == "national"
    with pytest.raises(LifecycleError, match="already has its national one"):
        lifecycle.assign(user=admin, application=app, assessor=world["second_national"])
    _score_all(app, world["national"], 90)
    with pytest.raises(LifecycleError, match="needs at least 2 assessor"):
        lifecycle.decide(user=admin, application=app, award=True, reasons="Good")
    assert (
        lifecycle.assign(user=admin, application=app, assessor=world["foreign"]).role == "foreign"
    )
    assert lifecycle.assessors_complete(app) == (True, "")


def test_no_assessor_from_the_organisation_or_a_competitor(world, frameworks):
    app = _accepted_gold(world, frameworks)
    with pytest.raises(LifecycleError, match="works for the applying organisation"):
        lifecycle.assign(user=world["label_admin"], application=app, assessor=world["insider"])
    with pytest.raises(LifecycleError, match="competitor list"):
        lifecycle.assign(user=world["label_admin"], application=app, assessor=world["rival_staff"])


def test_score_pass_mark_and_decision_with_history(world, frameworks):
    app = _accepted_gold(world, frameworks)
    admin = world["label_admin"]
    lifecycle.assign(user=admin, application=app, assessor=world["national"])
    lifecycle.assign(user=admin, application=app, assessor=world["foreign"])
    _score_all(app, world["national"], 80)
    with pytest.raises(LifecycleError, match="not every assessor has scored"):
        lifecycle.decide(user=admin, application=app, award=True, reasons="ok")
    _score_all(app, world["foreign"], 79)
    total, means, missing = lifecycle.overall(app)
    assert total == Decimal("79.50") and missing == [] and len(means) == 31
    with pytest.raises(LifecycleError, match="below the pass mark of 80"):
        lifecycle.decide(user=admin, application=app, award=True, reasons="ok")
    lifecycle.score(
        user=world["foreign"].user, application=app, indicator_key="awards", value=Decimal(100)
    )
    # (30 × 79 + 100) / 31 = 79.68 for the foreign assessor; mean with 80 -> 79.84
    assert lifecycle.overall(app)[0] == Decimal("79.84")
    for key in ("media_mentions",):  # (29 × 79 + 200) / 31 = 80.35; mean with 80 -> 80.18
        lifecycle.score(
            user=world["foreign"].user, application=app, indicator_key=key, value=Decimal(100)
        )
    assert lifecycle.overall(app)[0] == Decimal("80.18")
    with pytest.raises(LifecycleError, match="needs its reasons"):
        lifecycle.decide(user=admin, application=app, award=True, reasons=" ")
    app = lifecycle.decide(user=admin, application=app, award=True, reasons="Meets the mark")
    label = app.label
    today = timezone.localdate()
    assert app.status == "awarded" and app.score == Decimal("80.18")
    assert label.number == f"CO-GOLD-{today.year}-0001"
    assert label.awarded_on == today and label.expires_on == add_years(today, 2)
    statuses = [h.status for h in app.history.order_by("history_date")]
    assert statuses[0] == "submitted" and statuses[-1] == "awarded" and "accepted" in statuses
    assert app.history.first().decided_by == admin and app.history.first().reasons
    assert label.history.count() == 1
    assert any("awarded" in m.subject for m in mail.outbox if "manager@example.org" in m.to)
    with pytest.raises(LifecycleError):
        lifecycle.decide(user=admin, application=app, award=False, reasons="again")


def test_scores_are_bounded_and_only_from_assigned_assessors(world, frameworks):
    from django.core.exceptions import PermissionDenied

    app = _accepted_gold(world, frameworks)
    lifecycle.assign(user=world["label_admin"], application=app, assessor=world["national"])
    with pytest.raises(LifecycleError, match="between 0 and 100"):
        lifecycle.score(
            user=world["national"].user, application=app, indicator_key="awards", value=Decimal(101)
        )
    with pytest.raises(PermissionDenied):
        lifecycle.score(
            user=world["foreign"].user, application=app, indicator_key="awards", value=Decimal(50)
        )


def test_renewal_before_expiry_continues_the_old_label(world, frameworks):
    today = timezone.localdate()
    gold = LabelLevel.objects.get(key="gold")
    old = Label.objects.create(
        number="G-OLD",
        organisation=world["org"],
        level=gold,
        awarded_on=add_years(today, -2) + dt.timedelta(days=60),
        expires_on=today + dt.timedelta(days=60),
    )
    app = _accepted_gold(world, frameworks)
    assert app.renewal_of == old
    for who in ("national", "foreign"):
        lifecycle.assign(user=world["label_admin"], application=app, assessor=world[who])
        _score_all(app, world[who], 95)
    app = lifecycle.decide(user=world["label_admin"], application=app, award=True, reasons="ok")
    assert app.label.awarded_on == old.expires_on
    assert app.label.expires_on == add_years(old.expires_on, 2)
    assert selectors.label_status(app.label) == "not_yet_valid"
    assert [x.number for x in selectors.label_registry()] == ["G-OLD"]


def test_a_label_that_expired_over_a_year_ago_is_not_renewed(world, frameworks):
    today = timezone.localdate()
    Label.objects.create(
        number="G-LONG-AGO",
        organisation=world["org"],
        level=LabelLevel.objects.get(key="gold"),
        awarded_on=add_years(today, -4),
        expires_on=today - dt.timedelta(days=400),
    )
    assert _accepted_gold(world, frameworks).renewal_of is None


# --- reminders -----------------------------------------------------------------------------------


def test_renewal_reminders_90_and_30_days_before_expiry_once(world, frameworks):
    gold = LabelLevel.objects.get(key="gold")
    label = Label.objects.create(
        number="R-1",
        organisation=world["org"],
        level=gold,
        awarded_on=dt.date(2025, 1, 10),
        expires_on=dt.date(2027, 1, 10),
    )
    expiry = label.expires_on
    assert lifecycle.remind(expiry - dt.timedelta(days=91)) == []
    sent = lifecycle.remind(expiry - dt.timedelta(days=90))
    assert [r.days_before for r in sent] == [90]
    assert lifecycle.remind(expiry - dt.timedelta(days=89)) == []  # not twice
    assert [r.days_before for r in lifecycle.remind(expiry - dt.timedelta(days=30))] == [30]
    assert lifecycle.remind(expiry) == []  # expired: nothing to renew by reminder
    reminded = [m for m in mail.outbox if "R-1" in m.body]
    assert len(reminded) == 2 and reminded[0].to == ["manager@example.org"]
    assert "expires on 2027-01-10 (in 90 days)" in reminded[0].body
    from clusterobs.collaboration.models import Notification

    assert (
        Notification.objects.filter(user=world["manager"], url="/excellence/labels/R-1/").count()
        == 2
    )


def test_a_label_found_late_gets_only_the_nearest_reminder(world, frameworks):
    label = Label.objects.create(
        number="R-2",
        organisation=world["org"],
        level=LabelLevel.objects.get(key="gold"),
        awarded_on=dt.date(2025, 1, 10),
        expires_on=dt.date(2027, 1, 10),
    )
    sent = lifecycle.remind(label.expires_on - dt.timedelta(days=10))
    assert len(sent) == 1 and len([m for m in mail.outbox if "R-2" in m.body]) == 1
    assert set(Reminder.objects.filter(label=label).values_list("days_before", flat=True)) == {
        30,
        90,
    }


def test_remind_command(world, frameworks):
    from typer.testing import CliRunner

    from clusterobs.cli.main import app

    Label.objects.create(
        number="R-3",
        organisation=world["org"],
        level=LabelLevel.objects.get(key="gold"),
        awarded_on=dt.date(2025, 1, 10),
        expires_on=dt.date(2027, 1, 10),
    )
    result = CliRunner().invoke(app, ["excellence", "remind", "--on", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) sent." in result.output


# --- import ---------------------------------------------------------------------------------


CSV_OK = (
    "number,organisation,level,awarded_on,expires_on,source_detail\n"
    "ESCA-1,agra-footwear-association,gold,2025-06-01,,certificate 1\n"
    "ESCA-2,bavarian-cluster-agency,bronze,2024-02-29,2026-02-28,\n"
)


def test_import_labels_awarded_elsewhere(world, frameworks):
    labels = import_labels(user=world["label_admin"], text=CSV_OK, source="ESCA secretariat")
    one = Label.objects.get(number="ESCA-1")
    assert len(labels) == 2 and one.source == "ESCA secretariat"
    assert one.expires_on == dt.date(2027, 6, 1)  # default validity of the level
    assert Label.objects.get(number="ESCA-2").expires_on == dt.date(2026, 2, 28)


def test_import_is_all_or_nothing_and_names_row_and_field(world, frameworks):
    bad = CSV_OK + (
        "ESCA-3,no-such-org,gold,2025-01-01,,\n"
        "ESCA-1,agra-footwear-association,platinum,01/02/2025,,\n"
    )
    with pytest.raises(LabelImportError) as exc:
        import_labels(user=world["label_admin"], text=bad, source="ESCA", name="esca.csv")
    errors = exc.value.errors
    assert "esca.csv, row 4, field organisation: no organisation 'no-such-org'" in errors
    assert "esca.csv, row 5, field number: ESCA-1 already exists" in errors
    assert "esca.csv, row 5, field level: unknown level 'platinum'" in errors
    assert any(e.startswith("esca.csv, row 5, field awarded_on:") for e in errors)
    assert Label.objects.count() == 0
    with pytest.raises(LabelImportError, match="source of the labels is required"):
        import_labels(user=world["label_admin"], text=CSV_OK, source="")


def test_a_misspelt_or_overlong_label_row_is_refused_not_defaulted(world, frameworks):
    """ "expires" for "expires_on" would have been read as absent and replaced by the level's
    default validity without a word."""
    misspelt = CSV_OK.replace("expires_on", "expires", 1)
    with pytest.raises(LabelImportError) as exc:
        import_labels(user=world["label_admin"], text=misspelt, source="ESCA", name="esca.csv")
    assert exc.value.errors == [
        "esca.csv: unknown column(s) expires; the columns are number, organisation, level, "
        "awarded_on, expires_on, source_detail"
    ]
    overlong = CSV_OK + "ESCA-3,agra-footwear-association,gold,2025-01-01,,,extra\n"
    with pytest.raises(LabelImportError) as exc:
        import_labels(user=world["label_admin"], text=overlong, source="ESCA", name="esca.csv")
    assert exc.value.errors == ["esca.csv, row 4: more values than columns"]
    assert Label.objects.count() == 0


# --- where labels matter -------------------------------------------------------------------------


def test_verification_api_and_page(world, frameworks, client, api_client):
    import_labels(user=world["label_admin"], text=CSV_OK, source="ESCA")
    body = api_client.get("/api/excellence/labels/ESCA-2/").json()
    assert body["status"] == "expired" and body["valid"] is False
    assert body["organisation"] == "Bavarian Cluster Agency"
    assert api_client.get("/api/excellence/labels/NOPE/").status_code == 404
    page = client.get("/excellence/labels/ESCA-2/")
    assert page.status_code == 200 and "Expired" in page.content.decode()
    assert client.get("/excellence/labels/NOPE/").status_code == 404


def test_registry_page_filters_and_map_points(world, frameworks, client):
    today = timezone.localdate()
    gold, bronze = LabelLevel.objects.get(key="gold"), LabelLevel.objects.get(key="bronze")
    Label.objects.create(
        number="V-G",
        organisation=world["org"],
        level=gold,
        awarded_on=today,
        expires_on=add_years(today, 2),
    )
    Label.objects.create(
        number="V-B",
        organisation=world["foreign_org"],
        level=bronze,
        awarded_on=today,
        expires_on=add_years(today, 2),
    )
    Label.objects.create(
        number="E-B",
        organisation=world["foreign_org"],
        level=bronze,
        awarded_on=add_years(today, -3),
        expires_on=add_years(today, -1),
    )
    html = client.get("/excellence/labels/").content.decode()
    assert "V-G" in html and "V-B" in html and "E-B" not in html
    html = client.get("/excellence/labels/?level=bronze&expired=on").content.decode()
    assert "V-B" in html and "E-B" in html and "V-G" not in html
    html = client.get("/excellence/labels/?country=in").content.decode()
    assert "V-G" in html and "V-B" not in html
    points = client.get("/excellence/labels/points.geojson").json()
    assert [f["properties"]["name"] for f in points["features"]] == ["Agra Footwear Association"]
    api = client.get("/api/excellence/labels/?level=gold").json()
    assert [x["number"] for x in api["results"]] == ["V-G"]


def test_matchmaking_counts_only_valid_labels(world, frameworks):
    from clusterobs.collaboration import selectors as collab

    today = timezone.localdate()
    gold = LabelLevel.objects.get(key="gold")
    Label.objects.create(
        number="M-1",
        organisation=world["org"],
        level=gold,
        awarded_on=today,
        expires_on=add_years(today, 2),
    )
    expired = Label.objects.create(
        number="M-2",
        organisation=world["rival"],
        level=gold,
        awarded_on=add_years(today, -3),
        expires_on=today,
    )
    from clusterobs.registry.models import OrganisationProfile

    OrganisationProfile.objects.update_or_create(
        organisation=world["rival"], defaults={"labels": ["Gold-like quality label"]}
    )
    profiles = {p.id: p for p in collab.candidate_profiles()}
    assert profiles[world["org"].pk].labels == frozenset({"Gold-like quality label"})
    assert profiles[world["rival"].pk].labels == frozenset()  # expired + free text: nothing
    for suggestion in collab.suggestions_for_organisation(world["org"], limit=50):
        assert not any(r.text.startswith("same labels") for r in suggestion.reasons)
    expired.expires_on = add_years(today, 1)
    expired.save()
    profiles = {p.id: p for p in collab.candidate_profiles()}
    assert profiles[world["rival"].pk].labels == frozenset({"Gold-like quality label"})
    match = next(
        s
        for s in collab.suggestions_for_organisation(world["org"], limit=50)
        if s.id == world["rival"].pk
    )
    label_reason = [r for r in match.reasons if r.text.startswith("same labels")]
    assert label_reason and label_reason[0].score == pytest.approx(0.5)


def test_profile_page_shows_the_badge_with_validity(world, frameworks, client):
    today = timezone.localdate()
    Label.objects.create(
        number="P-1",
        organisation=world["org"],
        level=LabelLevel.objects.get(key="gold"),
        awarded_on=today,
        expires_on=add_years(today, 2),
    )
    html = client.get(f"/collaboration/profiles/{world['org'].slug}/").content.decode()
    assert "Gold-like quality label" in html and add_years(today, 2).isoformat() in html


def test_funding_rules_can_require_a_label_level(world, frameworks):
    from clusterobs.programmes.rules import engine
    from clusterobs.programmes.rules.engine import Money
    from clusterobs.programmes.rules.facts import organisation_facts

    rules = {
        "scheme": "demo",
        "version": "1",
        "valid_from": "2020-01-01",
        "currency": "INR",
        "unit": "lakh",
        "source": "test",
        "components": [
            {
                "key": "export",
                "name": "Export promotion",
                "variants": [
                    {
                        "conditions": [{"fact": "labels", "op": "has_label", "value": "silver"}],
                        "bands": [{"share": "50"}],
                    }
                ],
            }
        ],
    }
    engine.validate(rules)
    today = timezone.localdate()
    cost = {"export": Money(Decimal(10), "INR", "lakh")}
    facts = organisation_facts(world["org"].pk, today)
    assert facts == {"labels": []}
    refused = engine.calculate(rules, facts=facts, costs=cost).components[0]
    assert not refused.eligible and "holds a valid silver label" in refused.reasons[-1]
    Label.objects.create(
        number="F-1",
        organisation=world["org"],
        level=LabelLevel.objects.get(key="gold"),
        awarded_on=today,
        expires_on=add_years(today, 2),
    )
    facts = organisation_facts(world["org"].pk, today)
    assert facts["labels"] == ["bronze", "gold", "silver"]  # gold includes the lower levels
    granted = engine.calculate(rules, facts=facts, costs=cost).components[0]
    assert granted.eligible and granted.grant.amount == 5
    later = organisation_facts(world["org"].pk, add_years(today, 2))
    assert later == {"labels": []}  # expired on the calculation date


def test_funding_calculator_api_reads_the_label(world, frameworks, api_client):
    from clusterobs.programmes.models import RuleSet

    RuleSet.objects.create(
        scheme_key="demo",
        version="1",
        valid_from=dt.date(2020, 1, 1),
        source="test",
        definition={
            "scheme": "demo",
            "version": "1",
            "valid_from": "2020-01-01",
            "currency": "INR",
            "unit": "lakh",
            "source": "test",
            "components": [
                {
                    "key": "export",
                    "name": "Export",
                    "variants": [
                        {
                            "conditions": [{"fact": "labels", "op": "has_label", "value": "gold"}],
                            "bands": [{"share": "50"}],
                        }
                    ],
                }
            ],
        },
    )
    body = {
        "scheme": "demo",
        "costs": {"export": "10"},
        "organisation": world["org"].slug,
        "facts": {"labels": ["gold"]},
    }
    result = api_client.post("/api/funding-calculator/", body, format="json").json()
    assert result["components"][0]["eligible"] is False  # a claimed label is not believed
    today = timezone.localdate()
    Label.objects.create(
        number="F-2",
        organisation=world["org"],
        level=LabelLevel.objects.get(key="gold"),
        awarded_on=today,
        expires_on=add_years(today, 2),
    )
    result = api_client.post("/api/funding-calculator/", body, format="json").json()
    assert result["components"][0]["eligible"] is True
    body["organisation"] = "nobody"
    assert api_client.post("/api/funding-calculator/", body, format="json").status_code == 400


def test_funding_calculator_page_reads_the_label(world, frameworks, client):
    from clusterobs.programmes.models import RuleSet

    RuleSet.objects.create(
        scheme_key="demo",
        version="1",
        valid_from=dt.date(2020, 1, 1),
        source="test",
        definition={
            "scheme": "demo",
            "version": "1",
            "valid_from": "2020-01-01",
            "currency": "INR",
            "unit": "lakh",
            "source": "test",
            "components": [
                {
                    "key": "export",
                    "name": "Export",
                    "variants": [
                        {
                            "conditions": [
                                {"fact": "labels", "op": "has_label", "value": "bronze"}
                            ],
                            "bands": [{"share": "50"}],
                        }
                    ],
                }
            ],
        },
    )
    query = {
        "scheme": "demo",
        "unit": "lakh",
        "costs": "export = 10",
        "organisation": world["org"].slug,
    }
    html = client.get("/programmes/calculator/", query).content.decode()
    assert "condition not met: holds a valid bronze label" in html
    today = timezone.localdate()
    Label.objects.create(
        number="W-1",
        organisation=world["org"],
        level=LabelLevel.objects.get(key="silver"),
        awarded_on=today,
        expires_on=add_years(today, 2),
    )
    html = client.get("/programmes/calculator/", query).content.decode()
    assert "condition met: holds a valid bronze label" in html
