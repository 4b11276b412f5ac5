"""EU grid: worked examples computed by hand, and the engine checked against an independent reference.

Every expected number below was worked out by hand from `docs/eu-grid.md` (grid 2026.1) and
the shipped overlays; the comment on each example shows the arithmetic, so a disagreement can be
settled by reading the page, not the code. Each example is asserted against the reference
scorer (`tests/reference/eu.py`, written from the page alone) and against the engine. Random
profiles and random overlays then compare the two field by field.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest
from hypothesis import Phase, given, settings, strategies as st

import ranking
import strategies_eu
from reference import eu

AS_OF = dt.date(2026, 11, 22)
RULE_KEYS = {"adult": "18", "language": "B1", "qualification_or_experience": "EQF"}


def lang(code, listening, reading, speaking, writing):
    return {"language": code, "listening": listening, "reading": reading, "speaking": speaking,
            "writing": writing}


def job(code, years):
    return {"occupation": code, "years": years}


# Age 32 on AS_OF (110), EQF 6 (100), English B2 in all four skills (80, level B2), nothing
# else: combinations EQF 5-6 x B2 = 10; total 110 + 100 + 80 + 10 = 300. Austria adds nothing.
BASE = {"date_of_birth": "1994-05-17", "education_level": 6,
        "languages": [lang("en", "B2", "B2", "B2", "B2")], "experience": [], "job_offer": None,
        "eu_study": False, "eu_work": False, "talent_partnership": False, "preferences": ["AT"]}


def candidate(**changes) -> dict:
    profile = copy.deepcopy(BASE)
    profile.update(changes)
    return profile


def state(code, total, **additions):
    return {"state": code, "total": total, **additions}


DOC_EXAMPLE = candidate(
    education_level=6, talent_partnership=True,
    languages=[lang("en", "C1", "C1", "B2", "B2"), lang("de", "B1", "B2", "A2", "A2")],
    experience=[job("2512", 4), job("9112", 2)], verified_job_offer={"state": "DE", "occupation": "2512"},
    preferences=["DE", "NL", "IE"])

# docs/eu-grid.md, "Elementary occupations": NL lists 9333 (freight handlers, major group 9).
# EQF 3 (20) and no skilled years fail rule 3 only. Age 32 (110), Dutch C2 x 4 (120), English
# C2 x 4 second (120 -> 30), no combinations (EQF 3, no skilled years), study + work + TP 70 -> 60:
# common 110 + 20 + 120 + 30 + 0 + 0 + 60 = 340, not eligible.
ELEMENTARY = candidate(
    education_level=3, eu_study=True, eu_work=True, talent_partnership=True,
    languages=[lang("nl", "C2", "C2", "C2", "C2"), lang("en", "C2", "C2", "C2", "C2")],
    experience=[job("9333", 5)], verified_job_offer={"state": "NL", "occupation": "9333"}, preferences=["NL", "DE"])

EXAMPLES = [
    pytest.param(
        # NL waives rule 3 (5 >= 2 years in its listed 9333): Dutch 20 x 4 = 80, 9333 5 years 50,
        # job offer 50: 180 -> cap 150; 340 + 150 = 490 >= NL's 300. DE lists no group 9: no total.
        ELEMENTARY,
        {"total": 340, "eligible": False, "failed": {"qualification_or_experience"},
         "states": [state("NL", 490, state_language=80, shortage_occupation=50, job_offer=50,
                          state_additions=150),
                    state("DE", None, state_language=0, shortage_occupation=0, job_offer=0)]},
        id="elementary-occupation-waived-by-the-listing-state-only"),
    pytest.param(
        # One year in 9333 is under the two the waiver asks: no total at NL either (9333 1 year: 20).
        {**ELEMENTARY, "experience": [job("9333", 1)]},
        {"total": 340, "eligible": False,
         "states": [state("NL", None, shortage_occupation=20), state("DE", None)]},
        id="elementary-occupation-one-year-is-not-enough"),
    pytest.param(
        # Two years in 9112 (cleaners), which NL does not list: rule 3 holds at NL too.
        {**ELEMENTARY, "experience": [job("9112", 2)]},
        {"total": 340, "eligible": False,
         "states": [state("NL", None, shortage_occupation=0), state("DE", None)]},
        id="elementary-occupation-not-on-the-list"),
    pytest.param(
        # The waiver lifts rule 3 only: with Dutch and English at A2 the language rule fails too.
        {**ELEMENTARY, "languages": [lang("nl", "A2", "A2", "A2", "A2")]},
        {"eligible": False, "failed": {"language", "qualification_or_experience"},
         "states": [state("NL", None), state("DE", None)]},
        id="elementary-occupation-waives-no-other-rule"),
    pytest.param(
        # The page's own worked example, every figure as the page prints it.
        DOC_EXAMPLE,
        {"age": 110, "education": 100, "best_language": 94, "second_language": 10,
         "skilled_experience": 80, "human_capital": 394, "education_and_language": 10,
         "experience_and_language": 10, "combinations": 20, "talent_partnership": 30,
         "additional": 30, "total": 444, "eligible": True, "failed": set(),
         "states": [state("DE", 569, state_language=35, shortage_occupation=40, job_offer=50,
                          state_additions=125),
                    state("NL", 484, state_language=0, shortage_occupation=40, job_offer=0,
                          state_additions=40),
                    state("IE", 554, state_language=70, shortage_occupation=40, job_offer=0,
                          state_additions=110)]},
        id="doc-worked-example"),
    pytest.param(
        # Skilled years: 2512 (group 2) 2 + 1120 (group 1) 1 = 3 -> 70; 9112 (group 9) and
        # 0110 (armed forces) earn nothing. Combinations: EQF 6 x B2 10 + 3 years x B2 10 = 20.
        # Human capital 110 + 100 + 80 + 0 + 70 = 360; total 380.
        # DE: no German 0; 2512 is on the DE list, 2 years -> 30; total 410 (DE minimum 300).
        candidate(experience=[job("2512", 2), job("9112", 3), job("0110", 4), job("1120", 1)],
                  preferences=["DE"]),
        {"skilled_experience": 70, "experience_and_language": 10, "combinations": 20,
         "human_capital": 360, "total": 380, "eligible": True,
         "states": [state("DE", 410, state_language=0, shortage_occupation=30, state_additions=30)]},
        id="skilled-years-exclude-major-groups-9-and-0"),
    pytest.param(
        # EQF 3 (20) and only elementary (9112) and armed-forces (0110) years: no skilled years,
        # so neither EQF 4+ nor two skilled years -> not in the pool.
        # Combinations: EQF 3 and 0 years give nothing. 110 + 20 + 80 = 210.
        candidate(education_level=3, experience=[job("9112", 5), job("0110", 5)],
                  preferences=["PL", "FI"]),
        {"education": 20, "skilled_experience": 0, "combinations": 0, "total": 210,
         "eligible": False, "failed": {"qualification_or_experience"},
         "states": [state("PL", None, state_additions=0), state("FI", None, state_additions=0)]},
        id="elementary-years-do-not-qualify"),
    pytest.param(
        # English B2 x 4 and French B2 x 4 tie for strongest at 80; German A1 A1 A1 B2 is 20.
        # Best 80; the second is as strong as the first: 80 -> 4 full twenties -> 20.
        # Total 110 + 100 + 80 + 20 + 0 + 10 = 320. AT (German): writing B2 15 -> 335.
        candidate(languages=[lang("en", "B2", "B2", "B2", "B2"), lang("de", "A1", "A1", "A1", "B2"),
                             lang("fr", "B2", "B2", "B2", "B2")]),
        {"best_language": 80, "second_language": 20, "total": 320,
         "states": [state("AT", 335, state_language=15)]},
        id="second-language-ties-the-best"),
    pytest.param(
        # German A1 A1 A1 C2 (30) and French A1 A2 A2 B2 (0+5+5+20 = 30) tie: best 30, second
        # strength 30 -> 1 full twenty -> 5. Weakest skills are A1: below B1 -> not in the
        # pool, no combinations. Total 110 + 100 + 30 + 5 = 245. AT (German): writing C2 20.
        candidate(languages=[lang("de", "A1", "A1", "A1", "C2"), lang("fr", "A1", "A2", "A2", "B2")]),
        {"best_language": 30, "second_language": 5, "combinations": 0, "total": 245,
         "eligible": False, "failed": {"language"},
         "states": [state("AT", None, state_language=20)]},
        id="tie-between-weak-languages"),
    pytest.param(
        # English C2 x 4 = 120, French C2 C2 C2 C1 = 117 -> 5 full twenties -> 25 (120 would
        # give 30). Level C1+: EQF 5-6 x C1+ 20. Total 110 + 100 + 120 + 25 + 20 = 375.
        candidate(languages=[lang("en", "C2", "C2", "C2", "C2"), lang("fr", "C2", "C2", "C2", "C1")]),
        {"best_language": 120, "second_language": 25, "combinations": 20, "total": 375},
        id="second-language-117-is-25"),
    pytest.param(
        # EQF 7 (120); English C2 C2 C2 B1 = 30+30+30+12 = 102, weakest B1: in the pool, but B1
        # earns no combinations. 2512 for 5 years -> 90.
        # Total 110 + 120 + 102 + 0 + 90 = 422. SE: 2512 listed, 5 years -> 50: 472.
        candidate(education_level=7, languages=[lang("en", "C2", "C2", "C2", "B1")],
                  experience=[job("2512", 5)], preferences=["SE"]),
        {"best_language": 102, "education_and_language": 0, "experience_and_language": 0,
         "combinations": 0, "total": 422, "eligible": True,
         "states": [state("SE", 472, shortage_occupation=50)]},
        id="language-level-b1-earns-no-combinations"),
    pytest.param(
        # English B2 B2 B2 A2 = 65 (best; weakest A2); German B1 x 4 = 48 -> 2 twenties -> 10.
        # Level is B1 through German: in the pool, no combinations.
        # Total 110 + 100 + 65 + 10 = 285. AT: German B1 x 4 = 40 -> 325.
        candidate(languages=[lang("en", "B2", "B2", "B2", "A2"), lang("de", "B1", "B1", "B1", "B1")]),
        {"best_language": 65, "second_language": 10, "combinations": 0, "total": 285,
         "eligible": True, "states": [state("AT", 325, state_language=40)]},
        id="language-level-from-a-weaker-language"),
    pytest.param(
        # EQF 7 (120), English C1 x 4 = 108 (level C1+), 2512 5 years (90).
        # Combinations: EQF 7-8 x C1+ 30 + 5+ years x C1+ 30 = 60 -> cap 50.
        # Total 110 + 120 + 108 + 90 + 50 = 478.
        candidate(education_level=7, languages=[lang("en", "C1", "C1", "C1", "C1")],
                  experience=[job("2512", 5)]),
        {"education_and_language": 30, "experience_and_language": 30, "combinations": 50,
         "human_capital": 428, "total": 478},
        id="combinations-cap-50"),
    pytest.param(
        # Study 20 + work 20 + Talent Partnership 30 = 70 -> cap 60. Total 300 + 60 = 360.
        candidate(eu_study=True, eu_work=True, talent_partnership=True),
        {"eu_study": 20, "eu_work": 20, "talent_partnership": 30, "additional": 60, "total": 360,
         "states": [state("AT", 360)]},
        id="additional-cap-60"),
    pytest.param(
        # French B2 C1 A2 A1 (20+27+5+0 = 52), German C1 A2 B1 B2 (27+5+12+20 = 64),
        # Luxembourgish A1 A1 C2 A1 (30), English B1 x 4 (48). Best German 64; second French
        # 52 -> 2 twenties -> 10. Level B1 (English): in the pool, no combinations.
        # Total 110 + 100 + 64 + 10 = 284. State language: the best single official language,
        # French 15 + 20 + 5 + 0 = 40, German 20 + 5 + 10 + 15 = 50, Luxembourgish 0 + 0 + 20 + 0 = 20:
        # BE (nl, fr, de): German 50 -> 334; LU (lb, fr, de): German 50 -> 334;
        # FR (fr): French 40 -> 324.
        candidate(languages=[lang("fr", "B2", "C1", "A2", "A1"), lang("de", "C1", "A2", "B1", "B2"),
                             lang("lb", "A1", "A1", "C2", "A1"), lang("en", "B1", "B1", "B1", "B1")],
                  preferences=["BE", "LU", "FR"]),
        {"best_language": 64, "second_language": 10, "total": 284, "eligible": True,
         "states": [state("BE", 334, state_language=50), state("LU", 334, state_language=50),
                    state("FR", 324, state_language=40)]},
        id="state-language-several-official-languages"),
    pytest.param(
        # 2211 1 + 2512 2 + 2142 3 = 6 skilled years -> 90; combinations 10 + 20 (5+ x B2) = 30.
        # Total 110 + 100 + 80 + 90 + 30 = 410.
        # IE ("22", "25"; English B2 x 4 = 60): 2211 + 2512 = 3 years -> 40: 510.
        # NL ("25", "2142", "2221"): 2512 + 2142 = 5 years -> 50: 460.
        # DE (exact codes 2211, 2512 among them): 1 + 2 = 3 years -> 40: 450.
        candidate(experience=[job("2211", 1), job("2512", 2), job("2142", 3)],
                  preferences=["IE", "NL", "DE"]),
        {"skilled_experience": 90, "combinations": 30, "total": 410,
         "states": [state("IE", 510, state_language=60, shortage_occupation=40),
                    state("NL", 460, state_language=0, shortage_occupation=50),
                    state("DE", 450, shortage_occupation=40)]},
        id="shortage-prefixes"),
    pytest.param(
        # An offer in NL earns nothing in DE or IE. DE: 300 + 0 = 300, exactly its minimum of
        # 300 ("below it" is what excludes): still eligible. IE: English B2 x 4 = 60 -> 360.
        candidate(verified_job_offer={"state": "NL", "occupation": "2512"}, preferences=["DE", "IE"]),
        {"total": 300, "states": [state("DE", 300, job_offer=0, below_minimum=False),
                                  state("IE", 360, job_offer=0)]},
        id="job-offer-in-a-state-not-chosen"),
    pytest.param(
        # Offer in DE, second preference: IE 60 -> 360; DE 0 + 50 -> 350.
        candidate(verified_job_offer={"state": "DE", "occupation": "9112"}, preferences=["IE", "DE"]),
        {"states": [state("IE", 360, job_offer=0), state("DE", 350, job_offer=50, state_additions=50)]},
        id="job-offer-in-second-preference"),
    pytest.param(
        # A self-declared offer is a claim pending the employer's confirmation: it earns nothing,
        # even at the state it names (AT: 300 + 0). Only a verified offer counts (the case above).
        candidate(job_offer={"state": "AT", "occupation": "2512"}),
        {"total": 300, "states": [state("AT", 300, job_offer=0, state_additions=0)]},
        id="self-declared-job-offer-earns-nothing"),
    pytest.param(
        # EQF 5 (70): total 110 + 70 + 80 + 10 = 270.
        # DE 270 < 300 and NL 270 < 300: cannot be invited there. IE 270 + 60 = 330 >= 280.
        candidate(education_level=5, preferences=["DE", "IE", "NL"]),
        {"total": 270, "eligible": True,
         "states": [state("DE", None, below_minimum=True), state("IE", 330, below_minimum=False),
                    state("NL", None, below_minimum=True)]},
        id="state-minimum"),
    pytest.param(
        # English C1 x 4 (108, C1+), EQF 6, 2211 5 years (90). Combinations: EQF 5-6 x C1+ 20 +
        # 5+ x C1+ 30 = 50. Total 110 + 100 + 108 + 90 + 50 = 458.
        # IE: English C1 x 4 = 80 + "22" 5 years 50 + offer 50 = 180 -> cap 150: 608.
        candidate(languages=[lang("en", "C1", "C1", "C1", "C1")], experience=[job("2211", 5)],
                  verified_job_offer={"state": "IE", "occupation": "2211"}, preferences=["IE"]),
        {"combinations": 50, "total": 458,
         "states": [state("IE", 608, state_language=80, shortage_occupation=50, job_offer=50,
                          state_additions=150)]},
        id="state-additions-cap-150"),
    pytest.param(
        # The page's example born in 2010: 16, no age points, not in the pool; the rest as the
        # page: 444 - 110 = 334. No state total anywhere, additions still shown.
        {**DOC_EXAMPLE, "date_of_birth": "2010-01-01"},
        {"age": 0, "total": 334, "eligible": False, "failed": {"adult"},
         "states": [state("DE", None, state_additions=125), state("NL", None, state_additions=40),
                    state("IE", None, state_additions=110)]},
        id="under-18-not-in-the-pool"),
]

# (date of birth, scoring date, age points, 18 or over); the rest of BASE gives 100 + 80 + 10 = 190.
AGE_EXAMPLES = [
    ("2000-02-29", dt.date(2018, 2, 28), 0, False),  # 20180228 - 20000229 = 179999 -> 17
    ("2000-02-29", dt.date(2018, 3, 1), 80, True),  # 180072 -> 18
    ("2004-02-29", dt.date(2026, 2, 28), 80, True),  # 219999 -> 21
    ("2004-02-29", dt.date(2026, 3, 1), 95, True),  # 220072 -> 22
    ("2004-02-29", dt.date(2028, 2, 29), 95, True),  # 240000 -> 24
    ("2001-11-23", AS_OF, 95, True),            # 20261122 - 20011123 = 249999 -> 24
    ("2001-11-22", AS_OF, 110, True),           # 250000 -> 25
    ("1993-11-23", AS_OF, 110, True),           # 329999 -> 32
    ("1993-11-22", AS_OF, 100, True),           # 330000 -> 33
    ("1990-11-22", AS_OF, 85, True),            # 36
    ("1986-11-23", AS_OF, 85, True),            # 39
    ("1986-11-22", AS_OF, 60, True),            # 40
    ("1983-11-22", AS_OF, 35, True),            # 43
    ("1980-11-22", AS_OF, 15, True),            # 46
    ("1976-11-23", AS_OF, 15, True),            # 499999 -> 49
    ("1976-11-22", AS_OF, 0, True),             # 50: no points, still in the pool
]


@pytest.fixture(scope="module")
def grid():
    return ranking.load_grid("eu")


def _failed_rules(reasons: list[str]) -> set[str]:
    failed = set()
    for reason in reasons:
        rules = {rule for rule, key in RULE_KEYS.items() if key in reason}
        assert len(rules) == 1, f"reason {reason!r} names no single eligibility rule"
        failed |= rules
    return failed


def engine_results(grid, profiles: list[dict], as_of: dt.date) -> list[dict]:
    """The engine's answer for each profile, in the reference's shape."""
    scores = grid.score(grid.encode(profiles, as_of=as_of), as_of=as_of)
    results = []
    for i, profile in enumerate(profiles):
        result = {name: int(values[i]) for name, values in scores.breakdown.items()}
        result["total"] = int(scores.total[i])
        result["eligible"] = bool(scores.eligible[i])
        result["failed"] = _failed_rules(scores.reasons(i))
        states = []
        for k in range(scores.states.shape[1]):
            code = int(scores.states[i, k])
            if k >= len(profile["preferences"]):
                assert code == -1 and scores.state_totals[i, k] == ranking.NO_SCORE, (i, k)
                continue
            total = int(scores.state_totals[i, k])
            # The only reason the page gives for one state and not the others is its minimum.
            own_reasons = [r for r in scores.state_reasons(i, k) if r not in scores.reasons(i)]
            states.append({
                "state": grid.state_codes[code] if code >= 0 else None,
                "additions": {name: int(values[i, k]) for name, values in scores.state_breakdown.items()},
                "total": None if total == ranking.NO_SCORE else total,
                "below_minimum": bool(own_reasons),
            })
        result["states"] = states
        results.append(result)
    return results


def _flatten(result: dict) -> dict:
    flat = {key: value for key, value in result.items() if key != "states"}
    for k, slot in enumerate(result["states"]):
        flat[f"states[{k}].state"] = slot["state"]
        flat[f"states[{k}].total"] = slot["total"]
        flat[f"states[{k}].below_minimum"] = slot["below_minimum"]
        for name, value in slot["additions"].items():
            flat[f"states[{k}].{name}"] = value
    flat["states"] = len(result["states"])
    return flat


def _expected_flat(want: dict) -> dict:
    flat = {key: value for key, value in want.items() if key != "states"}
    for k, slot in enumerate(want.get("states", [])):
        for name, value in slot.items():
            flat[f"states[{k}].{name}"] = value
    return flat


def _mismatches(want: dict, got: dict) -> dict:
    got = _flatten(got)
    return {key: (value, got.get(key, "absent")) for key, value in _expected_flat(want).items()
            if got.get(key, "absent") != value}


@pytest.mark.parametrize("profile, want", EXAMPLES)
def test_reference_matches_hand_computed_example(profile, want):
    assert _mismatches(want, eu.score(profile, AS_OF)) == {}


@pytest.mark.parametrize("profile, want", EXAMPLES)
def test_engine_matches_hand_computed_example(grid, profile, want):
    assert _mismatches(want, engine_results(grid, [profile], AS_OF)[0]) == {}


@pytest.mark.parametrize("born, as_of, points, adult", AGE_EXAMPLES)
def test_age_band_edges(grid, born, as_of, points, adult):
    profile = candidate(date_of_birth=born)
    want = {"age": points, "total": points + 190, "eligible": adult}
    assert _mismatches(want, eu.score(profile, as_of)) == {}
    assert _mismatches(want, engine_results(grid, [profile], as_of)[0]) == {}


def test_engine_scores_the_examples_as_one_batch(grid):
    """Blocks and padding must not change a candidate's answer."""
    profiles = [example.values[0] for example in EXAMPLES] * 3
    one_by_one = [engine_results(grid, [profile], AS_OF)[0] for profile in profiles]
    assert engine_results(grid, profiles, AS_OF) == one_by_one


