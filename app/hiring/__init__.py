"""From a match to a verified job offer: candidates who chose to be found, employers' interest, offers."""
from __future__ import annotations


def on_employer_suspended(session, employer_id: int, reason: str) -> None:
    """What a suspension does to the hiring steps in flight (`app.employers.control.suspend` calls it
    in the suspension's transaction, after the employer's vacancies are closed).

    A stub until the hiring steps exist: there, pending interest is withdrawn and offers not yet
    accepted are withdrawn with the reason (candidates told), while accepted (verified) offers stay
    on record for the state to judge. Must never commit.
    """
