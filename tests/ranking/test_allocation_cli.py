"""`python -m ranking allocate`: JSON rounds against the reference, and bad input named.

The expected output is built here from the JSON alone: timestamps through
`datetime.fromisoformat`, ids compared as Python strings, the allocation by the textbook
reference, so nothing is shared with the command's own parsing but the format.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile

import pytest
from hypothesis import given, settings, strategies as st

from ranking.cli import main
from reference import deferred_acceptance as reference

CODES = ("AT", "DE", "FR", "IE", "NL")
BASE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def run_cli(document) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of the sub-command on `document` (a str is written as is)."""
    text = document if isinstance(document, str) else json.dumps(document)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as file:
        file.write(text)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["allocate", file.name])
    finally:
        os.unlink(file.name)
    return status, out.getvalue(), err.getvalue()


def rfc3339(instant: dt.datetime, offset_minutes: int, lower_case: bool) -> str:
    """The instant written in a local time with the given UTC offset."""
    local = instant.astimezone(dt.timezone(dt.timedelta(minutes=offset_minutes)))
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if local.microsecond:
        text += f".{local.microsecond:06d}".rstrip("0")
    if offset_minutes == 0 and not lower_case:
        text += "Z"
    else:
        sign = "+" if offset_minutes >= 0 else "-"
        text += f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"
    return text.replace("T", "t") if lower_case else text


@st.composite
def documents(draw):
    """Rounds with few distinct instants (written with varied offsets) and scores, so ties abound."""
    states = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=4))
    instants = draw(st.lists(st.integers(0, 10**8), min_size=1, max_size=4))
    score_values = draw(st.sampled_from([st.integers(0, 3), st.integers(-(2**31) + 1, 2**31 - 1)]))
    candidates = []
    for name in draw(st.lists(st.text("abcAB1é", min_size=1, max_size=3), unique=True, max_size=25)):
        instant = BASE + dt.timedelta(microseconds=draw(st.sampled_from(instants)))
        preferences = draw(st.lists(st.sampled_from(CODES), max_size=4))
        scored = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=5))
        candidates.append({
            "id": name,
            "submitted_at": rfc3339(instant, draw(st.integers(-23 * 60 - 59, 23 * 60 + 59)), draw(st.booleans())),
            "preferences": preferences,
            "scores": {code: draw(score_values) for code in scored},
        })
    return {"states": {code: {"quota": draw(st.integers(0, 3))} for code in states}, "candidates": candidates}


def expected_output(document) -> dict:
    quotas = {code: state["quota"] for code, state in document["states"].items()}
    plain = []
    for candidate in document["candidates"]:
        choices, seen = [], set()
        for code in candidate["preferences"]:
            if code in quotas and code in candidate["scores"] and code not in seen:
                choices.append((code, candidate["scores"][code]))
            seen.add(code)
        plain.append({"id": candidate["id"], "choices": choices,
                      "submitted_at": dt.datetime.fromisoformat(candidate["submitted_at"].upper())})
    invited = reference.deferred_acceptance(plain, quotas)
    cutoffs = reference.cutoffs(plain, invited)
    return {
        "invitations": [{"candidate": c, "state": s}
                        for s, c in sorted((s, plain[i]["id"]) for i, s in invited.items())],
        "cutoffs": {
            state: {"score": score, "submitted_at": document["candidates"][i]["submitted_at"],
                    "invited": sum(1 for s in invited.values() if s == state)}
            for state, (score, _, i) in sorted(cutoffs.items())
        },
    }


@settings(max_examples=300, deadline=None)
@given(documents())
def test_output_matches_the_reference(document):
    status, out, err = run_cli(document)
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result == expected_output(document)
    assert list(result["cutoffs"]) == sorted(result["cutoffs"])


def test_the_example_of_the_issue():
    document = {"states": {"DE": {"quota": 3}, "FR": {"quota": 2}},
                "candidates": [{"id": "c1", "submitted_at": "2026-01-01T10:00:00Z", "preferences": ["DE", "FR"],
                                "scores": {"DE": 450, "FR": 430}}]}
    status, out, _ = run_cli(document)
    assert status == 0
    assert json.loads(out) == {"invitations": [{"candidate": "c1", "state": "DE"}],
                               "cutoffs": {"DE": {"score": 450, "submitted_at": "2026-01-01T10:00:00Z", "invited": 1}}}


