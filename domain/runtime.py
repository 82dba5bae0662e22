"""Wiring of settings, engine and services for one process (CLI or server)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from domain.db import make_engine, make_session_factory
from domain.services.release import ReleaseService
from domain.services.reset import ResetService


@dataclass
class Runtime:
    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @cached_property
    def releases(self) -> ReleaseService:
        return ReleaseService(self.sessions, self.settings.shortage_policy)

    @cached_property
    def resets(self) -> ResetService:
        return ResetService(self.sessions)
