"""Widget gallery: every ChatKit component with every value of every prop that changes what a
person sees, as widget items, for examples/widgets.html and the screenshot tests.

  "gallery"           every page of the gallery, one widget each
  "gallery <page>"    one page (layout, surfaces, text, badges, buttons, icons, images, fields, lists,
                      chart, table, cards, themes)
  "samples"           real widgets written by others: OpenAI's ChatKit samples and Orcheo's
                      two templates (provisioned into SAMPLES below)
  "sample <name>"     one of them

Orcheo turns each tool message of the final state into a widget item (roots must be Card or
ListView). The ChatKit test server (tests/servers/chatkit_server.py) imports this file too.
"""
import json
import uuid

from langgraph.graph import END, START, StateGraph

# Replaced with {name: widget JSON} when the workflow is provisioned (scripts/lib/orcheo/provision.py).
SAMPLES = {}  # provisioned

# A 48×48 PNG (a blue-to-violet gradient): images that load without a network.
PICTURE = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAABkklEQVR42s3OCyuDURwH4H9EREREIiIiIhEREZEIm7vZXDbXjV1s"
    "drcrEZF82fOe91w4H+P3fIKHKl7/Kl90VVlXl3VNSdeWdF1R1xd0Q0E35nVTXjfndEtOtT6rtqxqz6qOjOrMqK606k6rnpTqTaq+"
    "pOpPqIGEHIzLobgcfpIjMTkak2NROR6VE49y8lFOReR0WM6ExWxIzIXEfFAsBMXig1i6F8v3YiUgVgNizS/W/YKgNht3NkFtNm9t"
    "gtpsmRDUxnFjE9TGaUJQm91rm6A2e1c2QW0OTAhqc3hpE9Tm2ISgNi6fTVAbt48T1Mbj5QS1ObvgBLU5NyGojfecE9Tm0oSgNldn"
    "nKA2NyYEtbk95QS18Xs4QW0CJgS1eXBzgtoE3RZBbcInFkFtIiYEtYm6LILaxI4tgtrETQhqkziyCGqTMiGoTebQIqhN1oSgNrkD"
    "i6A2+X2LoDbFfUZQm9IeI6jNiwlBbV53GUFt3kwIavO+wwhq8+FkBLX5NCGozZeDEdTm24SgNj/bjKA2v9vsHyaRGq2ssBLKAAAA"
    "AElFTkSuQmCC"
)
COLORS = ["primary", "secondary", "info", "discovery", "success", "caution", "warning", "danger"]
BADGE_COLORS = ["secondary", "success", "danger", "warning", "info", "discovery"]
ICONS = [
    "agent", "analytics", "atom", "batch", "bolt", "book-open", "book-closed", "book-clock", "bug", "calendar", "chart",
    "check", "check-circle", "check-circle-filled", "chevron-left", "chevron-right", "circle-question", "clock", "compass",
    "confetti", "cube", "desktop", "document", "dot", "dots-horizontal", "dots-vertical", "empty-circle", "external-link",
    "globe", "keys", "lab", "images", "info", "lifesaver", "lightbulb", "mail", "map-pin", "maps", "mobile", "name",
    "notebook", "notebook-pencil", "page-blank", "phone", "play", "plus", "profile", "profile-card", "reload", "star",
    "star-filled", "search", "sparkle", "sparkle-double", "square-code", "square-image", "square-text", "suitcase",
    "settings-slider", "user", "wreath", "write", "write-alt", "write-alt2",
]


def card(title, *children, **props):
    return {"type": "Card", "children": [{"type": "Title", "value": title, "size": "sm"}, *children], **props}


def row(*children, **props):
    return {"type": "Row", "children": list(children), **props}


def col(*children, **props):
    return {"type": "Col", "children": list(children), **props}


def text(value, **props):
    return {"type": "Text", "value": value, **props}


def caption(value, **props):
    return {"type": "Caption", "value": value, **props}


def swatch(label, **props):
    return {"type": "Box", "padding": 2, "radius": "md", "border": 1, "children": [caption(label)], **props}


