"""Canada's Comprehensive Ranking System (Express Entry), one candidate at a time.

Source: Immigration, Refugees and Citizenship Canada, "Comprehensive Ranking System (CRS)
criteria – Express Entry",
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/eligibility/criteria-comprehensive-ranking-system/grid.html
as in force since 25 March 2025 (points for arranged employment removed); the same grid is set
out in the Ministerial Instructions respecting the Express Entry system. The search index used
while writing this (consulted November 2026) held no copy of the canada.ca page itself, so every
figure was cross-checked against republished copies of it (canada4all.com, noting the 25 March
2025 change; passagecanada.com; focalpointcanadaimmigration.ca; acroxcanada.com). One copy
(shreejioverseas.in) prints the spouse language column shifted by one CLB row; the majority and
the IRCC row labels ("CLB 5 or 6: 1") were followed.

Each table is written as the page prints it: rows keyed by the page's own bands, one column
"with a spouse or common-law partner" and one "without". Section letters follow the page:
A core/human capital, B spouse, C skill transferability, D additional points.

Readings of the page that a careless copy gets wrong, and that this module follows:
- Skill transferability has two education rows: "post-secondary program credential of one year
  or longer" and "two or more post-secondary program credentials AND at least one ... of three
  years or longer", "master's" or "doctoral". A bachelor's degree is a credential of one year or
  longer, so it sits in the LOWER row (13/25), not with the master's.
- Transferability language tests use the first official language, all four abilities.
- Each transferability sub-group (education; foreign work experience; certificate of
  qualification) is capped at 50, the whole section at 100.
- Second official language: at most 22 points with a spouse, 24 without.
- French bonus: NCLC 7+ on all four French abilities earns 25; it earns 50 instead when the
  candidate also has CLB 5+ on all four English abilities. An English result below CLB 5 in any
  ability, or no English test, leaves it at 25.
- Section D is capped at 600.
"""
from __future__ import annotations

WITH_SPOUSE, WITHOUT_SPOUSE = 0, 1
ABILITIES = ("speaking", "listening", "reading", "writing")

# A. Age: (with spouse, without spouse); 17 or less and 45 or more earn nothing.
AGE_POINTS = {
    18: (90, 99), 19: (95, 105),
    **{age: (100, 110) for age in range(20, 30)},
    30: (95, 105), 31: (90, 99), 32: (85, 94), 33: (80, 88), 34: (75, 83),
    35: (70, 77), 36: (65, 72), 37: (60, 66), 38: (55, 61), 39: (50, 55),
    40: (45, 50), 41: (35, 39), 42: (25, 28), 43: (15, 17), 44: (5, 6),
}

# A. Level of education.
EDUCATION_POINTS = {
    "none": (0, 0),            # less than secondary school
    "secondary": (28, 30),
    "one_year": (84, 90),      # one-year degree, diploma or certificate
    "two_year": (91, 98),
    "bachelors": (112, 120),   # bachelor's OR a three-or-more-year program
    "two_or_more": (119, 128), # two or more credentials, one of them 3+ years
    "masters": (126, 135),     # master's or entry-to-practice professional degree
    "doctoral": (140, 150),
}

# A. First official language, per ability, by CLB level.
FIRST_LANGUAGE_POINTS = [
    (10, (32, 34)),  # CLB 10 or more
    (9, (29, 31)),
    (8, (22, 23)),
    (7, (16, 17)),
    (6, (8, 9)),
    (4, (6, 6)),     # CLB 4 or 5
    (0, (0, 0)),     # less than CLB 4
]

# A. Second official language, per ability (same in both columns), then capped.
SECOND_LANGUAGE_POINTS = [(9, 6), (7, 3), (5, 1), (0, 0)]
SECOND_LANGUAGE_CAP = (22, 24)

# A. Canadian work experience, by whole years (5 or more share the last row).
CANADIAN_WORK_POINTS = {0: (0, 0), 1: (35, 40), 2: (46, 53), 3: (56, 64), 4: (63, 72), 5: (70, 80)}

