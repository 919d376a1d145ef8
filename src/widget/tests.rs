use serde_json::{json, Value};

use super::action::{Loading, Site};
use super::*;

/// The `outputJsonPreview` of one of Orcheo's shipped `.widget` templates (its own render of
/// the template's sample data).
fn orcheo_template(file: &str) -> Value {
    let text = match file {
        "multi" => include_str!("../../tests/fixtures/widgets/multi-choice-selector.widget"),
        _ => include_str!("../../tests/fixtures/widgets/single-choice-list.widget"),
    };
    serde_json::from_str::<Value>(text).unwrap()["outputJsonPreview"].clone()
}

fn css<'a>(node: &'a Node, property: &str) -> Option<&'a str> {
    node.style.iter().rev().find(|(name, _)| *name == property).map(|(_, paint)| paint.pick(false))
}

fn data<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.data.iter().find(|(name, _)| *name == key).map(|(_, value)| value.as_str())
}

#[test]
fn orcheos_multi_choice_selector_keeps_its_layout_and_actions() {
    let widget = parse(&orcheo_template("multi"));
    assert!(widget.unknown.is_empty(), "{:?}", widget.unknown);
    let card = &widget.root;
    let Kind::Card(parts) = &card.kind else { panic!("a card") };
    assert!(parts.form);
    let confirm = parts.confirm.as_ref().unwrap();
    assert_eq!(confirm.label, "Submit");
    assert_eq!(confirm.action.kind, "submit");
    assert_eq!(confirm.action.loading(Site::Submit), Loading::Widget);
    assert_eq!(data(card, "size"), Some("md"));
    // Col gap 2: two spacing units.
    let col = &card.children[0];
    assert_eq!(css(col, "flex-direction"), Some("column"));
    assert_eq!(css(col, "gap"), Some("8px"));
    let title = &col.children[0];
    assert_eq!((title.class, css(title, "font-size")), ("w-title", Some("16px")));
    // A row whose spacer pushes the counter to the end, the counter in the emphasis colour.
    let row = &col.children[1];
    assert_eq!(css(row, "flex-direction"), Some("row"));
    assert_eq!(row.children[1].kind, Kind::Spacer);
    let counter = &row.children[2];
    assert_eq!(counter.kind, Kind::Text { value: "2/3 selected".into(), editable: None });
    assert_eq!(css(counter, "color"), Some("var(--w-text)"));
    assert_eq!(css(&row.children[0], "color"), None, "a plain caption keeps the caption colour");
    assert_eq!(card.children[1].kind, Kind::Divider);
    assert_eq!(data(&card.children[1], "flush"), Some(""));
    let list = &card.children[2];
    assert_eq!(list.kind, Kind::ListView { limit: Some(30), status: None });
    let item = &list.children[0];
    assert_eq!(item.key.as_deref(), Some("opt1"));
    assert_eq!(css(item, "align-items"), Some("center"));
    let Kind::Checkbox { field, label, checked, action } = &item.children[0].kind else {
        panic!("a checkbox")
    };
    assert_eq!(
        (field.name.as_str(), label.as_str(), *checked, field.disabled),
        ("choices.opt1", "Option 1", true, false)
    );
    let toggle = action.as_ref().unwrap();
    assert_eq!(toggle.kind, "choices.toggle");
    assert_eq!(toggle.payload, json!({"id": "opt1"}));
}

#[test]
fn orcheos_single_choice_list_keeps_its_options() {
    let widget = parse(&orcheo_template("single"));
    assert!(widget.unknown.is_empty(), "{:?}", widget.unknown);
    let group = &widget.root.children[0].children[1];
    let Kind::RadioGroup { field, options, label, action } = &group.kind else { panic!("a radio group") };
    assert_eq!((field.name.as_str(), field.default.as_str(), field.required), ("choice", "A", true));
    assert_eq!(label, "choice");
    assert_eq!(options.len(), 4);
    assert!(options[3].disabled && !options[0].disabled);
    assert_eq!(action, &None);
}

