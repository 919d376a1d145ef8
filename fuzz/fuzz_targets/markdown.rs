//! Markdown: any text renders without a panic and within its bounds (no chunk costs more to
//! draw than `MAX_CHUNK_COST`); streamed in pieces it ends exactly as sent whole; and, closed by
//! a blank line and free of reference definitions (which may come after their use), the
//! streaming renderer shows what the whole parse shows, so every block it finished early was
//! really finished.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orcheo_chat::markdown::{Chunk, Reply, MAX_CHUNK_COST};

fn keys(chunks: &[Chunk]) -> Vec<std::sync::Arc<str>> {
    chunks.iter().map(|chunk| chunk.key.clone()).collect()
}

fuzz_target!(|data: &[u8]| {
    let mut text = String::from_utf8_lossy(data).into_owned();
    let closed = !text.contains("]:");
    if closed {
        text.push_str("\n\n");
    }
    let whole = Reply::default().render(&text, false);
    assert!(whole.iter().all(|chunk| chunk.weight <= MAX_CHUNK_COST), "a chunk over the drawing budget");
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
    if closed {
        assert_eq!(keys(&reply.render(&text, true)), keys(&whole), "a block finished early changed");
    }
    assert_eq!(
        keys(&reply.render(&text, false)),
        keys(&whole),
        "a streamed reply ends as the same reply sent whole"
    );
});
