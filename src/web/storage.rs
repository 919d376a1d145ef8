//! `sessionStorage` / `localStorage` behind the core's [`KeyValueStore`], falling back to memory
//! (with one `console.warn`) when the storage is missing or throws: sandboxed iframes, disabled
//! cookies, a full quota.

use crate::config::Persist;
use crate::persist::{KeyValueStore, MemoryStore, StoreError};
use crate::web::js;

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
