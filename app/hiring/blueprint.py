"""The hiring steps' routes: a candidate's findability, matches, interest and offers (`/me`); an
employer's matches, interest and offers (`/employers/me`); a state's offers for its officials."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import db
from app.accounts import auth
from app.accounts.auth import BEARER
from app.accounts.models import Role
from app.employers import membership
from app.employers.models import Employer
from app.hiring import findability, interest, matches, offers
from app.hiring.schemas import (CandidateMatchSchema, FindabilityInputSchema, FindabilitySchema, InterestAcceptSchema,
                                InterestInputSchema, InterestSchema, MatchSchema, OfferInputSchema, OfferSchema,
                                WithdrawalSchema)
from app.states import administration

blp = Blueprint("hiring", __name__, url_prefix="/api/v1",
                description="Being findable, vacancies' matches, employers' interest and job offers.")
candidates_only = auth.require(Role.CANDIDATE)
employers_only = auth.require(Role.EMPLOYER)
officials_only = auth.require(Role.OFFICIAL)
ID = "int(min=1, max=2147483647)"


@blp.route("/me/findability")
class Findability(MethodView):
    decorators = [candidates_only]

    @blp.response(200, FindabilitySchema)
    @blp.doc(security=BEARER)
    def get(self):
        """Whether employers may find you (off until you say so)."""
        return findability.view(findability.of(db.session(), auth.current_account().id))

    @blp.arguments(FindabilityInputSchema)
    @blp.response(200, FindabilitySchema)
    @blp.doc(security=BEARER)
    def put(self, data):
        """Let employers find you, pseudonymously: those of the states you chose, or (`any_state`) of every state."""
        return findability.view(findability.give(db.session(), auth.current_account(), any_state=data["any_state"]))

    @blp.response(200, FindabilitySchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="You are not findable.")
    @blp.doc(security=BEARER)
    def delete(self):
        """Stop being findable, at once: you leave every match, and interest you have not answered is withdrawn."""
        return findability.view(findability.withdraw(db.session(), auth.current_account()))


@blp.route("/me/matches")
class CandidateMatches(MethodView):
    decorators = [candidates_only]

    @blp.response(200, CandidateMatchSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self):
        """The open vacancies whose requirements you meet, best fit first (at most 50)."""
        session = db.session()
        found = matches.for_candidate(session, auth.current_account().id)
        employers = {vacancy.employer_id: session.get(Employer, vacancy.employer_id).name for vacancy, _ in found}
        return [{"fit": fit, "employer": employers[vacancy.employer_id], "closing_date": vacancy.closing_date,
                 "vacancy": {"reference": vacancy.reference, "title": vacancy.title, "state": vacancy.state_code,
                             "occupation": vacancy.occupation, "location": vacancy.location}}
                for vacancy, fit in found]


@blp.route("/me/interests")
class CandidateInterests(MethodView):
    decorators = [candidates_only]

    @blp.response(200, InterestSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self):
        """Employers' interest in you, newest first."""
        return [interest.candidate_view(*row) for row in interest.of_candidate(db.session(), auth.current_account().id)]


def _candidate_interest(session, interest_id: int) -> dict:
    return next(interest.candidate_view(*row) for row in interest.of_candidate(session, auth.current_account().id)
                if row[0].id == interest_id)


