"""The console's rules pages: the overlay editor's preview-then-save, the revisions with their
dates, and the administrators' page of which states take part."""
from __future__ import annotations

import datetime as dt

from profile_form_posts import csrf_token
from rounds.rounds_helpers import add_pool, rank
from test_official_console import sign_in

NOW = dt.datetime(2027, 2, 10, 12, 0, tzinfo=dt.UTC)


def editor_form(page: str, **changes) -> dict:
    form = {"csrf_token": csrf_token(page), "effective_from": "2027-03-01", "min_total": "300",
            "languages": ["de"], "shortage_occupations": "2211\n2221", "occupation_query": "", "job_offer": "50",
            "language_A2": "5", "language_B1": "10", "language_B2": "15", "language_C1": "20", "language_C2": "20",
            "shortage_1": "20", "shortage_2": "30", "shortage_3": "40", "shortage_5": "50", "version": ""}
    form.update(changes)
    return form


def test_an_official_previews_then_saves_a_dated_change(app, client, make_account, frozen_clock):
    frozen_clock.moment = NOW
    add_pool(app, 200, seed=9)
    rank(app)
    official = make_account("official", "DE")
    sign_in(client, official["email"])
    page = client.get("/official/rules/overlay")
    assert page.status_code == 200 and 'value="2027-02-11"' in page.text  # the next ranking's date
    assert 'value="save"' not in page.text  # no Save before a preview
    found = client.post("/official/rules/overlay", data=editor_form(page.text, occupation_query="nurse", action="find"))
    assert found.status_code == 200 and "2221" in found.text
    preview = client.post("/official/rules/overlay", data=editor_form(page.text, min_total="420", action="preview"))
    assert preview.status_code == 200, preview.text
    assert "Preview from March 1, 2027" in preview.text and "No longer eligible" in preview.text
    assert 'value="save"' in preview.text
    unlabelled = client.post("/official/rules/overlay", data=editor_form(page.text, min_total="420", action="save"))
    assert unlabelled.status_code == 422 and 'href="#version"' in unlabelled.text
    saved = client.post("/official/rules/overlay",
                        data=editor_form(page.text, min_total="420", version="march-minimum", action="save"))
    assert saved.status_code == 303, saved.text
    overview = client.get(saved.headers["Location"])
    assert "march-minimum" in overview.text and "March 1, 2027" in overview.text and "Upcoming" in overview.text


def test_points_beyond_their_limits_are_refused_on_the_field(client, make_account, frozen_clock):
    frozen_clock.moment = NOW
    official = make_account("official", "DE")
    sign_in(client, official["email"])
    page = client.get("/official/rules/overlay")
    response = client.post("/official/rules/overlay", data=editor_form(page.text, job_offer="80", action="preview"))
    assert response.status_code == 422
    assert 'href="#job_offer"' in response.text and "from 0 to 50" in response.text
    past = client.post("/official/rules/overlay", data=editor_form(page.text, effective_from="2027-01-01",
                                                                   action="preview"))
    assert past.status_code == 422 and 'href="#effective_from"' in past.text


def test_an_administrator_records_that_a_state_stops_taking_part(client, make_account, frozen_clock):
    frozen_clock.moment = NOW
    admin = make_account("admin")
    sign_in(client, admin["email"])
    page = client.get("/official/rules/participation")
    assert page.status_code == 200 and "Protocol 22" in page.text
    response = client.post("/official/rules/participation", data={
        "csrf_token": csrf_token(page.text), "state": "AT", "choice": "no", "effective_from": "2027-04-01",
        "reason": "Decided by the government."})
    assert response.status_code == 303
    assert "April 1, 2027" in client.get("/official/rules/participation").text
    official = make_account("official", "AT")
    client.post("/sign-out", data={"csrf_token": csrf_token(page.text)})
    sign_in(client, official["email"])
    assert client.get("/official/rules/participation").status_code == 403


def test_an_official_previews_then_saves_a_category(app, client, make_account, frozen_clock):
    frozen_clock.moment = NOW
    add_pool(app, 200, seed=9)
    rank(app)
    official = make_account("official", "DE")
    sign_in(client, official["email"])
    page = client.get("/official/rules/categories")
    assert page.status_code == 200 and 'value="save"' not in page.text
    form = {"csrf_token": csrf_token(page.text), "key": "ict", "title": "ICT professionals", "occupations": "25",
            "min_years": "", "min_education_level": ""}
    preview = client.post("/official/rules/categories", data={**form, "action": "preview"})
    assert preview.status_code == 200 and "No longer eligible" in preview.text and 'value="save"' in preview.text
    bad = client.post("/official/rules/categories", data={**form, "key": "Not A Key", "action": "preview"})
    assert bad.status_code == 422 and 'href="#key"' in bad.text
    saved = client.post("/official/rules/categories", data={**form, "action": "save"})
    assert saved.status_code == 303
    assert "ICT professionals" in client.get(saved.headers["Location"]).text


def test_a_category_change_takes_effect_on_its_date_and_the_page_lists_its_revisions(app, client, make_account,
                                                                                     frozen_clock):
    frozen_clock.moment = NOW
    official = make_account("official", "DE")
    sign_in(client, official["email"])
    page = client.get("/official/rules/categories?lang=en")
    assert 'value="2027-02-11"' in page.text  # the next ranking's date, by default
    form = {"csrf_token": csrf_token(page.text), "key": "ict", "title": "ICT professionals", "occupations": "25",
            "min_years": "", "min_education_level": "", "action": "save"}
    assert client.post("/official/rules/categories", data=form).status_code == 303
    too_early = client.post("/official/rules/categories", data={**form, "effective_from": "2027-02-01"})
    assert too_early.status_code == 422 and 'href="#effective_from"' in too_early.text
    later = client.post("/official/rules/categories",
                        data={**form, "occupations": "25\n35", "effective_from": "2027-03-01"})
    assert later.status_code == 303
    listed = client.get(later.headers["Location"] + "?lang=en").text
    assert "This revision takes effect on 2027-03-01." in listed
    table = listed.split('id="category-ict"')[1].split("</table>")[0]
    rows = table.split("<tr>")[2:]
    assert ["February 11, 2027" in rows[0], "In force" in rows[0]] == [True, True]
    assert ["March 1, 2027" in rows[1], "Upcoming" in rows[1], "25, 35" in rows[1]] == [True, True, True]
