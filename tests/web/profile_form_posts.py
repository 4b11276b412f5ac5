"""What a browser posts for a profile document, written from the form's field names (not from its code),
and what the pages show, read back from their markup.

The names follow WTForms' conventions the page uses: `date_of_birth-day`, `languages-0-reading`,
`job_offer-given`, `preferences-2`; a ticked checkbox posts "y", an unticked one nothing.
"""
from __future__ import annotations

import html
import re

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1) or found.group(2)


def form_post(document: dict, token: str, action: str = "save") -> dict:
    year, month, day = document["date_of_birth"].split("-")
    data = {"csrf_token": token, "action": action, "date_of_birth-day": str(int(day)),
            "date_of_birth-month": str(int(month)), "date_of_birth-year": year,
            "education_level": str(document["education_level"])}
    for i, language in enumerate(document.get("languages", [])):
        data.update({f"languages-{i}-{key}": value for key, value in language.items()})
    for i, item in enumerate(document.get("experience", [])):
        data[f"experience-{i}-occupation"] = item["occupation"]
        data[f"experience-{i}-years"] = str(item["years"])
    offer = document.get("job_offer")
    if offer:
        data.update({"job_offer-given": "y", "job_offer-state": offer["state"], "job_offer-occupation": offer["occupation"]})
    for flag in ("eu_study", "eu_work", "talent_partnership"):
        if document.get(flag):
            data[flag] = "y"
    for i, state in enumerate(document["preferences"]):
        data[f"preferences-{i}"] = state
    return data


SUMMARY_LINK = re.compile(r'<li><a href="#([^"]+)">([^<]+)</a></li>')


def summary(page: str) -> dict[str, str]:
    """The error summary's links: field id -> message."""
    block = page.split('id="error-summary"', 1)
    assert len(block) == 2, "no error summary"
    return {target: html.unescape(message) for target, message in SUMMARY_LINK.findall(block[1].split("</div>", 1)[0])}


def numbers(html: str) -> dict:
    """The score's numbers as the page marks them (data-* attributes)."""
    states, ranked = {}, {}
    for block in html.split('data-state="')[1:]:
        code, rest = block.split('"', 1)
        total = re.search(r"data-state-total>([^<]+)<", rest).group(1).strip()
        states[code] = int(total) if total.isdigit() else None
        in_ranking = re.search(r"data-ranked-total>(\d+)<", rest)
        ranked[code] = int(in_ranking.group(1)) if in_ranking else None
    return {"total": int(re.search(r'data-score="total">(\d+)<', html).group(1)),
            "factors": {k: int(v) for k, v in re.findall(r'data-factor="([a-z_]+)">(\d+)<', html)},
            "eligible": 'data-eligible="yes"' in html, "states": states, "ranked": ranked}