def _disagreements(reference: list[dict], engine: list[dict], profiles: list[dict]) -> list:
    found = []
    for profile, want, got in zip(profiles, reference, engine):
        want, got = _flatten(want), _flatten(got)
        differing = {key: (want.get(key), got.get(key)) for key in want.keys() | got.keys()
                     if want.get(key) != got.get(key)}
        if differing:
            found.append((profile, differing))
    return found


def _check_against_reference(grid, profiles, as_of, overlays):
    reference = [eu.score(profile, as_of, overlays) for profile in profiles]
    found = _disagreements(reference, engine_results(grid, profiles, as_of), profiles)
    assert not found, f"{len(found)} of {len(profiles)} disagree (reference, engine); first: {found[0]}"


SHIPPED = eu.shipped_overlays()
# Shrinking a batch of 300 re-scores it hundreds of times (minutes); the failure message already
# names the first disagreeing profile and its differing fields, so the batch is not shrunk.
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)


@given(st.data())
@settings(max_examples=40, deadline=None, phases=NO_SHRINK)
def test_engine_agrees_with_reference_on_random_profiles(grid, data):
    as_of = data.draw(strategies_eu.AS_OF_DATES, label="as_of")
    profiles = data.draw(strategies_eu.batch(as_of, verified=True), label="profiles")
    _check_against_reference(grid, profiles, as_of, SHIPPED)


