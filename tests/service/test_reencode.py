"""Records of another grid contract: `flask pool reencode`, and a nightly re-rank that re-encodes first."""
import sqlalchemy as sa
from conftest import sample_profile
from sqlmodel import select

from app import db
from app.profiles.models import Profile
from app.states.grid import shipped_grid

URL = "/api/v1/me/profile"


def submit(client, people, profiles):
    for who, profile in zip(people, profiles, strict=True):
        assert client.put(URL, json=profile, headers=who["headers"]).status_code == 200


def make_stale(app, *, document_changes: dict | None = None, only: int | None = None):
    """Mark records as encoded under an older contract (garbage bytes, another tag)."""
    table = Profile.__table__
    statement = sa.update(table).values(record=b"\x01\x02", record_grid="eu:older")
    if only is not None:
        statement = statement.where(table.c.account_id == only)
    with app.app_context(), db.engine().begin() as connection:
        connection.execute(statement)
        if document_changes:
            row = connection.execute(sa.select(table.c.id, table.c.document).where(table.c.account_id == only)).one()
            connection.execute(sa.update(table).where(table.c.id == row.id)
                               .values(document={**row.document, **document_changes}))


def stored(app):
    with app.app_context():
        return {p.account_id: (p.record, p.record_grid) for p in db.session().exec(select(Profile)).all()}


def test_reencode_rewrites_every_stale_record_from_its_document(app, runner, client, make_account):
    people = [make_account() for _ in range(3)]
    submit(client, people, [sample_profile(), sample_profile(education_level=8), sample_profile(preferences=["FI"])])
    before = stored(app)
    make_stale(app)
    result = runner.invoke(args=["pool", "reencode"])
    assert result.exit_code == 0, result.output
    assert f"re-encoded 3 profiles under {shipped_grid().record_version}" in result.output
    assert stored(app) == before
    again = runner.invoke(args=["pool", "reencode"])
    assert "re-encoded 0 profiles" in again.output
    assert "re-encoded 3 profiles" in runner.invoke(args=["pool", "reencode", "--all"]).output


def test_the_nightly_rank_re_encodes_first(app, runner, client, make_account):
    people = [make_account() for _ in range(2)]
    submit(client, people, [sample_profile(), sample_profile(education_level=3)])
    before = stored(app)
    make_stale(app)
    result = runner.invoke(args=["pool", "rerank", "--only-rank"])
    assert result.exit_code == 0 and "ranked 2 candidates" in result.output, result.output
    assert stored(app) == before


def test_a_document_the_grid_refuses_stops_the_ranking_with_a_message_naming_the_command(
        app, runner, client, make_account):
    people = [make_account() for _ in range(2)]
    submit(client, people, [sample_profile(), sample_profile()])
    make_stale(app, document_changes={"education_level": 99}, only=people[1]["id"])
    result = runner.invoke(args=["pool", "rerank", "--only-rank"])
    assert result.exit_code == 2
    assert "1 active profiles were encoded under another grid contract" in result.output
    assert "flask pool reencode" in result.output
    reencode = runner.invoke(args=["pool", "reencode"])
    assert reencode.exit_code == 2
    assert f"candidate {people[1]['id']}: education_level" in reencode.output
    nightly = runner.invoke(args=["pool", "rerank"])
    assert "not ranked: 1 active profiles" in nightly.output


def _grid_with(tmp_path, line: str):
    """The shipped eu grid with one more input (a scratch copy of the grid files)."""
    import shutil

    import ranking
    from ranking.grid.presets import GRIDS_DIR

    text = (GRIDS_DIR / "eu.toml").read_text()
    anchor = 'talent_partnership = "bool"\n'
    assert anchor in text
    shutil.copytree(GRIDS_DIR / "eu", tmp_path / "eu")
    (tmp_path / "eu.toml").write_text(text.replace(anchor, anchor + line + "\n", 1))
    return ranking.load_grid(tmp_path / "eu.toml")


def test_reencode_gives_stored_documents_the_default_of_an_input_added_since(app, client, make_account, tmp_path):
    from app.profiles import reencoding

    people = [make_account() for _ in range(2)]
    submit(client, people, [sample_profile(), sample_profile(eu_work=True)])
    added = _grid_with(tmp_path / "a", 'blue_card = { type = "bool", default = true }')
    required = _grid_with(tmp_path / "b", 'blue_card = "bool"')
    with app.app_context():
        refused = reencoding.reencode(required)
        assert refused.profiles == 0 and set(refused.refused) == {p["id"] for p in people}
        assert set(refused.refused.values()) == {"blue_card: is required"}
        report = reencoding.reencode(added)
        assert (report.profiles, report.refused) == (2, {})
        rows = db.session().exec(select(Profile).order_by(Profile.account_id)).all()
    assert {row.record_grid for row in rows} == {added.record_version}
    # The re-encoded record also carries the service's verified job offer (none here).
    assert [added.decode(row.record) for row in rows] == [{**row.document, "blue_card": True, "verified_job_offer": None}
                                                          for row in rows]
    assert "blue_card" not in rows[0].document  # the document stays as the candidate wrote it
