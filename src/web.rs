//! The browser glue, in two stages.
//!
//! **The launcher stage** is what the script tag loads: [`entry`] (the functions the loader
//! calls), [`shell`] (the state both stages share: options, strings, open state, the composer's
//! text, the API's command queue, and the panel stage's loading), [`host`] (the shadow root and
//! its stylesheets), [`launcher`] (the launcher and the panel's frame, as Leptos components),
//! [`storage`] (web storage and the persisted snapshot), [`json`] and [`js`] (small boundary
//! helpers), and [`split`], the one split point.
//!
//! **The panel stage** ([`panel`]) is everything behind the launcher: the panel's components,
//! markdown and widgets, the conversation list, attachments, and the ChatKit client with its
//! controller. In the shipped build it is a separate wasm chunk, fetched when it is wanted.
//!
//! A turn flows: the composer (or `OrcheoChat.send()`) gives the controller an input; the pure
//! [`crate::session::Session`] decides and returns effects; the controller opens the stream
//! with gloo-net, feeds each SSE event back as an input, and mirrors the session into signals;
//! the components redraw what those signals say changed.

pub mod entry;
pub mod host;
pub mod js;
pub mod json;
pub mod launcher;
pub mod panel;
pub mod shell;
pub mod split;
pub mod storage;
pub mod widgets;
