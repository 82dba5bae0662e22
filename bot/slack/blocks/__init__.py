"""Block Kit builders, one module per view or message; built with slack_sdk's models."""
