"""Events API subscriptions."""

from bot.listeners.events.mention import register

__all__ = ["register"]
