//! A response body serialized once, with its strong ETag and compressed variants made at most
//! once each; and the responder that serves it with caching headers and negotiation.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use crate::background::get_or_make;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, Responder};
use serde::Serialize;

/// Bodies smaller than this are never compressed: the headers would cost more than they save.
const MIN_COMPRESS_BYTES: usize = 256;

/// A content coding this service can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
    Zstd,
}

impl Encoding {
    fn token(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Gzip => "gzip",
            Encoding::Brotli => "br",
            Encoding::Zstd => "zstd",
        }
    }

    /// Suffix that makes each encoded representation's ETag distinct (RFC 9110 §8.8.3).
    fn etag_suffix(self) -> &'static str {
        match self {
            Encoding::Identity => "",
            Encoding::Gzip => "-gzip",
            Encoding::Brotli => "-br",
            Encoding::Zstd => "-zstd",
        }
    }

    /// Picks the best coding the client accepts: br, then zstd, then gzip, among those with
    /// the highest q-value; identity when nothing else is acceptable.
    pub fn negotiate(accept: Option<&str>) -> Encoding {
        let Some(accept) = accept else {
            return Encoding::Identity;
        };
        let mut best = (0.0f32, Encoding::Identity);
        let mut star = None;
        let mut q_of = |enc: Encoding, q: f32| {
            let rank = |e: Encoding| match e {
                Encoding::Brotli => 3,
                Encoding::Zstd => 2,
                Encoding::Gzip => 1,
                Encoding::Identity => 0,
            };
            if q > best.0 || (q == best.0 && q > 0.0 && rank(enc) > rank(best.1)) {
                best = (q, enc);
            }
        };
        let mut seen: Vec<Encoding> = Vec::new();
        for (name, q) in weighted(accept) {
            let q = q.clamp(0.0, 1.0);
            let enc = match name.as_str() {
                "br" => Encoding::Brotli,
                "zstd" => Encoding::Zstd,
                "gzip" | "x-gzip" => Encoding::Gzip,
                "*" => {
                    star = Some(q);
                    continue;
                }
                _ => continue,
            };
            seen.push(enc);
            q_of(enc, q);
        }
        if let Some(q) = star {
            for enc in [Encoding::Brotli, Encoding::Zstd, Encoding::Gzip] {
                if !seen.contains(&enc) {
                    q_of(enc, q);
                }
            }
        }
        best.1
    }
}

/// What a prepared body is, for the headers that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// Plain JSON, the only representation of its resource.
    Json,
    /// JSON of a resource that also has a FHIR representation (`Vary: Accept`).
    JsonOrFhir,
    /// The FHIR representation (`Content-Type: application/fhir+json`, `Vary: Accept`).
    Fhir,
    /// An SVG image (`Content-Type: image/svg+xml`, `Vary: Accept`: a body map).
    Svg,
    /// A PNG image (`Content-Type: image/png`, `Vary: Accept`; compressed already, so sent
    /// as it is whatever `Accept-Encoding` says).
    Png,
}

impl BodyKind {
    /// The `Content-Type` of this kind when it is not the policy's `application/json`.
    fn content_type(self) -> Option<&'static str> {
        match self {
            BodyKind::Json | BodyKind::JsonOrFhir => None,
            BodyKind::Fhir => Some(FHIR_JSON),
            BodyKind::Svg => Some("image/svg+xml"),
            BodyKind::Png => Some("image/png"),
        }
    }
}

/// The media type of FHIR JSON bodies.
pub const FHIR_JSON: &str = "application/fhir+json";

/// The ranges of a header weighted by q-values (`Accept`, `Accept-Encoding`): each one's name,
/// trimmed and lowercased, and its q (the first parseable `q=`; 1 without one).
pub fn weighted(header: &str) -> impl Iterator<Item = (String, f32)> + '_ {
    header.split(',').map(|part| {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = it
            .filter_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|v| v.trim().parse::<f32>().ok())
            })
            .next()
            .unwrap_or(1.0);
        (name, q)
    })
}

