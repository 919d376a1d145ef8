//! The other items a ChatKit server sends beyond text: generated images, questions for the
//! visitor (`structured_input`), the page's client tool calls, and tasks and workflows with
//! their icons and summaries.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::i18n::{fill, PanelText, WidgetText};
use crate::images::ImagePolicy;
use crate::json::object;
use crate::protocol::{Questions, Summary, TaskSummary, ToolCall, Workflow};
use crate::session::Input;
use crate::web::js;
use crate::web::launcher::TRUE;
use crate::web::panel::markdown::source_view;
use crate::web::panel::node::Node;
use crate::web::panel::view::Chat;
use crate::web::widgets::view::{icon, image};

/// A generated image: drawn under the image policy as it arrives (partial images first, with
/// how far along it is), else a link to it.
pub fn generated_image(
    chat: Chat,
    policy: RwSignal<ImagePolicy>,
    url: Option<&str>,
    progress: Option<f64>,
) -> AnyView {
    let Some(url) = url else {
        return Node::with_class("p", "w-generating")
            .child((move || chat.text(PanelText::GeneratingImage)).into_any())
            .build();
    };
    let label = chat.text(WidgetText::Image);
    let picture = image(policy, Node::with_class("img", "w-generated"), url, &label);
    let bar = progress.filter(|done| *done < 1.0).map(|done| {
        Node::with_class("div", "w-progress")
            .attr("role", "progressbar")
            .attr("aria-valuemin", "0")
            .attr("aria-valuemax", "100")
            .attr("aria-valuenow", format!("{}", (done.clamp(0.0, 1.0) * 100.0) as u32))
            .child(
                Node::new("span")
                    .style("width", format!("{}%", (done.clamp(0.0, 1.0) * 100.0) as u32))
                    .build(),
            )
            .build()
    });
    Node::with_class("div", "w-image-item").child(picture).children(bar.into_iter().collect()).build()
}

/// A client tool call: the tool's name, working until the page has answered.
pub fn tool_call(call: &ToolCall) -> AnyView {
    Node::with_class("p", "w-task")
        .attr_if("aria-busy", call.pending.then(|| TRUE.to_owned()))
        .child(icon(Some(if call.pending { "dots-horizontal" } else { "check" }), Some(16)))
        .child(Node::new("span").text(call.name.clone()).build())
        .build()
}

/// Asks the page's client tool handler (`OrcheoChat.setClientToolHandler`) and tells the session
/// its answer, or why there is none (no handler, or it threw or rejected).
pub fn call_tool(chat: Chat, item_id: String, name: String, params: Value) {
    let detail = object(vec![
        ("name", Value::from(name)),
        ("params", params),
        ("item_id", Value::from(item_id.clone())),
    ]);
    let answer = chat.shell.ask("client_tool.call", &detail);
    spawn_local(async move {
        let result = match answer.dyn_into::<js_sys::Promise>() {
            Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .map(|output| crate::web::json::to_value(&output))
                .map_err(|thrown| js::describe(&thrown)),
            Err(_) => Err("the page has no client tool handler (OrcheoChat.setClientToolHandler)".to_owned()),
        };
        chat.send(Input::ToolResult { item_id, result });
    });
}

/// The icon a task shows: its own, else its kind's.
fn task_icon(task: &TaskSummary) -> Option<&'static str> {
    let named = task.icon.as_deref().and_then(crate::widget::icons::lookup);
    named.or(match task.kind.as_str() {
        "web_search" => Some("search"),
        "thought" => Some("lightbulb"),
        "file" => Some("document"),
        "image" => Some("square-image"),
        _ => Some("dot"),
    })
}

/// A task: its icon (a spinner while it runs), title and content, a search's queries and its
/// sources (linked when `http(s)`).
pub fn task(task: &TaskSummary) -> AnyView {
    let running = task.status.as_deref() == Some("loading");
    let head = [task.title.as_deref(), task.content.as_deref()].into_iter().flatten().collect::<Vec<_>>();
    let mut parts = vec![icon(task_icon(task), Some(16))];
    let mut text = Node::new("span");
    if let Some((title, rest)) = head.split_first() {
        text = text.child(Node::new("strong").text((*title).to_owned()).build());
        for line in rest {
            text = text.text(format!(": {line}"));
        }
    }
    parts.push(text.build());
    if !task.queries.is_empty() {
        let chips = task
            .queries
            .iter()
            .map(|query| Node::with_class("span", "w-query").text(query.clone()).build())
            .collect();
        parts.push(Node::with_class("span", "w-queries").children(chips).build());
    }
    if !task.sources.is_empty() {
        let links = task
            .sources
            .iter()
            .map(|(title, url)| Node::new("li").child(source_view(title, url.as_deref())).build())
            .collect();
        parts.push(Node::with_class("ul", "w-task-sources").children(links).build());
    }
    Node::with_class("div", "w-task")
        .attr_if("aria-busy", running.then(|| TRUE.to_owned()))
        .children(parts)
        .build()
}

