"""A profile's fixed-width record: derived from the grid, the engine's columns without a copy, decoded back.

The expected layouts below are written out by hand from the grid files (field order, subarray
shapes, byte widths), not computed with the code under test.
"""
import datetime as dt
import random
import shutil
import tomllib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ranking
from ranking.grid.presets import GRIDS_DIR
import strategies as other_grids
import strategies_eu as eu

AS_OF = dt.date(2026, 11, 22)

# (field, numpy type, slots) of the eu grid's record, read off ranking/grids/eu.toml (the list
# limits from the file itself, so that raising one keeps this table true).
LANGUAGES, OCCUPATIONS, PREFERENCES = eu.MOST_LANGUAGES, eu.MOST_OCCUPATIONS, eu.MOST_PREFERENCES
EU_LAYOUT = [
    ("date_of_birth", "<i4", 0), ("education_level", "i1", 0), ("eu_study", "i1", 0), ("eu_work", "i1", 0),
    ("talent_partnership", "i1", 0),
    ("languages.language", "i1", LANGUAGES), ("languages.listening", "i1", LANGUAGES),
    ("languages.reading", "i1", LANGUAGES), ("languages.speaking", "i1", LANGUAGES),
    ("languages.writing", "i1", LANGUAGES),
    ("experience.occupation", "<i2", OCCUPATIONS), ("experience.years", "i1", OCCUPATIONS),
    ("job_offer", "i1", 0), ("job_offer.state", "i1", 0), ("job_offer.occupation", "<i2", 0),
    ("verified_job_offer", "i1", 0), ("verified_job_offer.state", "i1", 0), ("verified_job_offer.occupation", "<i2", 0),
    ("preferences", "i1", PREFERENCES),
]


@pytest.fixture(scope="module")
def grid():
    return ranking.load_grid("eu")


def test_the_eu_record_has_one_packed_field_per_column_in_the_narrowest_type(grid):
    layout = [(name, np.dtype(kind).str, grid.record_dtype[name].shape[0] if grid.record_dtype[name].shape else 0)
              for name, kind, _ in EU_LAYOUT]
    assert list(grid.record_dtype.names) == [name for name, _, _ in EU_LAYOUT]
    assert layout == [(name, np.dtype(kind).str, slots) for name, kind, slots in EU_LAYOUT]
    assert [grid.record_dtype[name].base.str for name, _, _ in EU_LAYOUT] == [np.dtype(k).str for _, k, _ in EU_LAYOUT]
    # 4 + 1*4 + 5 per language + 3 per occupation + 1+1+2 + 1 per preference: packed, no padding.
    assert grid.record_dtype.itemsize == 8 + 5 * LANGUAGES + 3 * OCCUPATIONS + 4 + 4 + PREFERENCES
    assert not grid.record_dtype.isalignedstruct


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_decoding_a_record_gives_back_the_document_encoded(grid, data):
    as_of = data.draw(eu.AS_OF_DATES)
    profiles = data.draw(eu.batch(as_of, max_size=20))
    records = grid.encode_records(profiles, as_of=as_of)
    assert records.dtype == grid.record_dtype and records.shape == (len(profiles),)
    # A document without the service's verified offer is encoded with its default, null.
    profiles = [{"verified_job_offer": None, **profile} for profile in profiles]
    assert [grid.decode(record) for record in records] == profiles
    assert [grid.decode(record.tobytes()) for record in records] == profiles


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_record_fields_are_exactly_the_encoded_columns_and_score_the_same(grid, data):
    as_of = data.draw(eu.AS_OF_DATES)
    profiles = data.draw(eu.batch(as_of, max_size=60))
    records = grid.encode_records(profiles, as_of=as_of)
    columns = grid.encode(profiles, as_of=as_of)
    views = grid.columns_from_records(grid.records_from_bytes(records.tobytes()))
    assert set(views) == set(columns)
    for name, column in columns.items():
        assert views[name].dtype == column.dtype and views[name].shape == column.shape
        np.testing.assert_array_equal(views[name], column)
    from_records, from_columns = grid.score(records, as_of=as_of), grid.score(columns, as_of=as_of)
    np.testing.assert_array_equal(from_records.total, from_columns.total)
    np.testing.assert_array_equal(from_records.state_totals, from_columns.state_totals)
    np.testing.assert_array_equal(from_records.failures, from_columns.failures)


def test_columns_from_records_copy_nothing(grid):
    records = grid.encode_records([eu.random_profile(random.Random(1), AS_OF)], as_of=AS_OF)
    views = grid.columns_from_records(records)
    assert all(np.shares_memory(view, records) for view in views.values())


@pytest.mark.parametrize("name, batch", [("crs", other_grids.crs_batch(30)),
                                         ("skillselect", other_grids.skillselect_batch(30))])
def test_other_grids_round_trip_through_their_records(name, batch):
    grid = ranking.load_grid(name)

    @settings(max_examples=30, deadline=None)
    @given(batch)
    def round_trip(profiles):
        records = grid.encode_records(profiles)
        assert [grid.decode(record) for record in records] == profiles

    round_trip()


