"""The Slack stand-in of the Slack e2e tests, for the printing tests too."""

from tests.e2e.slack.conftest import slack

__all__ = ["slack"]
