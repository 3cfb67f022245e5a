"""Web entry of one firm's survey answers: the instrument's questions as fields, the import's
rules, edits replace a year, unanswered questions stay out of the panel, only editors of the
initiative may enter."""

from __future__ import annotations

import pytest
from django.test import Client

from clusterobs.programmes import selectors
from clusterobs.programmes.models import Firm, SurveyResponse

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _post(**changes) -> dict:
    data = {
        "firm": "F-001",
        "firm_name": "Agra Shoes Pvt Ltd",
        "cluster_name": "Agra footwear",
        "in_treated_cluster": "on",
        "participant": "on",
        "year": "2022",
        "employment": "42",
        "trust": "4",
        "credit_access": "yes",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _url(programme) -> str:
    return f"/programmes/{programme['initiative'].slug}/survey/"


def test_form_lists_every_question_of_the_instrument(programme, users) -> None:
    page = _client(users["editor"]).get(_url(programme)).content.decode()
    for q in selectors.survey_instrument()["questions"]:
        assert f'name="{q["key"]}"' in page


def test_entry_builds_the_firm_panel_and_a_year_is_replaced(programme, users) -> None:
    client = _client(users["manager"])  # manages the implementing agency
    r = client.post(_url(programme), _post())
    assert r.status_code == 302, r.content.decode()[:2000]
    response = SurveyResponse.objects.get(firm__key="F-001", year=2022)
    assert response.answers == {"employment": "42", "trust": "4", "credit_access": True}
    panel = selectors.firm_panel(programme["initiative"], outcome="employment")
    assert panel["y"].tolist() == [42.0]
    # unanswered questions are not in the panel, not zero
    assert selectors.firm_panel(programme["initiative"], outcome="exports").empty
    # the same firm and year again: answers replaced, still one row
    client.post(_url(programme), _post(employment="45", trust="", credit_access=""))
    response.refresh_from_db()
    assert response.answers == {"employment": "45"}
    assert SurveyResponse.objects.count() == 1
    # the recorded response opens for editing
    page = client.get(_url(programme) + "?firm=F-001&year=2022").content.decode()
    assert 'value="45"' in page and 'value="Agra footwear"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"trust": "7"}, "less than or equal to 5"),
        ({"employment": "-1"}, "greater than or equal to 0"),
        ({"in_treated_cluster": None}, "A participant must be in a treated cluster"),
        ({"employment": "", "trust": "", "credit_access": ""}, "Answer at least one question"),
        ({"year": ""}, "This field is required"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(programme, users, changes, message) -> None:
    r = _client(users["editor"]).post(_url(programme), _post(**changes))
    assert r.status_code == 200
    assert message in r.content.decode()
    assert SurveyResponse.objects.count() == 0 and Firm.objects.count() == 0


def test_a_firm_keeps_its_cluster_across_years(programme, users) -> None:
    client = _client(users["editor"])
    client.post(_url(programme), _post())
    r = client.post(_url(programme), _post(year="2023", cluster_name="Kanpur leather"))
    assert "already in the panel with another cluster" in r.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_only_editors_of_the_initiative_enter_answers(programme, users) -> None:
    url = _url(programme)
    assert Client().get(url).status_code == 302
    for role in ("viewer", "other_manager"):
        assert _client(users[role]).get(url).status_code in (403, 404)
        assert _client(users[role]).post(url, _post()).status_code in (403, 404)
    assert _client(programme["funder"]).post(url, _post()).status_code in (403, 404)
    assert SurveyResponse.objects.count() == 0