def layout():
    return card(
        "Layout: rows, alignment, wrapping",
        caption("Row gap 0 to 4, then a Spacer pushing the last box to the end"),
        *[row(*[swatch(str(n)) for n in range(3)], gap=gap) for gap in range(5)],
        row(swatch("start"), {"type": "Spacer"}, swatch("end")),
        caption("align (a row 64 px high): start, center, end, stretch, baseline"),
        row(*[swatch(a, height=None if a == "stretch" else 36) for a in ["start", "center", "end", "stretch", "baseline"]], align="start", height=64),
        *[row(swatch(a), align=a, height=56, border=1, radius="sm", padding=1) for a in ["center", "end"]],
        caption("justify: start, center, end, between, around, evenly"),
        *[row(swatch("a"), swatch("b"), justify=j, border={"size": 1, "style": "dashed"}, radius="sm", padding=1)
          for j in ["start", "center", "end", "between", "around", "evenly"]],
        caption("wrap, and a Box laid out as a row with padding {x: 4, y: 2}"),
        row(*[swatch(f"item {n}") for n in range(8)], wrap="wrap", gap=2),
        {"type": "Box", "direction": "row", "gap": 2, "padding": {"x": 4, "y": 2}, "background": "surface-secondary", "radius": "lg",
         "children": [text("Box row"), {"type": "Spacer", "minSize": 24}, text("end")]},
    )


def surfaces():
    return card(
        "Layout: surfaces, borders, sizes",
        caption("Backgrounds: surface, surface-secondary, surface-tertiary, a palette colour, {light, dark}, a gradient"),
        row(*[swatch(b, background=b) for b in ["surface", "surface-secondary", "surface-tertiary", "blue-100"]],
            swatch("themed", background={"light": "yellow-50", "dark": "yellow-900"}),
            swatch("gradient", background="linear-gradient(135deg, #fff6d9 0%, #ceb0fb 100%)"), wrap="wrap", gap=2),
        caption("Borders: 1, 2 and 4 px, dashed, dotted, double, per side; colours default, subtle, strong, red-400"),
        row(swatch("1", border=1), swatch("2 dashed", border={"size": 2, "style": "dashed"}),
            swatch("dotted", border={"size": 2, "style": "dotted", "color": "strong"}),
            swatch("double", border={"size": 4, "style": "double", "color": "red-400"}),
            swatch("left", border={"left": {"size": 4, "color": "blue-400"}, "y": {"size": 1, "color": "subtle"}}), wrap="wrap", gap=2),
        caption("Radius: none, 2xs, xs, sm, md, lg, xl, 2xl, 3xl, 4xl, full"),
        row(*[swatch(r, radius=r, background="surface-secondary", border=0) for r in
              ["none", "2xs", "xs", "sm", "md", "lg", "xl", "2xl", "3xl", "4xl", "full"]], wrap="wrap", gap=1),
        caption("Sizes: width 120, height 48, size 40, min/max width, aspect ratio 2, margin 2, flex 1"),
        row(swatch("w 120", width=120), swatch("h 48", height=48), swatch("40", size=40),
            swatch("max 80", maxWidth=80), swatch("2:1", width=80, aspectRatio=2), swatch("m 2", margin=2), swatch("flex 1", flex=1), gap=2, wrap="wrap"),
        caption("Divider: default, 2 px strong, red, spacing 4, flush"),
        {"type": "Divider"}, {"type": "Divider", "size": 2, "color": "strong"}, {"type": "Divider", "color": "red-400", "spacing": 4},
        {"type": "Divider", "flush": True},
        {"type": "Transition", "children": text("Transition: this text fades in when it changes")},
    )


def typography():
    sizes = ["xs", "sm", "md", "lg", "xl"]
    return card(
        "Text",
        *[text(f"Text {s}", size=s) for s in sizes],
        row(*[text(w, weight=w) for w in ["normal", "medium", "semibold", "bold"]], gap=3, wrap="wrap"),
        row(*[text(c, color=c) for c in ["prose", "primary", "emphasis", "secondary", "tertiary", "success", "warning", "danger"]], gap=3, wrap="wrap"),
        row(text("blue-500", color="blue-500"), text("{light, dark}", color={"light": "#7e22ce", "dark": "#f0abfc"}), text("alpha-70", color="alpha-70"), gap=3),
        row(text("italic", italic=True), text("line through", lineThrough=True), gap=3),
        text("start", textAlign="start"), text("center", textAlign="center"), text("end", textAlign="end"),
        text("Truncated: a line that is far too long to fit in the panel is cut with an ellipsis at its end", truncate=True),
        text("Two lines at most: " + "this text goes on and on so that the clamp after two lines shows. " * 3, maxLines=2),
        text("Three lines reserved", minLines=3, width=200, size="sm"),
        text("A number, not a string:", size="sm"), {"type": "Text", "value": 3.5},
        *[{"type": "Title", "value": f"Title {s}", "size": s} for s in ["xs", "sm", "md", "lg", "xl", "2xl", "3xl"]],
        row(*[caption(f"Caption {s}", size=s) for s in ["sm", "md", "lg"]], gap=3),
        {"type": "Label", "value": "Label for the field below", "fieldName": "gallery.note"},
        {"type": "Input", "name": "gallery.note", "placeholder": "Labelled field"},
        {"type": "Markdown", "value": "**Markdown** with _emphasis_, `code` and a [link](https://example.com).\n\n- one\n- two"},
        text("Editable text (click to edit)", editable={"name": "gallery.title", "placeholder": "A title"}),
    )


