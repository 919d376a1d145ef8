"""Echo: answers every message with the text it received (no LLM, deterministic).

Orcheo hands the ChatKit turn to the graph as top-level state keys (`message`, `history`,
`thread_id`, ...) and takes the reply from the final state's `reply`.
"""
from langgraph.graph import END, START, StateGraph


def build_graph():
    graph = StateGraph(dict)

    def respond(state):
        message = state.get("message", "")
        turns = len(state.get("history") or [])
        return {"reply": f"Echo: {message} (turn {turns})"}

    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph
