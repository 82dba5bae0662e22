"""Chat and voice commands: one grammar for typed text and speech, no Slack in here."""