@given(st.data())
@settings(max_examples=40, deadline=None, phases=NO_SHRINK)
def test_engine_agrees_with_reference_under_random_overlays(grid, data):
    replaced = data.draw(strategies_eu.overlays(), label="overlays")
    as_of = data.draw(strategies_eu.AS_OF_DATES, label="as_of")
    profiles = data.draw(strategies_eu.batch(as_of, verified=True), label="profiles")
    _check_against_reference(grid.with_overlays(replaced), profiles, as_of, {**SHIPPED, **replaced})


@given(st.data())
@settings(max_examples=40, deadline=None)
def test_order_of_languages_and_occupations_does_not_matter(grid, data):
    """The page gives the order of languages and occupations no meaning; only preferences have one."""
    profiles = data.draw(st.lists(strategies_eu.profile(AS_OF, verified=True), min_size=1, max_size=50))
    shuffled = []
    for profile in profiles:
        copied = copy.deepcopy(profile)
        copied["languages"] = data.draw(st.permutations(copied["languages"]))
        copied["experience"] = data.draw(st.permutations(copied["experience"]))
        shuffled.append(copied)
    assert engine_results(grid, shuffled, AS_OF) == engine_results(grid, profiles, AS_OF)


def test_shortage_list_may_name_elementary_occupations(grid):
    # 9112 (group 9) 5 years + 2512 2 years: skilled years 2 -> 55; combinations 10 + 10 = 20.
    # Total 110 + 100 + 80 + 55 + 20 = 365. DE overlay listing "91" and a job offer worth 10:
    # 9112 5 years -> 50, offer 10 -> 60: 425.
    profile = candidate(experience=[job("9112", 5), job("2512", 2)],
                        verified_job_offer={"state": "DE", "occupation": "9112"}, preferences=["DE"])
    overlay = {"state": "DE", "name": "Germany", "version": "test", "languages": ["de"],
               "shortage_occupations": ["91"], "min_total": 0, "points": {"job_offer": 10}}
    want = {"skilled_experience": 55, "total": 365,
            "states": [state("DE", 425, shortage_occupation=50, job_offer=10, state_additions=60)]}
    assert _mismatches(want, eu.score(profile, AS_OF, {**SHIPPED, "DE": overlay})) == {}
    assert _mismatches(want, engine_results(grid.with_overlays({"DE": overlay}), [profile], AS_OF)[0]) == {}