/// True when an `Accept` header asks for FHIR JSON: `application/fhir+json` with a q-value
/// above zero and at least that of `application/json` (when both are listed).
pub fn wants_fhir(accept: Option<&str>) -> bool {
    let Some(accept) = accept else { return false };
    let (mut fhir, mut json) = (None::<f32>, None::<f32>);
    for (name, q) in weighted(accept) {
        match name.as_str() {
            FHIR_JSON => fhir = Some(q),
            "application/json" => json = Some(q),
            _ => {}
        }
    }
    matches!(fhir, Some(f) if f > 0.0 && json.is_none_or(|j| f >= j))
}

/// A JSON body ready to send: its bytes, its ETag, and lazily compressed variants.
pub struct Prepared {
    kind: BodyKind,
    identity: Bytes,
    /// Hex content hash, without quotes.
    etag: String,
    /// The `ETag` header of each encoding (identity, gzip, br, zstd), made once.
    etag_headers: [HeaderValue; 4],
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
    zstd: OnceLock<Bytes>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("etag", &self.etag)
            .field("len", &self.identity.len())
            .finish()
    }
}

/// `body` as `Bytes` without the spare capacity its growth left (kept for the life of the
/// process otherwise: `zstd::bulk::compress` reserves the worst case, about the input's size,
/// and serializers and encoders double as they go).
fn exact(mut body: Vec<u8>) -> Bytes {
    body.shrink_to_fit();
    Bytes::from(body)
}

/// Hex of the 128-bit xxh3 hash of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

impl Prepared {
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Arc<Self> {
        Self::from_bytes(serde_json::to_vec(value).expect("response types serialize"))
    }

    /// JSON of a resource that also has a FHIR representation.
    pub fn json_or_fhir<T: Serialize + ?Sized>(value: &T) -> Arc<Self> {
        Self::of_kind(
            serde_json::to_vec(value).expect("response types serialize"),
            BodyKind::JsonOrFhir,
        )
    }

    /// A FHIR JSON body.
    pub fn fhir<T: Serialize + ?Sized>(value: &T) -> Arc<Self> {
        Self::of_kind(
            serde_json::to_vec(value).expect("response types serialize"),
            BodyKind::Fhir,
        )
    }

    /// An SVG image.
    pub fn svg(body: String) -> Arc<Self> {
        Self::of_kind(body.into_bytes(), BodyKind::Svg)
    }

    /// A PNG image.
    pub fn png(body: Vec<u8>) -> Arc<Self> {
        Self::of_kind(body, BodyKind::Png)
    }

    pub fn from_bytes(body: Vec<u8>) -> Arc<Self> {
        Self::of_kind(body, BodyKind::Json)
    }

