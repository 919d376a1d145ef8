//! The Leptos UI: a launcher button and the chat panel (header, message log or conversation
//! list, composer). The DOM and ARIA structure follows the embed contract §3.
//!
//! Written for size (the size budget is the one hard gate). Leptos draws static markup; the
//! reactive state is applied by a few effects, each setting the attributes and text of a group
//! of elements, rather than one typed binding per attribute; and clicks are dispatched from one
//! listener by each button's `data-action`. Strings are read once per mount (a new locale
//! remounts the view), and layout that depends on the mode is CSS keyed on the host's
//! `data-mode`.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::config::Mode;
use crate::i18n::{fill, Text};
use crate::web::chat::{Chat, Status};
use crate::web::el::{self, El};
use crate::web::js::{self, Timeout};
use crate::web::messages::{LogAction, MessageList, RenderContext};

fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

fn toggle(element: &Element, name: &str, on: bool) {
    let _ = if on { element.set_attribute(name, "") } else { element.remove_attribute(name) };
}

/// The element behind a node ref, as a plain `Element` (tracking the ref).
fn get<E>(node: NodeRef<E>) -> Option<Element>
where
    E: html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    node.get().map(|element| element.unchecked_into())
}

/// The whole widget.
#[component]
pub fn App(
    /// The controller.
    chat: Chat,
) -> impl IntoView {
    let locale = chat.locale();
    let t = |text: Text| locale.get(text).to_owned();
    let open = chat.open;
    let floating = move || chat.config.with(|config| config.mode == Mode::Bubble);
    let launcher = NodeRef::<html::Button>::new();
    let unread = NodeRef::<html::Span>::new();
    let panel = NodeRef::<html::Section>::new();
    let title = NodeRef::<html::H2>::new();
    let back = NodeRef::<html::Button>::new();
    let list_button = NodeRef::<html::Button>::new();
    let log_area = NodeRef::<html::Div>::new();
    let history = NodeRef::<html::Div>::new();
    let composer = NodeRef::<html::Form>::new();
    let (open_label, close_label) = (t(Text::OpenChat), t(Text::CloseChat));
    let conversations = t(Text::Conversations);

    // The panel's visibility, the launcher's state, and focus: into the panel when it opens,
    // back to the launcher when it closes.
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        let floats = floating();
        let (Some(launcher), Some(panel), Some(unread)) = (get(launcher), get(panel), get(unread)) else {
            return is_open;
        };
        set(&launcher, "aria-expanded", if is_open { "true" } else { "false" });
        set(&launcher, "aria-label", if is_open { &close_label } else { &open_label });
        toggle(&panel, "hidden", floats && !is_open);
        toggle(&unread, "hidden", is_open || !chat.unread.get());
        if was_open.is_some_and(|was| was != is_open) && floats {
            let target = if is_open { first_focusable(&panel) } else { Some(launcher) };
            if let Some(target) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
                let _ = target.focus();
            }
        }
        is_open
    });
    // The header and which of the log and the conversation list shows.
    Effect::new(move |_| {
        let listing = chat.showing_history.get();
        let name = chat.title();
        let (Some(panel), Some(title), Some(back), Some(list_button)) =
            (get(panel), get(title), get(back), get(list_button))
        else {
            return;
        };
        set(&panel, "aria-label", &name);
        title.set_text_content(Some(if listing { &conversations } else { &name }));
        toggle(&back, "hidden", !listing);
        toggle(&list_button, "hidden", listing || !chat.config.with(|c| c.history));
        for (node, shown) in [(get(log_area), !listing), (get(history), listing), (get(composer), !listing)] {
            if let Some(node) = node {
                toggle(&node, "hidden", !shown);
            }
        }
    });

    let on_click = move |event: web_sys::MouseEvent| {
        let Some(button) = el::closest(event.target(), "[data-ui]") else { return };
        match button.get_attribute("data-ui").as_deref() {
            Some("launcher") => chat.set_open(!open.get_untracked()),
            Some("close") => chat.set_open(false),
            Some("back") => chat.showing_history.set(false),
            Some("list") => chat.show_history(),
            Some("new") => {
                chat.showing_history.set(false);
                chat.new_thread();
            }
            Some("stop") => chat.stop(),
            _ => {}
        }
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        if event.key() == "Escape" && floating() && open.get_untracked() {
            event.stop_propagation();
            chat.set_open(false);
        }
    };
    let rtl = if locale.rtl { "rtl" } else { "ltr" };
    view! {
        <div class="root" on:click=on_click on:keydown=on_keydown>
            <button class="launcher" part="launcher" type="button" data-ui="launcher" aria-controls="orcheo-chat-panel" node_ref=launcher>
                <svg class="icon icon-chat" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.4 3.7A.6.6 0 0 1 4.6 19.2V16A2.5 2.5 0 0 1 4 14z"></path>
                </svg>
                <svg class="icon icon-close" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"></path>
                </svg>
                <span class="unread" node_ref=unread hidden>
                    <span class="visually-hidden">{t(Text::Unread)}</span>
                </span>
            </button>
            <section id="orcheo-chat-panel" class="panel" part="panel" role="dialog" dir=rtl lang=locale.lang.clone() node_ref=panel hidden>
                <header class="header" part="header">
                    <button class="icon-button" type="button" data-ui="back" aria-label=t(Text::Back) node_ref=back hidden>
                        <svg class="icon flip" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M15.4 5 16.8 6.4 11.2 12l5.6 5.6-1.4 1.4-7-7z"></path>
                        </svg>
                    </button>
                    <h2 class="title" node_ref=title></h2>
                    <button class="icon-button" type="button" data-ui="list" aria-label=t(Text::Conversations) node_ref=list_button>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M4 5h16v2H4zm0 6h16v2H4zm0 6h10v2H4z"></path>
                        </svg>
                    </button>
                    <button class="icon-button" type="button" data-ui="new" aria-label=t(Text::NewConversation)>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M5 4h8v2H6v12h12v-7h2v8a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm12.3-1.7 2.4 2.4-8.5 8.5-3 .6.6-3z"></path>
                        </svg>
                    </button>
                    <button class="icon-button close" type="button" data-ui="close" aria-label=t(Text::CloseChat)>
                        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                            <path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z"></path>
                        </svg>
                    </button>
                </header>
                <div class="log-area" node_ref=log_area>
                    <Messages chat=chat/>
                </div>
                <div class="history" node_ref=history hidden>
                    <History chat=chat/>
                </div>
                <form class="composer" part="composer" node_ref=composer on:submit=move |event| {
                    event.prevent_default();
                    chat.submit();
                }>
                    <Composer chat=chat/>
                </form>
            </section>
        </div>
    }
}

