"""Buttons."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.actions import chat, open_release, undo


def register(app: App) -> None:
    for module in (open_release, chat, undo):
        module.register(app)
