"""Steps: three short stages that each report progress, then one reply.

Orcheo never streams reply text; progress arrives as `progress_update` events. Each stage
pushes a `node_status` event with a human sentence, which Orcheo renders as
"<node>: <sentence>".
"""
import asyncio

from langgraph.graph import END, START, StateGraph

try:
    from orcheo.nodes.ai.tools.context import get_active_tool_progress_callback
except ImportError:  # other orcheo layouts: no progress, same reply
    def get_active_tool_progress_callback():
        return None

STAGES = [("read", "Reading your question"), ("search", "Looking things up"), ("write", "Writing the answer")]


def stage(name, sentence):
    async def run(state):
        report = get_active_tool_progress_callback()
        if report is not None:
            await report({"node": name, "event": "node_status", "payload": {"message": sentence}})
        await asyncio.sleep(0.3)
        # A dict-state graph keeps only what a node returns, so carry the input along.
        return {**state, "done": list(state.get("done") or []) + [name]}

    return run


def build_graph():
    graph = StateGraph(dict)
    previous = START
    for name, sentence in STAGES:
        graph.add_node(name, stage(name, sentence))
        graph.add_edge(previous, name)
        previous = name

    def finish(state):
        return {"reply": "Done after " + ", ".join(state.get("done") or []) + ". You asked: " + str(state.get("message", ""))}

    graph.add_node("finish", finish)
    graph.add_edge(previous, "finish")
    graph.add_edge("finish", END)
    return graph
