"""Alembic environment: runs on the connection handed over by `domain.db.upgrade`."""

from alembic import context

from domain.model import Base, on_dialect

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=on_dialect(connection.dialect.name),
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
