//! The caching contract: a strong ETag on every successful GET, stable across requests and
//! across a fresh load of the same catalogue, different for different content; 304 on a
//! match; Cache-Control and X-Catalogue-Version; compressed bodies that decompress to the
//! identical JSON.

use std::io::Read;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::test;
use exercise_api::catalogue::Catalogue;
use exercise_api::startup::{self, HttpSettings, Shared};

use crate::helpers::{Reply, get, get_ok, request};

/// Single resources, filtered and unfiltered lists, search, the export: prepared and computed
/// answers alike.
const PATHS: &[&str] = &[
    "/v1/exercises/clamshells",
    "/v1/exercises?muscle=gluteals&limit=20",
    "/v1/exercises?q=glute+med",
    "/v1/exercises",
    "/v1/exercises/clamshells/alternatives",
    "/v1/routines/knee-pain-5-best-exercises?expand=exercises",
    "/v1/muscles/gluteus-medius",
    "/v1/muscles?limit=5",
    "/v1/conditions/knee-pain",
    "/v1/equipment",
    "/v1/sources",
    "/v1/search?q=knee",
    "/v1/search/suggest?q=cla",
    "/v1/catalogue",
    "/v1/catalogue/export",
];

/// `Vary` of a path: single exercises and routines also have a FHIR representation.
fn vary(path: &str) -> &'static str {
    let single = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| !rest.split('?').next().unwrap_or("").contains('/'))
    };
    if single("/v1/exercises/") || single("/v1/routines/") {
        "Accept, Accept-Encoding, Accept-Language"
    } else {
        "Accept-Encoding, Accept-Language"
    }
}

fn header<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// A request to an App built from `shared` (a server of its own).
async fn request_to(shared: Shared, req: test::TestRequest) -> Reply {
    let app = test::init_service(startup::app_with(shared)).await;
    let res = test::call_service(&app, req.to_request()).await;
    let status = res.status();
    let headers = res.headers().clone();
    let raw = test::read_body(res).await.to_vec();
    let body = serde_json::from_slice(&raw).unwrap_or(serde_json::Value::Null);
    Reply {
        status,
        headers,
        body,
        raw,
    }
}

fn is_strong_hex_etag(tag: &str) -> bool {
    let Some(inner) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return false;
    };
    inner.len() == 32 && inner.bytes().all(|b| b.is_ascii_hexdigit())
}

