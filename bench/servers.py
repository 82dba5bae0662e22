"""releasebot and the bare Bolt floor, each as its own server process, side by side.

Both talk to the same Slack Web API stand-in and get the same signed `/release` requests.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.slack.conftest import Endpoint
from tests.e2e.slack.process import ServerProcess, slack_env, start_process, start_server
from tests.e2e.slack.standin import running_standin
from tests.ports import free_port

BARE = ["-m", "uvicorn", "--factory", "bench.bare:create_asgi", "--log-level", "info"]


@dataclass(frozen=True)
class Pair:
    ours: ServerProcess
    bare: ServerProcess


@contextmanager
def releasebot_and_bare(database_url: str, workdir: Path) -> Iterator[Pair]:
    """`releasebot serve` on `database_url` and the bare app, both up."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the stand-in's request log
    with running_standin() as standin:
        env = slack_env(workdir, standin, database_url)
        ours = start_server(env, workdir)
        try:
            port = free_port()
            command = [sys.executable, *BARE, "--host", "127.0.0.1", "--port", str(port)]
            root = str(Path(__file__).parent.parent)
            bare = start_process(command, port, env | {"PYTHONPATH": root}, workdir)
            try:
                yield Pair(ours, bare)
            finally:
                bare.stop()
        finally:
            ours.stop()


def release_command(url: str) -> float:
    """One signed `/release`: seconds until the ack; a failure raises."""
    started = time.perf_counter()
    answer = Endpoint(url).command("")
    seconds = time.perf_counter() - started
    answer.raise_for_status()
    return seconds
