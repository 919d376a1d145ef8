"""A second real ChatKit server for the e2e suite, on the `openai-chatkit` Python package (the
same library Orcheo builds on, from the same virtualenv), with an in-memory store.

It sends what Orcheo never does, so the widget is tested against all of ChatKit's surface:

  a message starting with   the reply
  "long"                    a long markdown reply streamed as 2,000 text deltas
  "sources"                 a reply with URL, file and entity annotations (one URL unsafe)
  "steps"                   a workflow item with three tasks, a task item, then a reply
  "widget"                  a widget streamed in three states, then a reply
  "lock"                    a reply, then the thread is locked with a reason
  "effect"                  a client effect, then a reply
  "form"                    a Card form (its own action) holding a Form (another action)
  "gallery [page]"          the widget gallery (scripts/lib/orcheo/workflows/gallery.py), a
                            widget item per page
  "samples", "sample <n>"   real widgets by others (tests/fixtures/widgets/), as they render
  "actions"                 a widget with every kind of action: form fields with dotted names
                            and change actions, a client action, a sync action, actions that
                            wait for `/ack` (to see them load), clickable rows
  "tool"                    a client tool call (`get_location`); its output gets "The page said …"
  "questions"               a structured input (two multiple-choice questions and a free one);
                            the answers get "You answered …"
  "image [https]"           a generated image: a partial one at 50 %, then the final one (a data:
                            PNG, or an https address)
  "notices"                 an info, a warning and a danger notice
  "huge [list|chart|deep|card] [n]"  widgets far past the drawing bounds: n (10,000) list
                            rows, 2,000 chart points, Boxes nested 50 deep, a Card of n Texts
  "xss items <from> <to>"   for each payload of the posted corpus in that range: a notice, a
                            message with a file, a reply with a source, and a widget, every
                            text and URL field of them the payload
  "xss progress"            each payload as progress text, the next one once the test posts
                            `/xss/ack` (it has checked what the widget shows)
  "xss error <from> <to>"   an error whose message is that range's payloads, one per line
  anything else             "Echo: <text>"

A custom action (`threads.custom_action`) is answered with its type, payload and widget (the
types `slow` and `fade` wait for `POST /ack` first); a sync action
(`threads.sync_custom_action`) redraws its widget with what it sent.

Threads `thr_five_hundred` and `thr_thousand` exist from the start with 500 and 1,000 items
(questions and answers, alternating; the benchmark restores the second).
`POST /xss` takes the XSS corpus (`{"payloads": [...]}`) for the `xss` commands, and then the
workflow handle `xss-<n>` is named by payload n.
`GET /expected/long` returns the long reply's exact text; `GET /api/workflows/<id>/public`
answers like Orcheo's (a name, no prompts), so the widget connects as it does to Orcheo.

    python tests/servers/chatkit_server.py <port> <allowed origin>
"""

import asyncio
import importlib.util
import json
import sys
import warnings
from pathlib import Path
from datetime import datetime, timedelta
from typing import Any, AsyncIterator

import uvicorn
from chatkit.server import ChatKitServer, StreamingResult, stream_widget
from chatkit.store import NotFoundError, Store
from chatkit.types import (
    Annotation,
    ClientToolCallItem,
    GeneratedImage,
    GeneratedImageItem,
    GeneratedImageUpdated,
    StructuredInputFreeform,
    StructuredInputItem,
    StructuredInputMultipleChoice,
    SyncCustomActionResponse,
    AssistantMessageContent,
    AssistantMessageContentPartAdded,
    AssistantMessageContentPartDone,
    AssistantMessageContentPartTextDelta,
    AssistantMessageItem,
    ClientEffectEvent,
    CustomSummary,
    ErrorEvent,
    FileAttachment,
    CustomTask,
    EntitySource,
    FileSource,
    LockedStatus,
    NoticeEvent,
    Page,
    ProgressUpdateEvent,
    SearchTask,
    TaskItem,
    ThoughtTask,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemUpdatedEvent,
    ThreadMetadata,
    URLSource,
    UserMessageItem,
    UserMessageTextContent,
    WidgetItem,
    Workflow,
    WorkflowItem,
)
from chatkit.widgets import Badge, Button, Caption, Card, Checkbox, DynamicWidgetRoot, Form, Image, Input, Markdown, Select, Text, Title
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