    fn of_kind(body: Vec<u8>, kind: BodyKind) -> Arc<Self> {
        let etag = content_hash(&body);
        let header = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{etag}{suffix}\"")).expect("hex is a header value")
        };
        Arc::new(Prepared {
            etag_headers: [
                Encoding::Identity,
                Encoding::Gzip,
                Encoding::Brotli,
                Encoding::Zstd,
            ]
            .map(|e| header(e.etag_suffix())),
            etag,
            kind,
            identity: exact(body),
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            zstd: OnceLock::new(),
        })
    }

    pub fn etag(&self) -> &str {
        &self.etag
    }

    pub fn kind(&self) -> BodyKind {
        self.kind
    }

    pub fn len(&self) -> usize {
        self.identity.len()
    }

    pub fn is_empty(&self) -> bool {
        self.identity.is_empty()
    }

    /// The body in `enc`, compressing it on first use. Small bodies stay uncompressed. A request
    /// never waits for the background thread compressing the same body: it compresses it too.
    pub fn body(&self, enc: Encoding) -> (Encoding, Bytes) {
        if self.identity.len() < MIN_COMPRESS_BYTES || self.kind == BodyKind::Png {
            return (Encoding::Identity, self.identity.clone());
        }
        let raw = &self.identity[..];
        let bytes = match enc {
            Encoding::Identity => return (enc, self.identity.clone()),
            Encoding::Gzip => get_or_make(&self.gzip, || {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
                e.write_all(raw).expect("writing to memory");
                exact(e.finish().expect("writing to memory"))
            }),
            Encoding::Brotli => get_or_make(&self.brotli, || {
                let mut out = Vec::new();
                // A window sized to the body keeps the encoder's buffers small.
                let lgwin = (usize::BITS - raw.len().leading_zeros()).clamp(10, 22) as i32;
                let params = brotli::enc::BrotliEncoderParams {
                    quality: 9,
                    lgwin,
                    size_hint: raw.len(),
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &raw[..], &mut out, &params)
                    .expect("writing to memory");
                exact(out)
            }),
            Encoding::Zstd => get_or_make(&self.zstd, || {
                exact(zstd::bulk::compress(raw, 9).expect("writing to memory"))
            }),
        };
        (enc, bytes)
    }

    /// Compresses every variant now (at load, for bodies known before the first request).
    pub fn precompress(&self) {
        for enc in [Encoding::Gzip, Encoding::Brotli, Encoding::Zstd] {
            let _ = self.body(enc);
        }
    }

    /// True when an `If-None-Match` value matches this body in any encoding (weak comparison,
    /// as RFC 9110 §13.1.2 prescribes for If-None-Match).
    pub fn matches(&self, if_none_match: &str) -> bool {
        if_none_match.split(',').any(|tag| {
            let tag = tag.trim();
            if tag == "*" {
                return true;
            }
            let tag = tag.strip_prefix("W/").unwrap_or(tag).trim_matches('"');
            let base = ["-gzip", "-br", "-zstd"]
                .iter()
                .find_map(|s| tag.strip_suffix(s))
                .unwrap_or(tag);
            base == self.etag
        })
    }
}

/// The headers every prepared answer carries, built once: one list for 200s (with
/// `Content-Type`), one for 304s. Each answer inserts them into the response's pooled header
/// map, which keeps its allocation between responses.
#[derive(Debug, Clone)]
pub struct BaseHeaders {
    ok: Vec<(HeaderName, HeaderValue)>,
    not_modified: Vec<(HeaderName, HeaderValue)>,
}

impl BaseHeaders {
    /// These headers plus `extra` (replacing any of the same name), on both lists.
    pub fn with(&self, extra: &[(HeaderName, HeaderValue)]) -> BaseHeaders {
        let add = |list: &[(HeaderName, HeaderValue)]| {
            let mut list: Vec<_> = list
                .iter()
                .filter(|(n, _)| !extra.iter().any(|(e, _)| e == n))
                .cloned()
                .collect();
            list.extend(extra.iter().cloned());
            list
        };
        BaseHeaders {
            ok: add(&self.ok),
            not_modified: add(&self.not_modified),
        }
    }
}

/// How responses may be cached, and the version header every response carries: the headers
/// of every prepared answer (`Cache-Control`, `Vary`, `X-Catalogue-Version`, `Content-Type`).
#[derive(Debug, Clone)]
pub struct CachePolicy {
    base: BaseHeaders,
}

pub const CATALOGUE_VERSION_HEADER: &str = "x-catalogue-version";

impl CachePolicy {
    pub fn new(max_age: u32, stale_while_revalidate: u32, catalogue_version: &str) -> Self {
        let cache_control = HeaderValue::from_str(&format!(
            "public, max-age={max_age}, stale-while-revalidate={stale_while_revalidate}"
        ))
        .expect("ASCII header");
        let catalogue_version = HeaderValue::from_str(catalogue_version).expect("hex header");
        let not_modified = vec![
            (header::CACHE_CONTROL, cache_control),
            (
                header::VARY,
                HeaderValue::from_static("Accept-Encoding, Accept-Language"),
            ),
            (
                HeaderName::from_static(CATALOGUE_VERSION_HEADER),
                catalogue_version,
            ),
        ];
        let mut ok = not_modified.clone();
        ok.push((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        ));
        CachePolicy {
            base: BaseHeaders { ok, not_modified },
        }
    }

    /// The headers `respond` starts from.
    pub fn base(&self) -> &BaseHeaders {
        &self.base
    }

