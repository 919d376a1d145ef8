//! # orcheo-chat
//!
//! A chat widget for workflows published on an [Orcheo](https://github.com/AI-Colleagues/orcheo)
//! backend, compiled to WebAssembly and embedded with one `<script>` tag.
//!
//! The crate has two layers, and the compiler keeps them apart:
//!
//! * **The pure core** (always built): [`sse`] decodes `text/event-stream` bytes, [`protocol`]
//!   speaks ChatKit, [`thread`] reduces stream events into a conversation, [`session`] makes the
//!   controller's decisions (a state machine from inputs to effects: turns, Stop, Retry, the
//!   rate-limit cool-down, connecting, restoring and switching conversations, option changes),
//!   [`stage`] decides when the panel stage loads, [`error`] turns failures into what a visitor
//!   reads, [`config`] validates the embed options, [`token`] decides when a session token
//!   needs refreshing, and [`persist`] is the versioned snapshot that survives reloads. None of
//!   it imports `web-sys`, `js-sys` or `leptos`: `cargo test --no-default-features` builds and
//!   tests it natively.
//! * **The browser glue** (feature `web`, on by default), in two stages: the launcher stage
//!   (what the script tag loads) and the panel stage (loaded when it is wanted; a separate wasm
//!   chunk with the `split` feature). See [`web`].
//!
//! Data flows one way: `fetch` → [`sse::SseDecoder`] → [`session::Session::update`] (which
//! applies [`protocol::StreamEvent`]s with [`thread::ThreadState::apply`]) → signals → view.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![deny(missing_docs)]

pub mod config;
pub mod error;
pub mod i18n;
pub mod images;
pub mod json;
pub mod markdown;
pub mod persist;
pub mod protocol;
pub mod session;
pub mod sse;
pub mod stage;
pub mod text;
pub mod theme;
pub mod thread;
pub mod time;
pub mod token;
pub mod widget;

#[cfg(feature = "web")]
pub mod web;