LONG_DELTAS = 2000
ROOT = Path(__file__).resolve().parents[2]


def load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The widget gallery the demo's Orcheo workflow shows, with the samples it is provisioned with.
GALLERY = load_module("gallery", ROOT / "scripts/lib/orcheo/workflows/gallery.py")
GALLERY.SAMPLES = {name: widget["outputJsonPreview"]
                   for name, widget in load_module("provision", ROOT / "scripts/lib/orcheo/provision.py").widget_files().items()}
# The id that a workflow handle `xss-<n>` resolves to.
XSS_WORKFLOW = "5d1c2b7e-8a40-4f3e-9c6b-0e2f4a7d9b13"
# The named widget classes still work; the library would rather they came from .widget files.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=__name__)


def long_reply() -> str:
    """About 60 KB of markdown: headings, paragraphs with emphasis and links, lists, code."""
    sections = []
    for n in range(1, 101):
        sections.append(
            f"## Section {n}\n\nThis is **paragraph {n}** with `inline code`, _emphasis_ and a "
            f"[link](https://example.com/{n}). It goes on for a while so that the reply is long "
            f"enough to matter: the widget must draw it without holding the page.\n\n"
            f"- first point of {n}\n- second point of {n}\n\n```python\nprint({n})\n```\n"
        )
    return "\n".join(sections)


LONG_REPLY = long_reply()


def paged(entries, after, limit, order) -> Page:
    """A ChatKit page of `entries` (kept oldest first): `limit` of them after the one with id
    `after` (from the start if unknown), newest first for `order="desc"`."""
    ordered = list(entries)
    if order == "desc":
        ordered.reverse()
    ids = [entry.id for entry in ordered]
    start = ids.index(after) + 1 if after in ids else 0
    page = ordered[start:start + limit]
    more = start + limit < len(ordered)
    return Page(data=page, has_more=more, after=page[-1].id if more and page else None)


class MemoryStore(Store[dict]):
    """Threads and items in dictionaries, ordered by insertion (= creation time here)."""

    def __init__(self) -> None:
        self.threads: dict[str, ThreadMetadata] = {}
        self.items: dict[str, list[Any]] = {}

    async def load_thread(self, thread_id: str, context: dict) -> ThreadMetadata:
        if thread_id not in self.threads:
            raise NotFoundError(f"thread {thread_id} not found")
        return self.threads[thread_id]

    async def save_thread(self, thread: ThreadMetadata, context: dict) -> None:
        self.threads[thread.id] = thread
        self.items.setdefault(thread.id, [])

    async def load_thread_items(self, thread_id, after, limit, order, context) -> Page:
        return paged(self.items.get(thread_id, []), after, limit, order)

    async def save_attachment(self, attachment, context) -> None:
        raise NotImplementedError

    async def load_attachment(self, attachment_id, context):
        raise NotFoundError(attachment_id)

    async def delete_attachment(self, attachment_id, context) -> None:
        raise NotImplementedError

    async def load_threads(self, limit, after, order, context) -> Page:
        return paged(self.threads.values(), after, limit, order)

    async def add_thread_item(self, thread_id, item, context) -> None:
        self.items.setdefault(thread_id, []).append(item)

    async def save_item(self, thread_id, item, context) -> None:
        items = self.items.setdefault(thread_id, [])
        for index, existing in enumerate(items):
            if existing.id == item.id:
                items[index] = item
                return
        items.append(item)

    async def load_item(self, thread_id, item_id, context):
        for item in self.items.get(thread_id, []):
            if item.id == item_id:
                return item
        raise NotFoundError(item_id)

    async def delete_thread(self, thread_id, context) -> None:
        self.threads.pop(thread_id, None)
        self.items.pop(thread_id, None)

    async def delete_thread_item(self, thread_id, item_id, context) -> None:
        self.items[thread_id] = [item for item in self.items.get(thread_id, []) if item.id != item_id]


def assistant(thread: ThreadMetadata, item_id: str, text: str, annotations=()) -> AssistantMessageItem:
    content = AssistantMessageContent(text=text, annotations=list(annotations))
    return AssistantMessageItem(id=item_id, thread_id=thread.id, created_at=datetime.now(), content=[content])


