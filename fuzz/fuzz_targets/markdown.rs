//! Markdown: any text renders without a panic, within the depth and drawing-cost bounds, and
//! streamed in pieces it ends exactly as when it arrives whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcheo_chat::markdown::{cost, Reply, MAX_CHUNK_COST};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let whole = Reply::default().render(&text, false);
    for chunk in &whole {
        assert!(chunk.weight <= MAX_CHUNK_COST || cost(&chunk.node) == chunk.weight);
    }
    // Stream it in pieces whose sizes come from the input itself.
    let mut reply = Reply::default();
    let step = usize::from(data.first().copied().unwrap_or(1)).max(1);
    let mut end = 0;
    while end < text.len() {
        end = (end + step).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        reply.render(&text[..end], true);
    }
    let finished = reply.render(&text, false);
    let keys = |chunks: &[orcheo_chat::markdown::Chunk]| {
        chunks.iter().map(|chunk| chunk.key.clone()).collect::<Vec<_>>()
    };
    assert_eq!(keys(&finished), keys(&whole), "a streamed reply ends as the same reply sent whole");
});
