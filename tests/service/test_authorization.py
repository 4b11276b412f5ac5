"""Who may reach what: a matrix of roles against every route, each cell an expected status.

Candidates reach only `/me`; an official only their own state; administrators the audit trail.
Run as one test per database (building the accounts once), reporting every wrong cell at once.
"""
from conftest import sample_profile

CATEGORY = {"title": "ICT", "definition": {"occupations": ["25"]}}
CEILING = {"annual_invitation_ceiling": 100}
OVERLAY_DE = None  # filled from the shipped overlay in the test


ROUTES = [
    # (method, path, body) -> expected status per role
    ("GET", "/api/v1/states", None),
    ("GET", "/api/v1/me", None),
    ("GET", "/api/v1/me/profile", None),
    ("PUT", "/api/v1/me/profile", sample_profile()),
    ("POST", "/api/v1/me/profile/renewal", None),
    ("GET", "/api/v1/me/export", None),
    ("GET", "/api/v1/states/DE/overlay", None),
    ("PUT", "/api/v1/states/DE/overlay", "overlay"),
    ("GET", "/api/v1/states/DE/overlay/revisions", None),
    ("GET", "/api/v1/states/DE/ceiling", None),
    ("PUT", "/api/v1/states/DE/ceiling", CEILING),
    ("GET", "/api/v1/states/DE/categories", None),
    ("PUT", "/api/v1/states/DE/categories/ict", CATEGORY),
    ("GET", "/api/v1/states/DE/categories/ict", None),
    ("GET", "/api/v1/audit-events", None),
    ("GET", "/api/v1/states/XX/overlay", None),
]
ROLES = ["anonymous", "candidate", "official_de", "official_fr", "admin"]
CANDIDATE = {"anonymous": 401, "candidate": 200, "official_de": 403, "official_fr": 403, "admin": 403}
DE_OFFICIAL = {"anonymous": 401, "candidate": 403, "official_de": 200, "official_fr": 403, "admin": 403}
EXPECTED = {
    "GET /api/v1/states": dict.fromkeys(ROLES, 200),
    "GET /api/v1/me": {**dict.fromkeys(ROLES, 200), "anonymous": 401},
    "GET /api/v1/me/profile": CANDIDATE,
    "PUT /api/v1/me/profile": CANDIDATE,
    "POST /api/v1/me/profile/renewal": CANDIDATE,
    "GET /api/v1/me/export": CANDIDATE,
    "GET /api/v1/states/DE/overlay": DE_OFFICIAL,
    "PUT /api/v1/states/DE/overlay": DE_OFFICIAL,
    "GET /api/v1/states/DE/overlay/revisions": DE_OFFICIAL,
    "GET /api/v1/states/DE/ceiling": DE_OFFICIAL,
    "PUT /api/v1/states/DE/ceiling": DE_OFFICIAL,
    "GET /api/v1/states/DE/categories": DE_OFFICIAL,
    "PUT /api/v1/states/DE/categories/ict": DE_OFFICIAL,
    "GET /api/v1/states/DE/categories/ict": DE_OFFICIAL,
    "GET /api/v1/audit-events": {**dict.fromkeys(ROLES, 403), "anonymous": 401, "admin": 200},
    # No such state: an official learns only that it does not exist; others are stopped by role.
    # No such state: a 404 for everyone, as `?state=XX` is (the list of states is public).
    "GET /api/v1/states/XX/overlay": dict.fromkeys(ROLES, 404),
}


def test_the_authorisation_matrix(client, make_account):
    people = {
        "anonymous": {"headers": {}},
        "candidate": make_account(),
        "official_de": make_account("official", "DE"),
        "official_fr": make_account("official", "FR"),
        "admin": make_account("admin"),
    }
    overlay = client.get("/api/v1/states/DE/overlay", headers=people["official_de"]["headers"]).get_json()["overlay"]
    client.put("/api/v1/me/profile", json=sample_profile(), headers=people["candidate"]["headers"])
    client.put("/api/v1/states/DE/categories/ict", json=CATEGORY, headers=people["official_de"]["headers"])
    wrong = []
    for method, path, body in ROUTES:
        body = overlay if body == "overlay" else body
        for role in ROLES:
            response = client.open(path, method=method, json=body, headers=people[role]["headers"])
            expected = EXPECTED[f"{method} {path}"][role]
            if response.status_code != expected:
                wrong.append(f"{role} {method} {path}: {response.status_code}, expected {expected}")
            if response.status_code >= 400:
                assert set(response.get_json()) == {"code", "status", "message", "errors"}
    assert not wrong, "\n".join(wrong)


def test_refusals_do_not_change_anything(client, make_account):
    official_fr = make_account("official", "FR")
    official_de = make_account("official", "DE")
    refused = client.put("/api/v1/states/DE/ceiling", json=CEILING, headers=official_fr["headers"])
    assert refused.status_code == 403
    assert "FR" in refused.get_json()["message"]
    assert client.get("/api/v1/states/DE/ceiling", headers=official_de["headers"]).get_json()[
        "annual_invitation_ceiling"] is None


def test_a_candidate_sees_only_their_own_profile(client, make_account):
    ana, ben = make_account(), make_account()
    client.put("/api/v1/me/profile", json=sample_profile(), headers=ana["headers"])
    assert client.get("/api/v1/me/profile", headers=ben["headers"]).status_code == 404
    assert client.get("/api/v1/me/export", headers=ben["headers"]).get_json()["profile"] is None
    client.put("/api/v1/me/profile", json=sample_profile(education_level=3), headers=ben["headers"])
    assert client.get("/api/v1/me/profile", headers=ana["headers"]).get_json()["education_level"] == 6
    assert client.get("/api/v1/me/profile", headers=ben["headers"]).get_json()["candidate_id"] == ben["id"]
