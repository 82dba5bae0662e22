"""The pages a person sees in the browser at the end of installing releasebot: what to do
next after a success, and what went wrong and what to do after a failure."""

from __future__ import annotations

from html import escape

# why an install failed (Bolt's OAuthFlow reasons, or Slack's `error` on the redirect),
# and what the person can do about it
FAILURES = {
    "invalid_browser": (
        "This page was opened without the browser cookie the install started with.",
        "Start again from the install link, in the same browser, and finish within ten minutes.",
    ),
    "invalid_state": (
        "This install link has expired or was already used.",
        "Start again from the install link.",
    ),
    "access_denied": (
        "The install was cancelled on Slack's page.",
        "Start again from the install link and choose Allow.",
    ),
    "missing_code": (
        "Slack did not hand over an authorisation code.",
        "Start again from the install link.",
    ),
    "invalid_code": (
        "Slack did not accept the authorisation code.",
        "Start again from the install link; if it happens again, check releasebot's "
        "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET against the app's Basic Information page.",
    ),
    "storage_error": (
        "releasebot could not save the installation.",
        "Try again in a few minutes; if it happens again, tell whoever runs releasebot "
        "(its log says why).",
    ),
}
UNKNOWN_FAILURE = (
    "Slack reported a problem with the install.",
    "Start again from the install link; if it happens again, tell whoever runs releasebot.",
)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def installed_page(workspace: str, install_path: str) -> str:
    """After a successful install: where releasebot now is and the first steps."""
    steps = [
        "In the channel where results should go, type <code>/invite @releasebot</code>.",
        "Ask whoever runs releasebot to give planners their sites "
        "(<code>[release_permissions]</code> in its configuration) and this workspace its "
        "sites.",
        "Type <code>/release list</code> to see the orders waiting, or <code>/release help</code>.",
    ]
    items = "".join(f"<li>{step}</li>" for step in steps)
    body = (
        f"<p>releasebot is installed in <b>{escape(workspace)}</b>.</p>"
        f"<h2>First steps</h2><ol>{items}</ol>"
        f'<p>Another workspace? <a href="{escape(install_path)}">Install it there too</a>.</p>'
    )
    return _page("releasebot is installed", body)


def failed_page(reason: str, install_path: str) -> str:
    """After a failed install: what happened, what to do, and the link to start again."""
    what, todo = FAILURES.get(reason, UNKNOWN_FAILURE)
    body = (
        f"<p>{escape(what)}</p><p>{escape(todo)}</p>"
        f'<p><a href="{escape(install_path)}">Start the install again</a></p>'
        f"<p><small>Reason: {escape(reason)}</small></p>"
    )
    return _page("releasebot was not installed", body)
