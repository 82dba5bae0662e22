"""Events API subscriptions."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.events import direct, home, installation, mention, messages_tab


def register(app: App) -> None:
    for module in (mention, direct, home, messages_tab, installation):
        module.register(app)
