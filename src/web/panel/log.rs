//! The message log: the start screen, one `<article>` per entry (a keyed `<For>`), the status
//! line, the blocked notice, "Jump to latest", and the polite live region that announces each
//! completed reply (embed contract §3).
//!
//! An assistant message renders its markdown in chunks (see [`crate::markdown::Reply`]), keyed
//! by their content: while a reply streams only the open tail is parsed again and only chunks
//! whose content changed are drawn again; a long reply is drawn a slice per frame. Every other
//! entry redraws when its revision moves.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::ErrorKind;
use crate::i18n::{fill, PanelText, Text};

use crate::markdown;
use crate::protocol::{assistant_text, AssistantPart, ItemBody, NoticeLevel};
use crate::session::{Input, Status};
use crate::thread::{Entry, EntryKind, RetryTarget};
use crate::web::js::AnimationFrame;
use crate::web::launcher::{icons, Icon, TRUE};
use crate::web::panel::controller::PanelState;
use crate::web::panel::markdown::{chunk_rows, markdown_view, source_view};
use crate::web::panel::node::Node;
use crate::web::panel::view::{Chat, KeyedList, Row};

/// How close to its end (px) the log counts as "at the end".
const AT_END_PX: i32 = 32;

/// The `data-role` of an entry (contract §3).
pub fn role_of(entry: &Entry) -> &'static str {
    match &entry.kind {
        EntryKind::PendingUser(_) | EntryKind::Item { body: ItemBody::User(_), .. } => "user",
        EntryKind::Item { body: ItemBody::Widget { .. } | ItemBody::StructuredInput(_), .. } => "widget",
        EntryKind::Item {
            body: ItemBody::Task(_) | ItemBody::Workflow(_) | ItemBody::ClientToolCall(_),
            ..
        }
        | EntryKind::Notice { .. } => "notice",
        EntryKind::Item { .. } => "assistant",
        EntryKind::Failure { error, .. } if error.kind == ErrorKind::Aborted => "notice",
        EntryKind::Failure { .. } => "error",
    }
}

fn is_assistant(entry: &Entry) -> bool {
    matches!(entry.kind, EntryKind::Item { body: ItemBody::Assistant(_), .. })
}

/// The log and what sits around it.
#[component]
pub fn MessageList(
    /// The panel stage's handle.
    chat: Chat,
) -> impl IntoView {
    let view = chat.view;
    let log = NodeRef::<html::Div>::new();
    let at_end = move || {
        log.try_get_untracked()
            .flatten()
            .is_none_or(|log| log.scroll_height() - log.scroll_top() - log.client_height() < AT_END_PX)
    };
    let scroll_to_end = move || {
        if let Some(log) = log.try_get_untracked().flatten() {
            log.set_scroll_top(log.scroll_height());
        }
    };
    // Earlier messages arrive above what the visitor reads: the message that was first keeps
    // its place on screen (measured when they were asked for). Its own element is the anchor,
    // so nothing that changes below it (a streaming reply, sizes measured late) moves it.
    let anchor = StoredValue::new_local(None::<(web_sys::HtmlElement, i32)>);
    let first_article = move |log: &web_sys::HtmlDivElement| {
        log.query_selector("article")
            .ok()
            .flatten()
            .and_then(|first| first.dyn_into::<web_sys::HtmlElement>().ok())
    };
    let earlier = move || {
        if let Some(log) = log.try_get_untracked().flatten() {
            if let Some(first) = first_article(&log) {
                let offset = first.offset_top() - log.scroll_top();
                anchor.set_value(Some((first, offset)));
            }
        }
        chat.send(Input::Earlier);
    };
    let keep_place = move || {
        let Some(log) = log.try_get_untracked().flatten() else { return };
        let Some((first, offset)) = anchor.get_value() else { return };
        if !first.is_connected() {
            // The conversation changed meanwhile.
            anchor.set_value(None);
        } else if first_article(&log).as_ref() != Some(&first) {
            anchor.set_value(None);
            log.set_scroll_top(first.offset_top() - offset);
        }
    };
    let has_earlier = move || view.read(|state| state.earlier);
    // New content is drawn by effects of its own; scroll on the next frame, once it is there.
    let frame = StoredValue::new_local(None::<AnimationFrame>);
    Effect::new(move |_| {
        view.content.track();
        if view.following.get() {
            frame.set_value(Some(AnimationFrame::new(scroll_to_end)));
        } else if anchor.with_value(Option::is_some) {
            frame.set_value(Some(AnimationFrame::new(keep_place)));
        }
    });
    let empty = move || view.entries.with(Vec::is_empty);
    let blocked = move || {
        view.read(|state| state.blocked.clone())
            .map(|error| chat.shell.error_text(&error))
            .unwrap_or_default()
    };
    view! {
        <div class="log-area" hidden=move || view.read(|state| state.history.showing)>
            <div
                class="log"
                role="log"
                tabindex="0"
                aria-label=move || chat.text(PanelText::Messages)
                node_ref=log
                on:scroll=move |_| {
                    view.following.set(at_end());
                    let near_top = log.try_get_untracked().flatten().is_some_and(|log| log.scroll_top() < AT_END_PX);
                    // (The session asks once while a page is on its way.)
                    if near_top && has_earlier() {
                        earlier();
                    }
                }
            >
                <Show when=empty>
                    <StartScreen chat=chat/>
                </Show>
                <button class="earlier" type="button" hidden=move || !has_earlier() on:click=move |_| earlier()>
                    {move || chat.text(PanelText::EarlierMessages)}
                </button>
                // In a block of their own: a flex container lays all its items out again when
                // one is added, and a long conversation's earlier pages add them by the fifty.
                <div class="entries">
                    <KeyedList rows=Signal::derive(move || {
                        view.entries.with(|cells| {
                            cells
                                .iter()
                                .map(|cell| {
                                    let entry = cell.entry.clone();
                                    Row::new(cell.id.clone(), move || view! { <Message chat=chat entry=entry.clone()/> }.into_any())
                                })
                                .collect()
                        })
                    })/>
                </div>
            </div>
            <button
                class="jump"
                type="button"
                hidden=move || view.following.get()
                on:click=move |_| {
                    view.following.set(true);
                    scroll_to_end();
                }
            >
                {move || chat.text(PanelText::JumpToLatest)}
            </button>
            <div class="status" hidden=move || !view.read(|state| state.busy || state.queued)>
                <span class="dots" aria-hidden=TRUE hidden=move || view.read(|state| state.has_content)>
                    <span></span>
                    <span></span>
                    <span></span>
                </span>
                <span class="status-text">{move || view.read(|state| state.progress.clone()).unwrap_or_else(|| chat.text(PanelText::Working))}</span>
            </div>
            <p class="blocked" role="alert" hidden=move || view.read(|state| state.status != Status::Blocked)>{blocked}</p>
            <p class="visually-hidden" aria-live="polite">{move || view.read(|state| state.announcement.clone())}</p>
        </div>
    }
}

/// The greeting and the start prompts, before anything is said.
#[component]
fn StartScreen(chat: Chat) -> impl IntoView {
    let greeting = move || {
        chat.shell
            .config(|config| config.greeting.clone())
            .flatten()
            .unwrap_or_else(|| chat.text(PanelText::Greeting))
    };
    let rows = Signal::derive(move || {
        chat.view.read(|state| {
            state
                .prompts
                .iter()
                .enumerate()
                .map(|(index, prompt)| {
                    let label = prompt.label.clone();
                    Row::new(format!("{index}:{label}"), move || {
                        view! { <TurnButton chat=chat class="prompt" label=label.clone() input=Arc::new(move || Input::Prompt { index })/> }
                            .into_any()
                    })
                })
                .collect()
        })
    });
    view! {
        <div class="start">
            <p class="greeting">{greeting}</p>
            <div class="prompts" hidden=move || chat.view.read(|state| state.prompts.is_empty())>
                <KeyedList rows=rows/>
            </div>
        </div>
    }
}

/// One entry of the conversation.
#[component]
fn Message(chat: Chat, entry: ArcRwSignal<Entry>) -> impl IntoView {
    let (reads, first) = (entry.clone(), entry.clone());
    let role = move || reads.with(role_of);
    let pending = {
        let entry = entry.clone();
        move || entry.with(|entry| matches!(entry.kind, EntryKind::PendingUser(_))).then_some(TRUE)
    };
    let role_name = role.clone();
    let label = move || match role_name() {
        "user" => Some(chat.text(PanelText::YouSaid)),
        "assistant" => Some(fill(&chat.text(PanelText::AssistantSaid), &[("title", &chat.shell.title())])),
        _ => None,
    };
    let id = first.with_untracked(|entry| entry.id.clone());
    // An assistant message stays an assistant message: its body is built once and updates by
    // chunks. Everything else redraws when it changes.
    let body = if first.with_untracked(is_assistant) {
        view! { <AssistantBody chat=chat entry=entry/> }.into_any()
    } else {
        (move || entry.with(|entry| other_body(chat, entry))).into_any()
    };
    view! {
        <article class="message" data-role=role data-item-id=id aria-label=label aria-busy=pending>
            {body}
        </article>
    }
}

/// A reply's markdown, chunk by chunk, and Copy once it is complete.
#[component]
fn AssistantBody(chat: Chat, entry: ArcRwSignal<Entry>) -> impl IntoView {
    // The reply's chunks (see `markdown::Reply`): while it streams only its open tail is parsed
    // again, and a chunk is drawn again only when its key (its content) changes.
    let reply = entry.clone();
    let item_id = entry.with_untracked(|entry| entry.id.clone());
    let source = move || {
        reply.with(|entry| match &entry.kind {
            EntryKind::Item { body: ItemBody::Assistant(parts), streaming } => {
                (cited_text(parts), *streaming)
            }
            _ => (String::new(), false),
        })
    };
    let rows = chunk_rows(chat, Arc::new(source));
    let sources = {
        let entry = entry.clone();
        move || entry.with(sources_of)
    };
    let sources_list = sources.clone();
    let streaming = move || entry.with(|entry| matches!(entry.kind, EntryKind::Item { streaming: true, .. }));
    let bubble = NodeRef::<html::Div>::new();
    let text =
        move || bubble.try_get_untracked().flatten().map(|bubble| bubble.inner_text()).unwrap_or_default();
    view! {
        <div class="bubble markdown" node_ref=bubble>
            <KeyedList rows=rows/>
        </div>
        <ol class="sources" aria-label=move || chat.text(PanelText::Sources) hidden=move || sources().is_empty()>
            {move || {
                sources_list()
                    .into_iter()
                    .map(|(title, url)| Node::new("li").child(source_view(&title, url.as_deref())).build())
                    .collect::<Vec<_>>()
            }}
        </ol>
        <div class="actions" hidden=streaming>
            <CopyButton chat=chat class="copy" label=PanelText::Copy text=Arc::new(text)/>
            <FeedbackButton chat=chat item_id=item_id.clone() positive=true/>
            <FeedbackButton chat=chat item_id=item_id positive=false/>
        </div>
    }
}

/// The sources cited by a reply (its annotations), each once, in the order first cited:
/// `(title, url)`. A source's number is its place here, from 1.
fn sources_of(entry: &Entry) -> Vec<(String, Option<String>)> {
    let EntryKind::Item { body: ItemBody::Assistant(parts), .. } = &entry.kind else { return Vec::new() };
    sources_in(parts)
}

fn sources_in(parts: &[AssistantPart]) -> Vec<(String, Option<String>)> {
    let mut sources: Vec<(String, Option<String>)> = Vec::new();
    // Bounded: this runs on every delta of a streaming reply.
    for annotation in parts.iter().flat_map(|part| &part.annotations).take(MAX_ANNOTATIONS) {
        let source = (annotation.title.clone(), annotation.url.clone());
        if !source.0.is_empty() && !sources.contains(&source) {
            sources.push(source);
        }
    }
    sources
}

/// The most annotations of one reply that are shown (the rest are dropped).
const MAX_ANNOTATIONS: usize = 100;

/// A reply's markdown with its citations marked where the annotations place them (by their
/// source's number in the list under the reply).
fn cited_text(parts: &[AssistantPart]) -> String {
    if parts.iter().all(|part| part.annotations.iter().all(|annotation| annotation.index.is_none())) {
        return assistant_text(parts);
    }
    let sources = sources_in(parts);
    let cited: Vec<AssistantPart> = parts
        .iter()
        .map(|part| {
            let marks: Vec<(usize, usize)> = part
                .annotations
                .iter()
                .take(MAX_ANNOTATIONS)
                .filter_map(|annotation| {
                    let source = (annotation.title.clone(), annotation.url.clone());
                    let number = sources.iter().position(|known| *known == source)? + 1;
                    Some((annotation.index?, number))
                })
                .collect();
            AssistantPart { text: markdown::with_citations(&part.text, &marks), annotations: Vec::new() }
        })
        .collect();
    assistant_text(&cited)
}

/// Thumbs up (`positive`) or down on a reply: pressed when it is the visitor's choice.
#[component]
fn FeedbackButton(chat: Chat, item_id: String, positive: bool) -> impl IntoView {
    let given = {
        let item_id = item_id.clone();
        move || {
            chat.view.read(|state| {
                state.feedback.iter().find(|(id, _)| *id == item_id).map(|(_, given)| *given == positive)
            })
        }
    };
    let pressed = move || if given().unwrap_or(false) { TRUE } else { "false" };
    view! {
        <button
            class="copy feedback"
            type="button"
            aria-pressed=pressed
            aria-label=move || chat.text(if positive { PanelText::GoodReply } else { PanelText::BadReply })
            on:click=move |_| chat.send(Input::Feedback { item_id: item_id.clone(), positive })
        >
            <Icon path=icons::THUMB class=if positive { "icon" } else { "icon down" }/>
        </button>
    }
}

