"""Long: a reply of about 60 KB of markdown (sections, paragraphs, code), for size and
rendering benchmarks."""
from langgraph.graph import END, START, StateGraph

WORDS = "orcheo widget stream render scroll markdown paragraph latency buffer frame thread reply".split()


def section(n):
    words = [WORDS[(n * 5 + i * 3) % len(WORDS)] for i in range(60)]
    paragraph = " ".join(words).capitalize() + "."
    code = "```python\ndef section_%d(items):\n    return sum(i for i in items if i %% 2 == 0)\n```" % n
    return "## Section %d\n\n%s\n\n%s\n\n- point %d.1\n- point %d.2\n" % (n, paragraph, code, n, n)


def build_graph():
    graph = StateGraph(dict)

    def respond(state):
        parts = []
        n = 0
        while sum(len(p) for p in parts) < 60000:
            n += 1
            parts.append(section(n))
        return {"reply": "\n".join(parts) + "\nYou said: " + str(state.get("message", ""))}

    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph
