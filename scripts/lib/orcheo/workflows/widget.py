"""Widget: answers with a small form Card, and answers its `submit` action with the choice.

Orcheo turns a tool message in the final state's `messages` into a ChatKit widget item. Each
turn uses a fresh tool_call_id: Orcheo silently drops a widget whose id it has seen before.
"""
import json
import uuid

from langgraph.graph import END, START, StateGraph

FORM = {
    "type": "Card",
    "size": "sm",
    "asForm": True,
    "children": [
        {"type": "Title", "value": "Pick a plan", "size": "sm"},
        {"type": "RadioGroup", "name": "plan", "options": [{"label": "Free", "value": "free"}, {"label": "Team", "value": "team"}]},
        {"type": "Checkbox", "name": "updates", "label": "Email me updates"},
    ],
    "confirm": {"label": "Choose", "action": {"type": "submit"}},
}


def tool_message(widget):
    return {"type": "tool", "tool_call_id": "widget_" + uuid.uuid4().hex, "content": json.dumps(widget)}


def build_graph():
    graph = StateGraph(dict)

    def respond(state):
        action = state.get("action")
        if isinstance(action, dict) and action.get("type") == "submit":
            payload = action.get("payload") or {}
            plan = str(payload.get("plan") or "nothing")
            done = {"type": "Card", "size": "sm", "children": [{"type": "Text", "value": "You picked " + plan + "."}]}
            return {"reply": "Thanks, you picked " + plan + ".", "messages": [tool_message(done)]}
        return {"reply": "Which plan suits you?", "messages": [tool_message(FORM)]}

    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph
