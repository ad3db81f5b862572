"""FastAPI dependencies shared by the API and the pages."""

from __future__ import annotations

from fastapi import Request

from thighdx.config import Settings
from thighdx.knowledge.loader import KnowledgeBase, load_kb
from thighdx.store import Store


async def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_kb() -> KnowledgeBase:
    return load_kb()
