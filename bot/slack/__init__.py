"""The Slack app: Bolt, its HTTP door, the listeners and the Block Kit they send."""
