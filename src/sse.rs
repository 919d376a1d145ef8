//! A byte-level, linear decoder for `text/event-stream` bodies.
//!
//! Implements the parsing rules of the HTML Living Standard, "Server-sent events" §9.2.6
//! ("Interpreting an event stream"). Bytes are fed in whatever chunks the transport delivers;
//! each byte is looked at once, and only complete lines are decoded, so a UTF-8 sequence or a
//! CRLF pair split across chunks is handled without re-scanning anything.

/// One dispatched event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The event type: the last `event:` field, or `"message"` when there was none.
    pub event: String,
    /// The data buffer, with the final line feed removed.
    pub data: String,
    /// The last event ID at the time of dispatch (empty when none was ever set).
    pub id: String,
}

/// Incremental decoder state. Feed it bytes with [`SseDecoder::feed`].
#[derive(Debug, Default)]
pub struct SseDecoder {
    /// Bytes of the current, not yet terminated line.
    line: Vec<u8>,
    /// The previous chunk ended in CR: a LF at the start of the next one belongs to it.
    pending_cr: bool,
    /// No line has been completed yet, so a leading BOM must still be stripped.
    at_stream_start: bool,
    data: String,
    event_type: String,
    last_event_id: String,
    retry_ms: Option<u64>,
}

impl SseDecoder {
    /// A decoder at the start of a stream.
    pub fn new() -> Self {
        Self { at_stream_start: true, ..Self::default() }
    }

