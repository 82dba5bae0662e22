"""Modal submissions."""

from bot.listeners.views.release import register

__all__ = ["register"]