def hostile_card(payload: str):
    """A widget whose every text, URL, icon, colour, chart and action field is `payload`."""
    action = {"type": payload, "payload": {"p": payload}}
    text = lambda value: {"type": "Text", "value": value}  # noqa: E731
    return DynamicWidgetRoot.model_validate({
        "type": "Card", "asForm": True, "background": payload,
        "status": {"text": payload, "favicon": payload},
        "confirm": {"label": payload, "action": action},
        "children": [
            {"type": "Title", "value": payload, "color": payload},
            text(payload),
            {"type": "Caption", "value": payload},
            {"type": "Markdown", "value": payload},
            {"type": "Badge", "label": payload},
            {"type": "Icon", "name": payload},
            {"type": "Image", "src": payload, "alt": payload},
            {"type": "Box", "background": payload, "border": {"color": payload, "style": payload}, "children": []},
            {"type": "Button", "label": payload, "iconStart": payload, "onClickAction": action},
            {"type": "Label", "value": payload, "fieldName": payload},
            {"type": "Input", "name": payload, "placeholder": payload, "defaultValue": payload, "pattern": payload},
            {"type": "Textarea", "name": payload, "placeholder": payload, "defaultValue": payload},
            {"type": "Select", "name": payload, "placeholder": payload, "options": [{"label": payload, "value": payload}]},
            {"type": "Checkbox", "name": payload, "label": payload},
            {"type": "RadioGroup", "name": payload, "options": [{"label": payload, "value": payload}]},
            {"type": "DatePicker", "name": payload, "placeholder": payload, "defaultValue": payload},
            {"type": "Chart", "data": [{"x": payload, "v": 1}], "xAxis": {"dataKey": "x"},
             "series": [{"type": "bar", "dataKey": "v", "label": payload, "color": payload}]},
            {"type": "Table", "children": [{"type": "Table.Row", "children": [{"type": "Table.Cell", "children": [text(payload)]}]}]},
        ],
    })


def hostile_items(thread, payload: str, new_id):
    """Every item kind beyond widgets with `payload` in each of its text, URL and icon fields
    (built unvalidated where the SDK would refuse a payload as an icon name)."""
    now = datetime.now()
    yield ClientToolCallItem(id=new_id("ctc"), thread_id=thread.id, created_at=now, name=payload,
                             arguments={"p": payload}, call_id=new_id("call"), status="completed", output={})
    tasks = [
        CustomTask.model_construct(type="custom", title=payload, content=payload, icon=payload, status_indicator="complete"),
        SearchTask.model_construct(type="web_search", title=payload, title_query=payload, queries=[payload],
                                   sources=[URLSource(title=payload, url=payload)], status_indicator="complete"),
    ]
    workflow = Workflow.model_construct(type="custom", summary=CustomSummary.model_construct(title=payload, icon=payload),
                                        expanded=True, tasks=tasks)
    yield WorkflowItem.model_construct(id=new_id("wf"), thread_id=thread.id, created_at=now, type="workflow", workflow=workflow)
    yield GeneratedImageItem(id=new_id("img"), thread_id=thread.id, created_at=now, image=GeneratedImage(id=new_id("gi"), url=payload))
    yield StructuredInputItem(id=new_id("sin"), thread_id=thread.id, created_at=now, inputs=[
        StructuredInputMultipleChoice(id=payload, question=payload, options=[{"value": payload}]),
    ])


