"""Provisions a fresh Orcheo backend for the demo and the tests, through its REST API.

usage: provision.py <base-url> <bootstrap-token> <workflows-dir>  (prints JSON on stdout)

Creates a workspace (every 0.39 workflow lives in one), the demo workflows (each a LangGraph
script from workflows-dir, ingested as a version and published as listed below), start
prompts for the echo workflow, and a service token that may only mint ChatKit sessions (the
one a token proxy holds).
"""
import json
import sys
from pathlib import Path

import httpx

# key: (display name, script, handle, publish: None = private, False = public, True = login required)
WORKFLOWS = {
    "echo": ("Echo assistant", "echo.py", "echo", False),
    "steps": ("Step-by-step assistant", "steps.py", None, False),
    "fail": ("Always fails", "fail.py", None, False),
    "flaky": ("Fails once per conversation", "flaky.py", None, False),
    "slow": ("Slow assistant", "slow.py", None, False),
    "markdown": ("Markdown sampler", "markdown.py", None, False),
    "widget": ("Plan picker", "widget.py", None, False),
    "gallery": ("Widget gallery", "gallery.py", "widgets", False),
    "choices": ("Multi-choice selector", "choices.py", None, False),
    "long": ("Long replies", "long.py", None, False),
    "login": ("Members-only echo", "echo.py", None, True),
    "private": ("Private echo", "echo.py", None, None),
}

ECHO_PROMPTS = [
    {"label": "Say hello", "prompt": "Hello there!"},
    {"label": "What can you do?", "prompt": "What can you do?"},
]


# Widget JSON the widget workflows carry (a workflow is one script, so it is written into it):
# the rendered samples of tests/fixtures/widgets/ (OpenAI's ChatKit samples and Orcheo's own
# templates), and Orcheo's two .widget templates whole, for workflows that render them.
FIXTURES = Path(__file__).resolve().parents[3] / "tests/fixtures/widgets"


def widget_files():
    files = sorted(FIXTURES.glob("*.widget")) + sorted((FIXTURES / "samples").glob("*.widget"))
    return {path.stem.replace("_", "-"): json.loads(path.read_text()) for path in files}


def provisioned(script):
    """The script with its `= {}  # provisioned` tables filled in."""
    files = widget_files()
    samples = {name: widget["outputJsonPreview"] for name, widget in files.items()}
    templates = {name: widget for name, widget in files.items() if name in ("multi-choice-selector", "single-choice-list")}
    for name, table in (("SAMPLES", samples), ("TEMPLATES", templates)):
        script = script.replace(f"{name} = {{}}  # provisioned", f"{name} = json.loads(r\'\'\'{json.dumps(table)}\'\'\')")
    return script


def main():
    base, token, workflows_dir = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)

    def call(method, url, **kwargs):
        response = client.request(method, url, **kwargs)
        if response.status_code >= 400:
            sys.exit(f"{method} {url} answered {response.status_code}: {response.text[:500]}")
        return response.json()

    workspace = call("POST", "/api/workspaces", json={"slug": "demo", "name": "Demo"})
    out = {"workspace_id": workspace["id"], "workflows": {}}
    for key, (name, script, handle, publish) in WORKFLOWS.items():
        body = {"name": name, "actor": "orcheo-chat"}
        if handle:
            body["handle"] = handle
        workflow = call("POST", "/api/workflows", json=body)
        call("POST", f"/api/workflows/{workflow['id']}/versions/ingest", json={
            "script": provisioned((workflows_dir / script).read_text()),
            "entrypoint": "build_graph",
            "created_by": "orcheo-chat",
        })
        if key == "echo":
            call("PUT", f"/api/workflows/{workflow['id']}", json={"chatkit": {"start_screen_prompts": ECHO_PROMPTS}, "actor": "orcheo-chat"})
        if publish is not None:
            call("POST", f"/api/workflows/{workflow['id']}/publish", json={"require_login": publish, "actor": "orcheo-chat"})
        out["workflows"][key] = workflow["id"]
    service = call("POST", "/api/admin/service-tokens", json={
        "name": "chatkit-token-proxy", "identifier": "chatkit-token-proxy", "scopes": ["chatkit:session"],
    })
    out["service_token"] = service["secret"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
