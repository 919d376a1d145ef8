//! The composer: attached files (each with its state and Remove), Attach, the text box (Enter
//! sends, Shift+Enter is a newline, Enter while an IME composes is the IME's), and Send, which
//! becomes Stop while a reply streams.

use leptos::html;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::i18n::{fill, PanelText, Text};
use crate::session::{Input, Status, Upload, UploadState};
use crate::web::launcher::{icons, sends_message, Icon, TRUE};
use crate::web::panel::controller::PanelState;
use crate::web::panel::markdown::markdown_view;
use crate::web::panel::node::Node;
use crate::web::panel::view::{Chat, KeyedList, Row};

/// What the file picker offers: the text formats Orcheo's upload endpoint stores.
const ACCEPT: &str = ".txt,.md,.json,.csv,.log,text/plain,text/markdown,application/json,text/csv";

/// The composer.
#[component]
pub fn Composer(
    /// The panel stage's handle.
    chat: Chat,
) -> impl IntoView {
    let (shell, view) = (chat.shell, chat.view);
    let picker = NodeRef::<html::Input>::new();
    let uploading = move || view.read(PanelState::uploading);
    let closed = move || view.read(|state| state.closed.clone());
    let queued = move || view.read(|state| state.queued);
    let can_send = move || {
        view.read(|state| {
            matches!(state.status, Status::Ready | Status::Connecting) && state.closed.is_none()
        }) && !uploading()
            && !queued()
            && !view.read(|state| state.cooling_down)
            && !shell.draft.with(|draft| draft.trim().is_empty())
    };
    let placeholder = move || match (
        view.read(|state| state.status == Status::Unconfigured),
        shell.config(|config| config.placeholder.clone()).flatten(),
    ) {
        (true, _) => chat.text(PanelText::NotConfigured),
        (_, Some(placeholder)) => placeholder,
        _ => fill(&chat.text(Text::Placeholder), &[("title", &shell.title())]),
    };
    let submit = move || {
        chat.follow();
        chat.send(Input::Submit { draft: shell.draft.get_untracked() });
    };
    let on_keydown = move |event: KeyboardEvent| {
        if sends_message(&event) {
            event.prevent_default();
            submit();
        }
    };
    let on_pick = move |_| {
        let Some(input) = picker.get_untracked() else { return };
        let mut files = Vec::new();
        if let Some(list) = input.files() {
            for index in 0..list.length() {
                files.extend(list.item(index));
            }
        }
        chat.attach(files);
        // The same file can be picked again.
        input.set_value("");
    };
    view! {
        <form
            class="composer"
            part="composer"
            hidden=move || view.read(|state| state.history.showing)
            on:submit=move |event| {
                event.prevent_default();
                submit();
            }
        >
            <p class="closed" role="status" hidden=move || closed().is_none()>
                {move || closed().map(|error| shell.error_text(&error))}
            </p>
            <ul class="files" hidden=move || view.read(|state| state.uploads.is_empty())>
                <KeyedList rows=Signal::derive(move || {
                    view.read(|state| {
                        state
                            .uploads
                            .iter()
                            .map(|upload| {
                                let shown = upload.clone();
                                let state = match upload.state {
                                    UploadState::Uploading => 'u',
                                    UploadState::Ready(_) => 'r',
                                    UploadState::Failed => 'f',
                                };
                                let key = format!("{}{state}", upload.key);
                                Row::new(key, move || view! { <FileChip chat=chat upload=shown.clone()/> }.into_any())
                            })
                            .collect()
                    })
                })/>
            </ul>
            <button
                class="icon-button attach"
                type="button"
                hidden=move || !shell.config(|config| config.attachments).unwrap_or(false)
                aria-label=move || chat.text(PanelText::Attach)
                on:click=move |_| {
                    if let Some(picker) = picker.get_untracked() {
                        picker.click();
                    }
                }
            >
                <Icon path=icons::ATTACH/>
            </button>
            <input
                class="file-input"
                type="file"
                multiple=true
                accept=ACCEPT
                tabindex="-1"
                aria-hidden=TRUE
                hidden=true
                node_ref=picker
                on:change=on_pick
            />
            <textarea
                class="input"
                node_ref=shell.refs.composer
                rows=move || shell.draft.with(|draft| draft.split('\n').count().clamp(1, 6)).to_string()
                aria-label=move || chat.text(Text::MessageLabel)
                placeholder=placeholder
                disabled=move || {
                    view.read(|state| {
                        matches!(state.status, Status::Unconfigured | Status::Blocked)
                            || state.closed.is_some()
                            || state.queued
                    })
                }
                // A message waiting for the connection shows in the log, not here.
                prop:value=move || if queued() { String::new() } else { shell.draft.get() }
                on:input=move |event| shell.set_draft(event_target_value(&event))
                on:keydown=on_keydown
            ></textarea>
            <button
                class="send"
                type="submit"
                aria-label=move || chat.text(PanelText::Send)
                hidden=move || view.read(|state| state.busy)
                disabled=move || !can_send()
            >
                <Icon path=icons::SEND class="icon flip"/>
            </button>
            // `stop`: ignores the pointer for its first half second (style/panel.css), so the
            // second click of a double click on Send does not land on it.
            <button
                class="send stop"
                type="button"
                aria-label=move || chat.text(PanelText::Stop)
                hidden=move || !view.read(|state| state.busy)
                on:click=move |_| chat.send(Input::Stop)
            >
                <Icon path=icons::STOP/>
            </button>
        </form>
    }
}

