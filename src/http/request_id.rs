//! `X-Request-Id`: taken from the request when it is short and plain, otherwise generated;
//! echoed on the response, logged, and added to problem+json bodies as `request_id`.

use std::cell::Cell;
use std::rc::Rc;

use actix_web::body::{BodySize, BoxBody, MessageBody, to_bytes_limited};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

use crate::problem::PROBLEM_JSON;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");
/// Longest request id taken from a client.
pub const MAX_LEN: usize = 128;
/// Problem bodies are small; a larger one (or one of unknown size) is left as it is.
const MAX_PROBLEM_BYTES: u64 = 1024 * 1024;

/// The id of one request (also in the request's extensions, for handlers).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RequestId(Rc<str>);

impl RequestId {
    /// The id of a request with these headers (see [`header_for`]).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self::of(&header_for(headers))
    }

    /// The id an `X-Request-Id` value from [`header_for`] carries.
    pub fn of(value: &HeaderValue) -> Self {
        RequestId(
            value
                .to_str()
                .expect("request ids are visible ASCII")
                .into(),
        )
    }

    /// A new random (v4) UUID, from the thread's id generator (see [`new_uuid`]).
    pub fn generate() -> Self {
        Self::of(&generated())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

thread_local! {
    /// The thread's id generator state: seeded once per thread from the operating system.
    static ID_STATE: Cell<u64> = Cell::new({
        let (a, b) = uuid::Uuid::new_v4().as_u64_pair();
        a ^ b.rotate_left(32)
    });
}

/// A v4 UUID whose 122 random bits come from SplitMix64 over a per-thread counter with a
/// random start: unique within a thread (the mix is a bijection of the counter, and each id
/// takes two fresh outputs) and, with a random start per thread, across threads and processes
/// for any practical purpose. Request ids need to be unique, not secret, and asking the
/// operating system for randomness on every request (a system call) was a measurable part of
/// a small response's cost.
pub fn new_uuid() -> uuid::Uuid {
    ID_STATE.with(|state| {
        let next = || {
            let s = state.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
            state.set(s);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let (hi, lo) = (next(), next());
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&hi.to_be_bytes());
        bytes[8..].copy_from_slice(&lo.to_be_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    })
}

/// The `X-Request-Id` of a response: the client's when it is 1 to 128 characters of
/// `[A-Za-z0-9._-]`, otherwise a new random (v4) UUID.
pub fn header_for(headers: &HeaderMap) -> HeaderValue {
    match headers.get(&REQUEST_ID_HEADER) {
        Some(v) if is_acceptable(v.as_bytes()) => v.clone(),
        _ => generated(),
    }
}

/// A new UUID as a header value.
fn generated() -> HeaderValue {
    let mut buf = uuid::Uuid::encode_buffer();
    HeaderValue::from_str(new_uuid().hyphenated().encode_lower(&mut buf))
        .expect("UUIDs are header values")
}

/// True for 1 to 128 bytes of `[A-Za-z0-9._-]`.
pub fn is_acceptable(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Adds `"request_id"` as the last member of a problem+json body (an RFC 9457 extension
/// member), leaving any other response as it is.
pub async fn add_to_problem(
    res: ServiceResponse<BoxBody>,
    id: &RequestId,
) -> ServiceResponse<BoxBody> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if !is_problem || res.headers().contains_key(header::CONTENT_ENCODING) {
        return res;
    }
    let (req, res) = res.into_parts();
    let (res, body) = res.into_parts();
    let in_memory = matches!(body.size(), BodySize::Sized(n) if n <= MAX_PROBLEM_BYTES);
    if !in_memory {
        return ServiceResponse::new(req, res.set_body(body));
    }
    let body = match to_bytes_limited(body, MAX_PROBLEM_BYTES as usize).await {
        Ok(Ok(bytes)) => match splice(&bytes, id) {
            Some(spliced) => BoxBody::new(spliced),
            None => BoxBody::new(bytes),
        },
        // A sized body in memory does not fail; if one did, nothing of it could be sent.
        _ => BoxBody::new(()),
    };
    ServiceResponse::new(req, res.set_body(body))
}

/// `{...}` → `{...,"request_id":"<id>"}`; None when the body is not a non-empty JSON object.
/// (No producer sets `request_id` itself: `ProblemDetails` are built with None.)
fn splice(body: &[u8], id: &RequestId) -> Option<Vec<u8>> {
    let trimmed = body.trim_ascii();
    let inner = trimmed.strip_prefix(b"{")?.strip_suffix(b"}")?;
    if inner.trim_ascii().is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() + id.as_str().len() + 16);
    out.extend_from_slice(&trimmed[..trimmed.len() - 1]);
    out.extend_from_slice(b",\"request_id\":\"");
    // Safe to embed: ids are `[A-Za-z0-9._-]` only.
    out.extend_from_slice(id.as_str().as_bytes());
    out.extend_from_slice(b"\"}");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acceptable_ids_are_short_and_plain() {
        assert!(is_acceptable(b"abc-123_x.Y"));
        assert!(is_acceptable(&[b'a'; 128]));
        assert!(!is_acceptable(&[b'a'; 129]));
        assert!(!is_acceptable(b""));
        assert!(!is_acceptable(b"a b"));
        assert!(!is_acceptable(b"a\"b"));
        assert!(!is_acceptable("é".as_bytes()));
    }

    #[test]
    fn client_ids_are_kept_or_replaced() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID_HEADER, HeaderValue::from_static("trace-42"));
        assert_eq!(RequestId::from_headers(&headers).as_str(), "trace-42");
        headers.insert(REQUEST_ID_HEADER, HeaderValue::from_static("no/slashes"));
        let generated = RequestId::from_headers(&headers);
        assert_eq!(generated.as_str().len(), 36);
        assert!(is_acceptable(generated.as_str().as_bytes()));
        assert_ne!(generated, RequestId::generate());
    }

    #[test]
    fn generated_ids_are_distinct_v4_uuids() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = RequestId::generate();
            let parsed = uuid::Uuid::parse_str(id.as_str()).unwrap();
            assert_eq!(parsed.get_version_num(), 4);
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
            assert!(seen.insert(id));
        }
        // Another thread starts from its own random state.
        let other = std::thread::spawn(|| RequestId::generate().as_str().to_owned())
            .join()
            .unwrap();
        assert!(!seen.iter().any(|id| id.as_str() == other));
        let mut headers = HeaderMap::new();
        assert_eq!(header_for(&headers).len(), 36);
        headers.insert(REQUEST_ID_HEADER, HeaderValue::from_static("trace-7"));
        assert_eq!(header_for(&headers), "trace-7");
        headers.insert(REQUEST_ID_HEADER, HeaderValue::from_static("bad id"));
        assert_ne!(header_for(&headers), "bad id");
    }

    #[test]
    fn the_id_is_spliced_into_objects_only() {
        let id = RequestId("r1".into());
        assert_eq!(
            splice(br#"{"status":404}"#, &id).unwrap(),
            br#"{"status":404,"request_id":"r1"}"#
        );
        assert_eq!(splice(b"{}", &id), None);
        assert_eq!(splice(b"[1]", &id), None);
        let spliced = splice(b"{\"a\":{\"b\":1}}\n", &id).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&spliced).unwrap();
        assert_eq!(v["request_id"], "r1");
        assert_eq!(v["a"]["b"], 1);
    }
}
