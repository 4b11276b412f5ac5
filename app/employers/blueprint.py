"""Employers' and vacancies' routes: registering, the employer's own organisation, its people and
vacancies (its people), its state's control of it (that state's officials), and open vacancies
with their counts (anyone)."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from app import db
from app.accounts import auth, throttle
from app.accounts.auth import BEARER
from app.accounts.blueprint import REGISTERED
from app.accounts.models import Role
from app.accounts.schemas import ReceiptSchema
from app.employers import control, membership, registration, vacancies
from app.employers.schemas import (CountQuerySchema, EmployerDetailSchema, EmployerRegistrationSchema,
                                   EmployerSchema, InvitationInputSchema, MemberSchema, PublicVacancySchema,
                                   SuspensionInputSchema, VacancyCountSchema, VacancyInputSchema,
                                   VacancyPageSchema, VacancyQuerySchema, VacancySchema)
from app.states import administration

blp = Blueprint("employers", __name__, url_prefix="/api/v1",
                description="Employers (verified by their member state), their people and vacancies; open vacancies.")
employers_only = auth.require(Role.EMPLOYER)
officials_only = auth.require(Role.OFFICIAL)
INVITED = ("If this address was new, its account is ready under your organisation and a link to choose a password "
           "was mailed to it; if it was registered already, its owner was sent a message instead.")
ID = "int(min=1, max=2147483647)"


def _mine():
    account = auth.current_account()
    return account, membership.employer_of(db.session(), account)


def _own_state(code: str) -> str:
    return administration.own_state(db.session(), auth.current_account(), code).code


@blp.route("/employers")
class Employers(MethodView):
    @blp.arguments(EmployerRegistrationSchema)
    @blp.response(202, ReceiptSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The registration number is registered in that state.")
    @blp.alt_response(429, response="DEFAULT_ERROR", description="Too many registrations from this address; see Retry-After.")
    def post(self, data):
        """Register an organisation with its first person's account (pending until its state verifies it).

        The same 202 whether or not the e-mail address was registered, as for candidates; the link
        mailed to a new address is used with `POST /api/v1/accounts/verification`."""
        organisation = {key: data[key] for key in ("name", "state", "registration_number", "contact_name", "address")}
        registration.register(organisation, data["email"], data["password"],
                              throttle.client_address(request.remote_addr))
        return {"message": REGISTERED}


@blp.route("/employers/me")
class OwnEmployer(MethodView):
    decorators = [employers_only]

    @blp.response(200, EmployerSchema)
    @blp.doc(security=BEARER)
    def get(self):
        """The organisation you act for, with its status."""
        return _mine()[1]


@blp.route("/employers/me/people")
class People(MethodView):
    decorators = [employers_only]

    @blp.response(200, MemberSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self):
        """The people acting for your organisation."""
        return membership.people(db.session(), _mine()[1].id)

    @blp.arguments(InvitationInputSchema)
    @blp.response(202, ReceiptSchema)
    @blp.alt_response(403, response="DEFAULT_ERROR", description="Your organisation is not verified (or suspended).")
    @blp.doc(security=BEARER)
    def post(self, data):
        """Add a colleague: a new account under your organisation, invited by a mailed link to choose a password."""
        account, employer = _mine()
        registration.invite(db.session(), account, employer, data["email"])
        return {"message": INVITED}


@blp.route("/employers/me/vacancies")
class OwnVacancies(MethodView):
    decorators = [employers_only]

    @blp.response(200, VacancySchema(many=True))
    @blp.doc(security=BEARER)
    def get(self):
        """Your organisation's vacancies, newest first (drafts, published, closed)."""
        return vacancies.own(db.session(), _mine()[1])

    @blp.arguments(VacancyInputSchema)
    @blp.response(201, VacancySchema)
    @blp.alt_response(403, response="DEFAULT_ERROR", description="Your organisation is suspended.")
    @blp.doc(security=BEARER)
    def post(self, data):
        """Create a draft vacancy in your organisation's member state (a pending organisation may too)."""
        account, employer = _mine()
        return vacancies.create(db.session(), account, employer, data)


