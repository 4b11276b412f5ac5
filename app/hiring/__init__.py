"""From a match to a verified job offer: candidates who chose to be found, employers' interest, offers."""
from __future__ import annotations

from app.hiring import matches, offers


def on_employer_suspended(session, employer_id: int, reason: str) -> None:
    """What a suspension does to the hiring steps in flight (`app.employers.control.suspend` calls it
    in the suspension's transaction, after the employer's status is set and its vacancies closed):
    pending interest and offers not yet answered are withdrawn with the reason (candidates told);
    accepted offers stay on record for the state to judge, but stop earning job-offer points
    (`hiring.offers.on_employer_suspended`). Never commits."""
    offers.on_employer_suspended(session, employer_id, reason)


def on_vacancy_published(session, vacancy) -> int:
    """Compute and store the new vacancy's matches at once, so its employer sees them immediately
    (`app.employers.vacancies.publish` calls it in the publication's transaction). Never commits."""
    return matches.store_for_vacancy(session, vacancy)
