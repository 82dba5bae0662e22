"""The server's log: every release audited with the Slack user who asked; secrets never,
not even at debug level, where every Slack call is logged."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from domain.model import Release
from domain.release_record import release_record
from tests.e2e.slack.conftest import PLANNER, PLANNER_NAME, SIGNING_SECRET, Endpoint
from tests.e2e.slack.payloads import view_submission
from tests.e2e.slack.process import slack_env, start_server
from tests.e2e.slack.standin import SlackStandIn
from tests.e2e.slack.test_guarantees import confirmation_for
from tests.reliability.orders import plant_orders

TOKEN = "xoxb-4242-secret-bot-token"
DATABASE_PASSWORD = "db-secret-passw0rd"  # the test server trusts local connections


def test_a_debug_log_of_a_whole_release_audits_it_and_holds_no_secret(
    database_url: str,
    sessions: sessionmaker[Session],
    slack: SlackStandIn,
    tmp_path: Path,
) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        url = url.set(password=DATABASE_PASSWORD)
    numbers = plant_orders(sessions, 2)
    env = slack_env(
        tmp_path, slack, url.render_as_string(hide_password=False), SLACK_BOT_TOKEN=TOKEN
    )
    server = start_server(env, tmp_path, "--log-level", "debug")
    try:
        confirm = confirmation_for(Endpoint(server.url), slack, numbers)
        Endpoint(server.url).interact(view_submission(confirm))
        slack.wait_for("files.completeUploadExternal", timeout=60)
    finally:
        output = server.stop()

    assert "Sending a request - url: " in output  # the Web API calls were logged...
    assert "chat.postMessage" in output and "files.completeUploadExternal" in output
    for secret in (TOKEN, SIGNING_SECRET, DATABASE_PASSWORD):  # ...without the secrets
        assert secret not in output
    assert all(call.args.get("token") != TOKEN for call in slack.calls)  # it travels as a header
    with sessions() as session:
        record = release_record(session, session.scalars(select(Release.id)).one())
    assert record is not None
    assert (record.requested_by, record.requester_id) == (PLANNER_NAME, PLANNER)
    audit = f"release R000001 by {PLANNER_NAME} ({PLANNER}) from slack:CFLOOR: released "
    assert f"info: {audit}{' '.join(numbers)}; refused none" in output
