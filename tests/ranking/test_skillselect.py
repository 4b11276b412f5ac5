"""SkillSelect: worked examples computed by hand, and the engine checked against a reference.

Every expected number below was worked out by hand from the Department of Home Affairs,
"Points table for Skilled Independent visa (subclass 189)",
https://immi.homeaffairs.gov.au/visas/getting-a-visa/visa-listing/skilled-independent-189/points-table
(with the 190 and 491 nomination rows; consulted 2026-11-22 through republished copies, see
tests/reference/skillselect.py). Pass mark 65; the candidate must be under 45 when invited.
Each example is asserted against the reference scorer and against the engine.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

import ranking
import strategies
from reference import skillselect


def candidate(age, english, overseas, australian, qualification, partner, nomination="none", *,
              specialist=False, australian_study=False, professional_year=False,
              community_language=False, regional_study=False):
    return {"age": age, "english": english, "overseas_work_years": overseas,
            "australian_work_years": australian, "qualification": qualification,
            "specialist_education": specialist, "australian_study": australian_study,
            "professional_year": professional_year, "community_language": community_language,
            "regional_study": regional_study, "partner": partner, "nomination": nomination}


def expected(total, *failed):
    return {"total": total, "eligible": not failed, "failed": set(failed)}


EXAMPLES = [
    pytest.param(
        # The contract's example. Age 30 (25-32) 30; proficient 10; overseas 3 years 5 +
        # Australian 1 year 5 = 10; bachelor 15; single 10.  30+10+10+15+10 = 75 -> eligible.
        candidate(30, "proficient", 3, 1, "bachelor_or_master", "single_or_citizen"),
        expected(75), id="contract-example"),
    pytest.param(
        # Employment cap and every bonus row. Age 33 (33-39) 25; superior 20; overseas 8 years
        # 15 + Australian 8 years 20 = 35 -> capped 20; doctorate 20; specialist education 10;
        # Australian study 5; professional year 5; community language 5; regional study 5;
        # skilled partner 10; 491 nomination 15.
        # 25+20+20+20+10+5+5+5+5+10+15 = 140 -> eligible.
        candidate(33, "superior", 8, 8, "doctorate", "skilled", "regional_491", specialist=True,
                  australian_study=True, professional_year=True, community_language=True,
                  regional_study=True),
        expected(140), id="employment-cap-20-every-bonus"),
    pytest.param(
        # Age 45: no age points and refused on age although over the pass mark.
        # Age 45 -> 0; superior 20; overseas 10 years 15 + Australian 5 years 15 = 30 -> 20;
        # doctorate 20; single 10; 190 nomination 5.  0+20+20+20+10+5 = 75 -> fails age only.
        candidate(45, "superior", 10, 5, "doctorate", "single_or_citizen", "state_190"),
        expected(75, "age"), id="age-45-ineligible-despite-75"),
    pytest.param(
        # Exactly the pass mark. Age 40 (40-44) 15; proficient 10; overseas 5 years 10 +
        # Australian 3 years 10 = 20 (at the cap); bachelor 15; partner with competent English 5.
        # 15+10+20+15+5 = 65 -> eligible.
        candidate(40, "proficient", 5, 3, "bachelor_or_master", "competent_english"),
        expected(65), id="exactly-65-eligible"),
    pytest.param(
        # Below the pass mark. Age 24 (18-24) 25; competent 0; overseas 4 years 5; no Australian
        # work 0; diploma or trade 10; Australian study 5; professional year 5; single 10.
        # 25+0+5+0+10+5+5+10 = 60 -> fails the pass mark.
        candidate(24, "competent", 4, 0, "diploma_or_trade", "single_or_citizen",
                  australian_study=True, professional_year=True),
        expected(60, "pass_mark"), id="60-below-pass-mark"),
    pytest.param(
        # Both rules fail. Age 50 -> 0; competent 0; no work; no qualification; partner who
        # earns nothing 0; no nomination.  Total 0 -> fails age and pass mark.
        candidate(50, "competent", 0, 0, "none", "none"),
        expected(0, "age", "pass_mark"), id="age-50-and-zero-points"),
    pytest.param(
        # Aged 17: the table gives no age points, but the age rule only refuses 45 and over.
        # Age 17 -> 0; superior 20; overseas 2 years 0 + Australian 2 years 5 = 5; recognised
        # award 10; community language 5; regional study 5; single 10; 491 nomination 15.
        # 0+20+5+10+5+5+10+15 = 70 -> eligible.
        candidate(17, "superior", 2, 2, "recognised_award", "single_or_citizen", "regional_491",
                  community_language=True, regional_study=True),
        expected(70), id="age-17-no-points-not-refused"),
    pytest.param(
        # Age 44 is the last scoring year. Age 44 -> 15; competent 0; overseas 8 years 15;
        # no qualification; partner who earns nothing 0; 190 nomination 5.
        # 15+0+15+0+0+5 = 35 -> fails the pass mark only.
        candidate(44, "competent", 8, 0, "none", "none", "state_190"),
        expected(35, "pass_mark"), id="age-44-still-scores"),
    pytest.param(
        # Australian work alone reaches the cap. Age 25 (25-32) 30; superior 20; overseas 2
        # years 0 + Australian 10 years 20 = 20; bachelor 15; partner who earns nothing 0.
        # 30+20+20+15+0 = 85 -> eligible.
        candidate(25, "superior", 2, 10, "bachelor_or_master", "none"),
        expected(85), id="australian-work-alone-at-cap"),
    pytest.param(
        # Band edges 39 and 7/4 years. Age 39 (33-39) 25; proficient 10; overseas 7 years 10 +
        # Australian 4 years 10 = 20; bachelor 15; skilled partner 10.
        # 25+10+20+15+10 = 80 -> eligible.
        candidate(39, "proficient", 7, 4, "bachelor_or_master", "skilled"),
        expected(80), id="band-edges-39-7-4"),
]


def _summary(scored: dict) -> dict:
    return {"total": scored["total"], "eligible": scored["eligible"], "failed": scored["failed"]}


@pytest.mark.parametrize("profile, want", EXAMPLES)
def test_reference_matches_hand_computed_example(profile, want):
    assert _summary(skillselect.score(profile)) == want


@given(strategies.skillselect_batch(max_size=60))
@settings(max_examples=60, deadline=None)
def test_reference_eligibility_follows_the_two_published_rules(profiles):
    """Under 45 and at least 65 points, nothing else; the highest possible total is 30+20+20+20+
    10+5+5+5+5+10+15 = 145 by the table's row maxima."""
    for profile in profiles:
        scored = skillselect.score(profile)
        assert 0 <= scored["total"] <= 145
        assert scored["eligible"] == (profile["age"] < 45 and scored["total"] >= 65)


