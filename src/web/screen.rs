//! Keeps the drawn panel in step with the engine's state, and turns the visitor's clicks, keys
//! and typing into controller calls.
//!
//! `view.rs` draws the static markup once; [`Screen`] finds its elements once and, on each
//! change, sets only the attributes and text that differ (setting the live region's text again
//! would make screen readers repeat it). Events are handled by one delegated listener per event
//! type on the widget's root: buttons say what they do with `data-ui` (chrome), `data-action`
//! (the message log) or `data-do` (the conversation list).

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{
    Element, Event, HtmlElement, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent, SubmitEvent,
};

use crate::config::Mode;
use crate::i18n::{fill, Text};
use crate::thread::{progress_label, ThreadState};
use crate::web::chat::{self, Status, Ui, UploadState};
use crate::web::el::{self, toggle, El};
use crate::web::js::{self, Listener, Timeout};
use crate::web::messages::{LogAction, MessageList, RenderContext};

fn set(element: &Element, name: &str, value: &str) {
    if element.get_attribute(name).as_deref() != Some(value) {
        let _ = element.set_attribute(name, value);
    }
}

fn set_text(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}

fn focus(element: Option<Element>) {
    if let Some(element) = element.and_then(|element| element.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// The drawn panel: its elements, the message list, and what was last applied.
pub struct Screen {
    root: Element,
    launcher: Element,
    unread: Element,
    panel: Element,
    title: Element,
    back: Element,
    list_button: Element,
    log_area: Element,
    history: Element,
    thread_list: Element,
    composer: Element,
    jump: Element,
    status: Element,
    status_text: Element,
    dots: Element,
    blocked: Element,
    live: Element,
    area: HtmlTextAreaElement,
    attach: Element,
    files: Element,
    send: Element,
    stop: Element,
    messages: MessageList,
    was_open: Option<bool>,
    /// The visitor started a turn: bring the log to its end on the next draw.
    follow_next: bool,
    locale_rev: Option<u64>,
    threads_rev: Option<u64>,
    uploads_rev: Option<u64>,
    /// `(thread revision, entry count, disabled)` when the log's controls were last enabled or
    /// disabled.
    actions: Option<(u64, usize, bool)>,
    copy_feedback: Option<Timeout>,
    /// The delegated listeners; dropping the screen removes them.
    _listeners: [Listener; 5],
}

thread_local! {
    /// The screen of the mounted view.
    static SCREEN: RefCell<Option<Screen>> = const { RefCell::new(None) };
}

/// Draws the engine's state into the view rooted at `root` (a new root, after a locale change,
/// gets a new [`Screen`]).
pub fn draw(root: Element) {
    SCREEN.with(|screen| {
        let Ok(mut screen) = screen.try_borrow_mut() else { return };
        if screen.as_ref().is_none_or(|current| current.root != root) {
            *screen = Screen::find(root);
        }
        if let Some(screen) = screen.as_mut() {
            chat::with_state(|ui, thread| screen.update(ui, thread));
        }
    });
}

/// Forgets the screen (the view is gone).
pub fn clear() {
    SCREEN.with(|screen| drop(screen.try_borrow_mut().ok().and_then(|mut screen| screen.take())));
}

fn with_screen<T>(f: impl FnOnce(&mut Screen) -> T) -> Option<T> {
    SCREEN.with(|screen| screen.try_borrow_mut().ok()?.as_mut().map(f))
}

impl Screen {
    fn find(root: Element) -> Option<Self> {
        let find = |selector: &str| root.query_selector(selector).ok().flatten();
        let log = find("[role=log]")?;
        let listen = |target: &Element, name| Listener::new(target, name, on_event);
        let listeners = [
            listen(&root, "click"),
            listen(&root, "keydown"),
            listen(&root, "input"),
            listen(&root, "submit"),
            listen(&log, "scroll"),
        ];
        let screen = Self {
            launcher: find(".launcher")?,
            unread: find(".unread")?,
            panel: find(".panel")?,
            title: find(".title")?,
            back: find("[data-ui=back]")?,
            list_button: find("[data-ui=list]")?,
            log_area: find(".log-area")?,
            history: find(".history")?,
            thread_list: find(".history ul")?,
            composer: find(".composer")?,
            jump: find(".jump")?,
            status: find(".status")?,
            status_text: find(".status-text")?,
            dots: find(".dots")?,
            blocked: find(".blocked")?,
            live: find("[aria-live]")?,
            area: find("textarea")?.dyn_into().ok()?,
            attach: find("[data-ui=attach]")?,
            files: find(".files")?,
            send: find("button[type=submit]")?,
            stop: find("[data-ui=stop]")?,
            messages: MessageList::new(log),
            was_open: None,
            follow_next: false,
            locale_rev: None,
            threads_rev: None,
            uploads_rev: None,
            actions: None,
            copy_feedback: None,
            _listeners: listeners,
            root,
        };
        Some(screen)
    }

    fn update(&mut self, ui: &Ui, thread: &ThreadState) {
        if self.locale_rev != Some(ui.locale_rev) {
            if self.locale_rev.is_some() {
                // Messages and the conversation list hold strings too: draw them again.
                self.messages.clear();
                self.threads_rev = None;
                self.uploads_rev = None;
                self.actions = None;
            }
            self.locale_rev = Some(ui.locale_rev);
            self.localise(ui);
        }
        self.update_chrome(ui);
        if ui.showing_history && self.threads_rev != Some(ui.threads_rev) {
            self.threads_rev = Some(ui.threads_rev);
            draw_threads(&self.thread_list, ui);
        }
        self.update_log(ui, thread);
        if self.uploads_rev != Some(ui.uploads_rev) {
            self.uploads_rev = Some(ui.uploads_rev);
            draw_uploads(&self.files, ui);
        }
        self.update_composer(ui, thread.turn.is_some());
    }

    /// The locale's strings on the static markup: `data-label` names an element's
    /// `aria-label`, `data-text` its text; and the panel's language and direction.
    fn localise(&self, ui: &Ui) {
        let locale = &ui.locale;
        for (selector, attribute) in [("[data-label]", "data-label"), ("[data-text]", "data-text")] {
            let Ok(elements) = self.root.query_selector_all(selector) else { continue };
            for index in 0..elements.length() {
                let Some(element) = elements.item(index).and_then(|node| node.dyn_into::<Element>().ok())
                else {
                    continue;
                };
                let text =
                    element.get_attribute(attribute).and_then(|key| locale.by_key(&key).map(str::to_owned));
                match (attribute, text) {
                    ("data-label", Some(text)) => set(&element, "aria-label", &text),
                    (_, Some(text)) => set_text(&element, &text),
                    _ => {}
                }
            }
        }
        set(&self.panel, "lang", &locale.lang);
        set(&self.panel, "dir", if locale.rtl { "rtl" } else { "ltr" });
    }

    /// The launcher, the panel's visibility and header, and focus: into the panel when it
    /// opens, back to the launcher when it closes.
    fn update_chrome(&mut self, ui: &Ui) {
        let open = ui.open;
        let floating = ui.config.mode == Mode::Bubble;
        set(&self.launcher, "aria-expanded", if open { "true" } else { "false" });
        set(&self.launcher, "aria-label", ui.text(if open { Text::CloseChat } else { Text::OpenChat }));
        toggle(&self.panel, "hidden", floating && !open);
        toggle(&self.unread, "hidden", open || !ui.unread);
        if floating && self.was_open.is_some_and(|was| was != open) {
            focus(if open { self.first_focusable() } else { Some(self.launcher.clone()) });
        }
        self.was_open = Some(open);

        let listing = ui.showing_history;
        let title = ui.title();
        set(&self.panel, "aria-label", title);
        set_text(&self.title, if listing { ui.text(Text::Conversations) } else { title });
        toggle(&self.back, "hidden", !listing);
        toggle(&self.list_button, "hidden", listing || !ui.config.history);
        toggle(&self.log_area, "hidden", listing);
        toggle(&self.history, "hidden", !listing);
        toggle(&self.composer, "hidden", listing);
    }

    /// The conversation, the status line (progress while a turn runs, dots until content
    /// arrives), the blocked notice, and the live region with the last completed reply. The
    /// log follows the stream only while the reader is at its end, or after the visitor started
    /// a turn (their own message comes into view).
    fn update_log(&mut self, ui: &Ui, thread: &ThreadState) {
        let busy = thread.turn.is_some();
        let requested = std::mem::take(&mut self.follow_next);
        let follow = requested || self.messages.at_bottom();
        let context = RenderContext {
            locale: &ui.locale,
            title: ui.title(),
            prompts: ui.prompts(),
            greeting: ui.greeting(),
        };
        self.messages.update(&thread.entries, &context);
        let disabled = busy || ui.cooling_down || ui.status != Status::Ready;
        let actions = Some((thread.rev(), thread.entries.len(), disabled));
        if self.actions != actions {
            self.actions = actions;
            self.messages.set_actions_disabled(disabled);
        }
        if follow {
            self.messages.scroll_to_bottom();
        }
        toggle(&self.jump, "hidden", self.messages.at_bottom());

        let turn = thread.turn.as_ref();
        toggle(&self.status, "hidden", turn.is_none());
        toggle(&self.dots, "hidden", turn.is_some_and(|turn| turn.has_content));
        let label = turn.and_then(|turn| turn.progress.as_deref()).and_then(progress_label);
        set_text(&self.status_text, label.as_deref().unwrap_or_else(|| ui.text(Text::Working)));
        toggle(&self.blocked, "hidden", ui.status != Status::Blocked);
        set_text(
            &self.blocked,
            &ui.blocked.as_ref().map(|error| ui.locale.error_text(error)).unwrap_or_default(),
        );
        set_text(&self.live, &ui.announcement);
    }

    /// The composer follows the connection, the turn and the draft: a growing textarea (up
    /// to six lines, by its `rows`), and Send (Stop while a reply runs).
    fn update_composer(&self, ui: &Ui, busy: bool) {
        let area = &self.area;
        if area.value() != ui.draft {
            area.set_value(&ui.draft);
        }
        area.set_rows(ui.draft.split('\n').count().clamp(1, 6) as u32);
        area.set_disabled(matches!(ui.status, Status::Unconfigured | Status::Blocked));
        let placeholder = match (ui.status, &ui.config.placeholder) {
            (Status::Unconfigured, _) => ui.text(Text::NotConfigured).to_owned(),
            (_, Some(placeholder)) => placeholder.clone(),
            _ => fill(ui.text(Text::Placeholder), &[("title", ui.title())]),
        };
        set(area, "placeholder", &placeholder);
        toggle(&self.send, "hidden", busy);
        // While connecting, Send queues the message until the widget is ready.
        let can_send = matches!(ui.status, Status::Ready | Status::Connecting) && !ui.uploading();
        toggle(&self.send, "disabled", !can_send || ui.cooling_down || ui.draft.trim().is_empty());
        toggle(&self.attach, "hidden", !ui.config.attachments);
        toggle(&self.stop, "hidden", !busy);
    }

    /// The composer if it can take focus, else the panel's first visible control.
    fn first_focusable(&self) -> Option<Element> {
        let find = |selector: &str| self.panel.query_selector(selector).ok().flatten();
        find("textarea:not([disabled])").or_else(|| find("button:not([hidden])"))
    }

    /// Copies `text`, then shows "Copied" on `button` for two seconds.
    fn copy(&mut self, text: &str, button: Element, copied: &str) {
        let navigator = web_sys::window().map(|window| window.navigator());
        let has_clipboard = navigator.as_ref().is_some_and(|navigator| {
            js_sys::Reflect::get(navigator, &"clipboard".into())
                .is_ok_and(|clipboard| !clipboard.is_undefined())
        });
        match navigator.filter(|_| has_clipboard) {
            Some(navigator) => {
                let _ = navigator.clipboard().write_text(text);
            }
            None => js::warn("copying needs a secure (https) page"),
        }
        let label = button.get_attribute("aria-label").unwrap_or_default();
        set(&button, "aria-label", copied);
        toggle(&button, "data-copied", true);
        self.copy_feedback = Some(Timeout::new(2000, move || {
            set(&button, "aria-label", &label);
            toggle(&button, "data-copied", false);
        }));
    }
}

const REMOVE_ICON: &str =
    "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z";

/// The files attached to the next message: each with its state and a Remove button.
fn draw_uploads(list: &Element, ui: &Ui) {
    el::clear(list);
    toggle(list, "hidden", ui.uploads.is_empty());
    for upload in &ui.uploads {
        let name = [("name", upload.name.as_str())];
        let (state, text) = match upload.state {
            UploadState::Uploading => ("uploading", upload.name.clone()),
            UploadState::Ready(_) => ("ready", upload.name.clone()),
            UploadState::Failed => ("failed", fill(ui.text(Text::UploadFailed), &name)),
        };
        let remove = El::with_class("button", "remove").map(|b| {
            b.attr("type", "button")
                .attr("data-ui", "detach")
                .attr("data-key", &upload.key.to_string())
                .attr("aria-label", &fill(ui.text(Text::RemoveAttachment), &name))
        });
        if let Some(remove) = &remove {
            el::append_icon(&remove.0, REMOVE_ICON);
        }
        let item = El::with_class("li", "file").map(|li| {
            let li = li.attr("data-state", state).child(El::new("span").map(|s| s.text(&text))).child(remove);
            if state == "uploading" {
                li.attr("aria-busy", "true")
            } else {
                li
            }
        });
        let _ = item.map(|item| list.append_child(&item.0));
    }
}

/// The conversation list: open, rename and delete conversations started here.
fn draw_threads(list: &Element, ui: &Ui) {
    // A rename in progress keeps its form (what the visitor typed, and the caret) when the
    // list is redrawn, e.g. because the server's list arrived meanwhile.
    let mut renaming = list
        .query_selector("form.rename")
        .ok()
        .flatten()
        .filter(|form| ui.editing.is_some() && thread_of(form) == ui.editing);
    el::clear(list);
    if ui.threads.is_empty() {
        let _ = El::with_class("li", "empty")
            .map(|li| list.append_child(&li.text(ui.text(Text::NoConversations)).0));
    }
    let button = |does: &str, label: &str, kind: &str| {
        El::with_class("button", does).map(|b| b.attr("type", kind).attr("data-do", does).text(label))
    };
    for thread in &ui.threads {
        let title = thread.title.as_deref().unwrap_or_else(|| ui.text(Text::Untitled));
        let Some(item) = El::with_class("li", "thread").map(|li| li.attr("data-thread", &thread.id)) else {
            continue;
        };
        let editing = ui.editing.as_deref() == Some(thread.id.as_str());
        let kept = if editing { renaming.take() } else { None };
        let item = if let Some(form) = kept {
            let _ = item.0.append_child(&form);
            item
        } else if editing {
            let input = El::new("input").map(|i| {
                i.attr("name", "title").attr("value", title).attr("aria-label", ui.text(Text::Rename))
            });
            let form = El::with_class("form", "rename").map(|f| {
                f.child(input).child(button("save", ui.text(Text::Save), "submit")).child(button(
                    "cancel",
                    ui.text(Text::Cancel),
                    "button",
                ))
            });
            item.child(form)
        } else {
            item.child(button("open", title, "button"))
                .child(button("rename", ui.text(Text::Rename), "button"))
                .child(button("delete", ui.text(Text::Delete), "button"))
        };
        let _ = list.append_child(&item.0);
    }
    focus(list.query_selector("input").ok().flatten());
}

fn thread_of(target: &Element) -> Option<String> {
    target.closest("[data-thread]").ok().flatten()?.get_attribute("data-thread")
}

/// The visitor is starting a turn: the log follows it.
fn follow() {
    with_screen(|screen| screen.follow_next = true);
}

/// Runs what a control in the message log asks for.
fn act(action: Option<LogAction>) {
    if matches!(action, Some(LogAction::Retry(_) | LogAction::Prompt(_) | LogAction::Widget(..))) {
        follow();
    }
    match action {
        Some(LogAction::Retry(id)) => chat::retry_entry(&id),
        Some(LogAction::Prompt(index)) => chat::send_prompt(index),
        Some(LogAction::Widget(item_id, action)) => chat::action(item_id, action),
        None => {}
    }
}

/// Every event the widget handles, delegated from its root (scroll, which does not bubble,
/// from the log). One function for all of them: one closure type in the wasm.
fn on_event(event: Event) {
    match event.type_().as_str() {
        "click" => on_click(&event),
        "keydown" => {
            if let Some(event) = event.dyn_ref::<KeyboardEvent>() {
                on_keydown(event);
            }
        }
        "input" => match event.target().map(|t| t.dyn_into::<HtmlTextAreaElement>()) {
            Some(Ok(area)) => chat::set_draft(area.value()),
            // The file picker (it fires `input` too).
            Some(Err(target)) => {
                let picker =
                    target.dyn_into::<HtmlInputElement>().ok().filter(|input| input.type_() == "file");
                if let Some(picker) = picker {
                    let mut files = Vec::new();
                    if let Some(list) = picker.files() {
                        for index in 0..list.length() {
                            files.extend(list.item(index));
                        }
                    }
                    chat::attach(files);
                    // The same file can be picked again.
                    picker.set_value("");
                }
            }
            None => {}
        },
        "submit" => {
            if let Some(event) = event.dyn_ref::<SubmitEvent>() {
                on_submit(event);
            }
        }
        "scroll" => {
            with_screen(|screen| toggle(&screen.jump, "hidden", screen.messages.at_bottom()));
        }
        _ => {}
    }
}

fn on_click(event: &Event) {
    let Some(button) = el::closest(event.target(), "button") else { return };
    // A submit button acts through its form's submit event.
    if button.get_attribute("type").as_deref() == Some("submit") {
        return;
    }
    if let Some(ui) = button.get_attribute("data-ui") {
        match ui.as_str() {
            "launcher" => chat::toggle(),
            "close" => chat::set_open(false),
            "back" => chat::show_history(false),
            "list" => chat::show_history(true),
            "new" => chat::new_thread(),
            "stop" => chat::stop(),
            "attach" => {
                let input = button
                    .parent_element()
                    .and_then(|form| form.query_selector(".file-input").ok().flatten());
                if let Some(input) = input.and_then(|input| input.dyn_into::<HtmlElement>().ok()) {
                    input.click();
                }
            }
            "detach" => {
                if let Some(key) = button.get_attribute("data-key").and_then(|key| key.parse().ok()) {
                    chat::detach(key);
                }
            }
            _ => {}
        }
        return;
    }
    if let Some(does) = button.get_attribute("data-do") {
        let Some(id) = thread_of(&button) else { return };
        match does.as_str() {
            "open" => chat::open_thread(id),
            "rename" => chat::edit_thread(Some(id)),
            "cancel" => chat::edit_thread(None),
            "delete" => chat::delete_thread(id),
            _ => {}
        }
        return;
    }
    let copied = chat::with_state(|ui, _| ui.text(Text::Copied).to_owned()).unwrap_or_default();
    let action = with_screen(|screen| match button.get_attribute("data-action").as_deref() {
        Some("copy") => {
            let bubble = button
                .closest("article")
                .ok()
                .flatten()
                .and_then(|a| a.query_selector(".bubble").ok().flatten());
            let text = bubble
                .and_then(|b| b.dyn_into::<HtmlElement>().ok())
                .map(|b| b.inner_text())
                .unwrap_or_default();
            screen.copy(&text, button.clone(), &copied);
            None
        }
        Some("copy-code") => {
            let code =
                button.closest(".code").ok().flatten().and_then(|c| c.query_selector("code").ok().flatten());
            screen.copy(&code.and_then(|c| c.text_content()).unwrap_or_default(), button.clone(), &copied);
            None
        }
        Some("jump") => {
            screen.messages.scroll_to_bottom();
            None
        }
        _ => screen.messages.action_at(&button),
    });
    act(action.flatten());
}

fn on_keydown(event: &KeyboardEvent) {
    match event.key().as_str() {
        "Escape" => {
            let floating_open =
                chat::with_state(|ui, _| ui.open && ui.config.mode == Mode::Bubble).unwrap_or(false);
            if floating_open {
                event.stop_propagation();
                chat::set_open(false);
            }
        }
        // Enter sends; Shift+Enter is a newline; Enter while an IME composes is the IME's.
        "Enter"
            if !event.shift_key()
                && !event.is_composing()
                && event.key_code() != 229
                && event.target().is_some_and(|t| t.has_type::<HtmlTextAreaElement>()) =>
        {
            event.prevent_default();
            follow();
            chat::submit();
        }
        _ => {}
    }
}

fn on_submit(event: &SubmitEvent) {
    event.prevent_default();
    let Some(form) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    if form.class_list().contains("composer") {
        follow();
        chat::submit();
    } else if form.class_list().contains("rename") {
        let title =
            form.query_selector("input").ok().flatten().and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
        match (thread_of(&form), title) {
            (Some(id), Some(title)) => chat::rename_thread(id, title.value()),
            _ => chat::edit_thread(None),
        }
    } else {
        // A widget's form: the action is its submitter's (or the form's own).
        let target = event.submitter().map(Element::from).unwrap_or(form);
        act(with_screen(|screen| screen.messages.action_at(&target)).flatten());
    }
}
