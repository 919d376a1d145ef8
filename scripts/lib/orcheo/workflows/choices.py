"""Orcheo's two shipped widget templates (examples/chatkit_widgets/widgets/ in its repository),
rendered the way Orcheo's agent node renders them: chatkit's WidgetTemplate fills the template
with data, as it would with a model's tool call (this workflow stands in for the model).

  any message        the Multi-choice Selector (up to 3 of 6 options, 2 ticked)
  "single ..."       the Single-choice list
  choices.toggle     ticks or clears one option: the selector is drawn again with the new count,
                     and the options past the limit disabled (it replaces the sender widget)
  submit             "You picked …" (and the card that says so replaces the form)

The templates come in TEMPLATES when the workflow is provisioned (scripts/lib/orcheo/provision.py).
Orcheo passes only the action types in ORCHEO_CHATKIT_WIDGET_ACTION_TYPES (scripts/orcheo lists
choices.toggle); the widget JSON it hands the workflow is the stored one, whose defaultChecked
values say what is ticked.
"""
import json
import uuid

from chatkit.widgets import WidgetTemplate
from langgraph.graph import END, START, StateGraph

TEMPLATES = {}  # provisioned

MAX = 3
OPTIONS = [("opt1", "Option 1"), ("opt2", "Option 2"), ("opt3", "Option 3"),
           ("opt4", "Option 4"), ("opt5", "Option 5"), ("opt6", "Option 6")]
INITIAL = {"opt1", "opt2"}


def selector(checked):
    data = {
        "title": "Pick your options",
        "maxSelections": MAX,
        "selectedCount": len(checked),
        "options": [{"id": key, "label": label, "checked": key in checked} for key, label in OPTIONS],
    }
    return WidgetTemplate(TEMPLATES["multi-choice-selector"]).build(data).model_dump(exclude_none=True)


def single():
    data = {
        "title": "Select one option",
        "options": [{"label": "Option A", "value": "A"}, {"label": "Option B", "value": "B"},
                    {"label": "Option C", "value": "C"}, {"label": "Option D", "value": "D", "disabled": True}],
        "defaultValue": "A",
    }
    return WidgetTemplate(TEMPLATES["single-choice-list"]).build(data).model_dump(exclude_none=True)


def ticked(node, found):
    """The ids whose `choices.<id>` Checkbox is defaultChecked in a stored widget."""
    if isinstance(node, list):
        for child in node:
            ticked(child, found)
    elif isinstance(node, dict):
        name = node.get("name")
        if node.get("type") == "Checkbox" and isinstance(name, str) and name.startswith("choices.") and node.get("defaultChecked"):
            found.add(name[len("choices."):])
        for value in node.values():
            if isinstance(value, (list, dict)):
                ticked(value, found)
    return found


def tool_message(widget):
    # A fresh tool_call_id every time: Orcheo silently drops ids it has hydrated before.
    return {"type": "tool", "tool_call_id": "widget_" + uuid.uuid4().hex, "content": json.dumps(widget)}


def build_graph():
    graph = StateGraph(dict)

    def respond(state):
        action = state.get("action") if isinstance(state.get("action"), dict) else {}
        payload = action.get("payload") if isinstance(action.get("payload"), dict) else {}
        kind = action.get("type")
        if kind == "choices.toggle":
            checked = ticked(state.get("widget") or {}, set())
            key = payload.get("id")
            if key in checked:
                checked.discard(key)
            elif key in dict(OPTIONS) and len(checked) < MAX:
                checked.add(key)
            return {"reply": str(len(checked)) + " of " + str(MAX) + " picked.", "messages": [tool_message(selector(checked))]}
        if kind == "submit":
            if "choice" in payload:
                picked = [str(payload.get("choice"))]
            else:
                choices = payload.get("choices") if isinstance(payload.get("choices"), dict) else {}
                picked = [label for key, label in OPTIONS if choices.get(key) is True]
            said = ", ".join(picked) or "nothing"
            done = {"type": "Card", "size": "sm", "children": [{"type": "Text", "value": "You picked: " + said}]}
            return {"reply": "You picked " + said + ".", "messages": [tool_message(done)]}
        if str(state.get("message") or "").lower().startswith("single"):
            return {"reply": "Pick one.", "messages": [tool_message(single())]}
        return {"reply": "Pick up to " + str(MAX) + ".", "messages": [tool_message(selector(set(INITIAL)))]}

    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph
