"""Scheduled digests on the Slack side: the scheduler, posting a slot, the subcommands."""
