//! ChatKit session tokens (JWT mode): reading the token endpoint's answer and deciding when to
//! refresh. Time is always passed in; nothing here reads a clock.

use serde_json::Value;

use crate::json::JsonCodec;
use crate::time::parse_iso8601_ms;

/// Refresh when less than this much lifetime is left (contract §4).
pub const REFRESH_MARGIN_MS: i64 = 30_000;

/// A `client_secret` and when it expires on the local clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionToken {
    /// The bearer token.
    pub secret: String,
    /// Expiry in local milliseconds since the epoch.
    pub expires_at_ms: i64,
}

impl SessionToken {
    /// Reads `{client_secret, expires_at}` (or `clientSecret`, `expiresAt`) as returned by the
    /// token endpoint or provider, at local time `now_ms`.
    ///
    /// The lifetime is taken from the token itself when it can be (`exp - iat`, both on the
    /// server's clock) and laid onto the local clock, so a visitor whose clock is minutes off
    /// neither refreshes on every request nor sends expired tokens. Otherwise `expires_at` is
    /// used as is (an ISO 8601 string, or seconds or milliseconds since the epoch).
    ///
    /// # Errors
    /// A sentence for the embedder when there is no usable `client_secret`.
    pub fn from_response(value: &Value, now_ms: i64, codec: &dyn JsonCodec) -> Result<Self, String> {
        let field = |snake: &str, camel: &str| value.get(snake).or_else(|| value.get(camel)).cloned();
        let secret = match field("client_secret", "clientSecret") {
            Some(Value::String(secret)) if !secret.trim().is_empty() => secret.trim().to_owned(),
            _ => return Err("the token response has no \"client_secret\" string".into()),
        };
        let claims = jwt_claims(&secret, codec);
        let claim = |name: &str| claims.as_ref().and_then(|claims| claims.get(name)).and_then(Value::as_i64);
        let expires_at_ms = match (claim("exp"), claim("iat")) {
            (Some(exp), Some(iat)) if exp > iat => now_ms.saturating_add((exp - iat).saturating_mul(1_000)),
            _ => match field("expires_at", "expiresAt") {
                Some(Value::String(text)) => {
                    parse_iso8601_ms(&text).ok_or("the token response's \"expires_at\" is not a date")?
                }
                // Seconds or milliseconds since the epoch.
                Some(Value::Number(number)) => match number.as_i64() {
                    Some(n) if n < 100_000_000_000 => n.saturating_mul(1_000),
                    Some(n) => n,
                    None => return Err("the token response's \"expires_at\" is not a date".into()),
                },
                // No expiry known: refresh only when the server rejects the token.
                _ => claim("exp").map_or(i64::MAX, |exp| exp.saturating_mul(1_000)),
            },
        };
        Ok(Self { secret, expires_at_ms })
    }

    /// Whether to fetch a new token before the next request.
    pub fn needs_refresh(&self, now_ms: i64) -> bool {
        self.expires_at_ms.saturating_sub(now_ms) < REFRESH_MARGIN_MS
    }

    /// When a refresh becomes due, local milliseconds since the epoch.
    pub fn refresh_due_ms(&self) -> i64 {
        self.expires_at_ms.saturating_sub(REFRESH_MARGIN_MS)
    }
}

/// The claims of a JWT, without checking its signature (the server does that).
fn jwt_claims(token: &str, codec: &dyn JsonCodec) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    codec.parse(&String::from_utf8(base64url_decode(payload)?).ok()?)
}

