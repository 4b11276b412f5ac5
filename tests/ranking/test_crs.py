"""CRS: worked examples computed by hand, and the engine checked against an independent reference.

Every expected number below was worked out by hand from IRCC, "Comprehensive Ranking System
(CRS) criteria – Express Entry",
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/eligibility/criteria-comprehensive-ranking-system/grid.html
(grid in force since 25 March 2025, no arranged-employment points; consulted 2026-11-22 through
republished copies, see tests/reference/crs.py). The comment on each example shows the
arithmetic row by row, so a disagreement can be settled by reading the page, not the code.
Each example is asserted twice: against the reference scorer and against the engine.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ranking
import strategies
from reference import crs

SECTIONS = ("core", "spouse", "transferability", "additional")


def lang(test_language, speaking, listening, reading, writing):
    return {"test_language": test_language, "speaking": speaking, "listening": listening,
            "reading": reading, "writing": writing}


def candidate(age, education, first_language, *, second_language=None, canadian=0, foreign=0,
              certificate=False, canadian_education="none", sibling=False, nomination=False,
              spouse=None):
    return {"age": age, "education": education, "first_language": first_language,
            "second_language": second_language, "canadian_work_years": canadian,
            "foreign_work_years": foreign, "certificate_of_qualification": certificate,
            "canadian_education": canadian_education, "sibling_in_canada": sibling,
            "provincial_nomination": nomination, "spouse": spouse}


def expected(core, spouse, transferability, additional, total):
    assert core + spouse + transferability + additional == total, "example arithmetic is wrong"
    return {"core": core, "spouse": spouse, "transferability": transferability,
            "additional": additional, "total": total}


EXAMPLES = [
    pytest.param(
        # The contract's own example; single, so the "without spouse" column throughout.
        # A: age 29 -> 110; bachelor's -> 120; English S9 31 + L9 31 + R8 23 + W8 23 = 108;
        #    Canadian work 1 year -> 40.                           core = 110+120+108+40 = 378
        # C: weakest first-language ability CLB 8 -> the "CLB 7+, one or more under 9" column.
        #    Bachelor's is a credential of one year or longer (LOWER row):
        #    education x language 13, education x Canadian work (1 year) 13 -> group 26;
        #    foreign 3 years (3+ row) x language 25, x Canadian 1 year 25 -> group 50.  C = 76
        # Total 378 + 0 + 76 + 0 = 454.
        candidate(29, "bachelors", lang("en", 9, 9, 8, 8), canadian=1, foreign=3),
        expected(378, 0, 76, 0, 454), id="contract-example-bachelors-lower-tier"),
    pytest.param(
        # Bachelor's again, now with CLB 9 on all four abilities and one year in Canada.
        # A: age 30 -> 105; bachelor's 120; CLB 9 x 4 = 4 x 31 = 124; Canadian 1 year 40.
        #    core = 105+120+124+40 = 389
        # C: lower row: education x CLB 9+ 25, education x 1 Canadian year 13 -> 38.
        #    (Scoring the bachelor's in the upper row would give 50 + 25 -> capped 50.)
        #    No foreign work, no certificate.                        C = 38
        # Total 389 + 38 = 427.
        candidate(30, "bachelors", lang("en", 9, 9, 9, 9), canadian=1),
        expected(389, 0, 38, 0, 427), id="bachelors-clb9-one-canadian-year"),
    pytest.param(
        # Every transferability sub-group over its cap, then the section over 100.
        # A: age 31 -> 99; master's 135; CLB 10 x 4 = 4 x 34 = 136; Canadian 2 years 53.
        #    core = 99+135+136+53 = 423
        # C: master's is the upper row: x CLB 9+ 50, x 2+ Canadian years 50 -> 100 -> cap 50;
        #    foreign 3+ years: x CLB 9+ 50, x 2+ Canadian 50 -> 100 -> cap 50;
        #    certificate with CLB 7+ on all four 50.  50+50+50 = 150 -> section cap 100.
        # Total 423 + 100 = 523.
        candidate(31, "masters", lang("en", 10, 10, 10, 10), canadian=2, foreign=3,
                  certificate=True),
        expected(423, 0, 100, 0, 523), id="transferability-subgroup-and-section-caps"),
    pytest.param(
        # Second language capped at 22 with a spouse; French as second language gives 50.
        # A (with-spouse column): age 35 -> 70; two-year program 91; English CLB 8 x 4 = 4 x 22
        #    = 88; French NCLC 9 x 4 = 4 x 6 = 24 -> capped at 22; Canadian work 0 -> 0.
        #    core = 70+91+88+22 = 271
        # B: spouse secondary 2; spouse English S5 1 + L6 1 + R7 3 + W9 5 = 10; no Canadian
        #    work 0.                                                  B = 12
        # C: weakest CLB 8; two-year is the lower row: x language 13; no Canadian work, no
        #    foreign work.                                            C = 13
        # D: French NCLC 7+ on all four and English CLB 5+ on all four -> 50.
        # Total 271 + 12 + 13 + 50 = 346.
        candidate(35, "two_year", lang("en", 8, 8, 8, 8), second_language=lang("fr", 9, 9, 9, 9),
                  spouse={"education": "secondary", "first_language": lang("en", 5, 6, 7, 9),
                          "canadian_work_years": 0}),
        expected(271, 12, 13, 50, 346), id="second-language-cap-22-with-spouse-french-second"),
    pytest.param(
        # French as first language, no English test at all: French bonus 25.
        # A: age 27 -> 110; one-year program 90; French S7 17 + L7 17 + R7 17 + W10 34 = 85.
        #    core = 110+90+85 = 285
        # C: weakest NCLC 7 -> "7+, one under 9" column. One-year is the lower row: x language
        #    13; foreign 1 year ("1 or 2 years" row) x language 13; no Canadian work. C = 26
        # D: sibling 15; French 7+ on all four, no English test 25; Canadian study of one or
        #    two years 15.  D = 55
        # Total 285 + 26 + 55 = 366.
        candidate(27, "one_year", lang("fr", 7, 7, 7, 10), foreign=1,
                  canadian_education="one_or_two_years", sibling=True),
        expected(285, 0, 26, 55, 366), id="french-first-no-english-25"),
    pytest.param(
        # French first with a weak English second (one ability at CLB 4): still only 25.
        # A: age 25 -> 110; master's 135; French NCLC 7 x 4 = 4 x 17 = 68; English second
        #    S6 1 + L5 1 + R4 0 + W5 1 = 3.   core = 110+135+68+3 = 316
        # C: weakest NCLC 7; master's upper row x "7+, under 9" 25; nothing else.  C = 25
        # D: French 7+ on all four, English not CLB 5+ on all four -> 25.
        # Total 316 + 25 + 25 = 366.
        candidate(25, "masters", lang("fr", 7, 7, 7, 7), second_language=lang("en", 6, 5, 4, 5)),
        expected(316, 0, 25, 25, 366), id="french-first-weak-english-25"),
    pytest.param(
        # French first, English second at CLB 5 everywhere: 50; 5+ years in Canada; section D
        # over its cap with a provincial nomination.
        # A: age 40 -> 50; doctorate 150; French NCLC 9 x 4 = 4 x 31 = 124; English CLB 5 x 4
        #    = 4 x 1 = 4; Canadian work 7 years -> "5 years or more" 80.
        #    core = 50+150+124+4+80 = 408
        # C: doctorate upper row x CLB 9+ 50, x 2+ Canadian years 50 -> 100 -> cap 50; no
        #    foreign work.                                            C = 50
        # D: French 50 + nomination 600 = 650 -> cap 600.
        # Total 408 + 50 + 600 = 1058.
        candidate(40, "doctoral", lang("fr", 9, 9, 9, 9), second_language=lang("en", 5, 5, 5, 5),
                  canadian=7, nomination=True),
        expected(408, 0, 50, 600, 1058), id="french-first-bilingual-50-five-plus-years-cap-600"),
    pytest.param(
        # Spouse without a language test; age 45; certificate with CLB 5-6.
        # A (with spouse): age 45 -> 0; secondary 28; English CLB 6 x 4 = 4 x 8 = 32; Canadian
        #    work 3 years 56.   core = 0+28+32+56 = 116
        # B: spouse master's 10; no language result 0; Canadian work 6 years -> 5+ row 10. B = 20
        # C: weakest CLB 6, below 7: no language combinations. Secondary school: no education
        #    combinations. Foreign 2 years ("1 or 2") x 2+ Canadian years 25. Certificate with
        #    CLB 5+ on all four, one under 7: 25.                     C = 50
        # D: sibling 15.
        # Total 116 + 20 + 50 + 15 = 201.
        candidate(45, "secondary", lang("en", 6, 6, 6, 6), canadian=3, foreign=2, certificate=True,
                  sibling=True,
                  spouse={"education": "masters", "first_language": None,
                          "canadian_work_years": 6}),
        expected(116, 20, 50, 15, 201), id="spouse-without-language-test-age-45-certificate-25"),
    pytest.param(
        # Aged 17, no education, first language below CLB 4 in one ability.
        # A: age 17 -> 0; less than secondary 0; English S3 0 + L4 6 + R5 6 + W12 34 = 46.
        #    core = 46
        # C: weakest CLB 3: no language combinations, certificate needs CLB 5+ -> 0; 10 years
        #    foreign work but no Canadian work -> 0.                  C = 0
        # D: Canadian study of three years or more 30.
        # Total 46 + 0 + 0 + 30 = 76.
        candidate(17, "none", lang("en", 3, 4, 5, 12), foreign=10, certificate=True,
                  canadian_education="three_or_more_years"),
        expected(46, 0, 0, 30, 76), id="age-17-below-clb4"),
    pytest.param(
        # Two or more credentials with a spouse; certificate 50; the section cap at 100 again.
        # A (with spouse): age 44 -> 5; two or more credentials 119; English S10 32 + L9 29 +
        #    R7 16 + W8 22 = 99; French second S4 0 + L5 1 + R7 3 + W9 6 = 10 (under 22);
        #    Canadian work 4 years 63.   core = 5+119+99+10+63 = 296
        # B: spouse one-year program 6; spouse French S4 0 + L9 5 + R10 5 + W6 1 = 11; spouse
        #    Canadian work 1 year 5.   B = 22
        # C: weakest CLB 7. Upper row: x language 25, x 2+ Canadian years 50 -> 75 -> cap 50;
        #    foreign 2 years: x language 13, x 2+ Canadian 25 -> 38; certificate CLB 7+ 50.
        #    50+38+50 = 138 -> cap 100.
        # D: French second is not NCLC 7+ on all four -> 0.
        # Total 296 + 22 + 100 + 0 = 418.
        candidate(44, "two_or_more", lang("en", 10, 9, 7, 8),
                  second_language=lang("fr", 4, 5, 7, 9), canadian=4, foreign=2, certificate=True,
                  spouse={"education": "one_year", "first_language": lang("fr", 4, 9, 10, 6),
                          "canadian_work_years": 1}),
        expected(296, 22, 100, 0, 418), id="two-or-more-with-spouse-certificate-50"),
    pytest.param(
        # Weak French declared first, strong English second: the language declared first, not
        # the better one, decides transferability; English second fills the single cap of 24.
        # A (single): age 22 -> 110; bachelor's 120; French first NCLC 6 x 4 = 4 x 9 = 36;
        #    English second CLB 10 x 4 = 4 x 6 = 24 (exactly the cap); no Canadian work.
        #    core = 110+120+36+24 = 290
        # C: first language (French) weakest 6 -> no language combinations; foreign 5 years,
        #    no Canadian work -> 0.                                   C = 0
        # D: French not NCLC 7+ on all four -> 0.
        # Total 290.
        candidate(22, "bachelors", lang("fr", 6, 6, 6, 6),
                  second_language=lang("en", 10, 10, 10, 10), foreign=5),
        expected(290, 0, 0, 0, 290), id="first-declared-language-drives-transferability"),
]


def _sections(scored: dict) -> dict:
    return {name: scored[name] for name in ("total", *SECTIONS)}


@pytest.mark.parametrize("profile, want", EXAMPLES)
def test_reference_matches_hand_computed_example(profile, want):
    assert _sections(crs.score(profile)) == want


@given(strategies.crs_batch(max_size=60))
@settings(max_examples=60, deadline=None)
def test_reference_stays_within_the_published_maxima(profiles):
    """The page's own section maxima, a check on the reference that does not use its tables."""
    for profile in profiles:
        scored = crs.score(profile)
        core_max = 500 if profile["spouse"] is None else 460
        assert 0 <= scored["core"] <= core_max
        assert 0 <= scored["spouse"] <= (0 if profile["spouse"] is None else 40)
        assert 0 <= scored["transferability"] <= 100
        assert 0 <= scored["additional"] <= 600
        assert scored["total"] <= 1200