def badges():
    return card(
        "Badges",
        *[row(*[{"type": "Badge", "label": c, "color": c, "variant": v} for c in BADGE_COLORS], gap=2, wrap="wrap")
          for v in ["soft", "solid", "outline"]],
        row(*[{"type": "Badge", "label": f"size {s}", "size": s} for s in ["sm", "md", "lg"]],
            {"type": "Badge", "label": "pill", "pill": True, "color": "info"}, gap=2, wrap="wrap"),
    )


def buttons():
    action = {"type": "gallery.press"}
    return card(
        "Buttons",
        *[row(*[{"type": "Button", "label": c, "color": c, "variant": v, "onClickAction": action} for c in COLORS], gap=2, wrap="wrap")
          for v in ["solid", "soft", "outline", "ghost"]],
        row(*[{"type": "Button", "label": s, "size": s, "onClickAction": action} for s in ["3xs", "2xs", "xs", "sm", "md", "lg", "xl", "2xl", "3xl"]],
            gap=2, wrap="wrap", align="center"),
        row({"type": "Button", "label": "Not a pill", "pill": False, "onClickAction": action},
            {"type": "Button", "label": "Style primary", "style": "primary", "onClickAction": action},
            {"type": "Button", "label": "Style secondary", "style": "secondary", "onClickAction": action}, gap=2, wrap="wrap"),
        row({"type": "Button", "label": "Icon start", "iconStart": "sparkle", "onClickAction": action},
            {"type": "Button", "label": "Icon end", "iconEnd": "chevron-right", "variant": "outline", "color": "secondary", "onClickAction": action},
            {"type": "Button", "iconStart": "plus", "uniform": True, "onClickAction": action},
            {"type": "Button", "iconStart": "search", "uniform": True, "variant": "soft", "color": "secondary", "iconSize": "lg", "onClickAction": action},
            gap=2, wrap="wrap", align="center"),
        {"type": "Button", "label": "Block", "block": True, "onClickAction": action},
        {"type": "Button", "label": "Disabled", "disabled": True, "onClickAction": action},
    )


def icons():
    return card(
        "Icons",
        row(*[col({"type": "Icon", "name": name, "size": "lg"}, caption(name, size="sm"), align="center", gap=1, width=76) for name in ICONS],
            wrap="wrap", gap=2),
        row(*[{"type": "Icon", "name": "star-filled", "size": s, "color": "warning"} for s in ["xs", "sm", "md", "lg", "xl", "2xl", "3xl"]],
            gap=2, align="end"),
        row(*[{"type": "Icon", "name": "check-circle-filled", "color": c, "size": "xl"} for c in ["primary", "secondary", "success", "danger", "blue-500"]], gap=2),
    )


def images():
    image = {"type": "Image", "src": PICTURE, "alt": "A gradient"}
    return card(
        "Images",
        row(*[col({**image, "size": 64, "fit": f, "height": 40}, caption(f, size="sm"), gap=1) for f in ["cover", "contain", "fill", "scale-down", "none"]], gap=2, wrap="wrap"),
        row(*[{**image, "size": 48, "radius": r} for r in ["none", "sm", "lg", "full"]], {**image, "size": 48, "frame": True}, gap=2, align="center"),
        row(*[{**image, "width": 72, "height": 40, "position": p} for p in ["top left", "center", "bottom right"]], gap=2),
        {**image, "flush": True, "height": 60},
        {**image, "aspectRatio": 4, "width": "100%"},
        {"type": "Image", "src": "http://insecure.example/not-https.png", "alt": "An http image (refused: shown as its description)"},
    )


