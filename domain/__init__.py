"""The production-order domain: model, rules, services and persistence. Knows nothing of Slack."""