#[test]
fn layout_props_become_css() {
    let widget = parse(&json!({"type": "Card", "children": [{
        "type": "Box", "direction": "row", "gap": "12px", "padding": {"x": 4, "y": 2}, "align": "end",
        "justify": "between", "wrap": "wrap", "flex": 1, "background": "surface-secondary",
        "border": {"size": 2, "color": "strong", "style": "dashed"}, "radius": "xl",
        "width": 200, "minHeight": "4rem", "aspectRatio": 1.5, "margin": 1,
        "children": []
    }]}));
    let boxed = &widget.root.children[0];
    for (property, value) in [
        ("flex-direction", "row"),
        ("gap", "12px"),
        ("padding-left", "16px"),
        ("padding-top", "8px"),
        ("align-items", "flex-end"),
        ("justify-content", "space-between"),
        ("flex-wrap", "wrap"),
        ("flex", "1"),
        ("background", "var(--w-surface-2)"),
        ("border-top-width", "2px"),
        ("border-top-color", "var(--w-border-strong)"),
        ("border-top-style", "dashed"),
        ("border-radius", "12px"),
        ("width", "200px"),
        ("min-height", "4rem"),
        ("aspect-ratio", "1.5"),
        ("margin-bottom", "4px"),
    ] {
        assert_eq!(css(boxed, property), Some(value), "{property}");
    }
}

#[test]
fn text_props_become_css_and_numbers_print() {
    let widget = parse(&json!({"type": "Card", "children": [
        {"type": "Text", "value": 3.5, "size": "sm", "weight": "semibold", "italic": true, "lineThrough": true,
         "textAlign": "center", "truncate": true, "maxLines": 2, "minLines": 3, "color": {"light": "#111", "dark": "#eee"}},
        {"type": "Title", "value": "Big", "size": "3xl"},
        {"type": "Caption", "value": 12, "size": "lg", "color": "danger"},
        {"type": "Label", "value": "E-mail", "fieldName": "email"}
    ]}));
    let text = &widget.root.children[0];
    assert_eq!(text.kind, Kind::Text { value: "3.5".into(), editable: None });
    assert_eq!(css(text, "font-size"), Some("14px"));
    assert_eq!(css(text, "font-weight"), Some("600"));
    assert_eq!(css(text, "font-style"), Some("italic"));
    assert_eq!(css(text, "text-decoration"), Some("line-through"));
    assert_eq!(css(text, "text-align"), Some("center"));
    assert_eq!(css(text, "text-overflow"), Some("ellipsis"));
    assert_eq!(css(text, "-webkit-line-clamp"), Some("2"));
    assert_eq!(css(text, "min-height"), Some("60px"));
    let paint = text.style.iter().find(|(name, _)| *name == "color").map(|(_, paint)| paint.clone());
    assert_eq!(paint, Some(Paint::Scheme { light: "#111".into(), dark: "#eee".into() }));
    assert_eq!(css(&widget.root.children[1], "font-size"), Some("32px"));
    let caption = &widget.root.children[2];
    assert_eq!((caption.class, css(caption, "color")), ("w-caption", Some("var(--w-danger)")));
    assert_eq!(caption.kind, Kind::Text { value: "12".into(), editable: None });
    assert_eq!(widget.root.children[3].kind, Kind::Label { value: "E-mail".into(), field: "email".into() });
}

#[test]
fn a_transition_keeps_its_one_child() {
    let widget = parse(&json!({"type": "Card", "children": [
        {"type": "Transition", "children": {"type": "Text", "value": "inside"}}
    ]}));
    let transition = &widget.root.children[0];
    assert_eq!(transition.kind, Kind::Transition);
    assert_eq!(transition.children[0].kind, Kind::Text { value: "inside".into(), editable: None });
}

#[test]
fn buttons_take_chatkits_defaults_and_their_styles() {
    let widget = parse(&json!({"type": "Card", "children": [
        {"type": "Button", "label": "Go", "onClickAction": {"type": "go"}},
        {"type": "Button", "label": "Later", "style": "secondary", "pill": false, "size": "lg", "block": true},
        {"type": "Button", "iconStart": "plus", "color": "danger", "variant": "ghost", "disabled": true, "iconSize": "lg"},
        {"type": "Button", "label": "x", "iconEnd": "not-an-icon", "submit": true}
    ]}));
    let go = &widget.root.children[0];
    assert_eq!((data(go, "color"), data(go, "variant")), (Some("primary"), Some("solid")));
    assert_eq!(css(go, "min-height"), Some("32px"));
    assert_eq!(css(go, "border-radius"), None, "pill by default (the stylesheet's)");
    let later = &widget.root.children[1];
    assert_eq!((data(later, "color"), data(later, "variant")), (Some("secondary"), Some("outline")));
    assert_eq!(
        (css(later, "border-radius"), data(later, "block"), css(later, "min-height")),
        (Some("8px"), Some(""), Some("36px"))
    );
    let Kind::Button(icon_only) = &widget.root.children[2].kind else { panic!() };
    assert_eq!(
        (icon_only.icon_start, icon_only.disabled, icon_only.icon_px, icon_only.action.is_none()),
        (Some("plus"), true, 18, true)
    );
    assert_eq!(css(&widget.root.children[2], "min-width"), Some("32px"), "an icon-only button is square");
    let Kind::Button(submit) = &widget.root.children[3].kind else { panic!() };
    assert_eq!((submit.icon_end, submit.submit), (None, true));
}