@pytest.fixture(scope="module")
def grid():
    return ranking.load_grid("crs")


def _engine_rows(grid, profiles: list[dict]) -> tuple[list[dict], list[dict]]:
    """Per candidate: the contract's sections, and every other factor the engine reports, which
    only serves to make a disagreement message point at the factor that differs."""
    scores = grid.score(grid.encode(profiles))
    sections, factors = [], []
    for i in range(len(profiles)):
        row = {"total": int(scores.total[i])}
        row.update({name: int(scores.breakdown[name][i]) for name in SECTIONS})
        sections.append(row)
        factors.append({name: int(column[i]) for name, column in scores.breakdown.items()
                        if name not in SECTIONS})
    return sections, factors


def _engine_sections(grid, profiles: list[dict]) -> list[dict]:
    return _engine_rows(grid, profiles)[0]


@pytest.mark.parametrize("profile, want", EXAMPLES)
def test_engine_matches_hand_computed_example(grid, profile, want):
    assert _engine_sections(grid, [profile])[0] == want


def test_engine_scores_the_examples_as_one_batch(grid):
    """Batching must not mix candidates up: the same examples, scored together."""
    profiles = [param.values[0] for param in EXAMPLES]
    assert _engine_sections(grid, profiles) == [param.values[1] for param in EXAMPLES]


