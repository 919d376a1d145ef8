//! SSE decoder throughput: time grows linearly with the event's size at every chunk size, so a
//! 5 MB event fed in 1-byte chunks costs five times a 1 MB one, not twenty-five (the decoder
//! never re-scans its pending buffer). Run with `scripts/bench`; results in BENCHMARKS.md.

use std::time::{Duration, Instant};

use orcheo_chat::sse::SseDecoder;

fn decode(input: &[u8], chunk: usize) -> (usize, Duration) {
    let started = Instant::now();
    let mut decoder = SseDecoder::new();
    let mut events = 0;
    for bytes in input.chunks(chunk) {
        events += decoder.feed(bytes).len();
    }
    (events, started.elapsed())
}

fn best_of(runs: usize, input: &[u8], chunk: usize) -> Duration {
    (0..runs)
        .map(|_| decode(input, chunk))
        .map(|(events, time)| {
            assert_eq!(events, 1);
            time
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    for megabytes in [1usize, 5] {
        let input = format!("data: {}\n\n", "x".repeat(megabytes * 1024 * 1024)).into_bytes();
        for chunk in [1usize, 64, 4096, input.len()] {
            let time = best_of(3, &input, chunk);
            let label = if chunk == input.len() { "whole".to_string() } else { format!("{chunk} B") };
            println!(
                "sse_decode size={megabytes}MB chunks={label} time_ms={:.1} ns_per_byte={:.2}",
                time.as_secs_f64() * 1e3,
                time.as_nanos() as f64 / input.len() as f64
            );
        }
    }
}
