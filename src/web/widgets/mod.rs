//! The widget stage: draws what a ChatKit server sends beyond text (widgets, with their icons
//! and charts), from the view model of [`crate::widget`]. In the shipped build it is a wasm chunk
//! of its own, fetched when the first widget arrives (see [`crate::web::split`]); until then the
//! panel shows the widget's text.
//!
//! [`WidgetStage`] is what the chunk hands the panel: one function that draws a widget item.
//! Everything it needs is in [`Ctx`], passed down the tree: the panel's [`Chat`], the widget item
//! it belongs to, the widget's working state (which control's action runs), and the colour
//! scheme for ChatKit's `{light, dark}` colours.

mod chart;
mod items;
mod view;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use serde_json::{Map, Value};

use crate::config::Theme;
use crate::images::ImagePolicy;
use crate::protocol::{ItemBody, Questions, TaskSummary, Workflow};
use crate::thread::{Entry, EntryKind};
use crate::web::js::{self, Listener};
use crate::web::panel::node::Node;
use crate::web::panel::view::Chat;
use crate::widget::action::Loading;

/// The widget stage's stylesheet (adopted when the stage starts).
const WIDGETS_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/widgets.css"));

/// Draws an entry: a widget, a generated image, questions, a client tool call, a task or a
/// workflow (anything else draws nothing).
pub type Render = Rc<dyn Fn(Chat, &Entry) -> AnyView>;

/// Draws an image of a reply (`src`, its description) under the image policy.
pub type Picture = Rc<dyn Fn(&str, &str) -> AnyView>;

/// Asks the page's client tool handler (the item's id, the tool's name and its parameters) and
/// tells the session its answer.
pub type CallTool = Rc<dyn Fn(Chat, String, String, Value)>;

/// The running widget stage.
#[derive(Clone)]
pub struct WidgetStage {
    /// Draws an entry.
    pub render: Render,
    /// Draws an image of a reply (when the embed lets replies' images load).
    pub image: Picture,
    /// Answers a client tool call.
    pub call_tool: CallTool,
}

/// Whether the widget stage draws this item.
pub fn draws(body: &ItemBody) -> bool {
    matches!(
        body,
        ItemBody::Widget { .. }
            | ItemBody::GeneratedImage { .. }
            | ItemBody::StructuredInput(_)
            | ItemBody::ClientToolCall(_)
            | ItemBody::Task(_)
            | ItemBody::Workflow(_)
    )
}

/// Starts the widget stage in the panel stage's reactive owner: adopts its stylesheet and
/// follows the colour scheme. `None` if the panel was destroyed while the stage loaded: then
/// it starts nothing.
pub fn start(chat: Chat) -> Option<WidgetStage> {
    if !chat.live() {
        return None;
    }
    chat.shell.with_host(|host| host.adopt(WIDGETS_CSS));
    let dark = scheme(chat);
    let images = image_policy(chat);
    let warned = Rc::new(RefCell::new(Vec::<String>::new()));
    // Each widget's working state, by item, made in the stage's owner: it outlives a redraw of
    // the widget (a stream update while the page's handler runs keeps its controls busy).
    let owner = Owner::current();
    let working = Rc::new(RefCell::new(Vec::<(String, Working)>::new()));
    Some(WidgetStage {
        call_tool: Rc::new(items::call_tool),
        image: Rc::new(move |src, description| {
            view::image(images, Node::with_class("img", "image"), src, description)
        }),
        render: Rc::new(move |chat, entry| {
            let EntryKind::Item { body, .. } = &entry.kind else { return ().into_any() };
            match body {
                ItemBody::Widget { widget, .. } => {
                    let parsed = crate::widget::parse(widget);
                    // One console warning per unknown component or prop, for the widget's author.
                    if let Ok(mut warned) = warned.try_borrow_mut() {
                        let fresh: Vec<String> = parsed
                            .unknown
                            .iter()
                            .filter(|what| !warned.contains(what))
                            .take(20)
                            .cloned()
                            .collect();
                        for what in fresh {
                            js::warn(&format!(
                                "this widget's {what} is not a ChatKit component or prop; drawn without it"
                            ));
                            warned.push(what);
                        }
                    }
                    let ctx = Ctx {
                        chat,
                        item_id: Arc::from(entry.id.as_str()),
                        dark,
                        images,
                        state: working_state(&working, owner.as_ref(), &entry.id),
                    };
                    view::widget(&ctx, &parsed.root)
                }
                ItemBody::GeneratedImage { url, progress } => {
                    items::generated_image(chat, images, url.as_deref(), *progress)
                }
                ItemBody::StructuredInput(item) => {
                    let questions = Questions::from_json(item);
                    Node::with_class("div", "w-root")
                        .child(items::questions(chat, &entry.id, &questions))
                        .build()
                }
                ItemBody::ClientToolCall(call) => items::tool_call(call),
                ItemBody::Task(task) => items::task(&TaskSummary::from_json(task)),
                ItemBody::Workflow(workflow) => items::workflow(chat, &Workflow::from_json(workflow)),
                _ => ().into_any(),
            }
        }),
    })
}

