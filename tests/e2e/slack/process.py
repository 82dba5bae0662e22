"""`releasebot serve` as an operator runs it: the console script in its own process
(and, for the benchmarks, any server command the same way).

Its output goes to a file (a pipe nobody reads would fill up and stall it), and it is
up once `/healthz` answers. `kill` is kill -9: no shutdown hook runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.e2e.slack.conftest import SIGNING_SECRET
from tests.e2e.slack.standin import SlackStandIn
from tests.ports import free_port

RELEASEBOT = str(Path(sys.executable).with_name("releasebot"))
CONFIG = """
[release_permissions]
admins = ["UADMIN"]

[release_permissions.users]
UANN = ["1"]
"""
START_TIMEOUT_S = 60


def serve_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """This environment without Slack settings of its own, a SQLite file by default."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RELEASEBOT_"))}
    return {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", **extra}


def slack_env(tmp_path: Path, slack: SlackStandIn, database_url: str, **extra: str) -> dict:
    """What `serve` needs to talk to the stand-in: secrets, its URL, who may release."""
    config = tmp_path / "releasebot.toml"
    config.write_text(CONFIG)
    settings = {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "RELEASEBOT_CONFIG": str(config),
    }
    return serve_env(tmp_path, **(settings | extra))


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """kill -9: the process gets no chance to finish anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> str:
        """SIGTERM, as an orchestrator stops a replica; returns what it printed."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(60)
        return self.output()


def start_server(env: dict[str, str], cwd: Path, *args: str) -> ServerProcess:
    """`releasebot serve` on a free loopback port, once its health check answers."""
    port = free_port()
    command = [RELEASEBOT, "serve", "--port", str(port), "--host", "127.0.0.1", *args]
    return start_process(command, port, env, cwd)


def start_process(command: list[str], port: int, env: dict[str, str], cwd: Path) -> ServerProcess:
    """A server `command` listening on loopback `port`, once its `/healthz` answers."""
    log = cwd / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    server = ServerProcess(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            if requests.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                return server
        except (requests.ConnectionError, requests.Timeout):  # not up yet, or still busy
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait(30)
            pytest.fail(f"{command[0]} did not come up: {server.output()}")
        time.sleep(0.1)
