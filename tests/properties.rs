//! Property tests over the HTTP surface:
//! - any query string on the list endpoints gets a JSON answer and never a 5xx;
//! - for any valid filter combination and page size, walking every page via `offset` yields
//!   exactly `meta.total` distinct items, in the same order as one big page.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use actix_web::dev::Service;
use actix_web::http::header;
use actix_web::rt::System;
use actix_web::test as atest;
use exercise_api::catalogue::Catalogue;
use exercise_api::startup::app;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

/// Cases per paging property (each walks every page of a list).
const CASES: u32 = 64;
/// Cases of the random-query property (one request each).
const QUERY_CASES: u32 = 256;

/// The status, content type and parsed body of one GET; a body that is not JSON is an error.
struct Reply {
    status: u16,
    content_type: String,
    body: Result<Value, String>,
}

type Raw = (u16, String, Vec<u8>);
/// Sends a GET for a URI to the in-process App (the App's request type is not nameable here).
type Call = Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = Raw>>>>;
type Runner = actix_web::rt::SystemRunner;

/// One actix system and one App for a whole test.
fn harness() -> (Runner, Call) {
    let runner = System::new();
    let catalogue = Arc::new(Catalogue::embedded().expect("the embedded catalogue loads"));
    let service = Rc::new(runner.block_on(atest::init_service(app(catalogue))));
    let call: Call = Box::new(move |uri: String| {
        let service = service.clone();
        Box::pin(async move {
            let req = atest::TestRequest::get().uri(&uri).to_request();
            match service.call(req).await {
                Ok(res) => {
                    let status = res.status().as_u16();
                    let ct = content_type(res.headers());
                    (status, ct, atest::read_body(res).await.to_vec())
                }
                Err(e) => {
                    let res = e.error_response();
                    let status = res.status().as_u16();
                    let ct = content_type(res.headers());
                    let body = actix_web::body::to_bytes(res.into_body())
                        .await
                        .map(|b| b.to_vec())
                        .unwrap_or_default();
                    (status, ct, body)
                }
            }
        })
    });
    (runner, call)
}

fn get(runner: &Runner, call: &Call, uri: &str) -> Reply {
    let (status, content_type, bytes) = runner.block_on(call(uri.to_owned()));
    Reply {
        status,
        content_type,
        body: serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "{e}: {:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
            )
        }),
    }
}

fn content_type(h: &actix_web::http::header::HeaderMap) -> String {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

// ---- random query strings ----------------------------------------------------------------------

const KNOWN_NAMES: &[&str] = &[
    "muscle",
    "equipment",
    "condition",
    "difficulty",
    "laterality",
    "q",
    "sort",
    "limit",
    "offset",
    "kind",
    "region",
    "expand",
];

const KNOWN_VALUES: &[&str] = &[
    "gluteals",
    "gluteus-medius",
    "none",
    "resistance-band",
    "knee-pain",
    "beginner",
    "advanced",
    "unilateral",
    "bilateral",
    "name",
    "-name",
    "relevance",
    "group",
    "muscle",
    "hip",
    "exercises",
    "0",
    "1",
    "20",
    "100",
    "101",
    "-1",
    "1000000",
    "99999999999999999999",
    "glute med",
    "",
];

/// One piece of a name or value, already in URI-safe form.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        // A known word, form-encoded.
        proptest::sample::select(KNOWN_VALUES)
            .prop_map(|s| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()),
        proptest::sample::select(KNOWN_NAMES).prop_map(str::to_owned),
        // Unreserved junk.
        "[A-Za-z0-9._~-]{0,12}",
        // Sub-delimiters and friends that are legal in a query unencoded.
        "[,+:@!$'()*;/?]{1,4}",
        // Random bytes, percent-encoded (often invalid UTF-8).
        proptest::collection::vec(any::<u8>(), 1..6)
            .prop_map(|b| b.iter().map(|x| format!("%{x:02X}")).collect::<String>()),
        // Broken escapes.
        Just("%".to_owned()),
        Just("%G1".to_owned()),
        Just("%4".to_owned()),
        Just("%00".to_owned()),
        // Valid UTF-8, percent-encoded.
        any::<String>().prop_map(|s| {
            let s: String = s.chars().take(6).collect();
            form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
        }),
    ]
}

fn word() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..3).prop_map(|v| v.concat())
}

