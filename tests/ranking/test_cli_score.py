"""`python -m ranking score` and `grids`, run as a user runs them: a real process, real pipes."""
import json
import subprocess
import sys

import pytest

SKILLSELECT = {
    "age": 30, "english": "proficient", "overseas_work_years": 3, "australian_work_years": 1,
    "qualification": "bachelor_or_master", "specialist_education": False, "australian_study": False,
    "professional_year": False, "community_language": False, "regional_study": False,
    "partner": "single_or_citizen", "nomination": "none",
}
EU = {
    "date_of_birth": "1994-05-17", "education_level": 6,
    "languages": [{"language": "en", "listening": "C1", "reading": "C1", "speaking": "B2", "writing": "B2"}],
    "experience": [{"occupation": "2512", "years": 4}], "job_offer": None,
    "eu_study": False, "eu_work": False, "talent_partnership": False, "preferences": ["IE", "DE"],
}


def run(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "ranking", *args], input=stdin, capture_output=True,
                          text=True, timeout=60)


def lines(*profiles):
    return "".join(json.dumps(p) + "\n" for p in profiles)


def test_scores_each_line_in_order_with_breakdown_and_eligibility():
    older = dict(SKILLSELECT, age=45)
    result = run("score", "--grid", "skillselect", stdin=lines(SKILLSELECT, older))
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    # 30 (age 25-32) + 10 (proficient) + 5 (3 years overseas) + 5 (1 year in Australia) + 15 (bachelor) + 10 (single)
    assert first["total"] == 75 and first["eligible"] and first["reasons"] == []
    assert first["breakdown"]["age"] == 30
    assert second["total"] == 45 and not second["eligible"]
    assert any("45" in reason for reason in second["reasons"])


def test_eu_output_carries_the_totals_of_each_chosen_state():
    result = run("score", "--grid", "eu", "--as-of", "2026-11-22", stdin=lines(EU))
    assert result.returncode == 0, result.stderr
    scored = json.loads(result.stdout)
    assert [s["state"] for s in scored["states"]] == ["IE", "DE"]
    ireland = scored["states"][0]
    assert ireland["total"] == scored["total"] + ireland["additions"]["state_additions"]


def test_reads_a_file_argument_and_skips_blank_lines(tmp_path):
    path = tmp_path / "pool.jsonl"
    path.write_text(lines(SKILLSELECT) + "\n\n" + lines(SKILLSELECT))
    result = run("score", "--grid", "skillselect", str(path))
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2


@pytest.mark.parametrize("stdin, message", [
    (lines(SKILLSELECT, dict(SKILLSELECT, english="fluent")), "line 2: field english: 'fluent' is not allowed"),
    (lines(SKILLSELECT, dict(SKILLSELECT, age=30.5)), "line 2: field age: must be a whole number"),
    (lines(dict(SKILLSELECT, age=True)), "line 1: field age: must be a whole number"),
    (lines(dict(SKILLSELECT, extra=1)), "line 1: field extra: unknown field"),
    (lines({k: v for k, v in SKILLSELECT.items() if k != "partner"}), "line 1: field partner: is required"),
    (lines(SKILLSELECT) + '{"age": 30,\n', "line 2: not valid JSON"),
    (lines(SKILLSELECT) + "[1, 2]\n", "line 2: expected a JSON object"),
])
def test_bad_input_exits_2_naming_line_and_field_and_writes_nothing(stdin, message):
    result = run("score", "--grid", "skillselect", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_grid_or_missing_file_exits_2():
    assert "no such grid" in run("score", "--grid", "narnia", stdin="").stderr
    missing = run("score", "--grid", "crs", "/nonexistent/profiles.jsonl")
    assert missing.returncode == 2 and "No such file" in missing.stderr


def test_a_bad_as_of_date_exits_2():
    result = run("score", "--grid", "eu", "--as-of", "2026-13-01", stdin=lines(EU))
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_grids_lists_each_preset_with_its_version():
    result = run("grids")
    names = {line.split("\t")[0]: line.split("\t")[1] for line in result.stdout.splitlines()}
    assert names["crs"] == "2025-03-25"
    assert set(names) == {"crs", "eu", "skillselect"}
