//! The browser glue: thin layers around the pure core.
//!
//! [`api`] is the JavaScript surface the loader calls; [`chat`] is the controller that runs
//! turns and holds what the panel shows; [`view`] is the Leptos markup inside the shadow root
//! that [`dom`] creates, kept in step with the controller by [`screen`] (with [`messages`]
//! drawing the log through [`el`]); [`client`], [`auth`] and [`net`] talk to Orcheo;
//! [`storage`] and [`json`] adapt the browser to the core's traits; [`js`] holds small
//! boundary helpers.

pub mod api;
pub mod auth;
pub mod chat;
pub mod client;
pub mod dom;
pub mod el;
pub mod js;
pub mod json;
pub mod messages;
pub mod net;
pub mod screen;
pub mod storage;
pub mod view;
