//! Markdown rendering cost (native, release; the browser's wasm is roughly 1.5–2× slower): a
//! ~60 KB reply whole and streamed in 2,000 deltas (the last deltas cost what the first do: only
//! the open tail is parsed again), and the hostile replies of the e2e suite. Run with
//! `scripts/bench`; results in BENCHMARKS.md.

use std::time::{Duration, Instant};

use orcheo_chat::markdown::Reply;

/// A reply like the `long` demo workflow's: sections with a heading, a paragraph, code and a list.
fn long_reply() -> String {
    let words = "orcheo widget stream render scroll markdown paragraph latency buffer frame thread reply";
    let words: Vec<&str> = words.split(' ').collect();
    let mut out = String::new();
    let mut n = 0;
    while out.len() < 60_000 {
        n += 1;
        let paragraph: Vec<&str> = (0..60).map(|i| words[(n * 5 + i * 3) % words.len()]).collect();
        out.push_str(&format!(
            "## Section {n}\n\n{}.\n\n```python\ndef section_{n}(items):\n    return sum(i for i in items if i % 2 == 0)\n```\n\n- point {n}.1\n- point {n}.2\n\n",
            paragraph.join(" ")
        ));
    }
    out
}

fn best_of(runs: usize, mut run: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let reply = long_reply();
    let whole = best_of(5, || {
        Reply::default().render(&reply, false);
    });
    println!("markdown_render reply=60KB whole time_ms={:.2}", whole.as_secs_f64() * 1e3);

    // Streamed: 2,000 deltas; time the first and the last 500.
    let step = reply.len() / 2000;
    let cuts: Vec<usize> = (1..=2000)
        .map(|i| {
            let mut end = (i * step).min(reply.len());
            while !reply.is_char_boundary(end) {
                end += 1;
            }
            end
        })
        .collect();
    let mut quarters = [Duration::ZERO; 4];
    let mut renderer = Reply::default();
    for (index, end) in cuts.iter().enumerate() {
        let started = Instant::now();
        renderer.render(&reply[..*end], true);
        quarters[index / 500] += started.elapsed();
    }
    let finished = Instant::now();
    renderer.render(&reply, false);
    let last = finished.elapsed();
    let per = |time: Duration| time.as_secs_f64() * 1e6 / 500.0;
    println!(
        "markdown_stream reply=60KB deltas=2000 us_per_delta_quarters={:.1},{:.1},{:.1},{:.1} final_whole_ms={:.2}",
        per(quarters[0]),
        per(quarters[1]),
        per(quarters[2]),
        per(quarters[3]),
        last.as_secs_f64() * 1e3
    );

    let hostile = [
        ("10000 nested >", format!("{}deep", "> ".repeat(10_000))),
        ("10000 nested -", format!("{}deep", "- ".repeat(10_000))),
        ("50000 [", "[".repeat(50_000)),
        ("a + 50000 *", format!("a{}", "*".repeat(50_000))),
        ("30000 [a](b", "[a](b".repeat(30_000)),
        ("1 MB", "Some **markdown** with a [link](https://example.com) and `code`.\n".repeat(15_000)),
    ];
    for (name, text) in hostile {
        let time = best_of(3, || {
            Reply::default().render(&text, false);
        });
        println!("markdown_hostile input=\"{name}\" time_ms={:.2}", time.as_secs_f64() * 1e3);
    }
}
