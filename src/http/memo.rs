//! The per-worker response memo: the catalogue never changes while the process runs, so a
//! successful GET's prepared body can answer every later identical request without routing,
//! extraction or serialization. Bounded; entries are never stale.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use std::sync::Arc;

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use xxhash_rust::xxh3::xxh3_64;

use super::metrics::{Metrics, Series};
use super::prepared::{CachePolicy, Prepared, wants_fhir};

/// Most entries one worker keeps.
pub const MAX_ENTRIES: usize = 4096;
/// Most body bytes (uncompressed) one worker keeps.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// The route template that produced a memoized response, for logs and metrics.
#[derive(Debug, Clone)]
pub struct RouteTemplate(pub Rc<str>);

/// One memoized answer.
pub struct Entry {
    /// The request target it answers (the map is keyed by its hash).
    key: Box<str>,
    body: Arc<Prepared>,
    route: RouteTemplate,
    /// The metric series of its answers (GET 200, GET 304, HEAD 200, HEAD 304), looked up on
    /// first use by the fast lane.
    series: [OnceCell<Series>; 4],
}

impl Entry {
    pub fn body(&self) -> &Prepared {
        &self.body
    }

    /// The route template that produced it.
    pub fn route(&self) -> &str {
        &self.route.0
    }

    /// The metric series of an answer to `method` (GET or HEAD) with `status` (200 or 304).
    pub fn series(&self, metrics: &Metrics, method: &Method, status: StatusCode) -> &Series {
        let slot = usize::from(*method == Method::HEAD) * 2
            + usize::from(status == StatusCode::NOT_MODIFIED);
        self.series[slot].get_or_init(|| metrics.series(self.route(), method, status.as_u16()))
    }
}

/// Entries by the 64-bit xxh3 hash of their target, computed in one pass (a streaming hasher
/// costs more than the look-up). Two targets with the same hash cannot both be kept: the
/// second is simply not memoized.
#[derive(Default)]
struct Inner {
    entries: HashMap<u64, Entry, BuildHasherDefault<IdentityHasher>>,
    bytes: usize,
}

/// The hasher of keys that are hashes already.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used (the keys are u64); fold anything else in anyway.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The memo key of a request: its target, and its `Accept-Language` when it sends one (the
/// answer's language depends on it; `lang=` is in the target already).
pub fn key_of(head: &actix_web::dev::RequestHead) -> std::borrow::Cow<'_, str> {
    let target = head.uri.path_and_query().map_or("/", |pq| pq.as_str());
    match head.headers.get(actix_web::http::header::ACCEPT_LANGUAGE) {
        None => std::borrow::Cow::Borrowed(target),
        Some(v) => std::borrow::Cow::Owned(format!(
            "{target}\n{}",
            String::from_utf8_lossy(v.as_bytes())
        )),
    }
}

fn hash(key: &str) -> u64 {
    xxh3_64(key.as_bytes())
}

/// One worker's memo (actix workers are single-threaded, so no lock is needed).
#[derive(Clone, Default)]
pub struct Memo(Rc<RefCell<Inner>>);

impl Memo {
    /// Runs `f` on the entry for `key`, if there is one (without copying anything out of it).
    pub fn with<R>(&self, key: &str, f: impl FnOnce(&Entry) -> R) -> Option<R> {
        self.0
            .borrow()
            .entries
            .get(&hash(key))
            .filter(|e| &*e.key == key)
            .map(f)
    }

    fn get(&self, key: &str) -> Option<(Arc<Prepared>, RouteTemplate)> {
        self.with(key, |e| (e.body.clone(), e.route.clone()))
    }

    /// Stores `body` under `key` unless the memo is full.
    pub fn insert(&self, key: &str, body: Arc<Prepared>, route: &str) {
        let h = hash(key);
        let mut inner = self.0.borrow_mut();
        if inner.entries.len() >= MAX_ENTRIES
            || inner.bytes + body.len() > MAX_BYTES
            || inner.entries.contains_key(&h)
        {
            return;
        }
        inner.bytes += body.len() + key.len();
        inner.entries.insert(
            h,
            Entry {
                key: key.into(),
                body,
                route: RouteTemplate(route.into()),
                series: Default::default(),
            },
        );
    }

    pub fn len(&self) -> usize {
        self.0.borrow().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Answers GET and HEAD from the memo when it can, and memoizes successful prepared answers.
/// HEAD is served as GET; the body is left out on the wire.
pub async fn memoize(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    } else if req.method() != Method::GET {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    // The memo holds the default (JSON) representation only: a request for FHIR goes to its
    // handler, which answers from prepared bodies of its own.
    let fhir = wants_fhir(
        req.headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok()),
    );
    let memo = if fhir {
        None
    } else {
        req.app_data::<Memo>().cloned()
    };
    let hit = memo.as_ref().and_then(|m| m.get(&key_of(req.head())));
    // Only a miss pays for an owned copy of the key, to store it under.
    let key = if hit.is_none() {
        key_of(req.head()).into_owned()
    } else {
        String::new()
    };
    let res = match (hit, req.app_data::<CachePolicy>()) {
        (Some((body, route)), Some(policy)) => {
            let res = policy.respond(req.request(), &body);
            req.extensions_mut().insert(route);
            req.into_response(res)
        }
        _ => {
            let res = next.call(req).await?.map_into_boxed_body();
            if res.status() == StatusCode::OK
                && let Some(memo) = memo
            {
                let body = res.response().extensions().get::<Arc<Prepared>>().cloned();
                if let Some(body) = body {
                    let route = res.request().match_pattern().unwrap_or_default();
                    memo.insert(&key, body, &route);
                }
            }
            res
        }
    };
    // For HEAD, actix-http's encoder sends these headers (Content-Length included) and skips
    // the payload: it remembers the method it decoded, not the one rewritten above.
    Ok(res)
}
