"""Buttons."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.actions import chat, open_release, undo
from bot.services import BotServices


def register(app: App, services: BotServices) -> None:
    for module in (open_release, chat, undo):
        module.register(app, services)