/// A button that starts a turn (a start prompt, Retry): disabled while one cannot start (and,
/// for a message that goes again with the composer's files, while one uploads), and the log
/// follows the turn it starts.
#[component]
fn TurnButton(
    chat: Chat,
    class: &'static str,
    label: String,
    input: Arc<dyn Fn() -> Input + Send + Sync>,
    #[prop(optional)] with_files: bool,
) -> impl IntoView {
    view! {
        <button
            class=class
            type="button"
            disabled=move || !chat.can_start_turn() || (with_files && chat.view.read(PanelState::uploading))
            on:click=move |_| {
                chat.follow();
                chat.send(input());
            }
        >
            {label}
        </button>
    }
}

/// A copy button that says "Copied" for two seconds after a click.
#[component]
pub fn CopyButton(
    /// The panel stage's handle.
    chat: Chat,
    /// Its class.
    class: &'static str,
    /// Its name before a click.
    label: PanelText,
    /// What it copies.
    text: Arc<dyn Fn() -> String + Send + Sync>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let timer = StoredValue::new_local(None::<crate::web::js::Timeout>);
    view! {
        <button
            class=class
            type="button"
            aria-label=move || chat.text(if copied.get() { PanelText::Copied } else { label })
            data-copied=move || copied.get().then_some("")
            on:click=move |_| {
                chat.copy(&text());
                copied.set(true);
                timer.set_value(Some(crate::web::js::Timeout::new(2000, move || copied.set(false))));
            }
        >
            <Icon path=icons::COPY/>
        </button>
    }
}

/// What an entry other than an assistant message shows.
fn other_body(chat: Chat, entry: &Entry) -> AnyView {
    match &entry.kind {
        EntryKind::PendingUser(text) => view! { <div class="bubble">{text.clone()}</div> }.into_any(),
        EntryKind::Item { body: ItemBody::User(message), .. } => {
            let chips = message
                .attachments
                .iter()
                .map(|attachment| view! { <span class="attachment">{attachment.name.clone()}</span> })
                .collect::<Vec<_>>();
            view! { <div class="bubble">{message.text.clone()}{chips}</div> }.into_any()
        }
        // Drawn by the widget stage; until it has loaded, their text.
        EntryKind::Item { body, .. } if crate::web::widgets::draws(body) => {
            let class = if matches!(body, ItemBody::Widget { .. } | ItemBody::StructuredInput(_)) {
                "bubble widget"
            } else {
                "bubble rich"
            };
            match chat.widgets() {
                Some(stage) => view! { <div class=class>{(stage.render)(chat, entry)}</div> }.into_any(),
                None => {
                    view! { <div class="bubble widget-text" aria-busy=TRUE>{rich_text(chat, body)}</div> }
                        .into_any()
                }
            }
        }
        EntryKind::Item { .. } => ().into_any(),
        EntryKind::Notice { level, title, message } => {
            let title = title.clone().map(|title| view! { <strong>{title}</strong> });
            let level = match level {
                NoticeLevel::Info => "info",
                NoticeLevel::Warning => "warning",
                NoticeLevel::Danger => "danger",
            };
            view! {
                <div class="bubble" data-level=level>
                    {title}
                    {markdown_view(chat, message)}
                </div>
            }
            .into_any()
        }
        EntryKind::Failure { error, retry } => {
            let sentence = chat.shell.error_text(error);
            let retry = retry.as_ref().map(|target| {
                let entry_id = entry.id.clone();
                let input = Arc::new(move || Input::Retry { entry_id: entry_id.clone() });
                let with_files = matches!(target, RetryTarget::Resend(_));
                view! { <TurnButton chat=chat class="retry" label=chat.text(Text::Retry) input=input with_files=with_files/> }
            });
            view! {
                <div class="bubble">{sentence}</div>
                {retry}
            }
            .into_any()
        }
    }
}

/// The text of an item the widget stage draws, shown until it has loaded.
fn rich_text(chat: Chat, body: &ItemBody) -> String {
    match body {
        ItemBody::Widget { copy_text: Some(text), .. } => text.clone(),
        ItemBody::Widget { widget: json, .. }
        | ItemBody::Task(json)
        | ItemBody::Workflow(json)
        | ItemBody::StructuredInput(json) => crate::widget::json_text(json),
        ItemBody::ClientToolCall(call) => call.name.clone(),
        _ => chat.text(PanelText::GeneratingImage),
    }
}