/// The composer if it can take focus, else the panel's first visible control.
fn first_focusable(panel: &Element) -> Option<Element> {
    panel
        .query_selector("textarea:not([disabled])")
        .ok()
        .flatten()
        .or_else(|| panel.query_selector("button:not([hidden])").ok().flatten())
}

/// Copies `text`, then shows "Copied" on `button` for two seconds.
fn copy(text: String, button: Element, copied: String, feedback: StoredValue<Option<Timeout>, LocalStorage>) {
    let navigator = web_sys::window().map(|w| w.navigator());
    let has_clipboard = navigator.as_ref().is_some_and(|n| {
        js_sys::Reflect::get(n, &wasm_bindgen::JsValue::from_str("clipboard"))
            .is_ok_and(|c| !c.is_undefined())
    });
    match navigator.filter(|_| has_clipboard) {
        Some(navigator) => {
            let _ = navigator.clipboard().write_text(&text);
        }
        None => js::warn("copying needs a secure (https) page"),
    }
    let label = button.get_attribute("aria-label").unwrap_or_default();
    set(&button, "aria-label", &copied);
    toggle(&button, "data-copied", true);
    let timer = Timeout::new(2000, move || {
        set(&button, "aria-label", &label);
        toggle(&button, "data-copied", false);
    });
    feedback.set_value(Some(timer));
}