/// A whole query string: pairs with or without `=`, empty parts, repeated names.
fn query_string() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            word(),
            prop_oneof![
                3 => word().prop_map(|v| format!("={v}")),
                1 => Just(String::new()),
                1 => Just("==".to_owned()),
            ],
        ),
        0..6,
    )
    .prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(n, v)| format!("{n}{v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

#[test]
fn random_queries_never_5xx_and_always_json() {
    let (runner, service) = harness();
    let mut tr = TestRunner::new(Config {
        cases: QUERY_CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        proptest::sample::select(
            &[
                "/v1/exercises",
                "/v1/muscles",
                "/v1/routines",
                "/v1/muscles/gluteals/exercises",
            ][..],
        ),
        query_string(),
    );
    let statuses = std::cell::RefCell::new(std::collections::BTreeMap::<u16, u32>::new());
    tr.run(&strategy, |(path, query)| {
        let uri = format!("{path}?{query}");
        let reply = get(&runner, &service, &uri);
        *statuses.borrow_mut().entry(reply.status).or_default() += 1;
        prop_assert!(reply.status < 500, "{uri}: status {}", reply.status);
        let body = reply
            .body
            .map_err(|e| TestCaseError::fail(format!("{uri}: body is not JSON: {e}")))?;
        match reply.status {
            200 => {
                prop_assert_eq!(&reply.content_type, "application/json", "{}", uri);
                prop_assert!(body["data"].is_array(), "{uri}: no data array");
                prop_assert!(body["meta"]["total"].is_u64(), "{uri}: no meta.total");
            }
            s => {
                prop_assert_eq!(&reply.content_type, "application/problem+json", "{}", uri);
                prop_assert_eq!(body["status"].as_u64(), Some(u64::from(s)), "{}", uri);
                if s == 400 {
                    prop_assert!(
                        body["errors"].as_array().is_some_and(|e| !e.is_empty()),
                        "{uri}: a 400 without errors"
                    );
                }
            }
        }
        Ok(())
    })
    .unwrap();
    println!(
        "random queries: {QUERY_CASES} cases, statuses {:?}",
        statuses.borrow()
    );
}

// ---- paging --------------------------------------------------------------------------------

/// Ids of a vocabulary, read through the API (so the test follows the catalogue as it grows).
fn ids(runner: &Runner, service: &Call, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let paged = path != "/v1/equipment";
        let uri = if paged {
            format!("{path}{sep}limit=100&offset={offset}")
        } else {
            path.to_owned()
        };
        let reply = get(runner, service, &uri);
        assert_eq!(reply.status, 200, "{uri}");
        let body = reply.body.unwrap();
        let data = body["data"].as_array().expect("data").clone();
        out.extend(data.iter().map(|d| d["id"].as_str().unwrap().to_owned()));
        if !paged || data.len() < 100 {
            return out;
        }
        offset += 100;
    }
}

/// Walks every page of `base` (which has no limit/offset) with page size `limit`; checks that
/// each page agrees on the total, the items are distinct and number `meta.total`, and that the
/// pages concatenated equal the same list read with the largest page size.
fn walk(runner: &Runner, service: &Call, base: &str, limit: u32) -> Result<(), TestCaseError> {
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut seen: Vec<String> = Vec::new();
    let mut total: Option<u64> = None;
    let mut offset: u64 = 0;
    loop {
        let uri = format!("{base}{sep}limit={limit}&offset={offset}");
        let reply = get(runner, service, &uri);
        prop_assert_eq!(reply.status, 200, "{}: {:?}", uri, reply.body);
        let body = reply.body.map_err(TestCaseError::fail)?;
        let t = body["meta"]["total"].as_u64().expect("meta.total");
        prop_assert_eq!(
            *total.get_or_insert(t),
            t,
            "{}: total changed between pages",
            uri
        );
        prop_assert_eq!(
            body["meta"]["limit"].as_u64(),
            Some(u64::from(limit)),
            "{}",
            uri
        );
        prop_assert_eq!(body["meta"]["offset"].as_u64(), Some(offset), "{}", uri);
        let data = body["data"].as_array().expect("data");
        prop_assert!(
            data.len() <= limit as usize,
            "{uri}: page longer than limit"
        );
        let expected_len = t.saturating_sub(offset).min(u64::from(limit));
        prop_assert_eq!(data.len() as u64, expected_len, "{}: page length", uri);
        seen.extend(
            data.iter()
                .map(|d| d["id"].as_str().unwrap_or("").to_owned()),
        );
        let has_next = !body["links"]["next"].is_null();
        prop_assert_eq!(
            has_next,
            offset + u64::from(limit) < t,
            "{}: links.next",
            uri
        );
        if !has_next {
            break;
        }
        offset += u64::from(limit);
        prop_assert!(offset <= 1_000_000, "{uri}: runaway paging");
    }
    let total = total.unwrap_or(0);
    prop_assert_eq!(
        seen.len() as u64,
        total,
        "{}: items walked vs meta.total",
        base
    );
    let distinct: HashSet<&String> = seen.iter().collect();
    prop_assert_eq!(
        distinct.len(),
        seen.len(),
        "{}: duplicate ids across pages: {:?}",
        base,
        seen
    );
    if total <= 100 {
        let uri = format!("{base}{sep}limit=100");
        let reply = get(runner, service, &uri);
        let body = reply.body.map_err(TestCaseError::fail)?;
        let one: Vec<String> = body["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|d| d["id"].as_str().unwrap_or("").to_owned())
            .collect();
        prop_assert_eq!(&one, &seen, "{}: pages differ from one big page", base);
    }
    Ok(())
}

/// No filter (most often), or a random non-empty subset of `all` as a comma list.
fn subset(all: Vec<String>) -> impl Strategy<Value = Option<String>> {
    let n = all.len();
    prop_oneof![
        2 => Just(None),
        1 => proptest::sample::subsequence(all, 1..=n.min(3)).prop_map(|v| Some(v.join(","))),
    ]
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn paging_walks_every_exercise_exactly_once() {
    let (runner, service) = harness();
    let muscles = ids(&runner, &service, "/v1/muscles");
    let equipment = ids(&runner, &service, "/v1/equipment");
    let conditions = ids(&runner, &service, "/v1/conditions");
    assert!(!muscles.is_empty() && !equipment.is_empty());

    let filters = (
        subset(muscles),
        subset(equipment),
        subset(conditions),
        subset(strs(&["beginner", "intermediate", "advanced"])),
        subset(strs(&["unilateral", "bilateral", "alternating"])),
        proptest::option::of(proptest::sample::select(
            &[
                "glute",
                "knee",
                "band",
                "hip",
                "bridge",
                "side step",
                "quad",
            ][..],
        )),
        proptest::option::of(proptest::sample::select(
            &["name", "-name", "relevance"][..],
        )),
        // Small page sizes walk many pages: weight them.
        prop_oneof![3 => 1u32..=3, 1 => 1u32..=100],
    );
    let mut tr = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let nonempty = std::cell::Cell::new(0u32);
    tr.run(
        &filters,
        |(muscle, equipment, condition, difficulty, laterality, q, sort, limit)| {
            let mut pairs: Vec<(&str, String)> = Vec::new();
            for (name, value) in [
                ("muscle", muscle),
                ("equipment", equipment),
                ("condition", condition),
                ("difficulty", difficulty),
                ("laterality", laterality),
                ("q", q.map(str::to_owned)),
                ("sort", sort.map(str::to_owned)),
            ] {
                if let Some(v) = value {
                    pairs.push((name, v));
                }
            }
            let query = serde_urlencoded::to_string(&pairs).unwrap();
            let base = if query.is_empty() {
                "/v1/exercises".to_owned()
            } else {
                format!("/v1/exercises?{query}")
            };
            walk(&runner, &service, &base, limit)?;
            let total = get(&runner, &service, &base).body.unwrap()["meta"]["total"]
                .as_u64()
                .unwrap_or(0);
            if total > 0 {
                nonempty.set(nonempty.get() + 1);
            }
            Ok(())
        },
    )
    .unwrap();
    println!(
        "paging: {CASES} filter combinations, {} with items",
        nonempty.get()
    );
}

#[test]
fn paging_walks_muscles_routines_and_conditions() {
    let (runner, service) = harness();
    let mut tr = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        proptest::sample::select(
            &[
                "/v1/muscles",
                "/v1/muscles?kind=group",
                "/v1/muscles?kind=muscle",
                "/v1/muscles?region=hip,thigh",
                "/v1/muscles?q=glute",
                "/v1/routines",
                "/v1/conditions",
                "/v1/muscles/gluteals/exercises",
            ][..],
        ),
        prop_oneof![3 => 1u32..=3, 1 => 1u32..=100],
    );
    tr.run(&strategy, |(base, limit)| {
        walk(&runner, &service, base, limit)
    })
    .unwrap();
}
