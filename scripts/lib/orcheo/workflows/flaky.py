"""Flaky: the first run of each thread fails; a retry (or the next message) succeeds.

The attempt counter lives in the LangGraph checkpoint, which Orcheo keys by the ChatKit
thread id. `count` commits its increment as its own step before `answer` may raise, so the
failed run still leaves the count behind for the retry to see.
"""
from operator import add
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict, total=False):
    message: str
    history: list
    attempts: Annotated[int, add]
    reply: str


def build_graph():
    graph = StateGraph(State)

    def count(state):
        return {"attempts": 1}

    def answer(state):
        if (state.get("attempts") or 0) < 2:
            raise RuntimeError("the first run of every thread fails on purpose")
        return {"reply": "It worked on attempt " + str(state.get("attempts")) + ". You said: " + str(state.get("message", ""))}

    graph.add_node("count", count)
    graph.add_node("answer", answer)
    graph.add_edge(START, "count")
    graph.add_edge("count", "answer")
    graph.add_edge("answer", END)
    return graph