#[actix_web::test]
async fn every_get_has_a_strong_etag_cache_control_and_the_catalogue_version() {
    let version = get_ok("/v1/catalogue").await.body["version"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(version.len(), 32);
    for path in PATHS {
        let r = get_ok(path).await;
        let tag = header(&r, "etag");
        assert!(is_strong_hex_etag(tag), "{path}: {tag}");
        assert_eq!(
            header(&r, "cache-control"),
            "public, max-age=300, stale-while-revalidate=60",
            "{path}"
        );
        assert_eq!(header(&r, "vary"), vary(path), "{path}");
        assert_eq!(header(&r, "x-catalogue-version"), version, "{path}");
        assert_eq!(r.content_type(), "application/json", "{path}");
    }
}

#[actix_web::test]
async fn etags_are_stable_across_requests_and_a_fresh_load_of_the_same_catalogue() {
    // A second load builds every map again (new hash seeds): nothing may depend on them.
    let reloaded = Arc::new(Catalogue::embedded().unwrap());
    let restarted = Shared::new(reloaded, true, &HttpSettings::default());
    for path in PATHS {
        let a = get_ok(path).await;
        let b = get_ok(path).await;
        let c = request_to(restarted.clone(), test::TestRequest::get().uri(path)).await;
        assert_eq!(c.status, StatusCode::OK, "{path}");
        assert_eq!(header(&a, "etag"), header(&b, "etag"), "{path}");
        assert_eq!(
            header(&a, "etag"),
            header(&c, "etag"),
            "{path} after a reload"
        );
        assert_eq!(a.raw, c.raw, "{path}: same bytes after a reload");
        assert_eq!(
            header(&a, "x-catalogue-version"),
            header(&c, "x-catalogue-version")
        );
    }
}

#[actix_web::test]
async fn different_content_has_a_different_etag_and_the_same_content_the_same() {
    let mut seen = std::collections::HashMap::new();
    for path in PATHS {
        let r = get_ok(path).await;
        if let Some(other) = seen.insert(header(&r, "etag").to_owned(), *path) {
            panic!("{path} and {other} share an ETag");
        }
    }
    // Another spelling of the same query answers the same bytes, so the same ETag.
    let a = get_ok("/v1/exercises?muscle=gluteals&limit=20").await;
    let b = get_ok("/v1/exercises?limit=20&muscle=gluteals").await;
    assert_eq!(a.raw, b.raw);
    assert_eq!(header(&a, "etag"), header(&b, "etag"));
    // Another page of the same list does not.
    let c = get_ok("/v1/exercises?muscle=gluteals&limit=20&offset=1").await;
    assert_ne!(header(&a, "etag"), header(&c, "etag"));
}

#[actix_web::test]
async fn a_different_catalogue_has_a_different_version_and_etags() {
    let mut doc: serde_json::Value =
        serde_json::from_str(exercise_api::catalogue::index::EMBEDDED).unwrap();
    let clam = doc["exercises"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e["id"] == "clamshells")
        .unwrap();
    clam["feel"] = "Outer hip.".into();
    let other = Catalogue::from_bytes(&serde_json::to_vec(&doc).unwrap()).unwrap();
    let other = Shared::new(Arc::new(other), false, &HttpSettings::default());
    for path in [
        "/v1/exercises/clamshells",
        "/v1/exercises?muscle=gluteals&limit=20",
        "/v1/catalogue/export",
    ] {
        let a = get_ok(path).await;
        let b = request_to(other.clone(), test::TestRequest::get().uri(path)).await;
        assert_eq!(b.status, StatusCode::OK);
        assert_ne!(header(&a, "etag"), header(&b, "etag"), "{path}");
        assert_ne!(
            header(&a, "x-catalogue-version"),
            header(&b, "x-catalogue-version")
        );
    }
    let b = request_to(
        other.clone(),
        test::TestRequest::get().uri("/v1/exercises/clamshells"),
    )
    .await;
    assert_eq!(b.body["feel"], "Outer hip.");
}

#[actix_web::test]
async fn a_matching_if_none_match_is_304_with_no_body() {
    for path in PATHS {
        let full = get_ok(path).await;
        let tag = header(&full, "etag").to_owned();
        let bare = tag.trim_matches('"').to_owned();
        for condition in [
            tag.clone(),
            format!("W/{tag}"),
            format!("\"something-else\", {tag}"),
            format!("\"{bare}-gzip\""),
            "*".to_owned(),
        ] {
            let r = request(
                test::TestRequest::get()
                    .uri(path)
                    .insert_header(("If-None-Match", condition.as_str())),
            )
            .await;
            assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{path} {condition}");
            assert!(r.raw.is_empty(), "{path}: a 304 has no body");
            assert_eq!(header(&r, "etag"), tag, "{path}");
            assert_eq!(header(&r, "cache-control"), header(&full, "cache-control"));
            assert!(r.headers.get("content-type").is_none());
        }
        for condition in ["\"0123\"", "\"\"", "W/\"abc\", \"def\""] {
            let r = request(
                test::TestRequest::get()
                    .uri(path)
                    .insert_header(("If-None-Match", condition)),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{path} {condition}");
            assert_eq!(r.raw, full.raw);
        }
    }
}

fn decompress(encoding: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        "gzip" => {
            flate2::read::GzDecoder::new(bytes)
                .read_to_end(&mut out)
                .unwrap();
        }
        "br" => brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap(),
        "zstd" => out = zstd::decode_all(bytes).unwrap(),
        other => panic!("unexpected encoding {other}"),
    }
    out
}

#[actix_web::test]
async fn compressed_bodies_decompress_to_the_identical_json() {
    for path in PATHS {
        let plain = get_ok(path).await;
        let tag = header(&plain, "etag").trim_matches('"').to_owned();
        for encoding in ["gzip", "br", "zstd"] {
            let r = request(
                test::TestRequest::get()
                    .uri(path)
                    .insert_header(("Accept-Encoding", encoding)),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(header(&r, "vary"), vary(path), "{path}");
            if plain.raw.len() < 256 {
                // Too small to gain anything: sent as it is.
                assert!(r.headers.get("content-encoding").is_none(), "{path}");
                assert_eq!(r.raw, plain.raw);
                continue;
            }
            assert_eq!(header(&r, "content-encoding"), encoding, "{path}");
            assert!(
                r.raw.len() < plain.raw.len(),
                "{path} {encoding} is smaller"
            );
            assert_eq!(decompress(encoding, &r.raw), plain.raw, "{path} {encoding}");
            // Each representation has its own ETag, and a client holding it gets a 304.
            let etag = header(&r, "etag").to_owned();
            assert_eq!(etag, format!("\"{tag}-{encoding}\""));
            let again = request(
                test::TestRequest::get()
                    .uri(path)
                    .insert_header(("Accept-Encoding", encoding))
                    .insert_header(("If-None-Match", etag.as_str())),
            )
            .await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED);
            assert_eq!(header(&again, "etag"), etag);
        }
    }
    // The client's preference order and q-values are honoured; a refused coding is not sent.
    let r = request(
        test::TestRequest::get()
            .uri("/v1/catalogue/export")
            .insert_header(("Accept-Encoding", "br;q=0, gzip;q=0.5, zstd;q=0.4")),
    )
    .await;
    assert_eq!(header(&r, "content-encoding"), "gzip");
    let r = request(
        test::TestRequest::get()
            .uri("/v1/catalogue/export")
            .insert_header(("Accept-Encoding", "identity")),
    )
    .await;
    assert!(r.headers.get("content-encoding").is_none());
}

#[actix_web::test]
async fn max_age_and_stale_while_revalidate_are_configurable() {
    let settings = HttpSettings {
        cache_max_age: 60,
        stale_while_revalidate: 0,
        ..HttpSettings::default()
    };
    let custom = Shared::new(shared_catalogue(), true, &settings);
    for path in ["/v1/exercises/clamshells", "/v1/exercises?q=bridge"] {
        let r = request_to(custom.clone(), test::TestRequest::get().uri(path)).await;
        assert_eq!(
            header(&r, "cache-control"),
            "public, max-age=60, stale-while-revalidate=0"
        );
    }
}

fn shared_catalogue() -> Arc<Catalogue> {
    crate::helpers::catalogue()
}

#[actix_web::test]
async fn errors_carry_no_etag_and_are_not_publicly_cacheable() {
    for path in ["/v1/exercises/no-such-exercise", "/v1/exercises?limit=0"] {
        let r = get(path).await;
        assert!(r.status.is_client_error(), "{path}");
        assert!(r.headers.get("etag").is_none(), "{path}");
        let cache_control = r
            .headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        assert!(!cache_control.contains("public"), "{path}: {cache_control}");
    }
}