# B. Spouse or common-law partner factors.
SPOUSE_EDUCATION_POINTS = {
    "none": 0, "secondary": 2, "one_year": 6, "two_year": 7, "bachelors": 8,
    "two_or_more": 9, "masters": 10, "doctoral": 10,
}
SPOUSE_LANGUAGE_POINTS = [(9, 5), (7, 3), (5, 1), (0, 0)]  # per ability, first official language
SPOUSE_CANADIAN_WORK_POINTS = {0: 0, 1: 5, 2: 7, 3: 8, 4: 9, 5: 10}

# C. Skill transferability. Education rows of the page.
LOWER_CREDENTIALS = {"one_year", "two_year", "bachelors"}   # "one year or longer"
UPPER_CREDENTIALS = {"two_or_more", "masters", "doctoral"}  # "two or more ... / master's / PhD"
TRANSFERABILITY_SUBGROUP_CAP = 50
TRANSFERABILITY_CAP = 100

# D. Additional points.
SIBLING_POINTS = 15
FRENCH_ONLY_POINTS = 25
FRENCH_AND_ENGLISH_POINTS = 50
CANADIAN_EDUCATION_POINTS = {"none": 0, "one_or_two_years": 15, "three_or_more_years": 30}
PROVINCIAL_NOMINATION_POINTS = 600
ADDITIONAL_CAP = 600


def score(profile: dict) -> dict:
    """The CRS total with each section and each factor, so a disagreement can be located."""
    column = WITHOUT_SPOUSE if profile["spouse"] is None else WITH_SPOUSE
    parts = {
        "age": age_points(profile["age"], column),
        "education": education_points(profile["education"], column),
        "first_language": first_language_points(profile["first_language"], column),
        "second_language": second_language_points(profile["second_language"], column),
        "canadian_work": canadian_work_points(profile["canadian_work_years"], column),
    }
    core = sum(parts.values())

    spouse_parts = spouse_factor_parts(profile["spouse"])
    spouse_total = sum(spouse_parts.values())

    transfer_parts = transferability_parts(profile)
    transferability = min(
        TRANSFERABILITY_CAP,
        transfer_parts["education_group"] + transfer_parts["foreign_work_group"]
        + transfer_parts["certificate_group"],
    )

    additional_parts = {
        "sibling": SIBLING_POINTS if profile["sibling_in_canada"] else 0,
        "french": french_points(profile["first_language"], profile["second_language"]),
        "canadian_education": CANADIAN_EDUCATION_POINTS[profile["canadian_education"]],
        "provincial_nomination":
            PROVINCIAL_NOMINATION_POINTS if profile["provincial_nomination"] else 0,
    }
    additional = min(ADDITIONAL_CAP, sum(additional_parts.values()))

    return {
        "total": core + spouse_total + transferability + additional,
        "core": core,
        "spouse": spouse_total,
        "transferability": transferability,
        "additional": additional,
        **parts, **spouse_parts, **transfer_parts, **additional_parts,
    }


def age_points(age: int, column: int) -> int:
    """Age row of section A; outside 18–44 the page gives 0."""
    return AGE_POINTS.get(age, (0, 0))[column]


def education_points(education: str, column: int) -> int:
    """Level-of-education row of section A."""
    return EDUCATION_POINTS[education][column]


def _banded(level: int, bands: list) -> object:
    """The row of a "CLB n or more" table (bands listed from the highest floor down)."""
    for floor, points in bands:
        if level >= floor:
            return points
    raise ValueError(f"CLB level {level} below every band")


def first_language_points(language: dict, column: int) -> int:
    """First official language: per-ability points summed over the four abilities."""
    return sum(_banded(language[ability], FIRST_LANGUAGE_POINTS)[column] for ability in ABILITIES)


def second_language_points(language: dict | None, column: int) -> int:
    """Second official language: per-ability points, the sum capped at 22 (spouse) / 24."""
    if language is None:
        return 0
    raw = sum(_banded(language[ability], SECOND_LANGUAGE_POINTS) for ability in ABILITIES)
    return min(raw, SECOND_LANGUAGE_CAP[column])


def canadian_work_points(years: int, column: int) -> int:
    """Canadian work experience; "5 years or more" is one row."""
    return CANADIAN_WORK_POINTS[min(years, 5)][column]


