"""Getting orders into releasebot's database: the demo company, generated orders, a file's
import and the ERP's read copy (`releasebot demo-data`, `import`, `erp sync`, the tour);
each loader owns its transactions, so the adapters only say which and show the count."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from domain.erp import Erp
from domain.erp.sync import SyncReport, sync_orders
from domain.importer import import_orders
from domain.sample_data import demo
from domain.sample_data.bulk_orders import generate_orders

Progress = Callable[[int], None]


class OrderIntake:
    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self._engine, self._sessions = engine, sessions

    def demo_company(self) -> int:
        """Add what is missing of the demo company; how many orders were added."""
        return demo.load_demo_company(self._sessions)

    def generated(self, count: int, progress: Progress) -> int:
        """Add `count` generated orders on the demo company's master data (bulk inserts on
        the engine: a million orders in minutes); `progress` hears how many are done."""
        with self._sessions.begin() as session:
            master = demo.master_data(session)
        return generate_orders(self._engine, master, count, progress=progress)

    def imported(self, path: Path) -> int:
        """Every order of the file in one transaction, or none (raises with every bad row)."""
        return import_orders(self._sessions, path)

    def synced(self, erp: Erp, progress: Progress) -> SyncReport:
        """Copy the ERP's scheduled orders into the read copy; `progress` hears each batch."""
        return sync_orders(self._sessions, erp, progress=progress)
