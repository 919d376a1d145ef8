//! What the loader script calls: [`mount`] once, then the methods of the [`Widget`] it returns
//! behind `window.OrcheoChat`.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::config::{Config, ConfigContext, Mode};
use crate::i18n::Locale;
use crate::stage::load_at_once;
use crate::web::host::Host;
use crate::web::js;
use crate::web::json;
use crate::web::launcher::Root;
use crate::web::shell::{PanelCommand, Reply, Settings, Shell};

/// Applies option objects in order, warning once per bad value.
fn configure(config: &mut Config, sources: &[&JsValue], page_origin: &str) {
    let context = ConfigContext { page_origin };
    for source in sources {
        if let Value::Object(options) = json::to_value(source) {
            for warning in
                config.apply_all(options.iter().map(|(key, value)| (key.as_str(), value)), &context)
            {
                js::warn(&warning.0);
            }
        }
    }
}

/// Merges `options` into `config`; `locale` (the locale file, or undefined) replaces `strings`
/// when the language changed or more of its strings came (the panel stage's, with its chunk).
fn merge_options(
    config: &mut Config,
    strings: &mut Locale,
    options: &JsValue,
    page_origin: &str,
    locale: &JsValue,
) {
    let before = config.locale.clone();
    configure(config, &[options], page_origin);
    if config.locale != before || !locale.is_undefined() {
        *strings = Locale::from_json(&json::to_value(locale)).unwrap_or_default();
    }
}

/// A widget whose host and state exist.
struct Mounted {
    shell: Shell,
    owner: Owner,
    /// Leptos' unmount handle of the launcher stage, once drawn.
    view: Option<Box<dyn Any>>,
}

/// What [`mount`] read, until the first [`Widget::draw`] step makes the host and the state.
struct Configured {
    config: Config,
    emit: js_sys::Function,
    token_provider: Option<js_sys::Function>,
    locale: Locale,
}

/// How far the widget has come: each step is a task of its own (see [`Widget::draw`]).
// (One per widget, moved once: boxing the larger variant too would only add an allocation.)
#[allow(clippy::large_enum_variant)]
enum Progress {
    Configured(Box<Configured>),
    Mounted(Mounted),
}

/// The mounted widget, as `window.OrcheoChat` sees it. Every method is a no-op after
/// [`Widget::destroy`].
#[wasm_bindgen]
pub struct Widget {
    progress: Rc<RefCell<Option<Progress>>>,
}

/// Reads the widget's options, in order: `global` (`window.orcheoChatConfig`), `dataset` (the
/// script tag's `data-*`), then `pending` (`setOptions` calls made before mounting).
/// `emit(name, detail)` delivers API events; `token_provider` is a `setTokenProvider` function
/// given before mounting; `locale` is the locale file the loader fetched (or undefined).
/// [`Widget::draw`] then makes and draws the widget, one step per task.
#[wasm_bindgen]
pub fn mount(
    global: JsValue,
    dataset: JsValue,
    pending: JsValue,
    page_origin: &str,
    emit: js_sys::Function,
    token_provider: Option<js_sys::Function>,
    locale: JsValue,
) -> Widget {
    // The shipped build aborts on panic without a message (see scripts/build); debug builds,
    // used by the tests, print one.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let mut config = Config::default();
    configure(&mut config, &[&global, &dataset, &pending], page_origin);
    let locale = Locale::from_json(&json::to_value(&locale)).unwrap_or_default();
    let configured = Configured { config, emit, token_provider, locale };
    Widget { progress: Rc::new(RefCell::new(Some(Progress::Configured(Box::new(configured))))) }
}

impl Widget {
    fn shell(&self) -> Option<Shell> {
        match self.progress.try_borrow().ok()?.as_ref()? {
            Progress::Mounted(mounted) => Some(mounted.shell),
            Progress::Configured(_) => None,
        }
    }

    /// Makes the host element and the widget's state from what [`mount`] read; `None` when
    /// the page has nowhere to mount (the console says why).
    fn create(configured: Configured) -> Option<Mounted> {
        let Configured { config, emit, token_provider, locale } = configured;
        let document = web_sys::window().and_then(|window| window.document())?;
        let host = match Host::create(&document, &config) {
            Ok(host) => host,
            Err(message) => {
                js::error(&format!("could not mount: {message}"));
                return None;
            }
        };
        let owner = Owner::new();
        let shell = owner.with(|| {
            let shell = Shell::new(config, host, locale, emit);
            if let Some(provider) = token_provider {
                shell.set_token_provider(provider);
            }
            shell
        });
        Some(Mounted { shell, owner, view: None })
    }

    /// Draws the launcher stage into the host, watches the viewport, and loads the panel stage
    /// at once when it must be on screen (or was busy on the last page), otherwise as the
    /// preload policy says.
    fn draw_view(&self, shell: Shell, owner: &Owner) {
        let Some(root) = shell.with_host(|host| host.shadow.clone().unchecked_into::<web_sys::HtmlElement>())
        else {
            return;
        };
        let view: Box<dyn Any> = owner.with(|| {
            let view = leptos::mount::mount_to(root, move || view! { <Root shell=shell/> });
            shell.watch_viewport();
            Box::new(view)
        });
        match self.progress.try_borrow_mut().ok().as_deref_mut() {
            Some(Some(Progress::Mounted(mounted))) => mounted.view = Some(view),
            // Destroyed while drawing: the view goes.
            _ => return,
        }
        let snapshot = shell.with_persistence(|persistence| persistence.snapshot().clone());
        let at_once = shell
            .settings
            .with_untracked(|settings| load_at_once(&settings.config, settings.mode, snapshot.as_ref()));
        if at_once.is_some() {
            shell.load_panel();
        } else {
            shell.preload_when_idle();
        }
    }
}

#[wasm_bindgen]
impl Widget {
    /// One step of making the widget, each meant for a task of its own (all in one are one
    /// long task on a slow phone, mostly the browser compiling the code each runs for the
    /// first time): the host element and the state, then the launcher. `true` while steps are
    /// left, `false` once drawn, `undefined` when the page has nowhere to mount (the console
    /// says why).
    pub fn draw(&self) -> Option<bool> {
        let progress = self.progress.try_borrow_mut().ok()?.take()?;
        match progress {
            Progress::Configured(configured) => {
                let mounted = Self::create(*configured)?;
                *self.progress.try_borrow_mut().ok()? = Some(Progress::Mounted(mounted));
                Some(true)
            }
            Progress::Mounted(mounted) => {
                let drawn = mounted.view.is_some();
                let (shell, owner) = (mounted.shell, mounted.owner.clone());
                *self.progress.try_borrow_mut().ok()? = Some(Progress::Mounted(mounted));
                // (Not borrowed while drawing: what the view sets off may call back in.)
                if !drawn {
                    self.draw_view(shell, &owner);
                }
                Some(false)
            }
        }
    }

    /// Opens the panel.
    pub fn open(&self) {
        if let Some(shell) = self.shell() {
            shell.set_open(true);
        }
    }

    /// Closes the panel.
    pub fn close(&self) {
        if let Some(shell) = self.shell() {
            shell.set_open(false);
        }
    }

    /// Opens a closed panel and closes an open one.
    pub fn toggle(&self) {
        if let Some(shell) = self.shell() {
            shell.toggle();
        }
    }

    /// Starts a fresh conversation.
    #[wasm_bindgen(js_name = newThread)]
    pub fn new_thread(&self) {
        if let Some(shell) = self.shell() {
            shell.command(PanelCommand::NewThread);
        }
    }

    /// The JS API's smaller calls, in one export (each would otherwise cost the launcher stage
    /// its own glue): `composer` (`setComposerValue(value)`), `focus` (`focusComposer()`),
    /// `thread` (`setThreadId(value)`, a string or `undefined` for a new conversation),
    /// `history` (`showHistory()`/`hideHistory()`, `value` true or false) and `action`
    /// (`sendCustomAction(value, item)`, `value` an object with a string `type`).
    pub fn act(&self, what: &str, value: JsValue, item: Option<String>) {
        let Some(shell) = self.shell() else { return };
        match what {
            "composer" => shell.set_draft(value.as_string().unwrap_or_default()),
            "focus" => shell.focus_composer(),
            "thread" => shell.command(PanelCommand::OpenThread(value.as_string())),
            "history" => shell.command(PanelCommand::ShowHistory(value.is_truthy())),
            _ => match json::to_value(&value) {
                action @ Value::Object(_) if action.get("type").is_some_and(Value::is_string) => {
                    shell.command(PanelCommand::Action { action, item_id: item });
                }
                _ => js::warn("sendCustomAction() needs an action object with a string \"type\""),
            },
        }
    }

    /// Sends a message; resolves with the reply text, or rejects with an `Error` whose `code`
    /// is the backend's `detail.code` (or `network`, `aborted`, `busy`, `config`, `destroyed`).
    pub fn send(&self, text: String) -> js_sys::Promise {
        let shell = self.shell();
        js_sys::Promise::new(&mut |resolve, reject| {
            let reply = Reply::new(resolve, reject);
            match shell {
                Some(shell) => shell.command(PanelCommand::Send { text: text.clone(), reply }),
                None => reply.reject("destroyed", "orcheo-chat was destroyed"),
            }
        })
    }

    /// Merges options into the current ones. `locale` is the locale's strings when they change
    /// (a new `locale` option, or the panel stage's strings arriving with its chunk), else
    /// undefined; a new backend, workflow, token URL or storage reconnects.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(&self, options: JsValue, page_origin: &str, locale: JsValue) {
        let Some(shell) = self.shell() else {
            // Not made yet: the options it will be made with.
            if let Ok(mut progress) = self.progress.try_borrow_mut() {
                if let Some(Progress::Configured(configured)) = progress.as_mut() {
                    let Configured { config, locale: strings, .. } = &mut **configured;
                    merge_options(config, strings, &options, page_origin, &locale);
                }
            }
            return;
        };
        let Some(mut settings) = shell.settings.try_get_untracked() else { return };
        let Settings { config, locale: strings, .. } = &mut settings;
        merge_options(config, strings, &options, page_origin, &locale);
        if let Some(mode) = shell.with_host(|host| {
            host.apply(&settings.config);
            host.mode(&settings.config)
        }) {
            settings.mode = mode;
        }
        let always_shown = settings.mode != Mode::Bubble;
        shell.settings.set(settings);
        if always_shown {
            shell.load_panel();
        }
    }

    /// Switches to JWT mode with tokens from `provider` (and reconnects).
    #[wasm_bindgen(js_name = setTokenProvider)]
    pub fn set_token_provider(&self, provider: js_sys::Function) {
        if let Some(shell) = self.shell() {
            shell.set_token_provider(provider);
        } else if let Ok(mut progress) = self.progress.try_borrow_mut() {
            if let Some(Progress::Configured(configured)) = progress.as_mut() {
                configured.token_provider = Some(provider);
            }
        }
    }

    /// Removes the widget, its listeners and timers.
    pub fn destroy(&self) {
        let Some(Progress::Mounted(mounted)) =
            self.progress.try_borrow_mut().ok().and_then(|mut progress| progress.take())
        else {
            return;
        };
        let Mounted { shell, owner, view } = mounted;
        shell.with_host(|host| host.remove());
        shell.shut_down();
        drop(view);
        owner.cleanup();
    }
}