def test_records_of_another_layout_are_refused(grid):
    crs = ranking.load_grid("crs")
    with pytest.raises(ValueError, match="not this grid's"):
        grid.columns_from_records(crs.encode_records([]))
    with pytest.raises(ValueError, match="whole records"):
        grid.records_from_bytes(b"\x00" * (grid.record_dtype.itemsize + 1))


def test_a_bad_profile_is_refused_as_encode_refuses_it(grid):
    good = eu.random_profile(random.Random(2), AS_OF)
    with pytest.raises(ranking.ProfileError) as caught:
        grid.encode_records([good, {**good, "education_level": 9}], as_of=AS_OF)
    assert (caught.value.index, caught.value.field) == (1, "education_level")


def _eu_copy(tmp_path, old: str, new: str):
    text = (GRIDS_DIR / "eu.toml").read_text()
    assert old in text
    shutil.copytree(GRIDS_DIR / "eu", tmp_path / "eu")
    (tmp_path / "eu.toml").write_text(text.replace(old, new, 1))
    return ranking.load_grid(tmp_path / "eu.toml")


def test_the_record_version_follows_the_input_contract_not_the_points(grid, tmp_path):
    more = LANGUAGES + 2
    wider = _eu_copy(tmp_path / "a", f"max_items = {LANGUAGES}", f"max_items = {more}")
    assert wider.record_version != grid.record_version
    assert wider.record_dtype["languages.language"].shape == (more,)
    assert wider.record_dtype.itemsize == grid.record_dtype.itemsize + 2 * 5
    repointed = _eu_copy(tmp_path / "b", "points = [0, 20, 45, 70, 100, 120, 135]",
                         "points = [0, 20, 45, 70, 100, 120, 136]")
    assert repointed.record_version == grid.record_version
    assert grid.with_overlays({"DE": {**_shipped("DE"), "min_total": 1}}).record_version == grid.record_version


def _shipped(state: str) -> dict:
    return tomllib.loads((GRIDS_DIR / "eu" / "overlays" / f"{state}.toml").read_text())


NEW_INPUT = 'talent_partnership = "bool"\n'


def test_an_input_added_with_a_default_encodes_documents_stored_before_it(grid, tmp_path):
    added = _eu_copy(tmp_path / "a", NEW_INPUT, NEW_INPUT + 'blue_card = { type = "bool", default = true }\n'
                     'years_in_eu = { type = "int", min = 0, max = 40, default = 0 }\n')
    older = [eu.random_profile(random.Random(seed), AS_OF) for seed in range(30)]
    records = added.encode_records(older, as_of=AS_OF)
    # Exactly the records of the same documents with the defaults written out.
    spelled = added.encode_records([{**p, "blue_card": True, "years_in_eu": 0} for p in older], as_of=AS_OF)
    assert records.tobytes() == spelled.tobytes()
    assert records["blue_card"].tolist() == [1] * 30
    assert added.decode(records[0]) == {**older[0], "blue_card": True, "years_in_eu": 0, "verified_job_offer": None}
    # A document that gives the value keeps it; the scores of the older inputs are unchanged.
    given = added.encode_records([{**older[0], "blue_card": False, "years_in_eu": 7}], as_of=AS_OF)
    assert (given["blue_card"][0], given["years_in_eu"][0]) == (0, 7)
    assert added.score(records, as_of=AS_OF).total.tolist() == grid.score(
        grid.encode_records(older, as_of=AS_OF), as_of=AS_OF).total.tolist()
    assert added.record_version != grid.record_version


def test_without_a_default_a_new_input_refuses_older_documents_and_a_bad_default_fails_the_grid(tmp_path):
    required = _eu_copy(tmp_path / "a", NEW_INPUT, NEW_INPUT + 'blue_card = "bool"\n')
    with pytest.raises(ranking.ProfileError) as caught:
        required.encode_records([eu.random_profile(random.Random(1), AS_OF)], as_of=AS_OF)
    assert (caught.value.field, caught.value.message) == ("blue_card", "is required")
    with pytest.raises(ranking.GridError) as bad:
        _eu_copy(tmp_path / "b", NEW_INPUT, NEW_INPUT + 'years_in_eu = { type = "int", min = 0, max = 40, default = 41 }\n')
    assert "inputs.years_in_eu.default" in str(bad.value) and "out of range" in str(bad.value)


def test_a_default_changes_the_record_version_only_where_one_is_given(grid, tmp_path):
    other = _eu_copy(tmp_path / "a", NEW_INPUT, NEW_INPUT + 'blue_card = { type = "bool", default = false }\n')
    changed = _eu_copy(tmp_path / "b", NEW_INPUT, NEW_INPUT + 'blue_card = { type = "bool", default = true }\n')
    assert len({grid.record_version, other.record_version, changed.record_version}) == 3
