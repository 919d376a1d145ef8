//! When the widget's second stage loads.
//!
//! The script tag brings only the launcher stage: the loader, the Leptos runtime, the options,
//! persistence and the launcher. Everything behind the launcher (the panel, markdown, widgets,
//! the ChatKit client) is a separate wasm chunk. This module decides when to fetch it, from the
//! embed's `data-preload`, what the browser says about the connection, and what the last page
//! load left behind (the embed contract §1, `data-preload`).

use crate::config::{Config, Mode, Preload};
use crate::persist::Snapshot;

/// What the browser reports about the connection (`navigator.connection`, where it exists).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkHints {
    /// The visitor asked to save data (`saveData`).
    pub save_data: bool,
    /// `effectiveType`: `slow-2g`, `2g`, `3g` or `4g`.
    pub effective_type: Option<String>,
}

/// The policy in force: `idle` behaves as `intent` when the visitor saves data or is on a 2G
/// connection, where an unasked-for download costs them money or time.
pub fn effective_preload(preload: Preload, network: &NetworkHints) -> Preload {
    let slow = matches!(network.effective_type.as_deref(), Some("slow-2g" | "2g"));
    match preload {
        Preload::Idle if network.save_data || slow => Preload::Intent,
        other => other,
    }
}

/// Why the panel stage must load as soon as the launcher is up, if it must.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadAtOnce {
    /// The panel is always on screen (`inline` or `fullscreen` mode).
    AlwaysShown,
    /// `data-open="true"`.
    OpenOption,
    /// The visitor left the panel open on the previous page.
    WasOpen,
    /// A reply was in flight when the previous page went away.
    ReplyInFlight,
}

/// Whether the panel must load right away, and why; `None` leaves it to the preload policy.
pub fn load_at_once(config: &Config, mode: Mode, snapshot: Option<&Snapshot>) -> Option<LoadAtOnce> {
    if mode != Mode::Bubble {
        Some(LoadAtOnce::AlwaysShown)
    } else if config.open {
        Some(LoadAtOnce::OpenOption)
    } else if snapshot.is_some_and(|s| s.asked.is_object()) {
        Some(LoadAtOnce::ReplyInFlight)
    } else if snapshot.is_some_and(|s| s.open) {
        Some(LoadAtOnce::WasOpen)
    } else {
        None
    }
}

/// What the launcher saw the visitor do, or what the page did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// The page finished loading and the browser is idle.
    Idle,
    /// Pointer over, focus on, or touch of the launcher.
    Intent,
    /// The launcher was clicked, or the panel opened by any means.
    Open,
    /// An API call that needs the panel stage (`send`, `newThread`, ...).
    Api,
}

/// What a trigger does to the panel stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Load {
    /// Nothing yet.
    Nothing,
    /// Fetch and compile it (streaming compilation, off the main thread) and nothing else: no
    /// instance, no mount, no request to the backend (the visitor has not acted).
    Compile,
    /// Fetch, instantiate and mount it, and connect: the visitor acted (or the page did).
    Run,
}

/// What `trigger` does to the panel stage under `policy`: an idle browser only compiles it
/// (`idle`); the visitor's intent, a click or an API call runs it.
pub fn load_for(policy: Preload, trigger: Trigger) -> Load {
    match trigger {
        Trigger::Open | Trigger::Api => Load::Run,
        Trigger::Intent if policy != Preload::None => Load::Run,
        Trigger::Idle if policy == Preload::Idle => Load::Compile,
        Trigger::Intent | Trigger::Idle => Load::Nothing,
    }
}

/// Where the panel stage stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelStage {
    /// Not asked for yet.
    Waiting,
    /// Being fetched and compiled.
    Loading,
    /// Mounted and running.
    Ready,
    /// The last attempt failed; the frame shows a sentence and Retry.
    Failed,
}

impl PanelStage {
    /// Whether a load should start now (a failed load starts again when asked for again).
    pub fn should_start(self) -> bool {
        matches!(self, PanelStage::Waiting | PanelStage::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(save_data: bool, effective_type: Option<&str>) -> NetworkHints {
        NetworkHints { save_data, effective_type: effective_type.map(str::to_owned) }
    }

    #[test]
    fn idle_waits_for_intent_when_the_visitor_saves_data_or_is_on_2g() {
        assert_eq!(effective_preload(Preload::Idle, &hints(false, Some("4g"))), Preload::Idle);
        assert_eq!(effective_preload(Preload::Idle, &hints(false, None)), Preload::Idle);
        assert_eq!(effective_preload(Preload::Idle, &hints(true, Some("4g"))), Preload::Intent);
        assert_eq!(effective_preload(Preload::Idle, &hints(false, Some("2g"))), Preload::Intent);
        assert_eq!(effective_preload(Preload::Idle, &hints(false, Some("slow-2g"))), Preload::Intent);
        assert_eq!(effective_preload(Preload::None, &hints(true, Some("2g"))), Preload::None);
        assert_eq!(effective_preload(Preload::Intent, &hints(false, Some("4g"))), Preload::Intent);
    }

    #[test]
    fn idle_only_compiles_and_the_visitor_or_the_page_runs_the_panel_stage() {
        use Load::{Compile, Nothing, Run};
        use Trigger::*;
        let loads = |policy| [Idle, Intent, Open, Api].map(|trigger| load_for(policy, trigger));
        assert_eq!(loads(Preload::Idle), [Compile, Run, Run, Run]);
        assert_eq!(loads(Preload::Intent), [Nothing, Run, Run, Run]);
        assert_eq!(loads(Preload::None), [Nothing, Nothing, Run, Run]);
    }

    #[test]
    fn an_open_or_busy_panel_loads_at_once() {
        let config = Config::default();
        assert_eq!(load_at_once(&config, Mode::Bubble, None), None);
        assert_eq!(load_at_once(&config, Mode::Inline, None), Some(LoadAtOnce::AlwaysShown));
        assert_eq!(load_at_once(&config, Mode::Fullscreen, None), Some(LoadAtOnce::AlwaysShown));
        let open = Config { open: true, ..Config::default() };
        assert_eq!(load_at_once(&open, Mode::Bubble, None), Some(LoadAtOnce::OpenOption));
        let was_open = Snapshot { open: true, ..Snapshot::default() };
        assert_eq!(load_at_once(&config, Mode::Bubble, Some(&was_open)), Some(LoadAtOnce::WasOpen));
        let asked = crate::persist::Asked { at: 1.0, ..Default::default() };
        let pending = Snapshot { asked: asked.to_value(), ..Snapshot::default() };
        assert_eq!(load_at_once(&config, Mode::Bubble, Some(&pending)), Some(LoadAtOnce::ReplyInFlight));
        assert_eq!(load_at_once(&config, Mode::Bubble, Some(&Snapshot::default())), None);
    }

    #[test]
    fn a_failed_load_can_start_again_but_a_running_one_is_not_doubled() {
        assert!(PanelStage::Waiting.should_start());
        assert!(PanelStage::Failed.should_start());
        assert!(!PanelStage::Loading.should_start());
        assert!(!PanelStage::Ready.should_start());
    }
}