/// Under the composer: the model picker (when the workflow offers more than one model) and
/// the embedder's disclaimer, as markdown.
#[component]
pub fn ComposerFoot(
    /// The panel stage's handle.
    chat: Chat,
) -> impl IntoView {
    let view = chat.view;
    let options = Signal::derive(move || {
        view.read(|state| {
            state
                .models
                .iter()
                .map(|model| {
                    let (id, label) = (model.id.clone(), model.label.clone());
                    // Keyed by whether it is chosen: an option drawn `selected` is the choice.
                    let selected = state.model.as_deref() == Some(id.as_str());
                    Row::new(format!("{id}\u{0}{label}\u{0}{selected}"), move || {
                        Node::new("option")
                            .attr("value", id.clone())
                            .attr_if("selected", selected.then(String::new))
                            .text(label.clone())
                            .build()
                    })
                })
                .collect()
        })
    });
    let disclaimer = move || {
        chat.shell.config(|config| config.disclaimer.clone()).flatten().map(|text| markdown_view(chat, &text))
    };
    view! {
        <div class="composer-foot" hidden=move || view.read(|state| state.history.showing)>
            <select
                class="model"
                aria-label=move || chat.text(PanelText::Model)
                hidden=move || view.read(|state| state.models.len() < 2)
                on:change=move |event| chat.send(Input::Model(event_target_value(&event)))
            >
                <KeyedList rows=options/>
            </select>
            <div class="disclaimer">{disclaimer}</div>
        </div>
    }
}

/// A file attached to the next message.
#[component]
fn FileChip(chat: Chat, upload: Upload) -> impl IntoView {
    let Upload { key, name, state } = upload;
    let (state_name, text) = match state {
        UploadState::Uploading => ("uploading", name.clone()),
        UploadState::Ready(_) => ("ready", name.clone()),
        UploadState::Failed => ("failed", fill(&chat.text(PanelText::UploadFailed), &[("name", &name)])),
    };
    let remove = fill(&chat.text(PanelText::RemoveAttachment), &[("name", &name)]);
    view! {
        <li class="file" data-state=state_name aria-busy=(state_name == "uploading").then_some(TRUE)>
            <span>{text}</span>
            <button class="remove" type="button" aria-label=remove on:click=move |_| chat.send(Input::Detach { key })>
                <Icon path=icons::CLOSE/>
            </button>
        </li>
    }
}
