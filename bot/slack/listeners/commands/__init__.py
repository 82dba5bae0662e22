"""Slash commands."""

from bot.slack.listeners.commands.release import register

__all__ = ["register"]