/// The message log: Leptos draws the container; [`MessageList`] keeps its articles in step
/// with the conversation. It follows the stream only while the reader is at the bottom.
#[component]
fn Messages(
    /// The controller.
    chat: Chat,
) -> impl IntoView {
    let locale = chat.locale();
    let log = NodeRef::<html::Div>::new();
    let jump = NodeRef::<html::Button>::new();
    let older = NodeRef::<html::Button>::new();
    let status = NodeRef::<html::Div>::new();
    let status_text = NodeRef::<html::Span>::new();
    let dots = NodeRef::<html::Span>::new();
    let blocked = NodeRef::<html::P>::new();
    let live = NodeRef::<html::P>::new();
    let list = StoredValue::new_local(None::<MessageList>);
    let copy_feedback = StoredValue::new_local(None::<Timeout>);
    let copied = locale.get(Text::Copied).to_owned();
    let working = locale.get(Text::Working).to_owned();
    let labels =
        [Text::Messages, Text::LoadOlder, Text::JumpToLatest].map(|text| locale.get(text).to_owned());
    let [messages_label, older_label, jump_label] = labels;
    let show_jump = move |visible: bool| {
        if let Some(jump) = jump.get_untracked() {
            toggle(&jump, "hidden", !visible);
        }
    };
    // The conversation, drawn by the message list.
    Effect::new(move |_| {
        chat.version.track();
        let waiting = chat.busy() || chat.cooling_down.get();
        let prompts = chat.prompts();
        let title = chat.title();
        let greeting =
            chat.config.with(|c| c.greeting.clone()).unwrap_or_else(|| locale.get(Text::Greeting).to_owned());
        let Some(element) = get(log) else { return };
        if let Some(older) = get(older) {
            toggle(&older, "hidden", !chat.has_older.get());
        }
        list.update_value(|list| {
            let list = list.get_or_insert_with(|| MessageList::new(element));
            let follow = list.at_bottom();
            let context =
                RenderContext { locale: &locale, title: &title, prompts: &prompts, greeting: &greeting };
            chat.with_entries(|entries| list.update(entries, &context));
            list.set_actions_disabled(waiting);
            if follow {
                list.scroll_to_bottom();
            }
            show_jump(!list.at_bottom());
        });
    });
    // The status line: progress while a turn runs, dots until content arrives; the blocked
    // notice; and the polite live region with the last completed reply.
    Effect::new(move |_| {
        let turn = chat.turn.get();
        let (Some(status), Some(text), Some(dots), Some(blocked), Some(live)) =
            (get(status), get(status_text), get(dots), get(blocked), get(live))
        else {
            return;
        };
        toggle(&status, "hidden", turn.is_none());
        toggle(&dots, "hidden", turn.as_ref().is_some_and(|t| t.has_content));
        text.set_text_content(Some(&turn.and_then(|t| t.label).unwrap_or_else(|| working.clone())));
        let problem = chat.blocked.with(|error| error.as_ref().map(|e| chat.error_text(e)));
        toggle(&blocked, "hidden", chat.status.get() != Status::Blocked);
        blocked.set_text_content(problem.as_deref());
        live.set_text_content(Some(&chat.announcement.get()));
    });
    let act = move |target: Element| {
        let action = list.with_value(|list| list.as_ref().and_then(|list| list.action_at(&target)));
        match action {
            Some(LogAction::Retry(id)) => chat.retry_entry(&id),
            Some(LogAction::Prompt(index)) => {
                if let Some(prompt) = chat.prompts().get(index) {
                    chat.send_prompt(prompt.prompt.clone());
                }
            }
            Some(LogAction::Widget(item_id, action)) => chat.action(Some(item_id), action),
            Some(LogAction::Older) => chat.load_older(),
            None => {}
        }
    };
    let on_click = move |event: web_sys::MouseEvent| {
        let Some(target) = el::closest(event.target(), "button") else { return };
        match target.get_attribute("data-action").as_deref() {
            Some("copy") => {
                let bubble = target
                    .closest("article")
                    .ok()
                    .flatten()
                    .and_then(|a| a.query_selector(".bubble").ok().flatten());
                let text = bubble
                    .and_then(|b| b.dyn_into::<HtmlElement>().ok())
                    .map(|b| b.inner_text())
                    .unwrap_or_default();
                copy(text, target, copied.clone(), copy_feedback);
            }
            Some("copy-code") => {
                let code = target
                    .closest(".code")
                    .ok()
                    .flatten()
                    .and_then(|c| c.query_selector("code").ok().flatten());
                copy(
                    code.and_then(|c| c.text_content()).unwrap_or_default(),
                    target,
                    copied.clone(),
                    copy_feedback,
                );
            }
            Some("jump") => list.with_value(|list| list.iter().for_each(MessageList::scroll_to_bottom)),
            // A submit button acts through its form's submit event.
            _ if target.get_attribute("type").as_deref() == Some("submit") => {}
            _ => act(target),
        }
    };
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let submitter = event
            .submitter()
            .map(Element::from)
            .or_else(|| event.target().and_then(|t| t.dyn_into::<Element>().ok()));
        if let Some(target) = submitter {
            act(target);
        }
    };
    let on_scroll = move |_: web_sys::Event| {
        let bottom = list.with_value(|list| list.as_ref().is_some_and(MessageList::at_bottom));
        show_jump(!bottom);
    };
    view! {
        <div class="messages" on:click=on_click>
            <div class="log" role="log" tabindex="0" aria-label=messages_label node_ref=log on:submit=on_submit on:scroll=on_scroll>
                <button class="older" type="button" data-action="older" node_ref=older hidden>{older_label}</button>
            </div>
            <button class="jump" type="button" data-action="jump" node_ref=jump hidden>{jump_label}</button>
            <div class="status" node_ref=status hidden>
                <span class="dots" aria-hidden="true" node_ref=dots><span></span><span></span><span></span></span>
                <span node_ref=status_text></span>
            </div>
            <p class="blocked" role="alert" node_ref=blocked hidden></p>
            <p class="visually-hidden" aria-live="polite" node_ref=live></p>
        </div>
    }
}

