"""Every action the audit trail records, with what it means.

The list is the contract of `GET /audit-events?action=` (an unknown action is a 422, not an
empty page that looks like "nothing happened") and of the OpenAPI document's enum; `trail.record`
refuses an action missing here, so a new audited action is added in this one place. Kept as a
list rather than read from the table, so that the administrators' filter also offers an action
nobody has done yet.
"""
from __future__ import annotations

ACTIONS = {
    "account.create": "An account created from the command line.",
    "session.sign_in": "An official or administrator signed in.",
    "session.sign_out": "An official or administrator revoked their token.",
    "throttle.lift": "An operator lifted a sign-in limit (`flask accounts unthrottle`).",
    "overlay.update": "A new version of a state's grid overlay.",
    "ceiling.update": "A state's annual invitation ceiling changed.",
    "category.create": "A state's category created.",
    "category.update": "A state's category replaced.",
    "category.delete": "A state's category removed.",
    "round.schedule": "A round scheduled.",
    "round.cancel": "A scheduled round cancelled.",
    "demo.seed": "Demonstration data written (`flask demo seed`).",
    "account.disable": "An administrator disabled an official's or administrator's account.",
    "account.enable": "An administrator enabled an account again.",
    "two_factor.enrol": "An official or administrator set up two-factor sign-in.",
    "two_factor.recovery_code_use": "An official or administrator signed in with a recovery code.",
    "account.password_change": "An official or administrator changed their password (their other sessions end).",
    "session.sign_out_everywhere": "An official or administrator ended every session of their account.",
    "participation.update": "An administrator recorded from which date a member state takes part, or stops.",
    "round.simulate": "An official simulated a round (kept with its result; no invitation written).",
    "invitation.acceptance_withdrawn": "A candidate withdrew after accepting an invitation (the inviting state is told).",
    "application.progress": "A state's official recorded the progress of an invitee's application.",
    "misrepresentation.recorded": "A state's official recorded a claim found false; the candidate is barred from the pool.",
    "misrepresentation.lifted": "An administrator lifted a bar for misrepresentation.",
    "two_factor.reset": "Two-factor sign-in of an account reset (it must be set up again).",
    "employer.register": "An organisation registered as an employer with its first person's account (pending).",
    "employer.verify": "A state's official verified an employer of that state: it may publish vacancies.",
    "employer.suspend": "A state's official suspended an employer (with a reason): its open vacancies closed.",
    "employer.reinstate": "A state's official lifted an employer's suspension.",
    "employer.member_invite": "An employer's person invited a colleague (a new account under the same employer).",
    "vacancy.create": "An employer's person created a draft vacancy.",
    "vacancy.update": "An employer's person changed a vacancy (the changed fields are in the details).",
    "vacancy.publish": "An employer's person published a vacancy: candidates see it.",
    "vacancy.close": "A vacancy closed: by its employer, by the nightly job past its closing date, or by a suspension.",
}
ACTIONS.update({
    "findability.give": "A candidate consented to be found by employers (details: whether of any state).",
    "findability.withdraw": "A candidate stopped being findable: out of every match, unanswered interest withdrawn.",
    "interest.express": "An employer's person expressed interest in a matched candidate for a vacancy, with a message.",
    "interest.accept": "A candidate accepted an employer's interest, consenting to share their contact with it.",
    "interest.decline": "A candidate declined an employer's interest.",
    "offer.make": "An employer's person made a job offer to a candidate who had accepted its interest.",
    "offer.accept": "A candidate accepted a job offer (from a verified employer: a verified offer).",
    "offer.decline": "A candidate declined a job offer.",
    "offer.withdraw": "A job offer withdrawn, with a reason: by its employer, by an official for abuse, or by a suspension.",
})
ACTOR_ROLES = ("candidate", "official", "admin", "employer", "cli")