#[test]
fn fields_read_their_types_rules_and_defaults() {
    let widget = parse(&json!({"type": "Card", "children": [
        {"type": "Input", "name": "email", "inputType": "email", "required": true, "pattern": "[a-z]+@.+", "defaultValue": "a@b.c", "disabled": true, "variant": "soft", "size": "sm", "pill": true},
        {"type": "Input", "name": "bad", "inputType": "file"},
        {"type": "Textarea", "name": "note", "rows": 5, "autoResize": true},
        {"type": "DatePicker", "name": "when", "defaultValue": "2025-03-04T00:00:00", "min": "2025-01-01T00:00:00Z", "max": "nope"},
        {"type": "Select", "name": "size", "placeholder": "Pick", "options": [{"value": "s", "label": "Small", "disabled": true, "description": "tiny"}, {"value": 2}], "onChangeAction": {"type": "resize"}}
    ]}));
    let Kind::Input { field, input_type } = &widget.root.children[0].kind else { panic!() };
    assert_eq!(*input_type, "email");
    assert_eq!(
        (field.required, field.pattern.as_deref(), field.default.as_str(), field.disabled),
        (true, Some("[a-z]+@.+"), "a@b.c", true)
    );
    let input = &widget.root.children[0];
    assert_eq!(
        (data(input, "variant"), css(input, "min-height"), css(input, "border-radius")),
        (Some("soft"), Some("28px"), Some("9999px"))
    );
    assert!(matches!(widget.root.children[1].kind, Kind::Input { input_type: "text", .. }));
    assert!(matches!(widget.root.children[2].kind, Kind::Textarea { rows: 5, max_rows: Some(10), .. }));
    let Kind::DatePicker { field, min, max, .. } = &widget.root.children[3].kind else { panic!() };
    assert_eq!(
        (field.default.as_str(), min.as_deref(), max.as_deref()),
        ("2025-03-04", Some("2025-01-01"), None)
    );
    let Kind::Select { options, action, field } = &widget.root.children[4].kind else { panic!() };
    assert_eq!(field.placeholder, "Pick");
    assert_eq!(
        (options[0].label.as_str(), options[0].disabled, options[0].description.as_deref()),
        ("Small", true, Some("tiny"))
    );
    assert_eq!((options[1].value.as_str(), options[1].label.as_str()), ("2", "2"));
    assert_eq!(action.as_ref().map(|a| a.kind.as_str()), Some("resize"));
}

#[test]
fn cards_lists_and_items_keep_their_parts() {
    let widget = parse(&json!({"type": "Card", "size": "sm", "theme": "dark", "collapsed": true,
        "status": {"text": "Saved", "icon": "check-circle"},
        "confirm": {"label": "Yes", "action": {"type": "yes"}}, "cancel": {"label": "No", "action": {"type": "no"}},
        "children": [{"type": "ListView", "limit": 2, "status": {"text": "From the web", "favicon": "https://example.com/f.ico", "frame": true},
            "children": [{"type": "ListViewItem", "onClickAction": {"type": "open", "payload": {"id": 1}}, "gap": 3, "children": [{"type": "Text", "value": "a"}]}]}]}));
    let Kind::Card(card) = &widget.root.kind else { panic!() };
    assert!(card.collapsed && !card.form);
    assert_eq!(
        card.status,
        Some(Status { text: "Saved".into(), icon: Some("check-circle"), favicon: None, frame: false })
    );
    assert_eq!(
        (card.confirm.as_ref().unwrap().label.as_str(), card.cancel.as_ref().unwrap().action.kind.as_str()),
        ("Yes", "no")
    );
    assert_eq!((data(&widget.root, "size"), data(&widget.root, "theme")), (Some("sm"), Some("dark")));
    let list = &widget.root.children[0];
    let Kind::ListView { limit, status } = &list.kind else { panic!() };
    assert_eq!(*limit, Some(2));
    assert_eq!(status.as_ref().and_then(|s| s.favicon.as_deref()), Some("https://example.com/f.ico"));
    let item = &list.children[0];
    assert_eq!(css(item, "gap"), Some("12px"));
    let Kind::ListViewItem { action } = &item.kind else { panic!() };
    assert_eq!(action.as_ref().unwrap().loading(Site::ListItem), Loading::Control);
}

