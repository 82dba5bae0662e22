"""Modal submissions."""

from bot.slack.listeners.views.release import register

__all__ = ["register"]
