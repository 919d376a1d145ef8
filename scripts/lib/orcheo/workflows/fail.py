"""Fail: every run raises, so the turn ends in a ChatKit `error` event (stream.error, retryable)."""
from langgraph.graph import END, START, StateGraph


def build_graph():
    graph = StateGraph(dict)

    def explode(state):
        raise RuntimeError("this workflow fails on purpose")

    graph.add_node("explode", explode)
    graph.add_edge(START, "explode")
    graph.add_edge("explode", END)
    return graph