/// Decodes unpadded (or padded) base64url.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text.bytes().take_while(|&b| b != b'=') {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::SerdeJson;
    use serde_json::json;

    /// The real token from the capture `14-session-mint.http` (iat 1795252192, exp 1795252492).
    const CAPTURED: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJvcmNoZW8uY2hhdGtpdCIsImF1ZCI6ImNoYXRraXQiLCJzdWIiOiI5NjZjYTE0MzgxOGI0NWVhODZiYTY5MjhmNjQwMjQ0ZiIsImlhdCI6MTc5NTI1MjE5MiwiZXhwIjoxNzk1MjUyNDkyLCJqdGkiOiI0MWQ2YmVlYmFiYmE0OTVkYmUyMGNlODQ3OTFmZDg3YSIsImNoYXRraXQiOnsid29ya3NwYWNlX2lkIjoiODQzYTVkODgtNmQwMS00MmUzLTgxNzEtYzRkNGFhYTllNGU3Iiwid29ya3NwYWNlX2lkcyI6WyI4NDNhNWQ4OC02ZDAxLTQyZTMtODE3MS1jNGQ0YWFhOWU0ZTciXSwid29ya2Zsb3dfaWQiOiI2N2Q1NzU2OC00NzkzLTQ4ZTAtOWZjZC0yYzIwYzE1NWU0NWUiLCJzY29wZXMiOlsiY2hhdGtpdDpzZXNzaW9uIl0sImlkZW50aXR5X3R5cGUiOiJzZXJ2aWNlIiwidG9rZW5faWQiOiI5NjZjYTE0MzgxOGI0NWVhODZiYTY5MjhmNjQwMjQ0ZiIsInVzZXIiOnsiaWQiOiJ1c2VyLTQyIiwibmFtZSI6IkFkYSJ9LCJ3b3JrZmxvd19sYWJlbCI6IlByaXZhdGUgZWNobyJ9fQ.piZRZSKWA7uKsiO8kDmz8aIdaosWNTjlY712MJRjQIA";

    #[test]
    fn the_lifetime_comes_from_the_token_and_lands_on_the_local_clock() {
        let now = 1_000_000;
        let token = SessionToken::from_response(
            &json!({"client_secret": CAPTURED, "expires_at": "2026-11-21T09:14:52Z"}),
            now,
            &SerdeJson,
        );
        assert_eq!(token.map(|t| t.expires_at_ms), Ok(now + 300_000));
    }

    #[test]
    fn refresh_is_due_thirty_seconds_before_expiry() {
        let token = SessionToken { secret: "t".into(), expires_at_ms: 100_000 };
        assert!(!token.needs_refresh(69_999));
        assert!(token.needs_refresh(70_001));
        assert!(token.needs_refresh(200_000));
        assert_eq!(token.refresh_due_ms(), 70_000);
    }

    #[test]
    fn a_sixty_second_token_is_refreshed_after_thirty_seconds() {
        let minted_at = 5_000_000;
        let token = SessionToken::from_response(
            &json!({"client_secret": "opaque", "expires_at": minted_at / 1000 + 60}),
            minted_at,
            &SerdeJson,
        )
        .unwrap_or(SessionToken { secret: String::new(), expires_at_ms: 0 });
        assert!(!token.needs_refresh(minted_at + 29_000));
        assert!(token.needs_refresh(minted_at + 31_000));
    }

    #[test]
    fn expires_at_accepts_iso_dates_seconds_milliseconds_and_camel_case() {
        let read = |value: Value| SessionToken::from_response(&value, 0, &SerdeJson).map(|t| t.expires_at_ms);
        assert_eq!(read(json!({"client_secret": "a", "expires_at": "1970-01-01T00:01:40Z"})), Ok(100_000));
        assert_eq!(read(json!({"client_secret": "a", "expires_at": 100})), Ok(100_000));
        assert_eq!(
            read(json!({"clientSecret": "a", "expiresAt": 1_795_252_492_000_i64})),
            Ok(1_795_252_492_000)
        );
        assert_eq!(read(json!({"client_secret": "a"})), Ok(i64::MAX));
    }

    #[test]
    fn unusable_responses_say_what_is_wrong() {
        assert!(SessionToken::from_response(&json!({"token": "x"}), 0, &SerdeJson)
            .is_err_and(|e| e.contains("client_secret")));
        assert!(SessionToken::from_response(
            &json!({"client_secret": "a", "expires_at": "soon"}),
            0,
            &SerdeJson
        )
        .is_err_and(|e| e.contains("expires_at")));
    }

    #[test]
    fn base64url_round_trips_the_captured_payload() {
        let claims = jwt_claims(CAPTURED, &SerdeJson).unwrap_or_default();
        assert_eq!(claims["iss"], "orcheo.chatkit");
        assert_eq!(claims["exp"], 1_795_252_492);
    }
}
