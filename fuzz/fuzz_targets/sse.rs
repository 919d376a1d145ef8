//! SSE decoding: any byte stream decodes without a panic, and to the same events whether it
//! arrives whole or cut into pieces (sizes taken from the input).
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcheo_chat::sse::SseDecoder;

fuzz_target!(|data: &[u8]| {
    let Some((&step, body)) = data.split_first() else { return };
    let whole = SseDecoder::new().feed(body);
    let mut decoder = SseDecoder::new();
    let mut pieces = Vec::new();
    for chunk in body.chunks(usize::from(step).max(1)) {
        pieces.extend(decoder.feed(chunk));
    }
    assert_eq!(pieces, whole);
});