/// The conversation list: open, rename and delete conversations started here.
#[component]
fn History(
    /// The controller.
    chat: Chat,
) -> impl IntoView {
    let locale = chat.locale();
    let list = NodeRef::<html::Ul>::new();
    let editing = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(element) = get(list) else { return };
        let editing = editing.get();
        el::clear(&element);
        chat.threads.with(|threads| {
            if threads.is_empty() {
                let _ = El::with_class("li", "empty")
                    .map(|li| element.append_child(&li.text(locale.get(Text::NoConversations)).0));
            }
            for thread in threads {
                let title = thread.title.clone().unwrap_or_else(|| locale.get(Text::Untitled).to_owned());
                let Some(item) = El::with_class("li", "thread").map(|li| li.attr("data-thread", &thread.id))
                else {
                    continue;
                };
                let button = |act: &str, label: &str, kind: &str| {
                    El::with_class("button", act)
                        .map(|b| b.attr("type", kind).attr("data-do", act).text(label))
                };
                let item = if editing.as_deref() == Some(thread.id.as_str()) {
                    let input = El::new("input").map(|i| {
                        i.attr("name", "title")
                            .attr("value", &title)
                            .attr("aria-label", locale.get(Text::Rename))
                    });
                    let form =
                        El::with_class("form", "rename").map(|f| {
                            f.child(input)
                                .child(button("save", locale.get(Text::Save), "submit"))
                                .child(button("cancel", locale.get(Text::Cancel), "button"))
                        });
                    item.child(form)
                } else {
                    item.child(button("open", &title, "button"))
                        .child(button("rename", locale.get(Text::Rename), "button"))
                        .child(button("delete", locale.get(Text::Delete), "button"))
                };
                let _ = element.append_child(&item.0);
            }
        });
        if let Some(input) =
            element.query_selector("input").ok().flatten().and_then(|i| i.dyn_into::<HtmlElement>().ok())
        {
            let _ = input.focus();
        }
    });
    let thread_of = |target: &Element| {
        target.closest("[data-thread]").ok().flatten().and_then(|item| item.get_attribute("data-thread"))
    };
    let on_click = move |event: web_sys::MouseEvent| {
        let Some(button) = el::closest(event.target(), "button[data-do]") else { return };
        let Some(id) = thread_of(&button) else { return };
        match button.get_attribute("data-do").as_deref() {
            Some("open") => chat.open_thread(id),
            Some("rename") => editing.set(Some(id)),
            Some("cancel") => editing.set(None),
            Some("delete") => chat.delete_thread(id),
            _ => {}
        }
    };
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let Some(form) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let title = form
            .query_selector("input")
            .ok()
            .flatten()
            .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let (Some(id), Some(title)) = (thread_of(&form), title) {
            chat.rename_thread(id, title.value());
        }
        editing.set(None);
    };
    view! { <ul node_ref=list on:click=on_click on:submit=on_submit></ul> }
}

