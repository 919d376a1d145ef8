//! `sessionStorage` / `localStorage` behind the core's [`KeyValueStore`], falling back to memory
//! (with one `console.warn`) when the storage is missing or throws: sandboxed iframes, disabled
//! cookies, a full quota; and the widget's [`Persistence`] on top of it.

use crate::config::{Config, Persist, WorkflowRef};
use crate::json::JsonCodec;
use crate::persist::{
    alias_key, alias_target, alias_value, storage_key, KeyValueStore, MemoryStore, Snapshot, StoreError,
};
use crate::web::js;
use crate::web::json::BrowserJson;

/// The widget's store for one page.
pub struct BrowserStore {
    storage: Option<web_sys::Storage>,
    memory: MemoryStore,
    warned: bool,
}

impl BrowserStore {
    /// Opens the storage `persist` names. `Persist::None` keeps everything in memory.
    pub fn open(persist: Persist) -> Self {
        let window = web_sys::window();
        let storage = match persist {
            Persist::Session => window.and_then(|w| w.session_storage().ok().flatten()),
            Persist::Local => window.and_then(|w| w.local_storage().ok().flatten()),
            Persist::None => None,
        };
        let mut store = Self { storage, memory: MemoryStore::default(), warned: false };
        if persist != Persist::None && store.storage.is_none() {
            store.fall_back("the browser gives no access to web storage");
        }
        store
    }

    /// Whether the browser's storage is in use (not the memory fallback).
    pub fn is_persistent(&self) -> bool {
        self.storage.is_some()
    }

    fn fall_back(&mut self, why: &str) {
        self.storage = None;
        if !self.warned {
            self.warned = true;
            js::warn(&format!("{why}; the conversation will not survive a reload"));
        }
    }
}

impl KeyValueStore for BrowserStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match &self.storage {
            Some(storage) => storage.get_item(key).map_err(|err| StoreError(js::describe(&err))),
            None => self.memory.get(key),
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        // Memory always holds the latest value, so a failing storage loses nothing this page.
        let _ = self.memory.set(key, value);
        if let Some(storage) = &self.storage {
            if let Err(err) = storage.set_item(key, value) {
                self.fall_back(&format!("web storage refused a write ({})", js::describe(&err)));
            }
        }
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        let _ = self.memory.remove(key);
        if let Some(storage) = &self.storage {
            if let Err(err) = storage.remove_item(key) {
                self.fall_back(&format!("web storage refused a write ({})", js::describe(&err)));
            }
        }
        Ok(())
    }
}

/// The persisted snapshot of one widget: read by the launcher stage at once (so a reload knows
/// whether the panel was open or a reply was in flight before anything else loads), written by
/// both stages. The launcher stage writes `open` and `draft`; the panel stage writes the
/// conversation's fields and moves the snapshot to the workflow's key once it knows the UUID.
pub struct Persistence {
    store: BrowserStore,
    persist: Persist,
    key: Option<String>,
    snapshot: Snapshot,
}

impl Persistence {
    /// Opens the storage `config` names and reads the snapshot of its workflow. A workflow
    /// named by handle is found through the alias the panel stage wrote on an earlier visit.
    pub fn open(config: &Config, json: &dyn JsonCodec) -> Self {
        let store = BrowserStore::open(config.persist);
        let key = match (&config.backend, &config.workflow) {
            (Some(backend), Some(WorkflowRef::Id(id))) => Some(storage_key(backend, id)),
            (Some(backend), Some(WorkflowRef::Handle(handle))) => store
                .get(&alias_key(backend, handle))
                .ok()
                .flatten()
                .and_then(|text| json.parse(&text))
                .and_then(|value| alias_target(&value))
                .map(|id| storage_key(backend, &id)),
            _ => None,
        };
        let mut persistence =
            Self { store, persist: config.persist, key: None, snapshot: Snapshot::default() };
        if let Some(key) = key {
            persistence.snapshot = persistence.load(&key, json);
            persistence.key = Some(key);
        }
        persistence
    }

    fn load(&self, key: &str, json: &dyn JsonCodec) -> Snapshot {
        let (snapshot, error) = Snapshot::load(&self.store, key, json);
        if let Some(error) = error {
            js::warn(&format!("could not read the saved conversation ({})", error.0));
        }
        snapshot
    }

    /// What is stored.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    fn save(&mut self) {
        if let Some(key) = &self.key {
            let _ = self.snapshot.save(&mut self.store, key, &BrowserJson);
        }
    }

    /// Reads the stored snapshot again, all of it (the page is back from the back/forward
    /// cache: the visitor may have typed on another page since). Returns it.
    pub fn reread(&mut self) -> Snapshot {
        if let Some(key) = self.key.clone() {
            self.snapshot = self.load(&key, &BrowserJson);
        }
        self.snapshot.clone()
    }

    /// Records whether the panel is open.
    pub fn set_open(&mut self, open: bool) {
        if self.snapshot.open != open {
            self.snapshot.open = open;
            self.save();
        }
    }

    /// Records the composer's text.
    pub fn set_draft(&mut self, draft: &str) {
        if self.snapshot.draft != draft {
            draft.clone_into(&mut self.snapshot.draft);
            self.save();
        }
    }

    /// Moves to the snapshot under `key` in the storage `persist` names (the panel stage knows
    /// the workflow's UUID now), writing `alias` (a handle's key and its UUID) first. What the
    /// launcher stage shows (open, draft) is kept. Returns the snapshot now in force, read from
    /// the storage.
    pub fn switch(&mut self, persist: Persist, key: String, alias: Option<(String, String)>) -> Snapshot {
        if persist != self.persist {
            self.store = BrowserStore::open(persist);
            self.persist = persist;
            self.key = None;
        }
        if let Some((alias_key, workflow_id)) = alias {
            let _ = self.store.set(&alias_key, &BrowserJson.stringify(&alias_value(&workflow_id)));
        }
        // Read again even under the same key: a page back from the back/forward cache, or a
        // second tab sharing `localStorage`, finds what other pages stored meanwhile.
        let moved = self.key.as_deref() != Some(key.as_str());
        let Snapshot { open, draft, .. } = std::mem::take(&mut self.snapshot);
        self.snapshot = Snapshot { open, draft, ..self.load(&key, &BrowserJson) };
        self.key = Some(key);
        if moved {
            self.save();
        }
        self.snapshot.clone()
    }

    /// Records the conversation's fields of `record` (`thread_id`, `visitor_id`, `threads`,
    /// `asked`, `feedback`).
    pub fn save_conversation(&mut self, record: &Snapshot) {
        let Snapshot { thread_id, visitor_id, threads, asked, feedback, .. } = record.clone();
        self.snapshot = Snapshot {
            thread_id,
            visitor_id,
            threads,
            asked,
            feedback,
            ..std::mem::take(&mut self.snapshot)
        };
        self.save();
    }
}
