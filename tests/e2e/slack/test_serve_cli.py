"""`releasebot serve` itself, as an operator starts it: the console script in a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.e2e.slack.conftest import SIGNING_SECRET, Bot, _free_port
from tests.e2e.slack.standin import SlackStandIn

RELEASEBOT = str(Path(sys.executable).with_name("releasebot"))
CONFIG = """
[release_permissions]
admins = ["UADMIN"]

[release_permissions.users]
UANN = ["1"]
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "RELEASEBOT_"))}
    return {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", **extra}


@pytest.mark.parametrize(
    ("args", "extra", "missing"),
    [
        ([], {}, "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET: set them"),
        ([], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET: set it"),
        (["--socket-mode"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN: set it"),
    ],
)
def test_serve_refuses_to_start_without_its_secrets(
    tmp_path: Path, args: list[str], extra: dict[str, str], missing: str
) -> None:
    done = subprocess.run(
        [RELEASEBOT, "serve", *args],
        env=_env(tmp_path, **extra),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2
    assert done.stderr.startswith(f"error: releasebot serve needs {missing} in the environment")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "serve.db").exists()


@pytest.fixture
def served(tmp_path: Path, slack: SlackStandIn) -> Iterator[str]:
    config = tmp_path / "releasebot.toml"
    config.write_text(CONFIG)
    port = _free_port()
    env = _env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        RELEASEBOT_CONFIG=str(config),
    )
    process = subprocess.Popen(
        [RELEASEBOT, "serve", "--port", str(port), "--host", "127.0.0.1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"releasebot serve did not come up: {process.communicate()[0]}")
        time.sleep(0.1)
    yield url
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert process.returncode in (0, -signal.SIGTERM), output  # uvicorn re-raises the signal
    assert "Application shutdown complete." in output
    assert "Traceback" not in output and "warning" not in output


def test_serve_answers_slack_on_one_endpoint(served: str, slack: SlackStandIn) -> None:
    bot = Bot(served, services=None)  # type: ignore[arg-type] - only its HTTP helpers

    helped = bot.command("help")
    opened = bot.command("")

    assert helped.status_code == 200 and "*`/release`*" in helped.json()["text"]
    assert opened.status_code == 200
    [call] = slack.wait_for("views.open")
    assert call.args["view"]["callback_id"] == "release_choose"
    assert slack.ok_calls("auth.test")  # the token was checked at start-up
