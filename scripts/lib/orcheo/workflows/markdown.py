"""Markdown: a fixed reply that uses every construct the widget renders, and one link that
must not become a link (`javascript:`)."""
from langgraph.graph import END, START, StateGraph

REPLY = """## Release notes

Here is **bold**, *italic*, `inline code` and a [docs link](https://example.com/docs?a=1&b=2).
Write to [support](mailto:help@example.com), but [this one](javascript:alert(document.cookie)) must stay text.

1. First step
2. Second step with `code`

- A bullet
- Another **bullet**

> Quoted advice stays quoted.

| Plan | Price | Seats |
| :--- | ---: | :---: |
| Free | 0 | 1 |
| Team | 20 | 10 |

```python
def greet(name):
    return f"<b>Hello, {name}</b>"
```

You said: """


def build_graph():
    graph = StateGraph(dict)

    def respond(state):
        return {"reply": REPLY + str(state.get("message", ""))}

    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph
