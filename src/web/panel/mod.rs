//! The panel stage: everything behind the launcher, loaded when it is wanted (see
//! [`crate::stage`]). In the shipped build it is its own wasm chunk.
//!
//! [`start`] mounts the [`view::Panel`] into the launcher stage's panel and starts the
//! [`controller::Controller`], which connects to Orcheo through [`client`] (gloo-net, with
//! [`auth`] for JWT mode and [`http`] for the wire). The view is Leptos components, one per
//! part: `view` (the panel and its header), [`log`] (the message list and each message),
//! [`markdown`] (reply content; widgets are the widget stage's, [`crate::web::widgets`]), [`composer`] and [`history`] (the conversation
//! list). Components reach the controller through the [`view::Chat`] context.

pub mod auth;
pub mod client;
pub mod composer;
pub mod controller;
pub mod history;
pub mod http;
pub mod log;
pub mod markdown;
pub mod node;
pub mod tabs;
pub mod view;

use std::rc::Rc;

use leptos::prelude::*;

use crate::web::js;
use crate::web::json::BrowserJson;
use crate::web::panel::controller::Controller;
use crate::web::panel::view::{Chat, Panel};
use crate::web::shell::{PanelHandle, Shell};
use crate::web::split::PanelLoadError;

/// The panel stage's stylesheet (adopted after the launcher stage's).
const PANEL_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/panel.css"));

/// The running panel stage; dropping it stops the controller, unmounts the view and disposes
/// the stage's reactive state, in that order.
struct Running {
    controller: Rc<Controller>,
    view: Option<Box<dyn std::any::Any>>,
    owner: Owner,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.controller.stop();
        self.view.take();
        self.owner.cleanup();
    }
}

/// Checks the options the launcher stage kept for the panel stage (see
/// [`crate::config::PANEL_OPTIONS`]), warning once per bad value.
pub fn resolve_options(shell: Shell) {
    if !shell.settings.try_with_untracked(|settings| settings.config.has_unresolved()).unwrap_or(false) {
        return;
    }
    let mut warnings = Vec::new();
    shell.settings.update(|settings| warnings = settings.config.resolve_panel(&BrowserJson));
    for warning in warnings {
        js::warn(&warning.0);
    }
}

/// Mounts the panel stage into the shell's panel and starts connecting.
///
/// # Errors
/// When the launcher stage's panel is not on the page.
pub fn start(shell: Shell) -> Result<PanelHandle, PanelLoadError> {
    let mount = shell
        .refs
        .mount
        .try_get_untracked()
        .flatten()
        .ok_or_else(|| PanelLoadError::Mount("the panel is not on the page".into()))?;
    let container: web_sys::HtmlElement = mount.into();
    shell.with_host(|host| host.adopt(PANEL_CSS));
    resolve_options(shell);
    let owner = Owner::new();
    let (controller, view) = owner.with(|| {
        let controller = Controller::new(shell);
        let chat = Chat::new(Rc::clone(&controller));
        controller.set_owner(owner.clone(), chat);
        let view = leptos::mount::mount_to(container, move || view! { <Panel chat=chat/> });
        (controller, view)
    });
    controller.start();
    let commands = Rc::clone(&controller);
    Ok(PanelHandle {
        run: Rc::new(move |command| commands.command(command)),
        keep: Box::new(Running { controller, view: Some(Box::new(view)), owner }),
    })
}