def test_other_overlays_survive_a_replacement(grid):
    # Only DE is replaced (no minimum); IE keeps its shipped 280 and English: the EQF 5
    # candidate of the state-minimum example has 270 -> DE 270 now, IE 330.
    overlay = {"state": "DE", "name": "Germany", "version": "test", "languages": ["de"],
               "shortage_occupations": [], "min_total": 0}
    profile = candidate(education_level=5, preferences=["DE", "IE"])
    want = {"states": [state("DE", 270), state("IE", 330, state_language=60)]}
    assert _mismatches(want, engine_results(grid.with_overlays({"DE": overlay}), [profile], AS_OF)[0]) == {}


def _with(profile: dict, path: str, value) -> dict:
    """A copy of `profile` with the dotted/indexed `path` set to `value`."""
    broken = copy.deepcopy(profile)
    *parents, last = path.replace("]", "").replace("[", ".").split(".")
    target = broken
    for key in parents:
        target = target[int(key) if key.isdigit() else key]
    target[int(last) if last.isdigit() else last] = value
    return broken


FRENCH = lang("fr", "B1", "B1", "B1", "B1")
INVALID_EXAMPLES = [
    pytest.param(_with(BASE, "languages[0].language", "xx"), "languages[0].language", id="unknown-language"),
    pytest.param(_with(BASE, "languages[0].language", "EN"), "languages[0].language", id="language-in-capitals"),
    pytest.param(_with(BASE, "languages[0].reading", "C3"), "languages[0].reading", id="unknown-cefr-label"),
    pytest.param(_with(BASE, "languages[0].speaking", "b2"), "languages[0].speaking", id="cefr-lower-case"),
    pytest.param(candidate(languages=[lang("en", "B2", "B2", "B2", "B2"), FRENCH, lang("en", "C1", "C1", "C1", "C1")]),
                 "languages[2].language", id="duplicate-language"),
    pytest.param(candidate(languages=[{**FRENCH, "language": code} for code in
                                      strategies_eu.LANGUAGES[:strategies_eu.MOST_LANGUAGES + 1]]),
                 "languages", id="one-language-too-many"),
    pytest.param(candidate(experience=[job("2512", 1), job("2512", 2)]), "experience[1].occupation",
                 id="duplicate-occupation"),
    pytest.param(candidate(experience=[job(f"25{i:02d}", 1) for i in range(strategies_eu.MOST_OCCUPATIONS + 1)]),
                 "experience", id="one-occupation-too-many"),
    pytest.param(candidate(experience=[job("2512", 1), job("251", 2)]), "experience[1].occupation",
                 id="isco-three-digits"),
    pytest.param(candidate(experience=[job("25a1", 2)]), "experience[0].occupation", id="isco-with-letter"),
    pytest.param(candidate(experience=[job(2512, 2)]), "experience[0].occupation", id="isco-as-number"),
    pytest.param(candidate(experience=[job("2512", 0)]), "experience[0].years", id="zero-years"),
    pytest.param(candidate(experience=[job("2512", 51)]), "experience[0].years", id="fifty-one-years"),
    pytest.param(candidate(experience=[job("2512", 2.0)]), "experience[0].years", id="years-as-float"),
    pytest.param(candidate(experience=[job("2512", True)]), "experience[0].years", id="years-as-bool"),
    pytest.param(candidate(preferences=["DE", "XX"]), "preferences[1]", id="unknown-state"),
    pytest.param(candidate(preferences=["EL"]), "preferences[0]", id="greece-is-gr-not-el"),
    pytest.param(candidate(preferences=["DE", "NL", "DE"]), "preferences[2]", id="duplicate-preference"),
    pytest.param(candidate(preferences=[]), "preferences", id="no-preference"),
    pytest.param(candidate(preferences=list(strategies_eu.STATES[:strategies_eu.MOST_PREFERENCES + 1])),
                 "preferences", id="one-preference-too-many"),
    pytest.param(candidate(preferences="DE"), "preferences", id="preferences-as-string"),
    pytest.param(candidate(date_of_birth="2026-11-23"), "date_of_birth", id="born-tomorrow"),
    pytest.param(candidate(date_of_birth="17/05/1994"), "date_of_birth", id="date-malformed"),
    pytest.param(candidate(date_of_birth="2001-02-29"), "date_of_birth", id="date-29-february-2001"),
    pytest.param(candidate(date_of_birth=19940517), "date_of_birth", id="date-as-number"),
    pytest.param(candidate(education_level=0), "education_level", id="eqf-0"),
    pytest.param(candidate(education_level=9), "education_level", id="eqf-9"),
    pytest.param(candidate(education_level="6"), "education_level", id="eqf-as-string"),
    pytest.param(candidate(eu_study=1), "eu_study", id="flag-as-number"),
    pytest.param(candidate(languages=["en"]), "languages[0]", id="language-as-string"),
    pytest.param(candidate(job_offer={"state": "XX", "occupation": "2512"}), "job_offer.state",
                 id="offer-unknown-state"),
    pytest.param(candidate(job_offer={"state": "DE", "occupation": "251"}), "job_offer.occupation",
                 id="offer-bad-occupation"),
    pytest.param(candidate(job_offer="DE"), "job_offer", id="offer-as-string"),
    pytest.param(candidate(spouse=None), "spouse", id="unknown-field"),
]