def _disagreements(profiles, got_rows, got_factors):
    lines = []
    for i, (profile, got, factors) in enumerate(zip(profiles, got_rows, got_factors)):
        scored = crs.score(profile)
        want = _sections(scored)
        if got != want:
            reference_factors = {k: v for k, v in scored.items() if k not in want}
            lines.append(f"profile {i}: {profile}\n  reference {want}\n  engine    {got}\n"
                         f"  reference factors {reference_factors}\n  engine factors    {factors}")
    return lines


@given(strategies.crs_batch())
@settings(max_examples=40, deadline=None)
def test_engine_agrees_with_reference_on_random_profiles(grid, profiles):
    problems = _disagreements(profiles, *_engine_rows(grid, profiles))
    assert not problems, f"{len(problems)} of {len(profiles)} disagree:\n" + "\n".join(problems[:5])


def test_engine_totals_are_integers(grid):
    scores = grid.score(grid.encode([param.values[0] for param in EXAMPLES]))
    assert np.issubdtype(np.asarray(scores.total).dtype, np.integer)


# --------------------------------------------------------------------------- invalid input

@given(st.lists(strategies.crs_profile(), max_size=8), strategies.invalid_crs_profile(),
       st.data())
@settings(max_examples=150, deadline=None)
def test_engine_names_the_profile_and_field_of_a_defect(grid, valid, invalid, data):
    broken, field = invalid
    index = data.draw(st.integers(0, len(valid)), label="index")
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode(valid[:index] + [broken] + valid[index:])
    assert (caught.value.index, caught.value.field) == (index, field)


