"""Australia's SkillSelect points test (subclasses 189, 190 and 491), one candidate at a time.

Source: Department of Home Affairs, "Points table for Skilled Independent visa (subclass 189)",
https://immi.homeaffairs.gov.au/visas/getting-a-visa/visa-listing/skilled-independent-189/points-table
(the 190 and 491 pages carry the same table plus their nomination row); the legal text is
Schedule 6D of the Migration Regulations 1994. The search index used while writing this
(consulted November 2026) held no copy of the immi.homeaffairs.gov.au page itself, so the figures
were cross-checked against republished copies of the table in force since 16 November 2019
(orangeglobal.com.au, studyinaustralia.tv, studiesinaustralia.com, mmmigration.com.au on the
partner and nomination rows, movepath.io on 190 = 5 and 491 = 15). They agree with each other and
with the brief.

Eligibility modelled here: at least the pass mark of 65 points, and under 45 years of age when
invited. Under-18s earn no age points but are not refused on age by the table.
"""
from __future__ import annotations

PASS_MARK = 65
AGE_LIMIT = 45  # must be under this age when invited

# Age bands: (lowest age, points); below 18 and from 45 on the table gives 0.
AGE_BANDS = [(45, 0), (40, 15), (33, 25), (25, 30), (18, 25), (0, 0)]

ENGLISH_POINTS = {"competent": 0, "proficient": 10, "superior": 20}

# Skilled employment in the last ten years, by whole years: (lowest years, points).
OVERSEAS_WORK_BANDS = [(8, 15), (5, 10), (3, 5), (0, 0)]
AUSTRALIAN_WORK_BANDS = [(8, 20), (5, 15), (3, 10), (1, 5), (0, 0)]
EMPLOYMENT_CAP = 20  # "a maximum of 20 points for any combination of skilled employment"

QUALIFICATION_POINTS = {
    "none": 0,
    "recognised_award": 10,    # award or qualification recognised by the assessing authority
    "diploma_or_trade": 10,    # diploma or trade qualification completed in Australia
    "bachelor_or_master": 15,  # at least a bachelor degree
    "doctorate": 20,
}
SPECIALIST_EDUCATION_POINTS = 10  # Australian master's by research or doctorate in STEM/ICT
AUSTRALIAN_STUDY_POINTS = 5
PROFESSIONAL_YEAR_POINTS = 5
COMMUNITY_LANGUAGE_POINTS = 5
REGIONAL_STUDY_POINTS = 5

PARTNER_POINTS = {
    "single_or_citizen": 10,  # no partner, or partner is an Australian citizen / permanent resident
    "skilled": 10,            # partner under 45, competent English, suitable skills assessment
    "competent_english": 5,   # partner has competent English only
    "none": 0,
}
NOMINATION_POINTS = {"none": 0, "state_190": 5, "regional_491": 15}


def _banded(value: int, bands: list[tuple[int, int]]) -> int:
    for floor, points in bands:
        if value >= floor:
            return points
    raise ValueError(f"{value} below every band")


def age_points(age: int) -> int:
    return _banded(age, AGE_BANDS)


def employment_points(overseas_years: int, australian_years: int) -> int:
    """Overseas plus Australian employment points, the combination capped at 20."""
    return min(EMPLOYMENT_CAP,
               _banded(overseas_years, OVERSEAS_WORK_BANDS)
               + _banded(australian_years, AUSTRALIAN_WORK_BANDS))


def score(profile: dict) -> dict:
    """Total, each factor, and eligibility with the set of failed rules ("age", "pass_mark")."""
    parts = {
        "age": age_points(profile["age"]),
        "english": ENGLISH_POINTS[profile["english"]],
        "employment": employment_points(profile["overseas_work_years"],
                                        profile["australian_work_years"]),
        "qualification": QUALIFICATION_POINTS[profile["qualification"]],
        "specialist_education":
            SPECIALIST_EDUCATION_POINTS if profile["specialist_education"] else 0,
        "australian_study": AUSTRALIAN_STUDY_POINTS if profile["australian_study"] else 0,
        "professional_year": PROFESSIONAL_YEAR_POINTS if profile["professional_year"] else 0,
        "community_language": COMMUNITY_LANGUAGE_POINTS if profile["community_language"] else 0,
        "regional_study": REGIONAL_STUDY_POINTS if profile["regional_study"] else 0,
        "partner": PARTNER_POINTS[profile["partner"]],
        "nomination": NOMINATION_POINTS[profile["nomination"]],
    }
    total = sum(parts.values())
    failed = set()
    if profile["age"] >= AGE_LIMIT:
        failed.add("age")
    if total < PASS_MARK:
        failed.add("pass_mark")
    return {"total": total, "eligible": not failed, "failed": failed, **parts}
