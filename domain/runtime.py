"""Wiring of settings, engine and services for one process (CLI or server)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from config import ConfigError, Settings
from domain.clock import Clock, utc_now
from domain.db import database_errors, ensure_schema, make_engine, make_session_factory, upgrade
from domain.erp import Erp
from domain.erp.local import LocalErp
from domain.erp.sync import ErpSync
from domain.erp.tryton import TrytonErp
from domain.outbox import Outbox
from domain.services.details import OrderDetails
from domain.services.digests import Digests
from domain.services.home import HomeQuery
from domain.services.installations import Installations
from domain.services.intake import OrderIntake
from domain.services.monitoring import Monitoring
from domain.services.orders import Orders
from domain.services.papers import Papers
from domain.services.release import ReleaseService
from domain.services.release_form import ReleaseForm
from domain.services.reset import ResetService
from domain.services.results import ReleaseResults


@dataclass
class Runtime:
    settings: Settings
    clock: Clock = utc_now  # the one clock every use case reads

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @contextmanager
    def started(self, *, migrate: bool = False) -> Iterator[Runtime]:
        """The runtime for one command: its database brought up to date first (SQLite files
        always, any database with `migrate`), its errors raised as DatabaseFailed until the
        end, then its connections closed."""
        try:
            with database_errors():
                (upgrade if migrate else ensure_schema)(self.engine)
                yield self
        finally:
            if "engine" in self.__dict__:
                self.engine.dispose()

    def database_answers(self) -> bool:
        """Whether the database answers a trivial query now (the health check)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    @cached_property
    def erp(self) -> Erp:
        """Where the orders live (RELEASEBOT_ERP): releasebot's database or a Tryton server."""
        settings = self.settings
        if settings.erp == "local":
            return LocalErp(self.sessions, clock=self.clock)
        if not settings.tryton_database or settings.tryton_password is None:
            raise ConfigError("RELEASEBOT_ERP=tryton needs TRYTON_DATABASE and TRYTON_PASSWORD")
        return TrytonErp(
            settings.tryton_url,
            settings.tryton_database,
            settings.tryton_user,
            settings.tryton_password,
            timeout=settings.tryton_timeout_seconds,
        )

    @property
    def remote_erp(self) -> Erp | None:
        """The ERP the services must ask, None when the orders are releasebot's own."""
        return None if self.settings.erp == "local" else self.erp

    @cached_property
    def releases(self) -> ReleaseService:
        return ReleaseService(
            self.sessions, self.settings.shortage_policy, clock=self.clock, erp=self.remote_erp
        )

    @cached_property
    def resets(self) -> ResetService:
        return ResetService(self.sessions, clock=self.clock, erp=self.remote_erp)

    @cached_property
    def order_details(self) -> OrderDetails:
        """What `show` and the papers print, from the ERP at that moment."""
        return OrderDetails(self.sessions, erp=self.remote_erp)

    @cached_property
    def monitoring(self) -> Monitoring:
        return Monitoring(self.sessions)

    @cached_property
    def outbox(self) -> Outbox:
        """Queuing messages and resuming the parked ones; a hold stops every kind."""
        return self.outbox_holding(None)

    def outbox_holding(self, held_kinds: Collection[str] | None) -> Outbox:
        """The outbox a dispatcher claims from when a hold stops only `held_kinds` (the
        chat's messages, not the printers'), its leases as long as OUTBOX_LEASE_SECONDS."""
        lease = timedelta(seconds=self.settings.outbox_lease_seconds)
        return Outbox(self.sessions, self.clock, lease, held_kinds)

    @cached_property
    def erp_sync(self) -> ErpSync | None:
        """The read copy of a remote ERP's orders, kept fresh; None for the local orders."""
        remote = self.remote_erp
        return ErpSync(self.sessions, remote, self.settings.erp_sync_seconds) if remote else None

    @cached_property
    def intake(self) -> OrderIntake:
        return OrderIntake(self.engine, self.sessions)

    @cached_property
    def installations(self) -> Installations:
        """Where the chat app is installed (the install flow: SLACK_CLIENT_ID)."""
        client_id = self.settings.slack_client_id
        if not self.settings.installs or client_id is None:
            raise ConfigError(
                "releasebot runs on one SLACK_BOT_TOKEN here: there are no installations "
                "(the install flow needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)"
            )
        return Installations(self.sessions, client_id, self.clock)

    @cached_property
    def orders(self) -> Orders:
        return Orders(self.sessions)

    @cached_property
    def release_form(self) -> ReleaseForm:
        settings = self.settings
        return ReleaseForm(
            self.sessions, settings.shortage_policy, settings.printing.queues, self.remote_erp
        )

    @cached_property
    def home(self) -> HomeQuery:
        return HomeQuery(self.sessions, self.settings.shortage_policy)

    @cached_property
    def papers(self) -> Papers:
        return Papers(self.sessions, self.order_details)

    @cached_property
    def results(self) -> ReleaseResults:
        return ReleaseResults(self.sessions)

    @cached_property
    def digests(self) -> Digests:
        return Digests(self.sessions)