@given(st.lists(strategies.crs_profile(), max_size=5),
       strategies.crs_profile_with_same_language_twice(), st.data())
@settings(max_examples=50, deadline=None)
def test_engine_rejects_the_same_language_twice(grid, valid, broken, data):
    index = data.draw(st.integers(0, len(valid)), label="index")
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode(valid[:index] + [broken] + valid[index:])
    assert (caught.value.index, caught.value.field) == (index, "second_language.test_language")


SINGLE = candidate(29, "bachelors", lang("en", 9, 9, 8, 8), canadian=1, foreign=3)
SPOUSED = candidate(29, "bachelors", lang("en", 9, 9, 8, 8), second_language=lang("fr", 5, 5, 5, 5),
                    spouse={"education": "masters", "first_language": lang("fr", 7, 7, 7, 7),
                            "canadian_work_years": 1})


def _with(profile, path, value, *, delete=False):
    return strategies.apply_defect(profile, ("missing" if delete else "set", path, value))


INVALID_EXAMPLES = [
    pytest.param(_with(SINGLE, "job_offer", True), "job_offer", id="unknown-field-job-offer"),
    pytest.param(_with(SPOUSED, "spouse.age", 30), "spouse.age", id="unknown-spouse-field"),
    pytest.param(_with(SINGLE, "education", None, delete=True), "education", id="missing-field"),
    pytest.param(_with(SINGLE, "first_language.writing", None, delete=True),
                 "first_language.writing", id="missing-ability"),
    pytest.param(_with(SINGLE, "age", 121), "age", id="age-over-120"),
    pytest.param(_with(SINGLE, "age", -1), "age", id="age-negative"),
    pytest.param(_with(SINGLE, "first_language.speaking", 13), "first_language.speaking",
                 id="clb-13"),
    pytest.param(_with(SINGLE, "foreign_work_years", 61), "foreign_work_years", id="work-61-years"),
    pytest.param(_with(SPOUSED, "spouse.first_language.reading", -1),
                 "spouse.first_language.reading", id="spouse-clb-negative"),
    pytest.param(_with(SINGLE, "education", "phd"), "education", id="unknown-education-label"),
    pytest.param(_with(SINGLE, "first_language.test_language", "de"),
                 "first_language.test_language", id="unknown-test-language"),
    pytest.param(_with(SINGLE, "age", True), "age", id="bool-for-int"),
    pytest.param(_with(SINGLE, "canadian_work_years", 1.0), "canadian_work_years",
                 id="float-for-int"),
    pytest.param(_with(SINGLE, "first_language.listening", "9"), "first_language.listening",
                 id="string-for-int"),
    pytest.param(_with(SINGLE, "sibling_in_canada", 1), "sibling_in_canada", id="int-for-bool"),
    pytest.param(_with(SINGLE, "first_language", None), "first_language", id="null-first-language"),
    pytest.param(_with(SINGLE, "spouse", "yes"), "spouse", id="spouse-not-an-object"),
]


@pytest.mark.parametrize("broken, field", INVALID_EXAMPLES)
def test_engine_rejects_invalid_example(grid, broken, field):
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode([SINGLE, SPOUSED, broken])
    assert (caught.value.index, caught.value.field) == (2, field)


def test_unknown_label_message_lists_the_allowed_values(grid):
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode([_with(SINGLE, "education", "phd")])
    message = str(caught.value)
    missing = [label for label in strategies.CRS_EDUCATION if label not in message]
    assert not missing, f"message {message!r} does not list {missing}"
