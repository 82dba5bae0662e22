"""Options loads of external selects."""

from bot.listeners.options.orders import register

__all__ = ["register"]
