//! The event reducer: any SSE body's events, however malformed, apply to a conversation without
//! a panic (bad events are errors, never traps).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcheo_chat::protocol::StreamEvent;
use orcheo_chat::sse::SseDecoder;
use orcheo_chat::thread::ThreadState;

fuzz_target!(|data: &[u8]| {
    let mut state = ThreadState::new();
    for event in SseDecoder::new().feed(data) {
        if let Ok(event) = StreamEvent::parse(&event.data) {
            state.apply(event);
        }
    }
});
