//! Asking again, on the next page, for an answer the previous page did not live to see.
//!
//! A visitor asks, then follows a link while the workflow works. Orcheo finishes the run whose
//! request was cut and throws its reply away: the conversation keeps the question and nothing
//! after it. The previous page left a note of what it was waiting for ([`Asked`]); once this page
//! has restored the conversation, [`plan`] decides what to do with it. The rules:
//! - a question the server stored and nothing answered is asked again
//!   (`threads.retry_after_item`: the question is not stored twice);
//! - a question the server never stored (the page went before it arrived) is sent again;
//! - both only once per question, and only within [`RESUME_WINDOW_MS`] of asking; past that,
//!   or for a turn that was not a question (a widget action), the conversation says the answer
//!   was interrupted and offers Retry where it can help;
//! - nothing for a question already answered, one the conversation went on from, or one asked
//!   in another conversation. A question the visitor stopped leaves no note.

use crate::persist::Asked;
use crate::protocol::ItemBody;
use crate::thread::{EntryKind, RetryTarget, ThreadState};

/// How long after asking a page still asks for the answer by itself (five minutes: a visitor
/// reading a few pages; a tab left for longer is asked with Retry).
pub const RESUME_WINDOW_MS: f64 = 5.0 * 60.0 * 1000.0;

/// What to do about a turn the previous page left in flight.
#[derive(Clone, Debug, PartialEq)]
pub enum Resume {
    /// Nothing is missing (or nothing can be done).
    Nothing,
    /// Ask for the answer to this stored question again.
    RetryAfter(String),
    /// The server never stored the question: send it again.
    Resend(String),
    /// Say the answer was interrupted, with what Retry does.
    Interrupted(Option<RetryTarget>),
}

/// Decides what to do about `asked` in the restored conversation `thread`, at `now` (ms since
/// the Unix epoch).
pub fn plan(asked: &Asked, thread: &ThreadState, now: f64) -> Resume {
    if asked.thread_id != thread.id {
        return Resume::Nothing;
    }
    let by_itself = !asked.resumed && (now - asked.at).abs() <= RESUME_WINDOW_MS;
    let entries = &thread.entries;
    let is_user = |kind: &EntryKind| matches!(kind, EntryKind::Item { body: ItemBody::User(_), .. });
    let last_user = entries.iter().rposition(|entry| is_user(&entry.kind));
    let question = match (&asked.item_id, &asked.text) {
        (Some(id), _) => entries.iter().position(|entry| &entry.id == id),
        // Not confirmed: the newest user message, if it came after what was shown when it
        // was asked, and has its words.
        (None, Some(text)) => {
            let from = asked.after.as_ref().and_then(|id| entries.iter().position(|entry| &entry.id == id));
            last_user.filter(|&index| {
                from.is_none_or(|from| index > from)
                    && thread.user_text(&entries[index].id).map(str::trim) == Some(text.trim())
            })
        }
        // A widget action or an answer to the server: its result was lost with the page.
        (None, None) => {
            return if by_itself { Resume::Interrupted(None) } else { Resume::Nothing };
        }
    };
    let Some(index) = question else {
        return match (&asked.item_id, &asked.text) {
            (None, Some(text)) if by_itself => Resume::Resend(text.clone()),
            (None, Some(text)) => Resume::Interrupted(Some(RetryTarget::Resend(text.clone()))),
            // A stored question the conversation no longer holds.
            _ => Resume::Nothing,
        };
    };
    // Anything after the question answers it (or the conversation went on without it).
    let answered = entries[index + 1..].iter().any(|entry| matches!(entry.kind, EntryKind::Item { .. }));
    let id = entries[index].id.clone();
    if answered || !is_user(&entries[index].kind) {
        Resume::Nothing
    } else if by_itself {
        Resume::RetryAfter(id)
    } else {
        Resume::Interrupted(Some(RetryTarget::RetryAfter(id)))
    }
}