/// The composer's controls: a growing textarea, and Send (Stop while a reply runs).
#[component]
fn Composer(
    /// The controller.
    chat: Chat,
) -> impl IntoView {
    let locale = chat.locale();
    let area = NodeRef::<html::Textarea>::new();
    let send = NodeRef::<html::Button>::new();
    let stop = NodeRef::<html::Button>::new();
    let (placeholder, not_configured) =
        (locale.get(Text::Placeholder).to_owned(), locale.get(Text::NotConfigured).to_owned());
    // The controls follow the connection, the turn and the draft. The textarea grows with its
    // text up to six lines by its `rows` (no inline style needed).
    Effect::new(move |_| {
        let status = chat.status.get();
        let busy = chat.busy();
        let (Some(area), Some(send), Some(stop)) = (area.get(), get(send), get(stop)) else { return };
        let draft = chat.draft.get();
        if area.value() != draft {
            area.set_value(&draft);
        }
        area.set_rows(draft.split('\n').count().clamp(1, 6) as u32);
        area.set_disabled(matches!(status, Status::Unconfigured | Status::Blocked));
        let hint = match status {
            Status::Unconfigured => not_configured.clone(),
            _ => chat
                .config
                .with(|c| c.placeholder.clone())
                .unwrap_or_else(|| fill(&placeholder, &[("title", &chat.title())])),
        };
        area.set_placeholder(&hint);
        toggle(&send, "hidden", busy);
        toggle(
            &send,
            "disabled",
            status != Status::Ready || chat.cooling_down.get() || draft.trim().is_empty(),
        );
        toggle(&stop, "hidden", !busy);
    });
    let on_input = move |event: web_sys::Event| {
        if let Some(area) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
            chat.draft.set(area.value());
        }
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        // Enter sends; Shift+Enter is a newline; Enter while an IME composes is the IME's.
        if event.key() == "Enter" && !event.shift_key() && !event.is_composing() && event.key_code() != 229 {
            event.prevent_default();
            chat.submit();
        }
    };
    view! {
        <textarea class="input" rows="1" aria-label=locale.get(Text::MessageLabel).to_owned() node_ref=area on:input=on_input on:keydown=on_keydown></textarea>
        <button class="send" type="submit" aria-label=locale.get(Text::Send).to_owned() node_ref=send disabled>
            <svg class="icon flip" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"></path>
            </svg>
        </button>
        <button class="send" type="button" data-ui="stop" aria-label=locale.get(Text::Stop).to_owned() node_ref=stop hidden>
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
                <rect x="6" y="6" width="12" height="12" rx="2"></rect>
            </svg>
        </button>
    }
}
