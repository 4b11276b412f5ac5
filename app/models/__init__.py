"""Persistence only: SQLModel tables. The API contract lives in `app.schemas`."""
from sqlmodel import SQLModel

# Named constraints, so Alembic's batch mode on SQLite can find and alter them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# ruff: noqa: E402
from app.models.account import Account, LoginFailure, Role, Token
from app.models.audit import AuditEvent
from app.models.profile import Profile, ProfileStatus
from app.models.ranking_run import RankingEntry, RankingRun
from app.models.round import Invitation, InvitationStatus, Round, RoundStatus
from app.models.state import Category, MemberState, OverlayVersion

__all__ = [
    "Account", "AuditEvent", "Category", "Invitation", "InvitationStatus", "LoginFailure", "MemberState",
    "OverlayVersion", "Profile", "ProfileStatus", "RankingEntry", "RankingRun", "Role", "Round", "RoundStatus", "Token",
]