@blp.route(f"/employers/me/vacancies/<{ID}:vacancy_id>")
class OwnVacancy(MethodView):
    decorators = [employers_only]

    @blp.response(200, VacancySchema)
    @blp.doc(security=BEARER)
    def get(self, vacancy_id):
        """One of your organisation's vacancies."""
        return vacancies.get_own(db.session(), _mine()[1], vacancy_id)

    @blp.arguments(VacancyInputSchema)
    @blp.response(200, VacancySchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The vacancy is closed.")
    @blp.doc(security=BEARER)
    def put(self, data, vacancy_id):
        """Replace a draft's or a published vacancy's fields (audited with what changed)."""
        account, employer = _mine()
        session = db.session()
        return vacancies.update(session, account, employer, vacancies.get_own(session, employer, vacancy_id), data)


@blp.route(f"/employers/me/vacancies/<{ID}:vacancy_id>/publication")
class Publication(MethodView):
    decorators = [employers_only]

    @blp.response(200, VacancySchema)
    @blp.alt_response(403, response="DEFAULT_ERROR", description="Your organisation is not verified by its state.")
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The vacancy is not a draft.")
    @blp.doc(security=BEARER)
    def post(self, vacancy_id):
        """Publish a draft: candidates see it until it closes."""
        account, employer = _mine()
        session = db.session()
        return vacancies.publish(session, account, employer, vacancies.get_own(session, employer, vacancy_id))


@blp.route(f"/employers/me/vacancies/<{ID}:vacancy_id>/closure")
class Closure(MethodView):
    decorators = [employers_only]

    @blp.response(200, VacancySchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The vacancy is closed already.")
    @blp.doc(security=BEARER)
    def post(self, vacancy_id):
        """Close a vacancy (a draft or a published one)."""
        account, employer = _mine()
        session = db.session()
        return vacancies.close(session, account, employer, vacancies.get_own(session, employer, vacancy_id))


@blp.route("/states/<state:code>/employers")
class StateEmployers(MethodView):
    decorators = [officials_only]

    @blp.response(200, EmployerSchema(many=True))
    @blp.doc(security=BEARER)
    def get(self, code):
        """Your state's employers: pending first, then suspended, then verified."""
        return control.of_state(db.session(), _own_state(code))


@blp.route(f"/states/<state:code>/employers/<{ID}:employer_id>")
class StateEmployer(MethodView):
    decorators = [officials_only]

    @blp.response(200, EmployerDetailSchema)
    @blp.doc(security=BEARER)
    def get(self, code, employer_id):
        """One of your state's employers, with its vacancies."""
        session = db.session()
        employer = control.get(session, _own_state(code), employer_id)
        return {**EmployerSchema().dump(employer),
                "vacancies": VacancySchema(many=True).dump(vacancies.own(session, employer))}


@blp.route(f"/states/<state:code>/employers/<{ID}:employer_id>/verification")
class EmployerVerification(MethodView):
    decorators = [officials_only]

    @blp.response(200, EmployerSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="Not pending, or nobody of it verified an address.")
    @blp.doc(security=BEARER)
    def post(self, code, employer_id):
        """Verify a pending employer of your state: it may publish vacancies (its people are told)."""
        session = db.session()
        return control.verify(session, auth.current_account(), control.get(session, _own_state(code), employer_id))


@blp.route(f"/states/<state:code>/employers/<{ID}:employer_id>/suspension")
class EmployerSuspension(MethodView):
    decorators = [officials_only]

    @blp.arguments(SuspensionInputSchema)
    @blp.response(200, EmployerSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The employer is not verified.")
    @blp.doc(security=BEARER)
    def post(self, data, code, employer_id):
        """Suspend a verified employer with a reason: its open vacancies close, its people are told why."""
        session = db.session()
        return control.suspend(session, auth.current_account(), control.get(session, _own_state(code), employer_id),
                               data["reason"])

    @blp.response(200, EmployerSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The employer is not suspended.")
    @blp.doc(security=BEARER)
    def delete(self, code, employer_id):
        """Lift the suspension: the employer may publish again (its people are told)."""
        session = db.session()
        return control.reinstate(session, auth.current_account(), control.get(session, _own_state(code), employer_id))


@blp.route("/vacancies")
class OpenVacancies(MethodView):
    @blp.arguments(VacancyQuerySchema, location="query")
    @blp.response(200, VacancyPageSchema)
    def get(self, query):
        """Open vacancies, soonest closing first, 50 a page; by state and ISCO-08 occupation (or its first digits)."""
        rows, total = vacancies.published(db.session(), query.get("state"), query.get("occupation"), query["page"])
        return {"total": total, "page": query["page"], "page_size": vacancies.PAGE_SIZE,
                "vacancies": [vacancies.public_view(*row) for row in rows]}


@blp.route("/vacancies/counts")
class VacancyCounts(MethodView):
    @blp.arguments(CountQuerySchema, location="query")
    @blp.response(200, VacancyCountSchema(many=True))
    def get(self, query):
        """Open vacancies and their posts by member state and ISCO-08 occupation (public figures)."""
        return vacancies.counts(db.session(), query.get("state"))


@blp.route("/vacancies/<string(minlength=1, maxlength=32):reference>")
class OpenVacancy(MethodView):
    @blp.response(200, PublicVacancySchema)
    def get(self, reference):
        """An open vacancy by its reference."""
        return vacancies.public_view(*vacancies.published_one(db.session(), reference))
