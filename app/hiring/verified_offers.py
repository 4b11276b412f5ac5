"""The verified job offer a candidate's record carries: the only source of the grid's job-offer points.

The grid has two offer inputs (`ranking/grids/eu.toml`): `job_offer`, what the candidate says
(a claim pending the employer's confirmation, worth nothing), and `verified_job_offer`, which the
service sets and the candidate never writes: an offer made through the pool by an employer its
member state verified, and accepted by the candidate (`JobOffer` with status `accepted`, employer
`verified`). It is not in the API's input schema nor on the profile form (`candidate_inputs`);
it is added to the document whenever a record is encoded (`engine_inputs`), so the score on
submission, the re-encoding and the nightly ranking all see the same offer.

Whatever changes it — an acceptance, a withdrawal, an employer's suspension, an erasure — calls
`refresh_record` in the same unit of work, so the stored record (what the nightly re-rank reads)
never carries an offer that no longer stands.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from ranking.grid.inputs import Obj
from sqlmodel import Session, select

from app import clock
from app.employers.models import Employer, EmployerStatus
from app.hiring.models import JobOffer, OfferStatus
from app.profiles.models import Profile
from app.states import grid as grids
from app.storage import columnar, engines

INPUT = "verified_job_offer"


def candidate_inputs(root: Obj) -> Obj:
    """The grid's input tree without what only the service sets: what a candidate may write."""
    return Obj({name: node for name, node in root.fields.items() if name != INPUT}, root.nullable,
               {name: value for name, value in root.defaults.items() if name != INPUT})


def standing_offers(session: Session, candidate_ids: Iterable[int]) -> dict[int, dict]:
    """{candidate id: {"state", "occupation"}} of each candidate's verified offer, if any.

    A candidate holds at most one accepted offer (`offers.accept` refuses a second), so this is
    one row each; the newest wins should an older database hold two."""
    ids = list(candidate_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(JobOffer.candidate_id, JobOffer.state_code, JobOffer.occupation)
        .join(Employer, Employer.id == JobOffer.employer_id)
        .where(JobOffer.candidate_id.in_(ids), JobOffer.status == OfferStatus.ACCEPTED.value,
               Employer.status == EmployerStatus.VERIFIED.value)
        .order_by(JobOffer.answered_at, JobOffer.id)).all()
    return {candidate: {"state": state, "occupation": occupation} for candidate, state, occupation in rows}


def engine_inputs(session: Session, candidate_id: int) -> dict:
    """What the service adds to the candidate's document before encoding it."""
    return {INPUT: standing_offers(session, [candidate_id]).get(candidate_id)}


def refresh_record(session: Session, candidate_id: int) -> None:
    """Encode the candidate's stored profile again with the offer that stands now (no profile: nothing)."""
    profile = session.exec(select(Profile).where(Profile.account_id == candidate_id)).first()
    if profile is None:
        return
    grid = grids.current(session)
    record = grid.encode_records([{**profile.document, **engine_inputs(session, candidate_id)}],
                                 as_of=clock.today())
    profile.record, profile.record_grid = record.tobytes(), grid.record_version
    session.add(profile)


def reconcile(session: Session) -> int:
    """Before a ranking: re-encode every record whose verified offer is not the one that stands now
    (say, an employer's suspension was lifted since); how many.

    The records carrying an offer are found in one Arrow read of the pool's records
    (`verified_job_offer` is a column of the record), the holders of an accepted offer in one query;
    only those candidates are compared, never the whole pool's documents."""
    grid = grids.current(session)
    if INPUT not in grid.record_dtype.names:
        return 0
    table = Profile.__table__
    read = columnar.read(engines.reader(), select(table.c.account_id, table.c.record)
                         .where(table.c.record_grid == grid.record_version),
                         binary={"record": grid.record_dtype.itemsize})
    records = grid.records_from_bytes(read["record"].reshape(-1))
    carrying = records[INPUT] == 1
    states = np.asarray(grid.codes("preferences"))
    carried = {int(candidate): (str(states[state]), f"{int(occupation):04d}") for candidate, state, occupation in
               zip(read["account_id"][carrying], records[f"{INPUT}.state"][carrying],
                   records[f"{INPUT}.occupation"][carrying])}
    holders = set(session.exec(select(JobOffer.candidate_id).where(
        JobOffer.status == OfferStatus.ACCEPTED.value)).all())
    standing = standing_offers(session, holders | set(carried))
    changed = 0
    for candidate_id in sorted(holders | set(carried)):
        offer = standing.get(candidate_id)
        if carried.get(candidate_id) != (None if offer is None else (offer["state"], offer["occupation"])):
            refresh_record(session, candidate_id)
            changed += 1
    return changed