@pytest.mark.parametrize("broken, field", INVALID_EXAMPLES)
def test_engine_rejects_invalid_example(grid, broken, field):
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode([BASE, DOC_EXAMPLE, broken, BASE], as_of=AS_OF)
    assert (caught.value.index, caught.value.field) == (2, field)


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_engine_names_the_profile_of_a_defect_in_a_batch(grid, data):
    valid = data.draw(st.lists(strategies_eu.profile(AS_OF), max_size=8), label="valid")
    broken, field = data.draw(st.sampled_from([example.values for example in INVALID_EXAMPLES]),
                              label="defect")
    index = data.draw(st.integers(0, len(valid)), label="index")
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode(valid[:index] + [broken] + valid[index:], as_of=AS_OF)
    assert (caught.value.index, caught.value.field) == (index, field)


def test_born_on_the_scoring_date_is_accepted(grid):
    # Not in the future: age 0, no age points, not in the pool.
    profile = candidate(date_of_birth=AS_OF.isoformat())
    assert _mismatches({"age": 0, "failed": {"adult"}}, engine_results(grid, [profile], AS_OF)[0]) == {}


GERMANY = {"state": "DE", "name": "Germany", "version": "test", "languages": ["de"],
           "shortage_occupations": ["2512"], "min_total": 300}
