"""Who matches a vacancy, and the fit: one integer saying how far above the vacancy's floor a candidate is.

A candidate matches a vacancy when
  - they are findable;
  - their EQF level is at least the vacancy's minimum (none: any level);
  - for every required language they list it, each skill at least its minimum (any: any level);
  - their years in the vacancy's scope are at least its minimum (none: no years needed), the
    scope being the exact occupation or its ISCO-08 minor group (the first three digits; the
    years of every occupation of theirs in that group are added);
  - the vacancy's state is among their preferences, or they accept any state.

The fit of a match is

    EDUCATION_STEP  x (EQF level - minimum EQF level; none counts as the grid's lowest level)
  + LANGUAGE_STEP   x for each required language and each of its four skills, the CEFR steps
                      above the minimum (any counts as A1)
  + YEARS_STEP      x (years in scope, counting at most YEARS_CAP, - the minimum, counting at most YEARS_CAP)
  + EXACT_BONUS       if the candidate has experience in the vacancy's exact occupation.

Every term is >= 0 for a match. A missing minimum is the lowest floor, so headroom is always
measured: a vacancy without an EQF minimum still prefers the more qualified, one whose skill is
"any" still prefers a stronger writer. Only what the vacancy names is read: a language it does
not require, an occupation outside its scope, and everything the pool does not hold (date of
birth, job offer, ties to the EU) never count. Results are ordered by fit, best first, ties
broken by candidate id (a vacancy's matches) or vacancy id (a candidate's).
"""
from __future__ import annotations

EDUCATION_STEP = 10
LANGUAGE_STEP = 3
YEARS_STEP = 4
YEARS_CAP = 10
EXACT_BONUS = 20
