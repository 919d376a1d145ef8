//! The split points: between the launcher stage and the panel stage, and between the panel
//! stage and the widget stage.
//!
//! With the `split` feature (the shipped build), [`load_panel`] fetches the panel stage's wasm
//! chunk, instantiates it against the launcher stage's memory and table, and calls into it.
//! This is Leptos's code splitting (`leptos::wasm_split`, the machinery behind `#[lazy]`) with
//! its `fallible` option: `#[lazy]` in Leptos 0.8 does not pass that option on, and without it a
//! chunk that fails to load panics, which on someone else's page would kill the widget. With
//! `fallible` a failed load is an error the frame shows with Retry, and the next attempt fetches
//! again. Without the feature (tests, dev builds) the panel stage is linked in and the call is
//! direct.
//!
//! The boundary is deliberately coarse: one function that takes the launcher stage's state
//! (a box, so the crossing passes one pointer) and returns the mounted stage.

use std::fmt;

use leptos::prelude::Owner;

use crate::web::panel;
use crate::web::panel::view::Chat;
use crate::web::shell::{PanelHandle, Shell};
use crate::web::widgets::{self, WidgetStage};

/// Why the panel stage is not running.
#[derive(Debug)]
pub enum PanelLoadError {
    /// Its chunk could not be fetched or instantiated (network, integrity, CSP).
    Fetch,
    /// It loaded but could not mount.
    Mount(String),
}

impl fmt::Display for PanelLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PanelLoadError::Fetch => f.write_str("its file could not be fetched"),
            PanelLoadError::Mount(why) => write!(f, "it could not mount: {why}"),
        }
    }
}

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for PanelLoadError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PanelLoadError::Fetch
    }
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(panel, fallible, wasm_split_path = ::leptos::wasm_split)]
fn start_panel(shell: Box<Shell>) -> Result<Box<PanelHandle>, PanelLoadError> {
    panel::start(*shell).map(Box::new)
}

/// Loads (once loaded: just runs) the panel stage and mounts it into the shell's panel.
///
/// # Errors
/// When its chunk cannot be loaded, or it cannot mount.
pub async fn load_panel(shell: Shell) -> Result<PanelHandle, PanelLoadError> {
    #[cfg(feature = "split")]
    {
        start_panel(Box::new(shell)).await.map(|handle| *handle)
    }
    #[cfg(not(feature = "split"))]
    {
        panel::start(shell)
    }
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(widgets, fallible, wasm_split_path = ::leptos::wasm_split)]
fn start_widgets(args: Box<(Chat, Owner)>) -> Result<Box<WidgetStage>, PanelLoadError> {
    let (chat, owner) = *args;
    owner.with(|| widgets::start(chat)).map(Box::new).ok_or_else(destroyed)
}

/// Loads (once loaded: just runs) the widget stage and starts it in the panel stage's `owner`.
///
/// # Errors
/// When its chunk cannot be loaded, or the panel was destroyed meanwhile.
pub async fn load_widgets(chat: Chat, owner: Owner) -> Result<WidgetStage, PanelLoadError> {
    #[cfg(feature = "split")]
    {
        start_widgets(Box::new((chat, owner))).await.map(|stage| *stage)
    }
    #[cfg(not(feature = "split"))]
    {
        owner.with(|| widgets::start(chat)).ok_or_else(destroyed)
    }
}

/// The panel stopped while the widget stage loaded.
fn destroyed() -> PanelLoadError {
    PanelLoadError::Mount("the panel was destroyed".into())
}
