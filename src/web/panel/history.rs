//! The conversation list: open, rename and delete the conversations started here. Rows are
//! keyed by conversation and title, so a list that arrives from the server while the visitor
//! renames one keeps the row being edited (and what they typed) as it is.

use leptos::html;
use leptos::prelude::*;

use crate::i18n::PanelText;
use crate::protocol::ThreadMeta;
use crate::session::Input;
use crate::web::js::AnimationFrame;
use crate::web::panel::view::{Chat, KeyedList, Row};

/// How close to the list's end (px) the next page is asked for.
const NEAR_END_PX: i32 = 120;

/// The list.
#[component]
pub fn ConversationList(
    /// The panel stage's handle.
    chat: Chat,
) -> impl IntoView {
    let rows = Signal::derive(move || {
        chat.view.read(|state| {
            state
                .history
                .threads
                .iter()
                .map(|thread| {
                    let shown = thread.clone();
                    let key = format!("{}:{}", thread.id, thread.title.as_deref().unwrap_or_default());
                    Row::new(key, move || view! { <ThreadRow chat=chat thread=shown.clone()/> }.into_any())
                })
                .collect()
        })
    });
    let empty = move || chat.view.read(|state| state.history.threads.is_empty() && !state.history.more);
    let list = NodeRef::<html::Ul>::new();
    // The next page comes when the visitor scrolls near the end (or uses the button).
    let near_end = move || {
        list.get_untracked()
            .is_some_and(|list| list.scroll_height() - list.scroll_top() - list.client_height() < NEAR_END_PX)
    };
    view! {
        <div class="history">
            <ul node_ref=list on:scroll=move |_| if near_end() { chat.send(Input::MoreThreads) }>
                <Show when=empty>
                    <li class="empty">{move || chat.text(PanelText::NoConversations)}</li>
                </Show>
                <KeyedList rows=rows/>
                <li class="more" hidden=move || !chat.view.read(|state| state.history.more)>
                    <button
                        type="button"
                        on:click=move |_| chat.send(Input::MoreThreads)
                    >
                        {move || chat.text(PanelText::MoreConversations)}
                    </button>
                </li>
            </ul>
        </div>
    }
}

/// One conversation: its title (opens it), Rename and Delete; or the rename form.
#[component]
fn ThreadRow(chat: Chat, thread: ThreadMeta) -> impl IntoView {
    let ThreadMeta { id, title, .. } = thread;
    let editing = {
        let id = id.clone();
        Memo::new(move |_| chat.view.read(|state| state.history.editing.as_deref() == Some(id.as_str())))
    };
    let row_id = id.clone();
    view! {
        <li class="thread" data-thread=row_id>
            {move || {
                let (id, title) = (id.clone(), title.clone());
                if editing.get() {
                    view! { <RenameForm chat=chat id=id title=title/> }.into_any()
                } else {
                    let shown = title.unwrap_or_else(|| chat.text(PanelText::Untitled));
                    let (open, rename, delete) = (id.clone(), id.clone(), id);
                    view! {
                        <button class="open" type="button" on:click=move |_| chat.send(Input::OpenThread { thread_id: open.clone() })>
                            {shown}
                        </button>
                        <button class="rename" type="button" on:click=move |_| chat.send(Input::EditThread(Some(rename.clone())))>
                            {chat.text(PanelText::Rename)}
                        </button>
                        <button class="delete" type="button" on:click=move |_| chat.send(Input::DeleteThread { thread_id: delete.clone() })>
                            {chat.text(PanelText::Delete)}
                        </button>
                    }
                    .into_any()
                }
            }}
        </li>
    }
}

/// Renaming a conversation: the title in a text box (focused), Save and Cancel.
#[component]
fn RenameForm(chat: Chat, id: String, title: Option<String>) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    let focus = StoredValue::new_local(None::<AnimationFrame>);
    focus.set_value(Some(AnimationFrame::new(move || {
        if let Some(input) = input.get_untracked() {
            let _ = input.focus();
        }
    })));
    let value = title.unwrap_or_else(|| chat.text(PanelText::Untitled));
    view! {
        <form
            class="rename"
            on:submit=move |event| {
                event.prevent_default();
                let title = input.get_untracked().map(|input| input.value()).unwrap_or_default();
                chat.send(Input::RenameThread { thread_id: id.clone(), title });
            }
        >
            <input name="title" node_ref=input prop:value=value aria-label=move || chat.text(PanelText::Rename)/>
            <button class="save" type="submit">{chat.text(PanelText::Save)}</button>
            <button class="cancel" type="button" on:click=move |_| chat.send(Input::EditThread(None))>
                {chat.text(PanelText::Cancel)}
            </button>
        </form>
    }
}
