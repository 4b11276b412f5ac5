"""Recording and reading the audit trail of officials' and administrators' actions."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from app import clock
from app.accounts.models import Account
from app.audit.actions import ACTIONS
from app.audit.models import AuditEvent


def record(session: Session, actor: Account | None, action: str, subject: str, *, state_code: str | None = None,
           details: dict | None = None) -> AuditEvent:
    """Add an event to the session, so it commits (or not) together with the action it describes.

    `actor` is None for the command line, whose operator the service cannot know. `action` is one
    of `actions.ACTIONS` (a ValueError otherwise: the list is what clients can filter by).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to app/audit/actions.py")
    event = AuditEvent(
        occurred_at=clock.now(),
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else "cli",
        action=action,
        state_code=state_code,
        subject=subject,
        details=details or {},
    )
    session.add(event)
    return event


def query(*, state_code: str | None = None, action: str | None = None, actor_id: int | None = None,
          since: datetime | None = None, before: datetime | None = None):
    """Newest first, optionally filtered; `since` inclusive, `before` exclusive."""
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    if since is not None:
        statement = statement.where(AuditEvent.occurred_at >= since)
    if before is not None:
        statement = statement.where(AuditEvent.occurred_at < before)
    if state_code:
        statement = statement.where(AuditEvent.state_code == state_code)
    if action:
        statement = statement.where(AuditEvent.action == action)
    if actor_id is not None:
        statement = statement.where(AuditEvent.actor_id == actor_id)
    return statement


def diff(before, after, path: str = "") -> dict:
    """`{dotted.path: {"from": old, "to": new}}` for every leaf that differs (lists compared whole)."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes = {}
        for key in sorted(set(before) | set(after), key=str):
            changes.update(diff(before.get(key), after.get(key), f"{path}.{key}" if path else str(key)))
        return changes
    return {} if before == after else {path or "(all)": {"from": before, "to": after}}
