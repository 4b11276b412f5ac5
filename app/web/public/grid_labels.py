"""What the grid's names mean in plain words, in every offered language.

The grid file names its factors, sections, tiers and rules in English identifiers; people read
these. A test checks that every name in the grid has an entry here, so a new factor cannot reach
the page without its words.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

SECTIONS = {
    "human_capital": _l("Age, education, languages and experience"),
    "combinations": _l("Skills that strengthen each other"),
    "additional": _l("Ties to the EU"),
}
FACTORS = {
    "age": _l("Age"),
    "education": _l("Education"),
    "best_language": _l("Your strongest language"),
    "second_language": _l("Your second language"),
    "skilled_experience": _l("Skilled work experience"),
    "education_and_language": _l("Education together with strong language skills"),
    "experience_and_language": _l("Experience together with strong language skills"),
    "eu_study": _l("Studied in an EU member state"),
    "eu_work": _l("Worked in an EU member state"),
    "talent_partnership": _l("Took part in an EU Talent Partnership"),
    "state_language": _l("The state's own languages"),
    "shortage_occupation": _l("Experience in the state's shortage occupations"),
    "job_offer": _l("A verified job offer in that state"),
}
EXPLANATIONS = {
    "age": _l("Your age in whole years on the day your profile is scored. There is no upper age limit."),
    "education": _l("Your highest qualification, by its level in the European Qualifications Framework (EQF)."),
    "best_language": _l("English or an official EU language. Each of the four skills gets points for its level; "
                        "the four are added."),
    "second_language": _l("Your next-strongest language: 5 points for every 20 points of its strength "
                          "(its four skills scored as for your strongest language), at most 30."),
    "skilled_experience": _l("All your years in skilled occupations (ISCO-08 major groups 1 to 8), added together."),
    "education_and_language": _l("Points for a degree when your strongest language is strong too."),
    "experience_and_language": _l("Points for experience when your strongest language is strong too."),
    "eu_study": _l("You studied in a member state."),
    "eu_work": _l("You worked in a member state."),
    "talent_partnership": _l("You took part in an EU Talent Partnership programme."),
    "state_language": _l("For each skill, your best level in any of the state's official languages; "
                         "the four skills added."),
    "shortage_occupation": _l("Your years of experience in occupations the state lists as short of workers."),
    "job_offer": _l("An employer verified by that state offered you a job through the pool, and you accepted it. "
                    "An offer you only declare in your profile earns nothing until the employer makes it here."),
}
# What the rows of a table are: the quantity a factor is of.
QUANTITIES = {
    "age": _l("Age (years)"),
    "education_level": _l("EQF level"),
    "strongest_language": _l("Level of each skill"),
    "second_language_strength": _l("Strength of the second language (0 to 120)"),
    "skilled_years": _l("Years"),
    "language_level": _l("Weakest skill in your strongest language"),
    "education_tier": _l("Education"),
    "experience_tier": _l("Skilled experience"),
    "state_language": _l("Level of each skill"),
    "experience.years": _l("Years"),
    "eu_study": _l("Studied in the EU"),
    "eu_work": _l("Worked in the EU"),
    "talent_partnership": _l("Talent Partnership"),
    "job_offer": _l("Job offer"),
}
TIERS = {
    "below_b1": _l("Below B1"),
    "b1": _l("B1"),
    "b2": _l("B2"),
    "c1_or_more": _l("C1 or higher"),
    "upper_secondary_or_less": _l("Up to EQF level 4"),
    "short_cycle_or_bachelor": _l("EQF level 5 or 6 (e.g. a bachelor's degree)"),
    "master_or_doctorate": _l("EQF level 7 or 8 (a master's degree or a doctorate)"),
    "under_two": _l("Under 2 years"),
    "two_to_four": _l("2 to 4 years"),
    "five_or_more": _l("5 years or more"),
}
RULES = {
    "adult": _l("You are at least 18 years old."),
    "language": _l("You know English or another official EU language at level B1 or higher in all four skills."),
    "qualification_or_experience": _l("You have a qualification at EQF level 4 or higher, or two years of "
                                      "skilled work experience (ISCO-08 major groups 1 to 8)."),
}