INVALID_OVERLAYS = [
    pytest.param({**GERMANY, "bonus": 10}, "bonus", id="unknown-key"),
    pytest.param({**GERMANY, "languages": ["de", "xx"]}, "languages", id="unknown-language"),
    pytest.param({**GERMANY, "shortage_occupations": ["25a"]}, "shortage_occupations", id="prefix-with-letter"),
    pytest.param({**GERMANY, "shortage_occupations": ["25121"]}, "shortage_occupations", id="prefix-five-digits"),
    pytest.param({**GERMANY, "shortage_occupations": [""]}, "shortage_occupations", id="prefix-empty"),
    pytest.param({**GERMANY, "shortage_occupations": [25]}, "shortage_occupations", id="prefix-as-number"),
    pytest.param({**GERMANY, "min_total": -1}, "min_total", id="negative-minimum"),
    pytest.param({**GERMANY, "points": {"shortage_occupation": [0, 20, 30, 40]}},
                 "points.shortage_occupation", id="shortage-points-four-bands"),
    pytest.param({**GERMANY, "points": {"shortage_occupation": [0, 20, 30, 40, 50, 60]}},
                 "points.shortage_occupation", id="shortage-points-six-bands"),
    pytest.param({**GERMANY, "points": {"state_language": {"A1": 0, "A2": 5, "B1": 10, "B2": 15, "C1": 20}}},
                 "points.state_language", id="state-language-points-missing-c2"),
    pytest.param({**GERMANY, "points": {"job_offer": -5}}, "points.job_offer", id="negative-job-offer"),
    pytest.param({**GERMANY, "points": {"age": [0]}}, "points.age", id="points-for-a-common-factor"),
    pytest.param({**GERMANY, "state": "FR"}, "state", id="overlay-of-another-state"),
]