    /// The reconnection time set by the last valid `retry:` field, if any.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// Feeds the next chunk of the body and returns the events it completed, in order.
    ///
    /// "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF)
    /// character pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE
    /// RETURN (CR) character."
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        let mut rest = chunk;
        if self.pending_cr && !rest.is_empty() {
            self.pending_cr = false;
            if let Some(after_lf) = rest.strip_prefix(b"\n") {
                rest = after_lf;
            }
        }
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&rest[..end]);
            let terminator = rest[end];
            rest = &rest[end + 1..];
            if terminator == b'\r' {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    Some(_) => {}
                    None => self.pending_cr = true,
                }
            }
            let line = std::mem::take(&mut self.line);
            if let Some(event) = self.process_line(&line) {
                events.push(event);
            }
            // Give the allocation back so a long line is not copied again.
            self.line = line;
            self.line.clear();
        }
        self.line.extend_from_slice(rest);
        events
    }

    fn process_line(&mut self, bytes: &[u8]) -> Option<SseEvent> {
        let decoded = String::from_utf8_lossy(bytes);
        let mut line: &str = &decoded;
        if self.at_stream_start {
            self.at_stream_start = false;
            // "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
            line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
        }
        // "If the line is empty (a blank line): Dispatch the event."
        if line.is_empty() {
            return self.dispatch();
        }
        // "If the line starts with a U+003A COLON character (:): Ignore the line."
        if line.starts_with(':') {
            return None;
        }
        // "If the line contains a U+003A COLON character: collect the characters on the line
        // before the first colon as field, and after it as value. If value starts with a
        // U+0020 SPACE character, remove it from value."
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.event_type = value.to_owned(),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            // "If the field value does not contain U+0000 NULL, then set the last event ID
            // buffer to the field value."
            "id" if !value.contains('\0') => self.last_event_id = value.to_owned(),
            // "If the field value consists of only ASCII digits, then interpret it as an
            // integer in base ten, and set the event stream's reconnection time to it."
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry_ms = value.parse().ok();
            }
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        // "If the data buffer is an empty string, set the data buffer and the event type
        // buffer to the empty string and return."
        if self.data.is_empty() {
            self.event_type.clear();
            return None;
        }
        // "If the data buffer's last character is a U+000A LINE FEED (LF) character, then
        // remove the last character from the data buffer."
        if self.data.ends_with('\n') {
            self.data.pop();
        }
        let event = if self.event_type.is_empty() {
            "message".to_owned()
        } else {
            std::mem::take(&mut self.event_type)
        };
        Some(SseEvent { event, data: std::mem::take(&mut self.data), id: self.last_event_id.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_chunks(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut decoder = SseDecoder::new();
        chunks.iter().flat_map(|chunk| decoder.feed(chunk)).collect()
    }

    fn event(data: &str) -> SseEvent {
        SseEvent { event: "message".into(), data: data.into(), id: String::new() }
    }

    #[test]
    fn every_split_point_gives_the_same_events() {
        let input = "\u{FEFF}: comment\r\nevent: thread.item.done\r\nid: 7\r\ndata: {\"t\":\"h\u{e9}llo \u{1F600}\"}\r\n\r\n\
                     data: one\rdata: two\r\rdata:three\n\ndata: last without blank line";
        let bytes = input.as_bytes();
        let whole = decode_chunks(&[bytes]);
        assert_eq!(whole.len(), 3);
        for split in 0..=bytes.len() {
            assert_eq!(decode_chunks(&[&bytes[..split], &bytes[split..]]), whole, "split at byte {split}");
        }
        for a in 0..=bytes.len() {
            for b in a..=bytes.len() {
                let parts = [&bytes[..a], &bytes[a..b], &bytes[b..]];
                assert_eq!(decode_chunks(&parts), whole, "split at bytes {a} and {b}");
            }
        }
    }

    #[test]
    fn fields_comments_and_defaults_follow_the_spec() {
        let events = decode_chunks(&[b"event: update\nid: 42\ndata: a\n\n: keep-alive\n\ndata: b\n\n"]);
        assert_eq!(
            events,
            vec![
                SseEvent { event: "update".into(), data: "a".into(), id: "42".into() },
                // The type resets after dispatch; the last event id persists.
                SseEvent { event: "message".into(), data: "b".into(), id: "42".into() },
            ]
        );
    }

    #[test]
    fn multi_line_data_is_joined_with_line_feeds() {
        assert_eq!(decode_chunks(&[b"data: first\ndata\ndata:  third\n\n"]), vec![event("first\n\n third")]);
    }

    #[test]
    fn cr_lf_and_crlf_all_end_lines() {
        let expected = vec![event("a"), event("b"), event("c")];
        assert_eq!(decode_chunks(&[b"data: a\r\rdata: b\n\ndata: c\r\n\r\n"]), expected);
    }

    #[test]
    fn cr_at_chunk_end_and_lf_at_next_start_is_one_line_end() {
        // Were the CR and the LF two line ends, the empty line between them would dispatch
        // "a" early and then "b" alone.
        let events = decode_chunks(&[b"data: a\r", b"\ndata: b\r\n\r\n"]);
        assert_eq!(events, vec![event("a\nb")]);
    }

    #[test]
    fn utf8_split_across_chunks_is_decoded_whole() {
        let bytes = "data: \u{e9}\u{1F600}\n\n".as_bytes();
        let events = decode_chunks(&[&bytes[..7], &bytes[7..9], &bytes[9..]]);
        assert_eq!(events, vec![event("\u{e9}\u{1F600}")]);
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        assert_eq!(decode_chunks(&[b"data: \xff\n\n"]), vec![event("\u{FFFD}")]);
    }

    #[test]
    fn leading_bom_is_ignored_once() {
        let events = decode_chunks(&[b"\xEF\xBB", b"\xBFdata: x\n\n\xEF\xBB\xBFdata: y\n\n"]);
        // Only the stream's first BOM is dropped; a later one makes an unknown field name.
        assert_eq!(events, vec![event("x")]);
    }

    #[test]
    fn empty_data_does_not_dispatch_and_resets_the_type() {
        assert_eq!(decode_chunks(&[b"event: ping\n\ndata: x\n\n"]), vec![event("x")]);
    }

    #[test]
    fn retry_accepts_only_digits_and_id_ignores_nul() {
        let mut decoder = SseDecoder::new();
        decoder.feed(b"retry: 1500\nretry: 2x\nid: bad\0id\ndata: x\n\n");
        assert_eq!(decoder.retry_ms(), Some(1500));
        assert_eq!(decoder.feed(b"data: y\n\n"), vec![event("y")]);
    }

    #[test]
    fn a_final_event_without_a_blank_line_is_dropped() {
        assert_eq!(decode_chunks(&[b"data: complete\n\ndata: incomplete\n"]), vec![event("complete")]);
    }

    #[test]
    fn a_five_megabyte_event_in_one_byte_chunks_decodes_whole() {
        let payload = "x".repeat(5 * 1024 * 1024);
        let input = format!("data: {payload}\n\n");
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        for byte in input.as_bytes().chunks(1) {
            events.extend(decoder.feed(byte));
        }
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].data.len(), payload.len());
    }
}
