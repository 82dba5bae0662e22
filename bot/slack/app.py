"""The Bolt app: a thin factory; the listeners live in bot/slack/listeners/<kind>/."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.bootstrap import BotDependencies
from bot.slack import metrics
from bot.slack.installations import oauth_settings
from bot.slack.listeners import register_all
from bot.slack.workspaces import CarryingExecutor, act_for_request

log = logging.getLogger("bot.slack")


class _SameTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our client's (the same) wins."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


log.addFilter(_SameTokenNotice())


def create_app(services: BotDependencies, *, socket_mode: bool = False) -> App:
    """HTTP mode verifies Slack's signature on every request; Socket Mode needs no secret."""
    settings = services.runtime.settings
    secret = settings.slack_signing_secret
    app = App(
        client=services.client,
        # with SLACK_CLIENT_ID: each request answered with its workspace's installation
        oauth_settings=oauth_settings(services.runtime),
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=not socket_mode,
        process_before_response=False,
        listener_executor=CarryingExecutor(max_workers=10),  # Bolt's pool, carrying the workspace
        logger=log,
    )
    app.use(_counted_client)
    if settings.installs:  # one SLACK_BOT_TOKEN: no workspace to act for, as before
        app.use(act_for_request)
    register_all(app, services)
    return app


def _counted_client(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
    """The listeners' client counted for /metrics like the services' (Bolt makes a plain
    one per request)."""
    context["client"] = metrics.counted(context.client)
    return next()
