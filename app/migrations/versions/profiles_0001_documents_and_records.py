"""Profiles: the candidate's document and the engine's record replace the 55 slot columns.

Each existing row's document is rebuilt from its slot columns with the decoding frozen below
(the `eu` grid's codes and slot counts as they were when the slots were the schema: 6
languages, 5 occupations, 5 preferences); the record is then encoded from the document by the
grid shipped with the code that runs this migration, and tagged with its contract version.
A document that grid refuses gets an empty record of no contract, which the nightly re-rank
refuses to rank (and `flask pool reencode` names) rather than guess. The downgrade writes the
slot columns back from the documents, as long as they fit in the old slots.

Revision ID: profiles_0001
Revises: rounds_0003
Create Date: 2026-11-23
"""
import datetime as dt

import ranking
import sqlalchemy as sa
from alembic import op

revision = "profiles_0001"
down_revision = "rounds_0003"
branch_labels = None
depends_on = None

CHUNK_ROWS = 5000
# The codes of the slot columns, frozen: indices into these, as the `eu` grid 2026.1 numbered them.
LANGUAGES = ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv",
             "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "lb", "tr")
STATES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
          "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")  # codes 1..6; 0 is no level
SKILLS = ("listening", "reading", "speaking", "writing")
LANGUAGE_SLOTS, EXPERIENCE_SLOTS, PREFERENCE_SLOTS = 6, 5, 5
# Every slot column with its default (the code of "absent"), in the order the first schema made them.
SLOT_COLUMNS = (
    [(f"language_{slot}", -1) for slot in range(1, LANGUAGE_SLOTS + 1)]
    + [(f"language_{slot}_{skill}", 0) for slot in range(1, LANGUAGE_SLOTS + 1) for skill in SKILLS]
    + [(f"experience_{slot}_{part}", -1 if part == "occupation" else 0)
       for slot in range(1, EXPERIENCE_SLOTS + 1) for part in ("occupation", "years")]
    + [(f"preference_{slot}", -1) for slot in range(1, PREFERENCE_SLOTS + 1)]
    + [("job_offer", 0), ("job_offer_state", -1), ("job_offer_occupation", -1), ("eu_study", 0), ("eu_work", 0),
       ("talent_partnership", 0)]
)
PLAIN_COLUMNS = ("date_of_birth", "education_level")


def _profile_table(*columns):
    return sa.table("profile", sa.column("id", sa.Integer), *columns)


def document_of(row) -> dict:
    """The document the slot columns of `row` (a mapping of column values) encode."""
    dob = row["date_of_birth"]
    languages = [{"language": LANGUAGES[row[f"language_{slot}"]],
                  **{skill: LEVELS[row[f"language_{slot}_{skill}"] - 1] for skill in SKILLS}}
                 for slot in range(1, LANGUAGE_SLOTS + 1) if row[f"language_{slot}"] >= 0]
    experience = [{"occupation": f"{row[f'experience_{slot}_occupation']:04d}",
                   "years": row[f"experience_{slot}_years"]}
                  for slot in range(1, EXPERIENCE_SLOTS + 1) if row[f"experience_{slot}_occupation"] >= 0]
    job_offer = None
    if row["job_offer"]:
        job_offer = {"state": STATES[row["job_offer_state"]], "occupation": f"{row['job_offer_occupation']:04d}"}
    return {
        "date_of_birth": f"{dob // 10000:04d}-{dob // 100 % 100:02d}-{dob % 100:02d}",
        "education_level": row["education_level"],
        "eu_study": bool(row["eu_study"]),
        "eu_work": bool(row["eu_work"]),
        "talent_partnership": bool(row["talent_partnership"]),
        "languages": languages,
        "experience": experience,
        "job_offer": job_offer,
        "preferences": [STATES[row[f"preference_{slot}"]] for slot in range(1, PREFERENCE_SLOTS + 1)
                        if row[f"preference_{slot}"] >= 0],
    }


