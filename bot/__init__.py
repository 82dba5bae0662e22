"""Adapters that people use: the `releasebot` command line, and the Slack app."""
