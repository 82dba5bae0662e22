"""Options loads of external selects."""

from bot.slack.listeners.options.orders import register

__all__ = ["register"]
