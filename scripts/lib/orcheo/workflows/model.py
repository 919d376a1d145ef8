"""Model: answers with the model Orcheo chose for the turn (`inputs.model`), so a test can see
server-side which `inference_options.model` arrived."""
from langgraph.graph import END, START, StateGraph


def build_graph():
    graph = StateGraph(dict)

    def respond(state):
        return {"reply": f"Model: {state.get('model')}. You said: {state.get('message', '')}"}

    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph
