"""Sending the outbox to Slack: a dispatcher thread and one sender per kind of message."""
