"""Scheduled digests of the orders waiting for release: specs, subscriptions, slots, content."""
