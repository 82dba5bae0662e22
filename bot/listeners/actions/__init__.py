"""Buttons."""

from bot.listeners.actions.open_release import register

__all__ = ["register"]
