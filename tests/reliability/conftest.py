"""The Slack stand-in and the in-process server of the Slack e2e tests, for these tests too."""

from tests.e2e.slack.conftest import bot, slack

__all__ = ["bot", "slack"]
