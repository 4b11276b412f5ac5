"""Member-state overlays: what a state may change, and what it may not."""
import pytest

import ranking


def overlay(**changes):
    base = {"state": "DE", "version": "test", "languages": ["de"], "shortage_occupations": ["2512"]}
    base.update(changes)
    return base


@pytest.mark.parametrize("points, problem", [
    ({"state_language": {"A1": 0, "A2": 5, "B1": 10, "B2": 15, "C1": 30, "C2": 30}}, "at most 20 points per entry"),
    ({"job_offer": 90}, "at most 50 points per entry"),
    ({"shortage_occupation": [0, 20, 30, 40, 70]}, "at most 50 points per entry"),
    ({"shortage_occupation": [9, 20, 30, 40, 50]}, "nothing matching"),
    ({"shortage_occupation": [0, 20, 30]}, "a list of 5 points"),
    ({"residence": 10}, "not a state factor"),
])
def test_a_state_cannot_outbid_the_common_grid_with_its_own_points(points, problem):
    with pytest.raises(ranking.GridError, match=problem) as caught:
        ranking.load_grid("eu").with_overlays({"DE": overlay(points=points)})
    assert caught.value.where.startswith("points.")


def test_a_state_may_lower_or_reshape_its_additions_within_the_grid():
    grid = ranking.load_grid("eu").with_overlays({"DE": overlay(points={"job_offer": 20})})
    profile = {"date_of_birth": "1990-01-01", "education_level": 7,
               "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "C1", "writing": "C1"}],
               "experience": [{"occupation": "2512", "years": 6}], "job_offer": None,
               "verified_job_offer": {"state": "DE", "occupation": "2512"},
               "eu_study": False, "eu_work": False, "talent_partnership": False, "preferences": ["DE", "AT"]}
    scores = grid.score(grid.encode([profile]))
    germany, austria = scores.explain(0)["states"]
    assert germany["additions"]["job_offer"] == 20  # lowered by Germany's overlay
    assert germany["additions"]["shortage_occupation"] == 50  # 6 years on its list
    assert austria["additions"]["job_offer"] == 0  # the offer is from Germany


def test_overlay_validation_names_the_state_and_the_field():
    with pytest.raises(ranking.GridError) as caught:
        ranking.validate_overlay("eu", overlay(languages=["de", "klingon"]))
    assert caught.value.source == "overlay DE"
    assert caught.value.where == "languages[1]"
