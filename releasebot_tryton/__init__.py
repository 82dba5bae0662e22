"""releasebot's Tryton module: release and reset a production in one transaction.

Tryton's own buttons (wait, assign_try) are separate RPC calls, each its own
transaction, and two simultaneous callers are both told "ok". This module gives
releasebot one call per order that locks the production's row, decides, changes it
and records who did it from where, so a race has exactly one winner and the loser is
told who won. Activated with `trytond-admin -u releasebot_tryton --activate-dependencies`.
"""
