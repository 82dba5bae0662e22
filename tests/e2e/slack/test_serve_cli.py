"""`releasebot serve` itself, as an operator starts it: the console script in a process."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.slack.conftest import Endpoint
from tests.e2e.slack.process import RELEASEBOT, serve_env, slack_env, start_server
from tests.e2e.slack.standin import SlackStandIn

INSTALL_FLOW = {"SLACK_CLIENT_ID": "1111.2222", "SLACK_CLIENT_SECRET": "secret"}


@pytest.mark.parametrize(
    ("args", "extra", "missing"),
    [
        ([], {}, "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET: set them"),
        ([], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET: set it"),
        (["--socket-mode"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN: set it"),
        ([], INSTALL_FLOW, "SLACK_SIGNING_SECRET: set it"),  # no SLACK_BOT_TOKEN needed
    ],
)
def test_serve_refuses_to_start_without_its_secrets(
    tmp_path: Path, args: list[str], extra: dict[str, str], missing: str
) -> None:
    done = subprocess.run(
        [RELEASEBOT, "serve", *args],
        env=serve_env(tmp_path, **extra),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2
    assert done.stderr.startswith(f"error: releasebot serve needs {missing} in the environment")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "serve.db").exists()


def test_serve_says_the_install_flow_needs_http(tmp_path: Path) -> None:
    env = serve_env(tmp_path, SLACK_APP_TOKEN="xapp-1", **INSTALL_FLOW)
    done = subprocess.run(
        [RELEASEBOT, "serve", "--socket-mode"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2
    assert done.stderr.startswith("error: the install flow (SLACK_CLIENT_ID) needs HTTP")
    assert "Traceback" not in done.stderr


@pytest.fixture
def served(tmp_path: Path, slack: SlackStandIn) -> Iterator[str]:
    server = start_server(
        slack_env(tmp_path, slack, f"sqlite:///{tmp_path / 'serve.db'}"), tmp_path
    )
    yield server.url
    output = server.stop()
    assert server.process.returncode in (0, -signal.SIGTERM), output  # uvicorn re-raises it
    assert "Application shutdown complete." in output
    assert "Traceback" not in output and "warning" not in output


def test_serve_answers_slack_on_one_endpoint(served: str, slack: SlackStandIn) -> None:
    bot = Endpoint(served)

    helped = bot.command("help")
    opened = bot.command("")

    assert helped.status_code == 200 and "*`/release`*" in helped.json()["text"]
    assert opened.status_code == 200
    [call] = slack.wait_for("views.open")
    assert call.args["view"]["callback_id"] == "release_choose"
    assert slack.ok_calls("auth.test")  # the token was checked at start-up