@blp.route(f"/me/interests/<{ID}:interest_id>/acceptance")
class InterestAcceptance(MethodView):
    decorators = [candidates_only]

    @blp.arguments(InterestAcceptSchema)
    @blp.response(200, InterestSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Answered already.")
    @blp.doc(security=BEARER)
    def post(self, answer, interest_id):
        """Accept: your e-mail address and profile are shared with this employer, and no other."""
        session = db.session()
        interest.accept(session, auth.current_account(), interest_id, consent_to_share=answer["consent_to_share"])
        return _candidate_interest(session, interest_id)


@blp.route(f"/me/interests/<{ID}:interest_id>/refusal")
class InterestRefusal(MethodView):
    decorators = [candidates_only]

    @blp.response(200, InterestSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Answered already.")
    @blp.doc(security=BEARER)
    def post(self, interest_id):
        """Decline: the employer learns nothing more of you."""
        session = db.session()
        interest.decline(session, auth.current_account(), interest_id)
        return _candidate_interest(session, interest_id)


@blp.route("/me/offers")
class CandidateOffers(MethodView):
    decorators = [candidates_only]

    @blp.response(200, OfferSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self):
        """Your job offers, newest first; a verified one earns the job-offer points at its state."""
        return [offers.view(*row) for row in offers.of_candidate(db.session(), auth.current_account().id)]


def _candidate_offer(session, offer_id: int) -> dict:
    return next(offers.view(*row) for row in offers.of_candidate(session, auth.current_account().id)
                if row[0].id == offer_id)


@blp.route(f"/me/offers/<{ID}:offer_id>/acceptance")
class OfferAcceptance(MethodView):
    decorators = [candidates_only]

    @blp.response(200, OfferSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Answered already, another offer accepted, or the "
                                                                   "employer is no longer verified.")
    @blp.doc(security=BEARER)
    def post(self, offer_id):
        """Accept the offer: a verified offer, counted from the next nightly ranking."""
        session = db.session()
        offers.accept(session, auth.current_account(), offer_id)
        return _candidate_offer(session, offer_id)


@blp.route(f"/me/offers/<{ID}:offer_id>/refusal")
class OfferRefusal(MethodView):
    decorators = [candidates_only]

    @blp.response(200, OfferSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Answered already.")
    @blp.doc(security=BEARER)
    def post(self, offer_id):
        """Decline the offer."""
        session = db.session()
        offers.decline(session, auth.current_account(), offer_id)
        return _candidate_offer(session, offer_id)


@blp.route(f"/employers/me/vacancies/<{ID}:vacancy_id>/matches")
class VacancyMatches(MethodView):
    decorators = [employers_only]

    @blp.response(200, MatchSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self, vacancy_id):
        """The vacancy's best-fitting findable candidates (at most 100), pseudonymous until one accepts your interest."""
        session = db.session()
        _employer, vacancy = interest.own_vacancy(session, auth.current_account(), vacancy_id)
        return interest.employer_view(session, vacancy)


@blp.route(f"/employers/me/vacancies/<{ID}:vacancy_id>/interests")
class VacancyInterests(MethodView):
    decorators = [employers_only]

    @blp.arguments(InterestInputSchema)
    @blp.response(201, MatchSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Interest expressed already, or vacancy not published.")
    @blp.doc(security=BEARER)
    def post(self, data, vacancy_id):
        """Express interest in a match, with a message: the candidate is told and may share their contact with you."""
        session = db.session()
        account = auth.current_account()
        interest.express(session, account, vacancy_id, data["candidate"], data["message"])
        _employer, vacancy = interest.own_vacancy(session, account, vacancy_id)
        return next(row for row in interest.employer_view(session, vacancy) if row["reference"] == data["candidate"])


@blp.route("/employers/me/offers")
class EmployerOffers(MethodView):
    decorators = [employers_only]

    @blp.response(200, OfferSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self):
        """The offers your organisation made, newest first."""
        session = db.session()
        employer = membership.employer_of(session, auth.current_account())
        return [offers.view(*row) for row in offers.of_employer(session, employer.id)]

    @blp.arguments(OfferInputSchema)
    @blp.response(201, OfferSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Interest not accepted, or an offer made already.")
    @blp.doc(security=BEARER)
    def post(self, data):
        """Offer the vacancy's job to a candidate who accepted your interest."""
        session = db.session()
        offer = offers.make(session, auth.current_account(), data["interest"])
        return next(offers.view(*row) for row in offers.of_employer(session, offer.employer_id) if row[0].id == offer.id)


@blp.route(f"/employers/me/offers/<{ID}:offer_id>/withdrawal")
class EmployerOfferWithdrawal(MethodView):
    decorators = [employers_only]

    @blp.arguments(WithdrawalSchema)
    @blp.response(200, OfferSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Declined or withdrawn already.")
    @blp.doc(security=BEARER)
    def post(self, data, offer_id):
        """Withdraw an offer, with a reason: the candidate is told, and it stops earning points."""
        session = db.session()
        offer = offers.withdraw_by_employer(session, auth.current_account(), offer_id, data["reason"])
        return next(offers.view(*row) for row in offers.of_employer(session, offer.employer_id) if row[0].id == offer.id)


@blp.route("/states/<state:code>/offers")
class StateOffers(MethodView):
    decorators = [officials_only]

    @blp.response(200, OfferSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self, code):
        """The job offers made by your state's employers, newest first (`verified`: accepted from a verified employer)."""
        session = db.session()
        administration.own_state(session, auth.current_account(), code)
        return [offers.view(*row) for row in offers.of_state(session, code)]


@blp.route(f"/states/<state:code>/offers/<{ID}:offer_id>/withdrawal")
class StateOfferWithdrawal(MethodView):
    decorators = [officials_only]

    @blp.arguments(WithdrawalSchema)
    @blp.response(200, OfferSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Declined or withdrawn already.")
    @blp.doc(security=BEARER)
    def post(self, data, code, offer_id):
        """Withdraw an offer for abuse, with a reason (audited; the candidate is told; its points go at the next ranking)."""
        session = db.session()
        administration.own_state(session, auth.current_account(), code)
        offers.withdraw_by_official(session, auth.current_account(), code, offer_id, data["reason"])
        return next(offers.view(*row) for row in offers.of_state(session, code) if row[0].id == offer_id)