@pytest.mark.parametrize("earlier, later", [
    ("2026-01-01T10:00:00+02:00", "2026-01-01T09:00:00Z"),                    # offsets are converted
    ("2026-01-01T10:00:00.000000001Z", "2026-01-01T10:00:00.000000002Z"),     # beyond microseconds
    ("2016-12-31T23:59:59Z", "2016-12-31T23:59:60Z"),                          # a leap second
    ("2026-01-01T10:00:00.5Z", "2026-01-01T10:00:00.51Z"),
    ("2026-01-01T00:00:00-00:30", "2026-01-01T00:31:00+00:00"),
])
def test_the_earlier_instant_wins_a_tie(earlier, later):
    # Both want the one place at equal scores; "b" sorts after "a" so the id cannot decide it.
    document = {"states": {"DE": {"quota": 1}}, "candidates": [
        {"id": "b", "submitted_at": earlier, "preferences": ["DE"], "scores": {"DE": 1}},
        {"id": "a", "submitted_at": later, "preferences": ["DE"], "scores": {"DE": 1}},
    ]}
    assert json.loads(run_cli(document)[1])["invitations"] == [{"candidate": "b", "state": "DE"}]


def test_same_instant_falls_back_to_id_in_string_order():
    document = {"states": {"DE": {"quota": 1}}, "candidates": [
        {"id": "b", "submitted_at": "2026-01-01T12:00:00+01:00", "preferences": ["DE"], "scores": {"DE": 1}},
        {"id": "B", "submitted_at": "2026-01-01T11:00:00.000Z", "preferences": ["DE"], "scores": {"DE": 1}},
    ]}
    assert json.loads(run_cli(document)[1])["invitations"] == [{"candidate": "B", "state": "DE"}]


def good_round() -> dict:
    return {"states": {"DE": {"quota": 1}, "FR": {"quota": 2}}, "candidates": [
        {"id": "c1", "submitted_at": "2026-01-01T10:00:00Z", "preferences": ["DE", "FR"], "scores": {"DE": 4, "FR": 3}},
        {"id": "c2", "submitted_at": "2026-01-01T11:00:00Z", "preferences": ["FR"], "scores": {"FR": 5}},
    ]}


def broken(change) -> dict:
    document = good_round()
    change(document)
    return document


BAD = [
    (lambda d: d["states"]["FR"].update(quota=-1), ["FR", "quota"]),
    (lambda d: d["states"]["FR"].update(quota=1.5), ["FR", "quota"]),
    (lambda d: d["states"]["FR"].update(quota=True), ["FR", "quota"]),
    (lambda d: d["states"]["FR"].pop("quota"), ["FR", "quota", "missing"]),
    (lambda d: d["candidates"][1].update(id="c1"), ["c1", "id", "candidates[1]"]),
    (lambda d: d["candidates"][1].update(id=2), ["candidates[1]", "id"]),
    (lambda d: d["candidates"][1].update(submitted_at="2026-02-30T10:00:00Z"), ["c2", "submitted_at"]),
    (lambda d: d["candidates"][1].update(submitted_at="2026-01-01 10:00:00Z"), ["c2", "submitted_at"]),
    (lambda d: d["candidates"][1].update(submitted_at="2026-01-01T10:00:00"), ["c2", "submitted_at"]),
    (lambda d: d["candidates"][1].update(submitted_at=20260101), ["c2", "submitted_at"]),
    (lambda d: d["candidates"][0]["scores"].update(DE=4.5), ["c1", "scores.DE"]),
    (lambda d: d["candidates"][0]["scores"].update(DE="4"), ["c1", "scores.DE"]),
    (lambda d: d["candidates"][0]["scores"].update(DE=2**31), ["c1", "scores.DE"]),
    (lambda d: d["candidates"][0]["scores"].update(DE=-(2**31)), ["c1", "scores.DE"]),
    (lambda d: d["candidates"][0].update(rank=1), ["c1", "rank"]),
    (lambda d: d["candidates"][0].pop("scores"), ["c1", "scores", "missing"]),
    (lambda d: d["candidates"][0].update(preferences="DE"), ["c1", "preferences"]),
    (lambda d: d["candidates"][0].update(preferences=[1]), ["c1", "preferences"]),
    (lambda d: d["states"]["DE"].update(size=3), ["DE", "size"]),
    (lambda d: d.update(round=7), ["round"]),
    (lambda d: d.update(candidates={}), ["candidates"]),
    (lambda d: d.update(states=[]), ["states"]),
    (lambda d: d["candidates"].append("c3"), ["candidates[2]"]),
]


@pytest.mark.parametrize("change, words", BAD)
def test_bad_input_exits_2_naming_the_item_and_field(change, words):
    status, out, err = run_cli(broken(change))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    for word in words:
        assert word in err


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", '{"states": {}, "states": {}, "candidates": []}', "[" * 50000])
def test_unreadable_documents_exit_2(text):
    status, out, err = run_cli(text)
    assert status == 2 and out == "" and err.count("\n") == 1


def test_through_the_real_entry_point_without_traceback():
    document = json.dumps(broken(lambda d: d["candidates"][0].update(submitted_at="yesterday")))
    bad = subprocess.run([sys.executable, "-m", "ranking", "allocate", "-"], input=document,
                         capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "c1" in bad.stderr
    good = subprocess.run([sys.executable, "-m", "ranking", "allocate"], input=json.dumps(good_round()),
                          capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout) == expected_output(good_round())