def spouse_factor_parts(spouse: dict | None) -> dict:
    """Section B; a spouse who is absent, not accompanying or Canadian arrives here as None."""
    if spouse is None:
        return {"spouse_education": 0, "spouse_language": 0, "spouse_canadian_work": 0}
    return {
        "spouse_education": SPOUSE_EDUCATION_POINTS[spouse["education"]],
        "spouse_language": spouse_language_points(spouse["first_language"]),
        "spouse_canadian_work": SPOUSE_CANADIAN_WORK_POINTS[min(spouse["canadian_work_years"], 5)],
    }


def spouse_language_points(language: dict | None) -> int:
    """Spouse's first official language; a spouse without a test result earns nothing."""
    if language is None:
        return 0
    return sum(_banded(language[ability], SPOUSE_LANGUAGE_POINTS) for ability in ABILITIES)


def _language_tier(language: dict) -> str:
    """Which transferability column the first official language reaches (all four abilities)."""
    weakest = min(language[ability] for ability in ABILITIES)
    if weakest >= 9:
        return "clb9"
    if weakest >= 7:
        return "clb7"
    return "below"


def _with_language(row: str | None, tier: str) -> int:
    """The "with good official language proficiency" columns: 13/25 or 25/50, else 0."""
    if row is None or tier == "below":
        return 0
    return {("lower", "clb7"): 13, ("lower", "clb9"): 25,
            ("upper", "clb7"): 25, ("upper", "clb9"): 50}[(row, tier)]


def _with_canadian_work(row: str | None, canadian_years: int) -> int:
    """The "with Canadian work experience" columns: 1 year vs 2 years or more."""
    if row is None or canadian_years < 1:
        return 0
    two_or_more = canadian_years >= 2
    return {("lower", False): 13, ("lower", True): 25,
            ("upper", False): 25, ("upper", True): 50}[(row, two_or_more)]


def _education_row(education: str) -> str | None:
    if education in LOWER_CREDENTIALS:
        return "lower"
    if education in UPPER_CREDENTIALS:
        return "upper"
    return None  # secondary school credential or less


def _foreign_work_row(years: int) -> str | None:
    if years >= 3:
        return "upper"  # 3 years or more
    if years >= 1:
        return "lower"  # 1 or 2 years
    return None


def certificate_points(has_certificate: bool, language: dict) -> int:
    """Certificate of qualification: CLB 5+ on all four (one under 7) 25, CLB 7+ on all four 50."""
    if not has_certificate:
        return 0
    weakest = min(language[ability] for ability in ABILITIES)
    if weakest >= 7:
        return 50
    if weakest >= 5:
        return 25
    return 0


def transferability_parts(profile: dict) -> dict:
    """Section C, each combination and each capped sub-group (before the section cap)."""
    tier = _language_tier(profile["first_language"])
    canadian = profile["canadian_work_years"]
    education_row = _education_row(profile["education"])
    foreign_row = _foreign_work_row(profile["foreign_work_years"])
    parts = {
        "education_x_language": _with_language(education_row, tier),
        "education_x_canadian_work": _with_canadian_work(education_row, canadian),
        "foreign_work_x_language": _with_language(foreign_row, tier),
        "foreign_work_x_canadian_work": _with_canadian_work(foreign_row, canadian),
        "certificate_x_language": certificate_points(
            profile["certificate_of_qualification"], profile["first_language"]),
    }
    parts["education_group"] = min(
        TRANSFERABILITY_SUBGROUP_CAP,
        parts["education_x_language"] + parts["education_x_canadian_work"])
    parts["foreign_work_group"] = min(
        TRANSFERABILITY_SUBGROUP_CAP,
        parts["foreign_work_x_language"] + parts["foreign_work_x_canadian_work"])
    parts["certificate_group"] = min(TRANSFERABILITY_SUBGROUP_CAP, parts["certificate_x_language"])
    return parts


def french_points(first: dict, second: dict | None) -> int:
    """Section D French bonus, whichever of the two declared languages is French."""
    tests = {first["test_language"]: first}
    if second is not None:
        tests[second["test_language"]] = second
    french, english = tests.get("fr"), tests.get("en")
    if french is None or min(french[ability] for ability in ABILITIES) < 7:
        return 0
    if english is not None and min(english[ability] for ability in ABILITIES) >= 5:
        return FRENCH_AND_ENGLISH_POINTS
    return FRENCH_ONLY_POINTS