@pytest.mark.parametrize("overlay, field", INVALID_OVERLAYS)
def test_invalid_overlay_is_refused_naming_the_field(grid, overlay, field):
    with pytest.raises(ranking.GridError) as caught:
        grid.with_overlays({"DE": overlay})
    assert f" {field}" in str(caught.value) and "DE" in str(caught.value), str(caught.value)


def test_refused_overlay_leaves_the_grid_as_it_was(grid):
    profile = DOC_EXAMPLE
    before = engine_results(grid, [profile], AS_OF)
    with pytest.raises(ranking.GridError):
        grid.with_overlays({"DE": {**GERMANY, "min_total": -1}})
    assert engine_results(grid, [profile], AS_OF) == before


@given(st.data())
@settings(max_examples=40, deadline=None, phases=NO_SHRINK)
def test_the_total_at_one_state_is_the_references_for_that_state_alone(grid, data):
    """`Grid.totals_at` (a preview's scoring) against the reference scoring each profile as if the
    state were its only preference, under random overlays: nothing else listed changes it."""
    replaced = data.draw(strategies_eu.overlays(), label="overlays")
    as_of = data.draw(strategies_eu.AS_OF_DATES, label="as_of")
    profiles = data.draw(strategies_eu.batch(as_of, verified=True), label="profiles")
    code = data.draw(st.sampled_from(grid.state_codes), label="state")
    overlays = {**SHIPPED, **replaced}
    changed = grid.with_overlays(replaced)
    got, = changed.totals_at(changed.encode(profiles, as_of=as_of), grid.state_codes.index(code), as_of)
    for profile, total in zip(profiles, got.tolist()):
        alone = eu.score({**profile, "preferences": [code]}, as_of, overlays)["states"][0]["total"]
        assert (None if total == ranking.NO_SCORE else total) == alone, (code, profile)