def slots_of(document: dict) -> dict:
    """The slot column values of a document (the inverse of `document_of`, for the downgrade)."""
    if (len(document["languages"]) > LANGUAGE_SLOTS or len(document["experience"]) > EXPERIENCE_SLOTS
            or len(document["preferences"]) > PREFERENCE_SLOTS):
        raise RuntimeError("a profile has more list items than the slot columns hold; it cannot be downgraded")
    values = {name: default for name, default in SLOT_COLUMNS}
    year, month, day = (int(part) for part in document["date_of_birth"].split("-"))
    values.update(date_of_birth=year * 10000 + month * 100 + day, education_level=document["education_level"])
    for slot, item in enumerate(document["languages"], start=1):
        values[f"language_{slot}"] = LANGUAGES.index(item["language"])
        values.update({f"language_{slot}_{skill}": LEVELS.index(item[skill]) + 1 for skill in SKILLS})
    for slot, item in enumerate(document["experience"], start=1):
        values[f"experience_{slot}_occupation"] = int(item["occupation"])
        values[f"experience_{slot}_years"] = item["years"]
    for slot, state in enumerate(document["preferences"], start=1):
        values[f"preference_{slot}"] = STATES.index(state)
    if document["job_offer"] is not None:
        values.update(job_offer=1, job_offer_state=STATES.index(document["job_offer"]["state"]),
                      job_offer_occupation=int(document["job_offer"]["occupation"]))
    for name in ("eu_study", "eu_work", "talent_partnership"):
        values[name] = int(document[name])
    return values


def _chunks(connection, *columns):
    """The profile rows in id order, CHUNK_ROWS at a time, as mappings of the id and `columns`."""
    table = _profile_table(*columns)
    last = 0
    while True:
        rows = connection.execute(sa.select(table).where(table.c.id > last).order_by(table.c.id)
                                  .limit(CHUNK_ROWS)).mappings().all()
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def upgrade():
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("document", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("record", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("record_grid", sa.String(64), nullable=True))
    connection = op.get_bind()
    grid = ranking.load_grid("eu")
    today = dt.datetime.now(dt.UTC).date()
    target = _profile_table(sa.column("document", sa.JSON), sa.column("record", sa.LargeBinary),
                            sa.column("record_grid", sa.String))
    write = target.update().where(target.c.id == sa.bindparam("row_id")).values(
        document=sa.bindparam("new_document"), record=sa.bindparam("new_record"),
        record_grid=sa.bindparam("new_grid"))
    for rows in _chunks(connection, *(sa.column(name) for name in (*PLAIN_COLUMNS, *(n for n, _ in SLOT_COLUMNS)))):
        updates = []
        for row in rows:
            document = document_of(row)
            try:
                record, version = grid.encode_records([document], as_of=today).tobytes(), grid.record_version
            except ranking.ProfileError:
                record, version = b"", ""
            updates.append({"row_id": row["id"], "new_document": document, "new_record": record,
                            "new_grid": version})
        connection.execute(write, updates)
    with op.batch_alter_table("profile") as batch:
        for name in ("document", "record", "record_grid"):
            batch.alter_column(name, nullable=False)
        for name in (*PLAIN_COLUMNS, *(name for name, _ in SLOT_COLUMNS)):
            batch.drop_column(name)
        batch.create_index("ix_profile_record_grid", ["record_grid"])


def downgrade():
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("date_of_birth", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("education_level", sa.SmallInteger(), nullable=False, server_default="0"))
        for name, default in SLOT_COLUMNS:
            batch.add_column(sa.Column(name, sa.SmallInteger(), nullable=False, server_default=str(default)))
    connection = op.get_bind()
    names = [*PLAIN_COLUMNS, *(name for name, _ in SLOT_COLUMNS)]
    target = _profile_table(*(sa.column(name) for name in names))
    write = target.update().where(target.c.id == sa.bindparam("row_id")).values(
        {name: sa.bindparam(f"new_{name}") for name in names})
    for rows in _chunks(connection, sa.column("document", sa.JSON)):
        connection.execute(write, [{"row_id": row["id"], **{f"new_{k}": v for k, v in slots_of(row["document"]).items()}}
                                   for row in rows])
    with op.batch_alter_table("profile") as batch:
        batch.drop_index("ix_profile_record_grid")
        for name in ("document", "record", "record_grid"):
            batch.drop_column(name)
        batch.alter_column("date_of_birth", server_default=None)
        batch.alter_column("education_level", server_default=None)
