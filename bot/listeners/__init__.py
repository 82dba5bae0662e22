"""Slack listeners, one package per kind; each module has `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import (
    actions,
    commands,
    errors,
    events,
    functions,
    options,
    shortcuts,
    views,
)
from bot.services import BotServices


def register_all(app: App, services: BotServices) -> None:
    for kind in (errors, commands, shortcuts, views, actions, options, events, functions):
        kind.register(app, services)
