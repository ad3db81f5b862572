"""Alembic environment: runs on the connection handed over by thighdx.store.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import thighdx.store.links  # noqa: F401  (its table on the same metadata)
from thighdx.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # plain `alembic` command line, e.g. for `revision --autogenerate`
    connection = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://").connect()
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
