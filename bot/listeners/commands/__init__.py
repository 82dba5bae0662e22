"""Slash commands."""

from bot.listeners.commands.release import register

__all__ = ["register"]
