"""Who a Slack user is: the name to record, and the sites they may release for.

Names come from `users.info`, group members from `usergroups.users.list`; both are
cached for a few minutes so that a busy channel does not hit Slack's rate limits.
A lookup that fails grants nothing (and is not cached).

Installed on an Enterprise Grid org, the token is the org's: user IDs may be `W…`, and
`usergroups.users.list` needs the workspace (`team_id`) the group is in, which is taken to
be the person's own (their `team_id` in `users.info`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.slack.workspaces import Workspace, current
from config import ReleasePermissions

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
NO_SITES = (
    "You may look at orders but not release them: ask an administrator to add you "
    "(or one of your user groups) in releasebot's configuration."
)


class _TimedCache:
    """A small thread-safe cache whose entries expire after `ttl` seconds."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, load: Callable[[], Any]) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] > self._clock():
                return entry[1]
        value = load()  # outside the lock: a slow Slack call must not block other readers
        with self._lock:
            self._entries[key] = (self._clock() + self._ttl, value)
        return value


class Directory:
    def __init__(
        self,
        client: WebClient,
        permissions: ReleasePermissions,
        ttl: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._permissions = permissions
        self._users = _TimedCache(ttl, clock)
        self._groups = _TimedCache(ttl, clock)
        # per workspace acted for (bot/slack/workspaces.py): installed on an Enterprise Grid org
        self._org: dict[Workspace | None, bool] = {}

    def name(self, user_id: str) -> str:
        """The person's real name as Slack shows it, else their user ID."""
        user = self._user(user_id)
        profile = user.get("profile") or {}
        return str(
            profile.get("real_name") or profile.get("display_name") or user.get("name") or user_id
        )

    def timezone(self, user_id: str) -> str:
        """The person's time zone as set in Slack (`Europe/Berlin`), else UTC."""
        return str(self._user(user_id).get("tz") or "UTC")

    def locale(self, user_id: str) -> str | None:
        """The person's locale as set in Slack (`de-DE`); None when Slack does not say."""
        locale = self._user(user_id).get("locale")
        return str(locale) if locale else None

    def is_admin(self, user_id: str) -> bool:
        return user_id in self._permissions.admins

    def _user(self, user_id: str) -> dict[str, Any]:
        try:
            return self._users.get(user_id, lambda: self._load_user(user_id))
        except SlackClientError as error:
            log.warning("users.info for %s failed: %s", user_id, error)
            return {}

    def sites(self, user_id: str) -> frozenset[str] | None:
        """The sites this person may release for from the workspace acted for; None for
        every site (an admin, in a workspace not narrowed to some)."""
        own = self._own_sites(user_id)
        workspace = self._workspace_sites()
        if workspace is None:
            return own
        return workspace if own is None else own & workspace

    def _workspace_sites(self) -> frozenset[str] | None:
        """The sites the workspace acted in is narrowed to (`release_permissions.
        workspaces`: its team ID, also inside an org installed org-wide, else its org's
        enterprise ID); None: not narrowed."""
        workspace = current()
        if workspace is None:
            return None
        for key in (workspace.team, workspace.enterprise_id):
            if key is not None and key in self._permissions.workspaces:
                return frozenset(self._permissions.workspaces[key])
        return None

    def _own_sites(self, user_id: str) -> frozenset[str] | None:
        if self.is_admin(user_id):
            return None
        sites = set(self._permissions.users.get(user_id, []))
        team = self._team_of(user_id) if self._permissions.groups else None
        for group, group_sites in self._permissions.groups.items():
            if user_id in self._members(group, team):
                sites.update(group_sites)
        return frozenset(sites)

    def _team_of(self, user_id: str) -> str | None:
        """The workspace an org token must name for this person's groups; None elsewhere."""
        workspace = current()
        if workspace not in self._org:
            try:
                org = bool(self._client.auth_test().get("is_enterprise_install"))
            except SlackClientError as error:
                log.warning("auth.test failed: %s", error)
                return None
            self._org[workspace] = org
        if not self._org[workspace]:
            return None
        return str(self._user(user_id).get("team_id") or "") or None

    def _members(self, group: str, team: str | None) -> frozenset[str]:
        try:
            return self._groups.get(f"{team}/{group}", lambda: self._load_members(group, team))
        except SlackClientError as error:
            log.warning("usergroups.users.list for %s failed: %s", group, error)
            return frozenset()

    def _load_user(self, user_id: str) -> dict[str, Any]:
        return dict(self._client.users_info(user=user_id, include_locale=True)["user"])

    def _load_members(self, group: str, team: str | None) -> frozenset[str]:
        response = self._client.usergroups_users_list(usergroup=group, team_id=team or None)
        return frozenset(response.get("users") or [])
