"""Listeners called as Bolt calls them, without a server: Bolt's own `Ack`, `Say`,
`Complete` and `Fail` over a recording fake of Slack's Web API, and the real services on a
real SQLite database (migrated once per session, copied for each test)."""

from __future__ import annotations

import inspect
import json
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from slack_bolt import Ack
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.bootstrap import BotDependencies, build_services
from bot.papers import paper_renderer
from config import Settings
from domain.db import make_engine, upgrade
from domain.model import Release
from domain.runtime import Runtime
from tests.builders import Plant
from tests.e2e.slack.conftest import GROUP_MEMBER, PERMISSIONS, PLANNER, PLANNER_NAME
from tests.unit.listeners.slack import RecordingSlack


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "releasebot.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def slack() -> RecordingSlack:
    return RecordingSlack(
        people={PLANNER: {"profile": {"real_name": PLANNER_NAME}, "tz": "Europe/Berlin"}},
        groups={"SPLANNERS": [GROUP_MEMBER]},
    )


@pytest.fixture
def services(migrated: Path, tmp_path: Path, slack: RecordingSlack) -> Iterator[BotDependencies]:
    """Built as `releasebot serve` builds them, none of the background loops started."""
    database = tmp_path / "releasebot.db"
    shutil.copyfile(migrated, database)
    settings = Settings(
        database_url=f"sqlite:///{database}",
        slack_bot_token=SecretStr("xoxb-fake"),
        slack_api_url=slack.base_url,
        release_permissions=PERMISSIONS,
    )
    runtime = Runtime(settings)
    built = build_services(runtime, slack, paper_renderer(runtime))
    yield built
    built.worker.shutdown()
    runtime.engine.dispose()


@pytest.fixture
def plant(services: BotDependencies) -> Iterator[Plant]:
    """Rows for the test, committed when it asks (`plant.session.commit()`)."""
    with services.runtime.sessions() as session:
        yield Plant(session)


def releasable(plant: Plant, **order: Any) -> None:
    """P000001 at site 1 with its material in stock, committed."""
    plant.stock("RM-1", "11", "A-01", 100)
    plant.order([("RM-1", 2)], **order)
    plant.session.commit()


def answer(ack: Ack) -> dict[str, Any]:
    """What the ack sent back to Slack (an empty body: {})."""
    assert ack.response is not None, "not acknowledged"
    body = ack.response.body
    return json.loads(body) if body else {}


def opened_modal(slack: RecordingSlack) -> dict[str, Any]:
    """The one modal the listener opened."""
    [opened] = slack.made("views.open")
    return dict(opened["view"])


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def chosen_orders(view: dict[str, Any]) -> list[str]:
    element = block(view, "orders")["element"]
    return [option["value"] for option in element.get("initial_options") or []]


def chosen_papers(view: dict[str, Any]) -> set[str]:
    element = block(view, "papers")["element"]
    return {option["value"] for option in element.get("initial_options") or []}


def notes(view: dict[str, Any]) -> str:
    """The modal's note above its fields, '' without one."""
    first = view["blocks"][0]
    return first["elements"][0]["text"] if first["type"] == "context" else ""


def released(services: BotDependencies, count: int = 1) -> list[Release]:
    """The releases once the worker has recorded `count` of them with their results (it
    runs in its own threads, as in the server)."""
    deadline = time.monotonic() + 20
    while True:
        with services.runtime.sessions() as session:
            releases = session.scalars(
                select(Release).options(selectinload(Release.results)).order_by(Release.id)
            ).all()
            if len(releases) >= count and all(release.results for release in releases):
                return list(releases)
        assert time.monotonic() < deadline, f"{len(releases)} of {count} releases recorded"
        time.sleep(0.02)


def call(listener: Callable[..., Any], **available: Any) -> Any:
    """As Bolt calls a listener: with those of the arguments it names."""
    names = inspect.signature(listener).parameters
    return listener(**{name: value for name, value in available.items() if name in names})