class TestServer(ChatKitServer[dict]):
    def __init__(self, store: MemoryStore) -> None:
        super().__init__(store)
        self.counter = 0
        self.xss: list[str] = []
        self.xss_acks: asyncio.Queue = asyncio.Queue()
        self.acks: asyncio.Queue = asyncio.Queue()
        self.syncs = 0

    async def xss_turn(self, thread, args: list[str]) -> AsyncIterator:
        """The `xss` commands: the posted payloads through every surface the server controls."""
        kind, bounds = (args[0] if args else ""), [int(arg) for arg in args[1:3]]
        chosen = self.xss[slice(*bounds)] if len(bounds) == 2 else self.xss
        if kind == "items":
            for payload in chosen:
                yield NoticeEvent(level="info", title=payload, message=payload)
                attachment = FileAttachment(id=self.new_id("atc"), name=payload, mime_type="text/plain")
                yield ThreadItemDoneEvent(item=UserMessageItem(
                    id=self.new_id("msg"), thread_id=thread.id, created_at=datetime.now(), inference_options={},
                    content=[UserMessageTextContent(text=payload)], attachments=[attachment]))
                source = Annotation(source=URLSource(title=payload, url=payload), index=len(payload))
                yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), payload, [source]))
                yield ThreadItemDoneEvent(item=WidgetItem(id=self.new_id("wdg"), thread_id=thread.id,
                                                          created_at=datetime.now(), widget=hostile_card(payload)))
                for item in hostile_items(thread, payload, self.new_id):
                    yield ThreadItemDoneEvent(item=item)
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), f"{len(chosen)} payloads shown."))
        elif kind == "progress":
            for payload in chosen:
                yield ProgressUpdateEvent(text=payload)
                # The test checks each one; a test that died leaves the turn, not the server, waiting.
                await asyncio.wait_for(self.xss_acks.get(), 30)
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Progress shown."))
        elif kind == "error":
            yield ErrorEvent(code="custom", message="\n".join(chosen), allow_retry=False)

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter:06d}"

    async def answered(self, thread) -> AsyncIterator:
        """The reply after the page answered a client tool or the visitor answered questions."""
        last = (await self.store.load_thread_items(thread.id, None, 1, "desc", {})).data
        item = last[0] if last else None
        if isinstance(item, ClientToolCallItem):
            said = f"The page said {json.dumps(item.output, sort_keys=True)}"
        elif isinstance(item, StructuredInputItem):
            answers = [f"{i.id}={'+'.join(i.answer.values) if i.answer and not i.answer.skipped else '(skipped)'}" for i in item.inputs]
            said = f"You answered {item.status}: {', '.join(answers)}"
        else:
            said = "Nothing to answer."
        yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), said))

    async def respond(self, thread, input_user_message, context) -> AsyncIterator:
        if input_user_message is None:
            async for event in self.answered(thread):
                yield event
            return
        text = " ".join(part.text for part in (input_user_message.content if input_user_message else []) if hasattr(part, "text"))
        command = text.split()[0].lower() if text.split() else ""
        if command == "long":
            item = assistant(thread, self.new_id("msg"), "")
            yield ThreadItemAddedEvent(item=item)
            yield ThreadItemUpdatedEvent(item_id=item.id, update=AssistantMessageContentPartAdded(
                content_index=0, content=AssistantMessageContent(text="")))
            cuts = [len(LONG_REPLY) * n // LONG_DELTAS for n in range(LONG_DELTAS + 1)]
            for start, end in zip(cuts, cuts[1:]):
                yield ThreadItemUpdatedEvent(item_id=item.id, update=AssistantMessageContentPartTextDelta(
                    content_index=0, delta=LONG_REPLY[start:end]))
            yield ThreadItemUpdatedEvent(item_id=item.id, update=AssistantMessageContentPartDone(
                content_index=0, content=AssistantMessageContent(text=LONG_REPLY)))
            yield ThreadItemDoneEvent(item=assistant(thread, item.id, LONG_REPLY))
        elif command == "sources":
            body = "Orcheo runs workflows as chat assistants, documented in its guide and its notes."
            annotations = [
                Annotation(source=URLSource(title="Orcheo guide", url="https://example.com/guide"), index=65),
                Annotation(source=URLSource(title="Sneaky", url="javascript:alert(1)"), index=65),
                Annotation(source=FileSource(title="Release notes", filename="notes.md"), index=79),
                Annotation(source=EntitySource(title="Orcheo team", id="team_1"), index=79),
                Annotation(source=URLSource(title="Orcheo guide", url="https://example.com/guide"), index=80),
            ]
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), body, annotations))
        elif command == "steps":
            workflow = Workflow(type="custom", summary=CustomSummary(title="Looked things up"), tasks=[
                CustomTask(title="Read the question", content="It asks about steps.", status_indicator="complete"),
                SearchTask(title="Searched the docs", queries=["orcheo steps"], status_indicator="complete"),
                ThoughtTask(title="Thought it over", content="Three steps are enough.", status_indicator="complete"),
            ])
            yield ThreadItemDoneEvent(item=WorkflowItem(id=self.new_id("wf"), thread_id=thread.id, created_at=datetime.now(), workflow=workflow))
            yield ThreadItemDoneEvent(item=TaskItem(id=self.new_id("task"), thread_id=thread.id, created_at=datetime.now(),
                                                    task=CustomTask(title="Checked the answer", content="It holds.")))
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Done in three steps."))
        elif command == "widget":
            async def states():
                for words in ("Counting", "Counting: one", "Counting: one, two, three"):
                    yield Card(children=[Text(id="count", value=words)])
                    await asyncio.sleep(0)
            async for event in stream_widget(thread, states(), generate_id=lambda kind: self.new_id("wdg")):
                yield event
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Counted."))
        elif command == "lock":
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Handing you over."))
            thread.status = LockedStatus(reason="A person from support takes it from here.")
        elif command == "form":
            card = Card(asForm=True, confirm={"label": "Sign up", "action": {"type": "signup"}}, children=[
                Text(value="Your e-mail and, if you have one, a code"),
                Input(name="email", placeholder="E-mail"),
                Form(onSubmitAction={"type": "redeem"}, children=[
                    Input(name="code", placeholder="Code"),
                    Button(submit=True, label="Redeem"),
                ]),
            ])
            yield ThreadItemDoneEvent(item=WidgetItem(id=self.new_id("wdg"), thread_id=thread.id, created_at=datetime.now(), widget=card))
        elif command in ("gallery", "samples", "sample"):
            for widget in GALLERY.widgets_for(text):
                yield ThreadItemDoneEvent(item=WidgetItem(id=self.new_id("wdg"), thread_id=thread.id, created_at=datetime.now(),
                                                          widget=DynamicWidgetRoot.model_validate(widget)))
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Here they are."))
        elif command == "actions":
            yield ThreadItemDoneEvent(item=WidgetItem(id=self.new_id("wdg"), thread_id=thread.id, created_at=datetime.now(),
                                                      widget=DynamicWidgetRoot.model_validate(actions_widget())))
            yield ThreadItemDoneEvent(item=WidgetItem(id=self.new_id("wdg"), thread_id=thread.id, created_at=datetime.now(),
                                                      widget=DynamicWidgetRoot.model_validate(rows_widget())))
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Try them."))
        elif command == "tool":
            yield ThreadItemDoneEvent(item=ClientToolCallItem(id=self.new_id("ctc"), thread_id=thread.id, created_at=datetime.now(),
                                                              call_id=self.new_id("call"), name="get_location", arguments={"precise": True}))
        elif command == "questions":
            yield ThreadItemDoneEvent(item=StructuredInputItem(id=self.new_id("sin"), thread_id=thread.id, created_at=datetime.now(), inputs=[
                StructuredInputMultipleChoice(id="lang", question="Which languages do you use?", multiple=True,
                                              options=[{"value": "Rust"}, {"value": "Go"}, {"value": "Python"}]),
                StructuredInputMultipleChoice(id="team", question="How big is your team?", options=[{"value": "1-10"}, {"value": "11-50"}]),
                StructuredInputFreeform(id="why", question="What would you like to build?", description="A sentence is enough"),
            ]))
        elif command == "image":
            item = GeneratedImageItem(id=self.new_id("img"), thread_id=thread.id, created_at=datetime.now(), image=None)
            yield ThreadItemAddedEvent(item=item)
            yield ThreadItemUpdatedEvent(item_id=item.id, update=GeneratedImageUpdated(
                image=GeneratedImage(id="partial", url=GALLERY.PICTURE), progress=0.5))
            final = "https://images.example.com/generated.png" if "https" in text else GALLERY.PICTURE
            yield ThreadItemDoneEvent(item=GeneratedImageItem(id=item.id, thread_id=thread.id, created_at=item.created_at,
                                                              image=GeneratedImage(id="final", url=final)))
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Here is your image."))
        elif command == "notices":
            yield NoticeEvent(level="info", title="For your information", message="An **info** notice.")
            yield NoticeEvent(level="warning", title="Careful", message="A warning notice.")
            yield NoticeEvent(level="danger", title="Widget unavailable", message="A danger notice.")
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Three notices."))
        elif command == "huge":
            # Widgets at and past the view model's bounds: 10,000 list rows (500 drawn, each a row
            # of four components: past 2,000 components the rest is cut), 500 chart points, and
            # Boxes nested 50 deep (24 levels drawn; a JSON event deeper than 128 levels is refused
            # whole), and a Card of 10,000 Texts. "huge list" (…) sends one of them.
            count = next((int(word) for word in text.split() if word.isdigit()), 10_000)
            rows = [{"type": "ListViewItem", "onClickAction": {"type": "row", "payload": {"n": n}}, "children": [
                {"type": "Row", "gap": 2, "children": [{"type": "Icon", "name": "star"}, {"type": "Text", "value": f"Row {n}"},
                                                      {"type": "Badge", "label": str(n)}]}]} for n in range(count)]
            points = [{"x": f"p{n}", "a": n % 17, "b": n % 11} for n in range(2_000)]
            deep = {"type": "Text", "value": "the bottom"}
            for _ in range(50):
                deep = {"type": "Box", "padding": 1, "children": [deep]}
            widgets = {
                "list": {"type": "ListView", "children": rows},
                "chart": {"type": "Card", "children": [{"type": "Chart", "data": points, "xAxis": {"dataKey": "x"},
                                                        "series": [{"type": "bar", "dataKey": "a"}, {"type": "line", "dataKey": "b"}]}]},
                "deep": {"type": "Card", "children": [deep]},
                "card": {"type": "Card", "children": [{"type": "Text", "value": f"Line {n}"} for n in range(count)]},
            }
            chosen = [word for word in text.split()[1:] if word in widgets] or list(widgets)
            for widget in (widgets[name] for name in chosen if name in widgets):
                yield ThreadItemDoneEvent(item=WidgetItem.model_construct(id=self.new_id("wdg"), thread_id=thread.id,
                                                                          created_at=datetime.now(), type="widget", widget=widget))
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Big ones."))
        elif command == "xss":
            async for event in self.xss_turn(thread, text.split()[1:]):
                yield event
        elif command == "effect":
            yield ClientEffectEvent(name="navigate", data={"to": "/pricing"})
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), "Opening pricing."))
        else:
            yield ThreadItemDoneEvent(item=assistant(thread, self.new_id("msg"), f"Echo: {text}"))


    async def action(self, thread, action, sender, context) -> AsyncIterator:
        """`threads.custom_action`: says which action arrived, with its payload and widget."""
        if action.type in ("slow", "fade"):
            await asyncio.wait_for(self.acks.get(), 30)
        widget = sender.id if sender else "none"
        yield ThreadItemDoneEvent(item=assistant(
            thread, self.new_id("msg"), f"Action {action.type} with {dict(action.payload or {})} from {widget}"))


    async def sync_action(self, thread, action, sender, context) -> SyncCustomActionResponse:
        """`threads.sync_custom_action`: the widget is drawn again, saying what arrived."""
        if sender is None:
            return SyncCustomActionResponse()
        self.syncs += 1
        widget = DynamicWidgetRoot.model_validate({"type": "Card", "children": [
            {"type": "Text", "id": "synced", "value": f"Synced {action.type} #{self.syncs} with {json.dumps(action.payload, sort_keys=True)}"},
            {"type": "Button", "label": "Sync again", "onClickAction": {"type": "count.up", "streaming": False}},
        ]})
        updated = WidgetItem(id=sender.id, thread_id=thread.id, created_at=sender.created_at, widget=widget)
        await self.store.save_item(thread.id, updated, context)
        return SyncCustomActionResponse(updated_item=updated)