def fields():
    options = [{"label": "Small", "value": "s"}, {"label": "Medium", "value": "m", "description": "The usual"},
               {"label": "Large (sold out)", "value": "l", "disabled": True}]
    return card(
        "Fields",
        *[{"type": "Input", "name": f"input.{t}", "inputType": t, "placeholder": f"inputType {t}"} for t in ["text", "email", "number", "password", "tel", "url"]],
        row({"type": "Input", "name": "input.soft", "variant": "soft", "placeholder": "soft"},
            {"type": "Input", "name": "input.pill", "pill": True, "placeholder": "pill"}, gap=2),
        row(*[{"type": "Input", "name": f"input.size.{s}", "size": s, "placeholder": s} for s in ["xs", "md", "xl"]], gap=2, align="center"),
        {"type": "Input", "name": "input.required", "required": True, "pattern": "[A-Z]{3}", "placeholder": "Three capitals (required)"},
        {"type": "Input", "name": "input.disabled", "disabled": True, "defaultValue": "Disabled, with a value"},
        {"type": "Textarea", "name": "textarea.rows", "rows": 2, "placeholder": "Two rows"},
        {"type": "Textarea", "name": "textarea.grow", "autoResize": True, "maxRows": 5, "rows": 1, "placeholder": "Grows as you type", "variant": "soft"},
        {"type": "Select", "name": "select", "placeholder": "Pick a size", "options": options},
        {"type": "Select", "name": "select.default", "defaultValue": "m", "options": options, "variant": "soft", "pill": True, "block": False},
        {"type": "DatePicker", "name": "date", "defaultValue": "2025-05-01T00:00:00", "min": "2025-01-01T00:00:00", "max": "2025-12-31T00:00:00"},
        {"type": "Checkbox", "name": "check.on", "label": "Checked", "defaultChecked": True},
        {"type": "Checkbox", "name": "check.off", "label": "Not checked"},
        {"type": "Checkbox", "name": "check.disabled", "label": "Disabled", "disabled": True},
        {"type": "RadioGroup", "name": "radio.col", "ariaLabel": "A column of choices", "defaultValue": "m", "options": options},
        {"type": "RadioGroup", "name": "radio.row", "direction": "row", "options": options[:2]},
        {"type": "Form", "onSubmitAction": {"type": "gallery.form"}, "direction": "row", "gap": 2, "children": [
            {"type": "Input", "name": "form.code", "placeholder": "A code"},
            {"type": "Button", "label": "Redeem", "submit": True},
        ]},
    )


def lists():
    def item(title, detail, icon, action=True):
        return {"type": "ListViewItem", "gap": 3, **({"onClickAction": {"type": "gallery.open", "payload": {"id": title}}} if action else {}),
                "children": [{"type": "Icon", "name": icon, "size": "lg", "color": "secondary"},
                             col(text(title, weight="medium"), caption(detail), gap=0),
                             {"type": "Spacer"}, {"type": "Icon", "name": "chevron-right", "color": "tertiary"}]}
    return {
        "type": "ListView", "limit": 3, "status": {"text": "From the help centre", "icon": "book-open"},
        "children": [item("Getting started", "Five minutes", "play"), item("Billing", "Plans and invoices", "suitcase"),
                     item("Privacy", "What is stored", "keys"), item("Shortcuts", "Keyboard", "desktop"),
                     item("Not clickable", "No action", "info", action=False)],
    }


def chart():
    data = [{"month": m, "visits": v, "signups": s, "trials": t} for m, v, s, t in
            [("Jan", 120, 24, 10), ("Feb", 180, 30, 14), ("Mar", 150, 41, 18), ("Apr", 220, 38, 25), ("May", 260, 52, 31), ("Jun", 240, 61, 28)]]
    return card(
        "Chart",
        {"type": "Chart", "data": data, "xAxis": "month", "showYAxis": True, "height": 180,
         "series": [{"type": "bar", "label": "Signups", "dataKey": "signups", "stack": "a", "color": "blue"},
                    {"type": "bar", "label": "Trials", "dataKey": "trials", "stack": "a", "color": "purple"}]},
        {"type": "Chart", "data": data, "xAxis": {"dataKey": "month", "labels": {"Jan": "January"}}, "height": 160,
         "series": [{"type": "area", "label": "Visits", "dataKey": "visits", "curveType": "monotone", "color": "green"},
                    {"type": "line", "label": "Signups", "dataKey": "signups", "curveType": "step", "color": "orange"}]},
        {"type": "Chart", "data": data, "xAxis": {"dataKey": "month", "hide": True}, "showLegend": False, "barGap": 2, "barCategoryGap": 12, "height": 100,
         "series": [{"type": "bar", "label": "Visits", "dataKey": "visits", "color": {"light": "#0d0d0d", "dark": "#f3f3f3"}},
                    {"type": "bar", "label": "Signups", "dataKey": "signups", "color": "pink"}]},
    )


