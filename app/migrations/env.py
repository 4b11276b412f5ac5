"""Alembic environment: always online, on the connection `app.migrate` hands over."""
from alembic import context
from sqlmodel import SQLModel

# Every domain's tables, registered on SQLModel.metadata by importing them.
from app.accounts import models as _accounts  # noqa: F401
from app.audit import models as _audit  # noqa: F401
from app.employers import models as _employers  # noqa: F401
from app.handoff import models as _handoff  # noqa: F401
from app.hiring import models as _hiring  # noqa: F401
from app.invitations import models as _invitations  # noqa: F401
from app.notifications import models as _notifications  # noqa: F401
from app.profiles import models as _profiles  # noqa: F401
from app.ranking_runs import models as _ranking_runs  # noqa: F401
from app.rounds import models as _rounds  # noqa: F401
from app.states import models as _states  # noqa: F401

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