def actions_widget() -> dict:
    """Every kind of action a widget has, for tests/e2e/widgets.test.mjs."""
    options = [{"label": "Free", "value": "free"}, {"label": "Team", "value": "team"}]
    return {"type": "Card", "asForm": True,
            "confirm": {"label": "Save", "action": {"type": "form.save", "payload": {"source": "card"}}},
            "cancel": {"label": "Discard", "action": {"type": "form.discard"}},
            "children": [
                {"type": "Input", "name": "profile.name", "placeholder": "Name", "required": True},
                {"type": "Input", "name": "profile.email", "inputType": "email", "placeholder": "E-mail"},
                {"type": "Select", "name": "plan", "placeholder": "Plan", "options": options, "onChangeAction": {"type": "plan.change"}},
                {"type": "Checkbox", "name": "terms", "label": "I agree", "onChangeAction": {"type": "terms.toggle"}},
                {"type": "RadioGroup", "name": "size", "options": [{"label": "S", "value": "s"}, {"label": "M", "value": "m"}],
                 "onChangeAction": {"type": "size.pick"}},
                {"type": "DatePicker", "name": "when", "onChangeAction": {"type": "date.pick"}},
                {"type": "Row", "gap": 2, "wrap": "wrap", "children": [
                    {"type": "Button", "label": "Ask the page", "onClickAction": {"type": "page.open", "handler": "client", "payload": {"to": "/pricing"}}},
                    {"type": "Button", "label": "Sync", "onClickAction": {"type": "count.up", "streaming": False}},
                    {"type": "Button", "label": "Slow", "onClickAction": {"type": "slow", "loadingBehavior": "self"}},
                    {"type": "Button", "label": "Fade", "onClickAction": {"type": "fade", "loadingBehavior": "container"}},
                ]},
            ]}