    /// The response for `body` to `req`: 304 when `If-None-Match` matches, otherwise 200 in
    /// the best encoding the client accepts.
    pub fn respond(&self, req: &HttpRequest, body: &Prepared) -> HttpResponse {
        Self::respond_with(req.headers(), body, &self.base)
    }

    /// `respond` for a request with these headers, starting from `base` (the policy's own,
    /// or a superset of them).
    pub fn respond_with(request: &HeaderMap, body: &Prepared, base: &BaseHeaders) -> HttpResponse {
        let enc = Encoding::negotiate(
            request
                .get(header::ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok()),
        );
        let (enc, bytes) = body.body(enc);
        let not_modified = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| body.matches(v));
        let etag = body.etag_headers[enc as usize].clone();
        let (mut res, list) = if not_modified {
            (
                HttpResponse::with_body(StatusCode::NOT_MODIFIED, BoxBody::new(())),
                &base.not_modified,
            )
        } else {
            (
                HttpResponse::with_body(StatusCode::OK, sliced(bytes)),
                &base.ok,
            )
        };
        let headers = res.headers_mut();
        for (name, value) in list {
            headers.insert(name.clone(), value.clone());
        }
        headers.insert(header::ETAG, etag);
        if body.kind != BodyKind::Json {
            headers.insert(
                header::VARY,
                HeaderValue::from_static("Accept, Accept-Encoding, Accept-Language"),
            );
        }
        if let Some(content_type) = body.kind.content_type()
            && !not_modified
        {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        if !not_modified && enc != Encoding::Identity {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(enc.token()),
            );
        }
        res
    }
}

/// Large bodies are handed to actix-http in slices of this size. The connection copies a body
/// into its write buffer as it goes, and asks for the next slice only once the buffer has
/// drained below 32 KiB; handed over whole, a body is copied whole at once. So a client that
/// pipelines requests for the 740 KB export and never reads holds about 96 KiB of write buffer
/// per connection, not the body (finding h2). The price is more, smaller writes: the export
/// serves about 20 % fewer requests a second than whole (4,342 against 5,586 req/s, wrk -c16);
/// 16 KiB slices cost twice that.
const SLICE_BYTES: usize = 64 * 1024;

/// Bodies up to this size go in one piece: slicing costs about 2,000 instructions a request
/// (3 % of a 50 KB list page's), and the memory it saves is small at this size.
const WHOLE_BYTES: usize = 64 * 1024;

/// `bytes` as a response body: in one piece up to `WHOLE_BYTES`, else in slices (zero-copy
/// views of the same bytes).
fn sliced(bytes: Bytes) -> BoxBody {
    if bytes.len() <= WHOLE_BYTES {
        BoxBody::new(bytes)
    } else {
        BoxBody::new(Sliced(bytes))
    }
}

/// A body that yields its bytes `SLICE_BYTES` at a time. (It must not implement
/// `try_into_bytes`: `BoxBody::new` would then keep it in one piece.)
struct Sliced(Bytes);

impl MessageBody for Sliced {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.0.len() as u64)
    }

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Bytes, Self::Error>>> {
        if self.0.is_empty() {
            return std::task::Poll::Ready(None);
        }
        let n = self.0.len().min(SLICE_BYTES);
        std::task::Poll::Ready(Some(Ok(self.0.split_to(n))))
    }
}

/// A handler's answer: a prepared body, served with `CachePolicy::respond`.
pub struct Cached(pub Arc<Prepared>);

impl Cached {
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Self {
        Cached(Prepared::json(value))
    }
}

