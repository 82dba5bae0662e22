"""A recording fake of Slack's Web API for calling listeners directly: a real `WebClient`
whose every method reaches `api_call`, answered here from a few canned people and groups
instead of over HTTP, each call kept for the test to read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse


@dataclass(frozen=True)
class Call:
    method: str  # as Slack names it: views.open, chat.postEphemeral, ...
    args: dict[str, Any]


class RecordingSlack(WebClient):
    def __init__(
        self,
        people: Mapping[str, Mapping[str, Any]] | None = None,
        groups: Mapping[str, list[str]] | None = None,
    ) -> None:
        # a port nothing listens on: a client made from this one (a workflow step completed
        # with the execution's own token) is refused at once, never reaching Slack
        super().__init__(token="xoxb-fake", base_url="http://127.0.0.1:9/api/")
        self.people = dict(people or {})
        self.groups = dict(groups or {})
        self.calls: list[Call] = []

    def api_call(
        self,
        api_method: str,
        *,
        http_verb: str = "POST",
        files: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
        auth: dict[str, Any] | None = None,
    ) -> SlackResponse:
        args = {**(params or {}), **(data or {}), **(json or {})}
        self.calls.append(Call(api_method, args))
        return SlackResponse(
            client=self,
            http_verb=http_verb,
            api_url=self.base_url + api_method,
            req_args=args,
            data={"ok": True, **self._answer(api_method, args)},
            headers={},
            status_code=200,
        )

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "users.info":
            user = args["user"]
            return {"user": {"id": user, "name": user, "tz": "UTC", **self.people.get(user, {})}}
        if method == "usergroups.users.list":
            return {"users": self.groups.get(args["usergroup"], [])}
        if method == "auth.test":
            return {"user_id": "UBOT", "team_id": "T1"}
        if method.startswith("chat.post"):
            return {"channel": args.get("channel"), "ts": f"{len(self.calls)}.000100"}
        return {}

    def made(self, method: str) -> list[dict[str, Any]]:
        """The arguments of every call of `method`, in order."""
        return [call.args for call in self.calls if call.method == method]
