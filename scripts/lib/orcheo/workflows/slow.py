"""Slow: about eight seconds of work with a progress line per second, for Stop tests."""
import asyncio

from langgraph.graph import END, START, StateGraph

try:
    from orcheo.nodes.ai.tools.context import get_active_tool_progress_callback
except ImportError:
    def get_active_tool_progress_callback():
        return None

SECONDS = 8


def build_graph():
    graph = StateGraph(dict)

    async def wait(state):
        report = get_active_tool_progress_callback()
        for second in range(1, SECONDS + 1):
            await asyncio.sleep(1)
            if report is not None:
                await report({"node": "wait", "event": "node_status", "payload": {"message": f"Still working ({second}/{SECONDS} s)"}})
        return {"reply": f"Finished after {SECONDS} s. You said: {state.get('message', '')}"}

    graph.add_node("wait", wait)
    graph.add_edge(START, "wait")
    graph.add_edge("wait", END)
    return graph
