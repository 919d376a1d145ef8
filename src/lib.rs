//! # orcheo-chat
//!
//! A chat widget for workflows published on an [Orcheo](https://github.com/AI-Colleagues/orcheo)
//! backend, compiled to WebAssembly and embedded with one `<script>` tag.
//!
//! The crate has two layers, and the compiler keeps them apart:
//!
//! * **The pure core** (always built): [`sse`] decodes `text/event-stream` bytes, [`protocol`]
//!   speaks ChatKit, [`thread`] reduces stream events into a conversation, [`error`] turns
//!   failures into what a visitor reads, [`config`] validates the embed options, [`token`]
//!   decides when a session token needs refreshing, and [`persist`] is the versioned snapshot
//!   that survives reloads. None of it imports `web-sys`, `js-sys` or `leptos`:
//!   `cargo test --no-default-features` builds and tests it natively.
//! * **The browser glue** (feature `web`, on by default): fetch and stream reading, storage,
//!   the Leptos view inside a shadow root, and the `window.OrcheoChat` API.
//!
//! Data flows one way: `fetch` → [`sse::SseDecoder`] → [`protocol::StreamEvent`] →
//! [`thread::ThreadState::apply`] → signals → view.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![deny(missing_docs)]

pub mod config;
pub mod error;
pub mod i18n;
pub mod json;
pub mod markdown;
pub mod persist;
pub mod protocol;
pub mod session;
pub mod sse;
pub mod stage;
pub mod theme;
pub mod thread;
pub mod time;
pub mod token;

#[cfg(feature = "web")]
pub mod web;