def table():
    cell = lambda *children, **props: {"type": "Table.Cell", "children": list(children), **props}  # noqa: E731
    return card(
        "Table",
        {"type": "Table", "children": [
            {"type": "Table.Row", "header": True, "children": [cell(text("Plan")), cell(text("Seats"), align="end", colSize="sm"), cell(text("Price"), align="end")]},
            {"type": "Table.Row", "children": [cell(text("Free")), cell(text("1"), align="end"), cell(text("$0"), align="end")]},
            {"type": "Table.Row", "children": [cell(text("Team"), vAlign="center"), cell(text("10"), align="end"),
                                               cell(text("$99"), caption("per month"), align="end")]},
            {"type": "Table.Row", "children": [cell(caption("Enterprise plans are priced on request."), colSpan=3)]},
        ]},
    )


def cards():
    confirm = {"label": "Confirm", "action": {"type": "gallery.confirm"}}
    cancel = {"label": "Cancel", "action": {"type": "gallery.cancel"}}
    return [
        card("Card size sm, status and buttons", text("A small card."), size="sm", status={"text": "Saved a minute ago", "icon": "check-circle"},
             confirm=confirm, cancel=cancel),
        card("Card size lg, padding 6, a background", text("Roomy."), size="lg", padding=6, background="surface-secondary"),
        card("Card size full, a favicon status", text("Edge to edge."), size="full", status={"text": "example.com", "favicon": PICTURE, "frame": True}),
        card("Collapsed card", text("Its body folds away once its main action has run."), collapsed=True,
             status={"text": "Booked", "icon": "calendar"}, confirm=confirm),
        card("A form card", {"type": "Input", "name": "email", "inputType": "email", "placeholder": "E-mail", "required": True},
             asForm=True, confirm={"label": "Subscribe", "action": {"type": "gallery.subscribe"}}),
    ]


def themes():
    inside = [text("Forced theme"), caption("Whatever the page's"), {"type": "Badge", "label": "badge", "color": "success"},
              {"type": "Button", "label": "Button", "onClickAction": {"type": "gallery.press"}}]
    return [
        card("Card theme dark", *inside, theme="dark"),
        card("Card theme light", *inside, theme="light"),
    ]


PAGES = {
    "layout": layout, "surfaces": surfaces, "text": typography, "badges": badges, "buttons": buttons, "icons": icons, "images": images,
    "fields": fields, "lists": lists, "chart": chart, "table": table, "cards": cards, "themes": themes,
}


def widgets_for(message):
    """The widgets a message asks for."""
    words = message.lower().split()
    if not words:
        return []
    if words[0] == "gallery":
        names = [words[1]] if len(words) > 1 and words[1] in PAGES else list(PAGES)
        found = []
        for name in names:
            made = PAGES[name]()
            found.extend(made if isinstance(made, list) else [made])
        return found
    if words[0] == "samples":
        return list(SAMPLES.values())
    if words[0] == "sample" and len(words) > 1 and words[1] in SAMPLES:
        return [SAMPLES[words[1]]]
    return []


def tool_message(widget):
    # A fresh tool_call_id every time: Orcheo silently drops ids it has hydrated before.
    return {"type": "tool", "tool_call_id": "widget_" + uuid.uuid4().hex, "content": json.dumps(widget)}


def build_graph():
    graph = StateGraph(dict)

    def respond(state):
        action = state.get("action") if isinstance(state.get("action"), dict) else {}
        if action.get("type"):
            payload = json.dumps(action.get("payload") or {}, sort_keys=True)
            return {"reply": "The widget sent " + str(action.get("type")) + " " + payload + "."}
        found = widgets_for(str(state.get("message") or ""))
        if not found:
            return {"reply": "Ask for \"gallery\", \"gallery <page>\" (" + ", ".join(PAGES) + "), \"samples\" or \"sample <name>\"."}
        return {"reply": str(len(found)) + " widgets.", "messages": [tool_message(widget) for widget in found]}

    graph.add_node("respond", respond)
    graph.add_edge(START, "respond")
    graph.add_edge("respond", END)
    return graph