#[test]
fn badges_icons_images_and_tables_read_their_tokens() {
    let widget = parse(&json!({"type": "Basic", "direction": "row", "children": [
        {"type": "Badge", "label": "New", "color": "success", "variant": "solid", "size": "lg", "pill": true},
        {"type": "Badge", "label": "Plain", "color": "mauve"},
        {"type": "Icon", "name": "map-pin", "size": "xl", "color": "secondary"},
        {"type": "Icon", "name": "lucide:sparkles"},
        {"type": "Image", "src": "https://example.com/a.png", "alt": "A", "fit": "contain", "position": "top left", "frame": true, "radius": "full", "size": 48},
        {"type": "Table", "children": [{"type": "Table.Row", "header": true, "children": [
            {"type": "Table.Cell", "colSpan": 2, "align": "end", "vAlign": "center", "colSize": "sm", "children": [{"type": "Text", "value": "h"}]}]}]}
    ]}));
    let row = &widget.root;
    assert_eq!(css(row, "flex-direction"), Some("row"));
    let badge = &row.children[0];
    assert_eq!(
        (data(badge, "color"), data(badge, "variant"), css(badge, "height"), css(badge, "border-radius")),
        (Some("success"), Some("solid"), Some("24px"), Some("9999px"))
    );
    assert_eq!(
        (data(&row.children[1], "color"), data(&row.children[1], "variant")),
        (Some("secondary"), Some("soft"))
    );
    let icon = &row.children[2];
    assert_eq!(
        (icon.kind.clone(), css(icon, "width"), css(icon, "color")),
        (Kind::Icon { name: Some("map-pin") }, Some("24px"), Some("var(--w-text-2)"))
    );
    assert_eq!(row.children[3].kind, Kind::Icon { name: Some("sparkle-double") });
    let image = &row.children[4];
    assert_eq!(
        (
            css(image, "object-fit"),
            css(image, "object-position"),
            css(image, "width"),
            css(image, "border-radius")
        ),
        (Some("contain"), Some("top left"), Some("48px"), Some("9999px"))
    );
    assert_eq!(data(image, "frame"), Some(""));
    let cell = &row.children[5].children[0].children[0];
    assert_eq!(row.children[5].children[0].kind, Kind::TableRow { header: true });
    assert_eq!(cell.kind, Kind::TableCell { col_span: 2, row_span: 1 });
    assert_eq!(
        (css(cell, "text-align"), css(cell, "vertical-align"), css(cell, "width")),
        (Some("end"), Some("middle"), Some("80px"))
    );
}

#[test]
fn every_chatkit_icon_name_is_drawn() {
    let names = [
        "agent",
        "analytics",
        "atom",
        "batch",
        "bolt",
        "book-open",
        "book-closed",
        "book-clock",
        "bug",
        "calendar",
        "chart",
        "check",
        "check-circle",
        "check-circle-filled",
        "chevron-left",
        "chevron-right",
        "circle-question",
        "clock",
        "compass",
        "confetti",
        "cube",
        "desktop",
        "document",
        "dot",
        "dots-horizontal",
        "dots-vertical",
        "empty-circle",
        "external-link",
        "globe",
        "keys",
        "lab",
        "images",
        "info",
        "lifesaver",
        "lightbulb",
        "mail",
        "map-pin",
        "maps",
        "mobile",
        "name",
        "notebook",
        "notebook-pencil",
        "page-blank",
        "phone",
        "play",
        "plus",
        "profile",
        "profile-card",
        "reload",
        "star",
        "star-filled",
        "search",
        "sparkle",
        "sparkle-double",
        "square-code",
        "square-image",
        "square-text",
        "suitcase",
        "settings-slider",
        "user",
        "wreath",
        "write",
        "write-alt",
        "write-alt2",
    ];
    for name in names {
        let found = icons::lookup(name).and_then(icons::glyph);
        let (stroke, fill) = found.unwrap_or_else(|| panic!("{name}"));
        assert!(stroke.starts_with('M') || stroke.starts_with("!M") || !fill.is_empty(), "{name}");
        let data = format!("{stroke}{fill}");
        assert!(
            data.bytes().all(|b| b.is_ascii_alphanumeric() || b" .,-!".contains(&b)),
            "{name}: only path data"
        );
    }
    assert_eq!(icons::lookup("vendor:acme"), None);
}