@pytest.fixture(scope="module")
def grid():
    return ranking.load_grid("skillselect")


def _reason_problems(failed: set, eligible: bool, reasons: list[str]) -> list[str]:
    """What is wrong with the engine's reasons for a candidate the reference says `failed`."""
    problems = []
    if eligible != (not reasons):
        problems.append(f"eligible={eligible} but reasons={reasons}")
    if "age" in failed and not any("age" in r.lower() or "45" in r for r in reasons):
        problems.append(f"no reason mentions the age limit: {reasons}")
    if "pass_mark" in failed and not any("65" in r for r in reasons):
        problems.append(f"no reason mentions the pass mark of 65: {reasons}")
    if not failed and reasons:
        problems.append(f"eligible candidate given reasons {reasons}")
    return problems


def _engine_rows(grid, profiles):
    scores = grid.score(grid.encode(profiles))
    return [{"total": int(scores.total[i]), "eligible": bool(scores.eligible[i]),
             "reasons": list(scores.reasons(i))} for i in range(len(profiles))]


def _disagreements(profiles, rows):
    lines = []
    for i, (profile, got) in enumerate(zip(profiles, rows)):
        want = skillselect.score(profile)
        problems = _reason_problems(want["failed"], got["eligible"], got["reasons"])
        if (got["total"], got["eligible"]) != (want["total"], want["eligible"]) or problems:
            lines.append(f"profile {i}: {profile}\n  reference {_summary(want)}\n"
                         f"  engine    {got}\n  {problems}")
    return lines


@pytest.mark.parametrize("profile, want", EXAMPLES)
def test_engine_matches_hand_computed_example(grid, profile, want):
    got = _engine_rows(grid, [profile])[0]
    assert (got["total"], got["eligible"]) == (want["total"], want["eligible"])
    assert not _reason_problems(want["failed"], got["eligible"], got["reasons"])


def test_engine_scores_the_examples_as_one_batch(grid):
    profiles = [param.values[0] for param in EXAMPLES]
    assert not _disagreements(profiles, _engine_rows(grid, profiles))


@given(strategies.skillselect_batch())
@settings(max_examples=40, deadline=None)
def test_engine_agrees_with_reference_on_random_profiles(grid, profiles):
    problems = _disagreements(profiles, _engine_rows(grid, profiles))
    assert not problems, f"{len(problems)} of {len(profiles)} disagree:\n" + "\n".join(problems[:5])


# --------------------------------------------------------------------------- invalid input

@given(st.lists(strategies.skillselect_profile(), max_size=12),
       strategies.invalid_skillselect_profile(), st.data())
@settings(max_examples=150, deadline=None)
def test_engine_names_the_profile_and_field_of_a_defect(grid, valid, invalid, data):
    broken, field = invalid
    index = data.draw(st.integers(0, len(valid)), label="index")
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode(valid[:index] + [broken] + valid[index:])
    assert (caught.value.index, caught.value.field) == (index, field)


BASE = EXAMPLES[0].values[0]


def _with(path, value, *, delete=False):
    return strategies.apply_defect(BASE, ("missing" if delete else "set", path, value))


INVALID_EXAMPLES = [
    pytest.param(_with("occupation", "261313"), "occupation", id="unknown-field"),
    pytest.param(_with("nomination", None, delete=True), "nomination", id="missing-field"),
    pytest.param(_with("age", 121), "age", id="age-over-120"),
    pytest.param(_with("overseas_work_years", 11), "overseas_work_years", id="work-over-10"),
    pytest.param(_with("australian_work_years", -1), "australian_work_years", id="work-negative"),
    pytest.param(_with("english", "fluent"), "english", id="unknown-english-label"),
    pytest.param(_with("nomination", "state_189"), "nomination", id="unknown-nomination-label"),
    pytest.param(_with("age", False), "age", id="bool-for-int"),
    pytest.param(_with("overseas_work_years", 3.0), "overseas_work_years", id="float-for-int"),
    pytest.param(_with("professional_year", "no"), "professional_year", id="string-for-bool"),
]


@pytest.mark.parametrize("broken, field", INVALID_EXAMPLES)
def test_engine_rejects_invalid_example(grid, broken, field):
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode([BASE, broken])
    assert (caught.value.index, caught.value.field) == (1, field)


def test_unknown_label_message_lists_the_allowed_values(grid):
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode([_with("partner", "married")])
    message = str(caught.value)
    missing = [label for label in strategies.SKILLSELECT_PARTNER if label not in message]
    assert not missing, f"message {message!r} does not list {missing}"
