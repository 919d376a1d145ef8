//! The browser glue: thin layers around the pure core.
//!
//! [`api`] is the JavaScript surface the loader calls; [`dom`] owns the `<orcheo-chat>` host
//! and its stylesheets; [`view`] is the Leptos UI inside the shadow root; [`js`] holds the
//! helpers at the JavaScript boundary.

pub mod api;
pub mod dom;
pub mod js;
pub mod json;
pub mod view;