/// A workflow: folded behind its summary (its title, or how long it took, or its step count)
/// unless the server says it is expanded.
pub fn workflow(chat: Chat, workflow: &Workflow) -> AnyView {
    let (summary, summary_icon) = match &workflow.summary {
        Some(Summary::Title(title, named)) => {
            (title.clone(), named.as_deref().and_then(crate::widget::icons::lookup))
        }
        Some(Summary::Duration(seconds)) => {
            let key = if workflow.reasoning { WidgetText::ThoughtFor } else { WidgetText::WorkedFor };
            (fill(&chat.text(key), &[("seconds", &seconds.to_string())]), Some("clock"))
        }
        None => (fill(&chat.text(WidgetText::Steps), &[("count", &workflow.tasks.len().to_string())]), None),
    };
    let running = workflow.tasks.iter().any(|task| task.status.as_deref() == Some("loading"));
    let head = Node::new("summary")
        .attr_if("aria-busy", running.then(|| TRUE.to_owned()))
        .children(summary_icon.map(|name| icon(Some(name), Some(16))).into_iter().collect())
        .child(Node::new("span").text(summary).build());
    let tasks = workflow.tasks.iter().map(task).collect();
    Node::with_class("details", "w-workflow")
        .attr_if("open", workflow.expanded.then(String::new))
        .attr_if("data-reasoning", workflow.reasoning.then(String::new))
        .child(head.build())
        .children(tasks)
        .build()
}

/// Questions for the visitor: each with its suggested choices (and room for an answer of
/// their own) or a free answer; Submit and Skip. Once answered, the answers.
pub fn questions(chat: Chat, item_id: &str, questions: &Questions) -> AnyView {
    if questions.status != "pending" {
        let answered = questions
            .inputs
            .iter()
            .map(|question| {
                let answer = match &question.answer {
                    Some(values) if !values.is_empty() => values.join(", "),
                    _ => chat.text(WidgetText::Skipped),
                };
                Node::with_class("div", "w-answer")
                    .child(Node::with_class("p", "w-caption").text(question.question.clone()).build())
                    .child(Node::with_class("p", "w-text").text(answer).build())
                    .build()
            })
            .collect();
        return Node::with_class("div", "w-card w-questions")
            .attr("data-size", "md")
            .children(answered)
            .build();
    }
    // Each question's id, and its fields' name in the form.
    let names: Vec<(String, String)> =
        questions.inputs.iter().map(|question| (question.id.clone(), format!("q-{}", question.id))).collect();
    let fields: Vec<AnyView> = questions
        .inputs
        .iter()
        .zip(&names)
        .map(|(question, (_, name))| {
            let mut body =
                vec![Node::with_class("legend", "w-title").text(question.question.clone()).build()];
            for option in &question.options {
                let input = Node::new("input")
                    .attr("type", if question.multiple { "checkbox" } else { "radio" })
                    .attr("name", name.clone())
                    .attr("value", option.clone());
                body.push(
                    Node::with_class("label", if question.multiple { "w-checkbox" } else { "w-radio" })
                        .child(input.build())
                        .child(Node::new("span").text(option.clone()).build())
                        .build(),
                );
            }
            let free = question.options.is_empty();
            let placeholder = if free {
                question.description.clone().unwrap_or_default()
            } else {
                chat.text(WidgetText::OtherAnswer)
            };
            let own = Node::with_class(
                if free { "textarea" } else { "input" },
                if free { "w-textarea" } else { "w-input" },
            )
            .attr("name", name.clone())
            .attr("data-own", "")
            .attr("placeholder", placeholder)
            .attr("aria-label", question.question.clone());
            body.push(if free { own.attr("rows", "3").build() } else { own.attr("type", "text").build() });
            Node::with_class("fieldset", "w-question").children(body).build()
        })
        .collect();
    let asked = questions.clone();
    let item = item_id.to_owned();
    let skip_item = item_id.to_owned();
    let skipped = questions.clone();
    let off = move || !chat.can_start_turn();
    let skip = Node::with_class("button", "w-button")
        .attr("type", "button")
        .attr("data-color", "secondary")
        .attr("data-variant", "outline")
        .disabled(off)
        .on_click(move |_| {
            chat.follow();
            chat.send(Input::Answer { item_id: skip_item.clone(), input: skipped.answer(&[], true) });
        })
        .child(Node::new("span").child((move || chat.text(WidgetText::Skip)).into_any()).build());
    let submit = Node::with_class("button", "w-button")
        .attr("type", "submit")
        .attr("data-color", "primary")
        .attr("data-variant", "solid")
        .disabled(off)
        .child(Node::new("span").child((move || chat.text(WidgetText::Submit)).into_any()).build());
    Node::with_class("form", "w-card w-questions")
        .attr("data-size", "md")
        .on_submit(move |event| {
            event.prevent_default();
            let Some(form) =
                event.target().and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let values: Vec<(String, Vec<String>)> =
                names.iter().map(|(id, name)| (id.clone(), chosen(&form, name))).collect();
            chat.follow();
            chat.send(Input::Answer { item_id: item.clone(), input: asked.answer(&values, false) });
        })
        .children(fields)
        .child(Node::with_class("div", "w-footer").child(skip.build()).child(submit.build()).build())
        .build()
}

/// The values picked and written for the question whose fields are named `name`.
fn chosen(form: &web_sys::HtmlFormElement, name: &str) -> Vec<String> {
    // The browser's own reading of a form: ticked boxes and radios, and the text fields.
    web_sys::FormData::new_with_form(form)
        .map(|data| data.get_all(name).iter().filter_map(|value| value.as_string()).collect())
        .unwrap_or_default()
}
