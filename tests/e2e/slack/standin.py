"""A stand-in for Slack's Web API on 127.0.0.1: records every call, answers like Slack.

Implements what the bot uses (auth.test, views.* including views.publish, chat.*, the
three steps of a file upload, functions.completeSuccess/completeError (with the token each
call came with), users.info with the person's time zone,
usergroups.users.list, a channel's history and a thread's replies from what was posted),
the install flow's oauth.v2.access (a code for a workspace's or an org's bot token, once;
a refresh token for a new token, once) with auth.test answering for each token it gave,
serves shared files (voice clips) at their `url_private_download` to the bot token only,
and can be told to answer 429 or 500 for a while, as Slack does when it rate-limits or
has an outage, or to run something right after taking a call (kill the bot before it
hears the answer).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    status: int
    response: dict[str, Any] = field(default_factory=dict)
    token: str | None = None  # the bearer token the call came with


@dataclass
class Upload:
    file_id: str
    content: bytes


@dataclass
class Download:
    path: str
    authorization: str | None
    status: int


@dataclass
class Failure:
    status: int
    remaining: int
    error: str | None = None


@dataclass
class Grant:
    """A workspace (or, `org`, an Enterprise Grid org) that approved the install."""

    team_id: str | None
    team_name: str | None = None
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    org: bool = False
    expires_in: int | None = None  # token rotation: the first token's life (seconds)
    refreshed_expires_in: int = 43200  # a refreshed token's: 12 hours, as Slack's
    installer: str = "UINSTALLER"


@dataclass
class SlackStandIn:
    server: HTTPServer
    names: dict[str, str] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    timezones: dict[str, str] = field(default_factory=dict)
    locales: dict[str, str] = field(default_factory=dict)  # given with include_locale
    org_install: bool = False  # an Enterprise Grid org's token: team_id where it is needed
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)
    token: str = "xoxb-test"
    shared: dict[str, bytes] = field(default_factory=dict)
    downloads: list[Download] = field(default_factory=list)
    grants: dict[str, Grant] = field(default_factory=dict)  # by code, then by refresh token
    issued: dict[str, Grant] = field(default_factory=dict)  # by bot token given out
    revoked: set[str] = field(default_factory=set)  # tokens of a workspace that uninstalled
    refreshes: int = 0  # tokens refreshed (oauth.v2.access grant_type=refresh_token)
    _caller: str | None = None  # the token of the call being answered (under the lock)
    _failures: dict[str, Failure] = field(default_factory=dict)
    _after: dict[str, Callable[[Call], None]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        self.server.expect_request(re.compile("/.*")).respond_with_handler(self._handle)

    @property
    def api_url(self) -> str:
        return self.server.url_for("/api/")

    def fail(self, method: str, status: int, times: int, error: str | None = None) -> None:
        """Answer `method` with `status` (429 with Retry-After: 1, or 500) `times` times;
        status 200 with `error` is Slack's answer to a call it refuses (`not_in_channel`)."""
        with self._lock:
            self._failures[method] = Failure(status, times, error)

    def after_call(self, method: str, action: Callable[[Call], None]) -> None:
        """Run `action` once, after the next successful `method` call was taken and before
        its answer leaves: Slack has the post, the caller has not heard so."""
        with self._lock:
            self._after[method] = action

    def share_file(
        self,
        name: str,
        content: bytes,
        mimetype: str,
        subtype: str | None = "slack_audio",
        transcription: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A file as a message event carries it; its download needs `Bearer <bot token>`."""
        file_id = f"F{next(self._ids)}"
        path = f"/files-pri/T1-{file_id}/download/{name}"
        with self._lock:
            self.shared[path] = content
        file: dict[str, Any] = {
            "id": file_id,
            "name": name,
            "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1],
            "size": len(content),
            "url_private": self.server.url_for(path.replace("/download", "")),
            "url_private_download": self.server.url_for(path),
        }
        if subtype:
            file["subtype"] = subtype
        if transcription is not None:
            file["transcription"] = transcription
        return file

    def approve_install(self, grant: Grant) -> str:
        """The code Slack hands the browser after a person allowed the install (redirect's
        `code`): oauth.v2.access exchanges it once for a bot token of that workspace."""
        code = f"code-{next(self._ids)}"
        with self._lock:
            self.grants[code] = grant
        return code

    def uninstall(self, team_id: str) -> None:
        """The app uninstalled from the workspace: every token it was given stops working."""
        with self._lock:
            self.revoked |= {t for t, grant in self.issued.items() if grant.team_id == team_id}

    def _oauth_access(self, args: dict[str, Any]) -> dict[str, Any]:
        expires_in = None
        if args.get("grant_type") == "refresh_token":
            grant = self.grants.pop(str(args.get("refresh_token")), None)
            if grant is None:
                return {"ok": False, "error": "invalid_refresh_token"}
            self.refreshes += 1
            expires_in = grant.refreshed_expires_in
        else:
            grant = self.grants.pop(str(args.get("code")), None)
            if grant is None:
                return {"ok": False, "error": "invalid_code"}
            expires_in = grant.expires_in
        n = next(self._ids)
        name = grant.team_id or grant.enterprise_id
        token = f"xoxb-{name}-{n}" if expires_in is None else f"xoxe.xoxb-{name}-{n}"
        self.issued[token] = grant
        answer: dict[str, Any] = {
            "app_id": "A1",
            "access_token": token,
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": f"UBOT{name}",
            "authed_user": {"id": grant.installer},
            "team": {"id": grant.team_id, "name": grant.team_name} if grant.team_id else None,
            "enterprise": (
                {"id": grant.enterprise_id, "name": grant.enterprise_name}
                if grant.enterprise_id
                else None
            ),
            "is_enterprise_install": grant.org,
        }
        if expires_in is not None:
            refresh = f"xoxe-1-{name}-{n}"
            self.grants[refresh] = grant
            answer |= {"refresh_token": refresh, "expires_in": expires_in}
        return answer

    def ok_calls(self, method: str, **match: Any) -> list[Call]:
        with self._lock:
            return [
                call
                for call in self.calls
                if call.method == method
                and call.status == 200
                and call.response.get("ok")
                and all(call.args.get(key) == value for key, value in match.items())
            ]

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 20.0, **match: Any
    ) -> list[Call]:
        """The successful calls of `method` once there are `count` of them (polled, bounded)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.ok_calls(method, **match)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(
            f"{count} {method} call(s) expected within {timeout}s; "
            f"got {[(c.method, c.status) for c in self.calls]}"
        )

    def _handle(self, request: Request) -> Response:
        if request.path.startswith("/upload/"):
            return self._upload(request)
        if request.path.startswith("/files-pri/"):
            return self._download(request)
        method = request.path.removeprefix("/api/")
        args = _arguments(request)
        token = (request.headers.get("Authorization") or "").removeprefix("Bearer ") or None
        with self._lock:
            failure = self._failures.get(method)
            if failure and failure.remaining > 0:
                failure.remaining -= 1
                headers = {"Retry-After": "1"} if failure.status == 429 else {}
                error = failure.error or ("ratelimited" if failure.status == 429 else "fatal")
                body = {"ok": False, "error": error}
                self.calls.append(Call(method, args, failure.status, body, token))
                return _json(body, failure.status, headers)
            handler = self._methods().get(method)
            self._caller = token
            if token is None:  # Slack's answer to a call without a token
                response = {"ok": False, "error": "not_authed"}
            elif token in self.revoked:
                response = {"ok": False, "error": "token_revoked"}
            else:
                response = {"ok": True, **handler(args)} if handler else {"ok": False}
            call = Call(method, args, 200, response, token)
            self.calls.append(call)
            action = self._after.pop(method, None)
        if action is not None:
            action(call)
        return _json(response)

    def _methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "oauth.v2.access": self._oauth_access,
            "views.open": self._view,
            "views.update": self._view,
            "views.push": self._view,
            "views.publish": self._view,
            "chat.postMessage": lambda a: {
                "channel": a["channel"],
                "ts": self._ts(),
            },
            "chat.postEphemeral": lambda a: {"message_ts": self._ts()},
            "chat.update": lambda a: {"channel": a["channel"], "ts": a["ts"]},
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": lambda a: {
                "files": [{"id": f["id"], "title": f.get("title")} for f in a["files"]]
            },
            "users.info": self._user,
            "usergroups.users.list": self._group_members,
            "conversations.history": self._history,
            "reactions.add": lambda a: {},  # the ear on a clip being listened to
            "reactions.remove": lambda a: {},
            "functions.completeSuccess": lambda a: {},  # a workflow step's outcome
            "functions.completeError": lambda a: {},
            "conversations.replies": self._replies,
        }

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        bot = {"user_id": "UBOT", "bot_id": "BBOT"}
        grant = self.issued.get(self._caller or "")
        if grant is not None:  # a token the install flow gave out: its workspace or org
            name = grant.team_id or grant.enterprise_id
            return {
                "user_id": f"UBOT{name}",
                "bot_id": f"BBOT{name}",
                "team_id": grant.team_id or "",
                "enterprise_id": grant.enterprise_id,
                "is_enterprise_install": grant.org,
            }
        if self.org_install:
            return bot | {"enterprise_id": "E1", "team_id": "", "is_enterprise_install": True}
        return bot | {"team_id": "T1"}

    def _group_members(self, args: dict[str, Any]) -> dict[str, Any]:
        """An org token must say which workspace's group it means (Slack's rule)."""
        if self.org_install and not args.get("team_id"):
            return {"ok": False, "error": "missing_argument"}
        return {"users": self.groups.get(args["usergroup"], [])}

    def _user(self, args: dict[str, Any]) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": args["user"],
            "team_id": "T1",
            "name": args["user"].lower(),
            "tz": self.timezones.get(args["user"], "America/Los_Angeles"),
            "profile": {"real_name": self.names.get(args["user"], args["user"])},
        }
        if str(args.get("include_locale")).lower() in {"1", "true"}:
            user["locale"] = self.locales.get(args["user"], "en-US")
        return {"user": user}

    def _ts(self) -> str:
        """A message timestamp as Slack makes them: seconds now, unique in the workspace."""
        return f"{int(time.time())}.{next(self._ids):06d}"

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        """The channel's messages newer than `oldest`, newest first (the caller holds the lock)."""
        oldest = float(args.get("oldest") or 0)
        posted = [
            {"ts": c.response["ts"], "text": c.args.get("text"), "metadata": c.args.get("metadata")}
            for c in self.calls
            if c.method == "chat.postMessage"
            and c.response.get("ok")
            and c.response["channel"] == args["channel"]
            and float(c.response["ts"]) > oldest
        ]
        return {"messages": posted[::-1], "has_more": False}

    def _replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """The files shared and the messages posted in the thread `ts` of the channel, each
        as its own message."""
        shared = [
            {"ts": self._ts(), "thread_ts": args["ts"], "files": c.args["files"]}
            for c in self.calls
            if c.method == "files.completeUploadExternal"
            and c.response.get("ok")
            and c.args.get("channel_id") == args["channel"]
            and c.args.get("thread_ts") == args["ts"]
        ]
        replies = [
            {
                "ts": c.response["ts"],
                "thread_ts": args["ts"],
                "text": c.args.get("text"),
                "metadata": c.args.get("metadata"),
            }
            for c in self.calls
            if c.method == "chat.postMessage"
            and c.response.get("ok")
            and c.response["channel"] == args["channel"]
            and c.args.get("thread_ts") == args["ts"]
        ]
        return {"messages": [{"ts": args["ts"]}, *shared, *replies], "has_more": False}

    def _view(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args["view"] if isinstance(args["view"], dict) else json.loads(args["view"])
        return {"view": {**view, "id": args.get("view_id") or f"V{next(self._ids)}"}}

    def _upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids)}"
        return {"upload_url": self.server.url_for(f"/upload/{file_id}"), "file_id": file_id}

    def _upload(self, request: Request) -> Response:
        file_id = request.path.removeprefix("/upload/")
        with self._lock:
            self.uploads[file_id] = Upload(file_id, request.get_data())
        return Response(f"OK - {len(request.get_data())}", 200)

    def _download(self, request: Request) -> Response:
        """Slack serves private files only with a token that may read them."""
        authorization = request.headers.get("Authorization")
        with self._lock:
            content = self.shared.get(request.path)
            status = (
                403 if authorization != f"Bearer {self.token}" else 404 if content is None else 200
            )
            self.downloads.append(Download(request.path, authorization, status))
        if status != 200:
            return Response("", status)
        return Response(content, 200, content_type="application/octet-stream")


def _arguments(request: Request) -> dict[str, Any]:
    """Form or JSON arguments, with JSON-valued form fields (blocks, files) decoded."""
    if request.is_json:
        return dict(request.get_json())
    args: dict[str, Any] = dict(request.form.items()) | dict(request.args.items())
    for key in ("blocks", "files", "view", "outputs"):
        if isinstance(args.get(key), str):
            args[key] = json.loads(args[key])
    return args


def _json(
    body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(json.dumps(body), status, headers, content_type="application/json")


@contextmanager
def running_standin(**options: Any) -> Iterator[SlackStandIn]:
    """The stand-in on a free port of 127.0.0.1 (`options`: SlackStandIn's fields)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    standin = SlackStandIn(server, **options)
    standin.start()
    try:
        yield standin
    finally:
        server.clear()
        server.stop()
