"""Verbatim: answers every message with exactly the text it received (no LLM, deterministic),
so a test decides what the reply is. A message that is a JSON object with `repeat` and `times`
is answered with `before + repeat * times + after` instead: a reply of any size or depth without
sending it as the visitor's message first.
"""
import json

from langgraph.graph import END, START, StateGraph

MAX_REPLY = 2_000_000


def reply_for(message):
    try:
        command = json.loads(message)
    except ValueError:
        return message
    if not isinstance(command, dict) or "repeat" not in command:
        return message
    times = min(int(command.get("times", 1)), MAX_REPLY)
    body = (str(command["repeat"]) * times)[:MAX_REPLY]
    return str(command.get("before", "")) + body + str(command.get("after", ""))


def build_graph():
    graph = StateGraph(dict)

    def respond(state):
        return {"reply": reply_for(str(state.get("message", "")))}

    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph
