"""Between a profile as a candidate writes it and the engine's integer columns stored in `profile`.

Encoding is the engine's (`grid.encode`), so the stored codes are exactly what it scores; this
module only lays those arrays into the row's slot columns and reads them back out.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from app.profiles.models import ENCODED_COLUMNS, ENCODED_DTYPES, LANGUAGE_SKILLS, Profile
from app.states import grid as grids


def row_values(columns: dict[str, np.ndarray], index: int = 0) -> dict[str, int]:
    """The `profile` column values of one encoded profile."""
    values = {}
    for key, names in ENCODED_COLUMNS.items():
        array = columns[key][index]
        if len(names) == 1:
            values[names[0]] = int(array)
        else:
            values.update(zip(names, (int(v) for v in array), strict=True))
    return values


def columns_of(matrix: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    """Engine columns from an (N, len(names)) integer matrix of `profile` columns `names`."""
    position = {name: i for i, name in enumerate(names)}
    out = {}
    for key, columns in ENCODED_COLUMNS.items():
        block = matrix[:, [position[c] for c in columns]].astype(ENCODED_DTYPES[key])
        out[key] = block if len(columns) > 1 else block[:, 0].copy()
    return out


def stored_names() -> list[str]:
    """Every `profile` column that holds an encoded input, in a fixed order."""
    return [name for names in ENCODED_COLUMNS.values() for name in names]


def columns_of_profile(profile: Profile) -> dict[str, np.ndarray]:
    """Engine columns for one stored profile."""
    names = stored_names()
    return columns_of(np.array([[getattr(profile, n) for n in names]], dtype=np.int32), names)


def _label(column: str, code: int, grid) -> str:
    labels, first = grids.labels(column, grid)
    return labels[code - first]


def inputs_of(profile: Profile, grid=None) -> dict:
    """The profile as the candidate wrote it, rebuilt from the stored codes."""
    states = grids.state_codes(grid)
    dob = profile.date_of_birth
    languages = []
    for slot in range(1, 7):
        code = getattr(profile, f"language_{slot}")
        if code < 0:
            continue
        item = {"language": _label("languages.language", code, grid)}
        for skill in LANGUAGE_SKILLS:
            item[skill] = _label(f"languages.{skill}", getattr(profile, f"language_{slot}_{skill}"), grid)
        languages.append(item)
    experience = [
        {"occupation": f"{getattr(profile, f'experience_{slot}_occupation'):04d}",
         "years": getattr(profile, f"experience_{slot}_years")}
        for slot in range(1, 6) if getattr(profile, f"experience_{slot}_occupation") >= 0
    ]
    job_offer = None
    if profile.job_offer:
        job_offer = {"state": states[profile.job_offer_state], "occupation": f"{profile.job_offer_occupation:04d}"}
    return {
        "date_of_birth": dt.date(dob // 10000, dob // 100 % 100, dob % 100),
        "education_level": profile.education_level,
        "languages": languages,
        "experience": experience,
        "job_offer": job_offer,
        "eu_study": bool(profile.eu_study),
        "eu_work": bool(profile.eu_work),
        "talent_partnership": bool(profile.talent_partnership),
        "preferences": [states[getattr(profile, f"preference_{slot}")] for slot in range(1, 6)
                        if getattr(profile, f"preference_{slot}") >= 0],
    }