@given(st.data())
@settings(max_examples=40, deadline=None, phases=NO_SHRINK)
def test_totals_under_variants_are_each_grids_own(grid, data):
    """`Grid.totals_at` with variants (a preview's before and after in one pass over the common
    part): each grid's totals as the reference gives them under that grid's overlays, the
    variants' per-block tables kept apart from the first grid's."""
    first, second = (data.draw(strategies_eu.overlays(), label=f"overlays {k}") for k in (1, 2))
    as_of = data.draw(strategies_eu.AS_OF_DATES, label="as_of")
    profiles = data.draw(strategies_eu.batch(as_of, verified=True), label="profiles")
    code = data.draw(st.sampled_from(grid.state_codes), label="state")
    base = grid.with_overlays(first)
    variant = base.with_overlays(second)
    totals = base.totals_at(base.encode(profiles, as_of=as_of), grid.state_codes.index(code), as_of, (variant,))
    for got, overlays in zip(totals, ({**SHIPPED, **first}, {**SHIPPED, **first, **second})):
        want = [eu.score({**profile, "preferences": [code]}, as_of, overlays)["states"][0]["total"]
                for profile in profiles]
        assert [None if t == ranking.NO_SCORE else t for t in got.tolist()] == want, code


def test_a_variant_of_another_common_grid_is_refused(grid):
    other = dataclasses.replace(grid, factors=list(grid.factors))  # equal rules, but not this grid's
    with pytest.raises(ValueError, match="overlays only"):
        grid.totals_at(grid.encode([BASE], as_of=AS_OF), 0, AS_OF, (other,))