def rows_widget() -> dict:
    """A list whose rows are clickable, past its limit of two."""
    return {"type": "ListView", "limit": 2, "children": [
        {"type": "ListViewItem", "onClickAction": {"type": "row.open", "payload": {"id": n}}, "children": [{"type": "Text", "value": f"Row {n}"}]}
        for n in range(1, 5)]}


def seed(store: MemoryStore, thread_id: str, turns: int) -> None:
    """A thread of `turns` questions and answers, a minute apart, oldest first."""
    start = datetime(2026, 11, 1, 9, 0, 0)
    thread = ThreadMetadata(id=thread_id, created_at=start, title=f"{2 * turns} items")
    store.threads[thread.id] = thread
    items = []
    for n in range(1, turns + 1):
        at = start + timedelta(minutes=2 * n)
        items.append(UserMessageItem(id=f"msg_q{n:03d}", thread_id=thread.id, created_at=at,
                                     content=[UserMessageTextContent(text=f"question {n}")], inference_options={}))
        items.append(AssistantMessageItem(id=f"msg_a{n:03d}", thread_id=thread.id, created_at=at + timedelta(minutes=1),
                                          content=[AssistantMessageContent(text=f"answer {n}")]))
    store.items[thread.id] = items


def app(allowed_origin: str) -> Starlette:
    store = MemoryStore()
    seed(store, "thr_five_hundred", 250)
    seed(store, "thr_thousand", 500)
    server = TestServer(store)

    async def chatkit(request: Request) -> Response:
        result = await server.process(await request.body(), {})
        if isinstance(result, StreamingResult):
            return StreamingResponse(result, media_type="text/event-stream")
        return Response(content=result.json, media_type="application/json")

    async def public(request: Request) -> Response:
        # `xss-<n>` is named by the corpus' payload n (Orcheo caps names at 128 characters).
        workflow = request.path_params["workflow"]
        corpus_index = int(workflow[4:]) if workflow.startswith("xss-") and workflow[4:].isdigit() else None
        if corpus_index is not None and corpus_index < len(server.xss):
            return JSONResponse({"id": XSS_WORKFLOW, "name": server.xss[corpus_index], "require_login": False,
                                 "chatkit": {"start_screen_prompts": [], "supported_models": None}})
        return JSONResponse({"id": workflow, "name": "ChatKit test server",
                             "require_login": False, "chatkit": {"start_screen_prompts": [], "supported_models": None}})

    async def expected_long(request: Request) -> Response:
        return PlainTextResponse(LONG_REPLY)

    async def xss_corpus(request: Request) -> Response:
        server.xss = list((await request.json())["payloads"])
        server.xss_acks = asyncio.Queue()
        return PlainTextResponse(f"{len(server.xss)} payloads")

    async def ack(request: Request) -> Response:
        server.acks.put_nowait(True)
        return PlainTextResponse("ok")

    async def xss_ack(request: Request) -> Response:
        server.xss_acks.put_nowait(True)
        return PlainTextResponse("ok")

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [
        Route("/api/chatkit", chatkit, methods=["POST"]),
        Route("/api/workflows/{workflow}/public", public),
        Route("/expected/long", expected_long),
        Route("/xss", xss_corpus, methods=["POST"]),
        Route("/xss/ack", xss_ack, methods=["POST"]),
        Route("/ack", ack, methods=["POST"]),
        Route("/healthz", health),
    ]
    cors = Middleware(CORSMiddleware, allow_origins=[allowed_origin], allow_methods=["*"], allow_headers=["*"], allow_credentials=True)
    return Starlette(routes=routes, middleware=[cors])


if __name__ == "__main__":
    port, origin = int(sys.argv[1]), sys.argv[2]
    uvicorn.run(app(origin), host="127.0.0.1", port=port, log_level="warning")