impl Responder for Cached {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        let Some(policy) = req.app_data::<CachePolicy>() else {
            return HttpResponse::InternalServerError().finish();
        };
        let mut res = policy.respond(req, &self.0);
        res.extensions_mut().insert(self.0);
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_prefers_br_then_zstd_then_gzip_and_honours_q() {
        assert_eq!(Encoding::negotiate(None), Encoding::Identity);
        assert_eq!(
            Encoding::negotiate(Some("gzip, deflate, br")),
            Encoding::Brotli
        );
        assert_eq!(Encoding::negotiate(Some("gzip, zstd")), Encoding::Zstd);
        assert_eq!(
            Encoding::negotiate(Some("gzip;q=1, br;q=0.5")),
            Encoding::Gzip
        );
        assert_eq!(Encoding::negotiate(Some("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(Some("*")), Encoding::Brotli);
        assert_eq!(Encoding::negotiate(Some("*, br;q=0")), Encoding::Zstd);
        assert_eq!(Encoding::negotiate(Some("deflate")), Encoding::Identity);
        assert_eq!(Encoding::negotiate(Some("identity")), Encoding::Identity);
    }

    #[test]
    fn fhir_is_chosen_only_when_asked_for_first() {
        assert!(!wants_fhir(None));
        assert!(!wants_fhir(Some("application/json")));
        assert!(!wants_fhir(Some("*/*")));
        assert!(wants_fhir(Some("application/fhir+json")));
        assert!(wants_fhir(Some(
            "application/json;q=0.5, application/fhir+json"
        )));
        assert!(!wants_fhir(Some(
            "application/json, application/fhir+json;q=0.8"
        )));
        assert!(!wants_fhir(Some("application/fhir+json;q=0")));
    }

    #[test]
    fn etags_match_across_encodings_and_weak_forms() {
        let p = Prepared::from_bytes(b"{}".to_vec());
        let tag = p.etag().to_owned();
        assert!(p.matches(&format!("\"{tag}\"")));
        assert!(p.matches(&format!("W/\"{tag}-gzip\"")));
        assert!(p.matches(&format!("\"other\", \"{tag}-br\"")));
        assert!(p.matches("*"));
        assert!(!p.matches("\"other\""));
        assert!(!p.matches(&format!("\"{tag}x\"")));
    }

    /// The chunks `res`'s body yields, in order.
    async fn chunks(res: HttpResponse) -> (BodySize, Vec<Bytes>) {
        let body = res.into_body();
        let size = body.size();
        let mut body = std::pin::pin!(body);
        let mut out = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await {
            out.push(chunk.unwrap());
        }
        (size, out)
    }

    #[actix_web::test]
    async fn large_bodies_are_sent_in_slices_and_small_ones_whole() {
        let policy = CachePolicy::new(60, 10, "v");
        let text: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let large = Prepared::from_bytes(text.clone());
        let (size, parts) = chunks(CachePolicy::respond_with(
            &HeaderMap::new(),
            &large,
            policy.base(),
        ))
        .await;
        assert_eq!(
            size,
            BodySize::Sized(200_000),
            "Content-Length is still sent"
        );
        assert!(
            parts.len() >= 200_000 / SLICE_BYTES,
            "{} parts",
            parts.len()
        );
        assert!(parts.iter().all(|p| p.len() <= SLICE_BYTES));
        assert_eq!(parts.concat(), text);

        let small = Prepared::from_bytes(text[..2_000].to_vec());
        let (size, parts) = chunks(CachePolicy::respond_with(
            &HeaderMap::new(),
            &small,
            policy.base(),
        ))
        .await;
        assert_eq!(size, BodySize::Sized(2_000));
        assert_eq!(parts.len(), 1);
    }

    #[test]
    fn compressed_variants_decompress_to_the_body() {
        let body: Vec<u8> = serde_json::to_vec(&vec!["clamshells"; 200]).unwrap();
        let p = Prepared::from_bytes(body.clone());
        let (enc, gz) = p.body(Encoding::Gzip);
        assert_eq!(enc, Encoding::Gzip);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out).unwrap();
        assert_eq!(out, body);
        let (_, br) = p.body(Encoding::Brotli);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap();
        assert_eq!(out, body);
        let (_, zs) = p.body(Encoding::Zstd);
        assert_eq!(zstd::decode_all(&zs[..]).unwrap(), body);
        let small = Prepared::from_bytes(b"{\"a\":1}".to_vec());
        assert_eq!(small.body(Encoding::Brotli).0, Encoding::Identity);
    }
}