/// Which images may load: the embed's `images` and `markdownImages` options, applied when the
/// stage starts (before anything is drawn) and again when they change, with one console warning
/// per bad value.
fn image_policy(chat: Chat) -> RwSignal<ImagePolicy> {
    let policy = RwSignal::new(ImagePolicy::default());
    let applied = StoredValue::new(Map::new());
    let apply = move || {
        let options = chat.shell.config_untracked(|config| config.panel.clone()).unwrap_or_default();
        let mut next = policy.get_untracked();
        let warnings = applied.with_value(|before| next.apply(&options, before));
        for warning in warnings {
            js::warn(&warning);
        }
        applied.set_value(options);
        policy.set(next);
    };
    apply();
    Effect::watch(move || chat.shell.config(|config| config.panel.clone()), move |_, _, _| apply(), false);
    policy
}

/// Whether the dark scheme is in force: the embed's theme, or the visitor's preference for
/// `auto` (followed as it changes).
fn scheme(chat: Chat) -> Signal<bool> {
    let prefers = web_sys::window()
        .and_then(|window| window.match_media("(prefers-color-scheme: dark)").ok().flatten());
    let preference = RwSignal::new(prefers.as_ref().is_some_and(web_sys::MediaQueryList::matches));
    if let Some(query) = prefers {
        let target: web_sys::EventTarget = query.clone().into();
        let listener = Listener::new(&target, "change", move |_| preference.set(query.matches()));
        StoredValue::new_local(listener);
    }
    Signal::derive(move || match chat.shell.config(|config| config.theme) {
        Some(Theme::Dark) => true,
        Some(Theme::Light) | None => false,
        Some(Theme::Auto) => preference.get(),
    })
}

/// Which control's action is running in a widget, and what shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Running {
    /// The control (its position in the tree).
    pub control: usize,
    /// What shows it runs.
    pub loading: Loading,
    /// It waits for the page's handler (else for the server).
    pub client: bool,
}

/// A widget's working state.
#[derive(Clone, Copy)]
pub struct Working {
    /// The action running, if any.
    pub running: RwSignal<Option<Running>>,
}

impl Working {
    fn new() -> Self {
        Self { running: RwSignal::new(None) }
    }
}

/// The working state of the widget item `id`, made the first time it is drawn. (A list: a
/// conversation holds few widgets, and a map would add its hashing code to the stage.)
fn working_state(states: &RefCell<Vec<(String, Working)>>, owner: Option<&Owner>, id: &str) -> Working {
    let Ok(mut states) = states.try_borrow_mut() else { return Working::new() };
    if let Some((_, state)) = states.iter().find(|(item, _)| item == id) {
        return *state;
    }
    let state = owner.map_or_else(Working::new, |owner| owner.with(Working::new));
    states.push((id.to_owned(), state));
    state
}

/// What drawing a widget needs, passed down its tree.
#[derive(Clone)]
pub struct Ctx {
    /// The panel.
    pub chat: Chat,
    /// The widget item.
    pub item_id: Arc<str>,
    /// The dark scheme is in force (page-wide; a themed Card overrides it for its subtree).
    pub dark: Signal<bool>,
    /// Which images may load.
    pub images: RwSignal<ImagePolicy>,
    /// Its working state.
    pub state: Working,
}