#[test]
fn unknown_components_show_their_children_and_unknown_props_are_listed_once() {
    let widget = parse(&json!({"type": "Card", "sparkle": 1, "children": [
        {"type": "Carousel", "children": [{"type": "Text", "value": "slide", "glow": true}]},
        {"type": "Carousel"},
        {"type": "Text", "value": "again", "glow": true}
    ]}));
    assert_eq!(widget.unknown, ["Text.glow", "Carousel", "Card.sparkle"]);
    let carousel = &widget.root.children[0];
    assert_eq!(carousel.kind, Kind::Unknown("Carousel".into()));
    assert_eq!(carousel.children[0].kind, Kind::Text { value: "slide".into(), editable: None });
}

#[test]
fn a_deep_or_huge_widget_stops_at_its_bounds() {
    let mut deep = json!({"type": "Text", "value": "bottom"});
    for _ in 0..200 {
        deep = json!({"type": "Box", "children": [deep]});
    }
    let widget = parse(&deep);
    let mut depth = 0;
    let mut node = &widget.root;
    while let Some(child) = node.children.first() {
        depth += 1;
        node = child;
    }
    assert_eq!(depth, MAX_DEPTH - 1);
    let many: Vec<Value> = (0..10_000).map(|n| json!({"type": "Text", "value": n})).collect();
    let widget = parse(&json!({"type": "Card", "children": many}));
    assert_eq!(widget.root.children.len(), MAX_NODES - 1);
    assert_eq!(parse(&json!("not a widget")).root.kind, Kind::Unknown(String::new()));
}

#[test]
fn the_plain_text_of_a_widget_reads_in_order() {
    // What the panel shows while the widget stage loads.
    let text = json_text(&orcheo_template("multi"));
    assert!(text.starts_with("Pick your options\nSelect up to 3\n2/3 selected\nOption 1"), "{text}");
}

#[test]
fn an_editable_text_is_a_field() {
    let widget = parse(&json!({"type": "Card", "children": [
        {"type": "Text", "value": "Buy milk", "editable": {"name": "todo.title", "placeholder": "Title", "required": true, "autoFocus": true}}
    ]}));
    let Kind::Text { value, editable: Some(field) } = &widget.root.children[0].kind else { panic!() };
    assert_eq!(
        (value.as_str(), field.name.as_str(), field.required, field.auto_focus),
        ("Buy milk", "todo.title", true, true)
    );
}

#[test]
fn the_json_text_of_a_widget_is_its_texts_in_order() {
    assert!(json_text(&orcheo_template("multi"))
        .starts_with("Pick your options\nSelect up to 3\n2/3 selected\nOption 1"));
    let mut deep = json!({"type": "Text", "value": "bottom"});
    for _ in 0..200 {
        deep = json!({"type": "Box", "children": [deep]});
    }
    assert_eq!(json_text(&deep), "", "bounded");
}

#[test]
fn real_widgets_by_others_use_no_prop_this_model_does_not_know() {
    let samples = [
        include_str!("../../tests/fixtures/widgets/multi-choice-selector.widget"),
        include_str!("../../tests/fixtures/widgets/single-choice-list.widget"),
        include_str!("../../tests/fixtures/widgets/samples/article_list.widget"),
        include_str!("../../tests/fixtures/widgets/samples/article_preview.widget"),
        include_str!("../../tests/fixtures/widgets/samples/author_preview.widget"),
        include_str!("../../tests/fixtures/widgets/samples/cat_name_suggestions.widget"),
        include_str!("../../tests/fixtures/widgets/samples/cat_profile.widget"),
        include_str!("../../tests/fixtures/widgets/samples/event_list.widget"),
        include_str!("../../tests/fixtures/widgets/samples/flight_options.widget"),
        include_str!("../../tests/fixtures/widgets/samples/line_select.widget"),
        include_str!("../../tests/fixtures/widgets/samples/meal_preferences.widget"),
    ];
    for text in samples {
        let file = serde_json::from_str::<Value>(text).unwrap();
        let widget = parse(&file["outputJsonPreview"]);
        // `of` is an artifact of Widget Builder's list loop in one sample, not a ChatKit prop.
        let unknown: Vec<_> = widget.unknown.iter().filter(|name| *name != "ListView.of").collect();
        assert!(unknown.is_empty(), "{}: {unknown:?}", file["name"]);
    }
}

#[test]
fn a_chart_reads_every_prop_it_is_given() {
    let widget =
        parse(&json!({"type": "Card", "children": [{"type": "Chart", "height": 200, "aspectRatio": 2,
        "data": [{"x": "a", "v": 1}], "xAxis": {"dataKey": "x"}, "series": [{"type": "bar", "dataKey": "v"}],
        "showYAxis": true, "showLegend": false, "showTooltip": false, "barGap": 2, "barCategoryGap": 8}]}));
    assert!(widget.unknown.is_empty(), "{:?}", widget.unknown);
}
