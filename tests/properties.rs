//! Property tests over the HTTP surface:
//! - any query string on the list, search, suggest and alternatives endpoints gets a JSON answer
//!   and never a 5xx;
//! - for any valid filter combination and page size, walking every page via `offset` yields
//!   exactly `meta.total` distinct items, in the same order as one big page;
//! - every exercise listed satisfies the filters asked for (`available_equipment`,
//!   `max_difficulty`, `region`, `position`, `exclude`, ...) and holds only the `fields` asked for;
//! - search hits are of the types asked for, point at their resource, and come best first across
//!   pages; suggestions stay within their limit.

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
    "available_equipment",
    "condition",
    "difficulty",
    "max_difficulty",
    "laterality",
    "position",
    "exclude",
    "fields",
    "type",
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
    "exercise",
    "routine",
    "condition",
    "standing",
    "supine",
    "intermediate",
    "clamshells",
    "id",
    "steps",
    "id,name",
    "exercise,muscle",
    "10",
    "11",
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
                "/v1/conditions",
                "/v1/search",
                "/v1/search/suggest",
                "/v1/exercises/clamshells/alternatives",
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
                // Suggestions and alternatives are not paged.
                if !path.ends_with("/suggest") && !path.ends_with("/alternatives") {
                    prop_assert!(body["meta"]["total"].is_u64(), "{uri}: no meta.total");
                }
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
        // Every list is paged, equipment included.
        let paged = true;
        let uri = format!("{path}{sep}limit=100&offset={offset}");
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

/// What tells items apart: the id, and the type for search hits (an exercise and a muscle may
/// share an id).
fn key(item: &Value) -> String {
    format!(
        "{}:{}",
        item["type"].as_str().unwrap_or(""),
        item["id"].as_str().unwrap_or("")
    )
}

/// Walks every page of `base` (which has no limit/offset) with page size `limit`; checks that
/// each page agrees on the total, the items are distinct and number `meta.total`, and that the
/// pages concatenated equal the same list read with the largest page size. Returns the items
/// walked, in order.
fn walk(
    runner: &Runner,
    service: &Call,
    base: &str,
    limit: u32,
) -> Result<Vec<Value>, TestCaseError> {
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut seen: Vec<String> = Vec::new();
    let mut items: Vec<Value> = Vec::new();
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
        seen.extend(data.iter().map(key));
        items.extend(data.iter().cloned());
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
            .map(key)
            .collect();
        prop_assert_eq!(&one, &seen, "{}: pages differ from one big page", base);
    }
    Ok(items)
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

/// The filters of one exercise list request, as comma lists.
#[derive(Debug, Default)]
struct ExerciseFilters {
    muscle: Option<String>,
    equipment: Option<String>,
    available_equipment: Option<String>,
    condition: Option<String>,
    difficulty: Option<String>,
    max_difficulty: Option<&'static str>,
    laterality: Option<String>,
    region: Option<String>,
    position: Option<String>,
    exclude: Option<String>,
    fields: Option<String>,
    q: Option<&'static str>,
    sort: Option<&'static str>,
}

impl ExerciseFilters {
    fn query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (name, value) in [
            ("muscle", self.muscle.as_deref()),
            ("equipment", self.equipment.as_deref()),
            ("available_equipment", self.available_equipment.as_deref()),
            ("condition", self.condition.as_deref()),
            ("difficulty", self.difficulty.as_deref()),
            ("max_difficulty", self.max_difficulty),
            ("laterality", self.laterality.as_deref()),
            ("region", self.region.as_deref()),
            ("position", self.position.as_deref()),
            ("exclude", self.exclude.as_deref()),
            ("fields", self.fields.as_deref()),
            ("q", self.q),
            ("sort", self.sort),
        ] {
            if let Some(v) = value {
                pairs.push((name, v));
            }
        }
        serde_urlencoded::to_string(&pairs).unwrap()
    }
}

fn list(v: &Option<String>) -> Option<HashSet<&str>> {
    v.as_deref().map(|s| s.split(',').collect())
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn rank(difficulty: &str) -> u8 {
    match difficulty {
        "beginner" => 0,
        "intermediate" => 1,
        "advanced" => 2,
        other => panic!("unknown difficulty {other}"),
    }
}

/// Whether a whole exercise passes every filter but `muscle` and `q` (whose matching is the
/// service's business: groups and members, synonyms, typos).
fn passes(f: &ExerciseFilters, e: &Value) -> bool {
    let id = e["id"].as_str().unwrap_or("");
    let equipment = strings(&e["equipment"]);
    let any_of = |want: &Option<String>, have: &[&str]| {
        list(want).is_none_or(|w| have.iter().any(|h| w.contains(h)))
    };
    let one_of = |want: &Option<String>, have: &str| list(want).is_none_or(|w| w.contains(have));
    list(&f.exclude).is_none_or(|x| !x.contains(id))
        && f.max_difficulty
            .is_none_or(|m| rank(e["difficulty"].as_str().unwrap_or("")) <= rank(m))
        && list(&f.available_equipment)
            .is_none_or(|at| equipment.iter().all(|q| *q == "none" || at.contains(q)))
        && any_of(&f.equipment, &equipment)
        && any_of(&f.condition, &strings(&e["conditions"]))
        && any_of(&f.region, &strings(&e["regions"]))
        && one_of(&f.difficulty, e["difficulty"].as_str().unwrap_or(""))
        && one_of(&f.laterality, e["laterality"].as_str().unwrap_or(""))
        && one_of(&f.position, e["position"].as_str().unwrap_or(""))
}

#[test]
fn paging_walks_every_exercise_exactly_once() {
    let (runner, service) = harness();
    let muscles = ids(&runner, &service, "/v1/muscles");
    let equipment = ids(&runner, &service, "/v1/equipment");
    let conditions = ids(&runner, &service, "/v1/conditions");
    let exercise_ids = ids(&runner, &service, "/v1/exercises");
    assert!(!muscles.is_empty() && !equipment.is_empty() && !exercise_ids.is_empty());
    // The whole catalogue, page by page, to check each listed exercise against the filters.
    let mut all: Vec<Value> = Vec::new();
    while all.len() < exercise_ids.len() {
        let page = get(
            &runner,
            &service,
            &format!("/v1/exercises?limit=100&offset={}", all.len()),
        );
        all.extend(page.body.unwrap()["data"].as_array().unwrap().clone());
    }
    let by_id: std::collections::HashMap<&str, &Value> =
        all.iter().map(|e| (e["id"].as_str().unwrap(), e)).collect();

    let filters = (
        (
            subset(muscles),
            subset(equipment.clone()),
            subset(equipment),
            subset(conditions),
            subset(strs(&["beginner", "intermediate", "advanced"])),
            proptest::option::of(proptest::sample::select(
                &["beginner", "intermediate", "advanced"][..],
            )),
        ),
        (
            subset(strs(&["unilateral", "bilateral", "alternating"])),
            subset(strs(&[
                "neck",
                "shoulder",
                "upper-arm",
                "elbow",
                "forearm",
                "wrist-hand",
                "chest",
                "upper-back",
                "lower-back",
                "abdomen",
                "hip",
                "thigh",
                "knee",
                "lower-leg",
                "ankle",
                "foot",
            ])),
            subset(strs(&[
                "standing",
                "supine",
                "prone",
                "side-lying",
                "seated",
                "kneeling",
                "half-kneeling",
                "quadruped",
                "hanging",
            ])),
            subset(exercise_ids),
            subset(strs(&[
                "id",
                "name",
                "difficulty",
                "equipment",
                "position",
                "regions",
                "targets",
                "steps",
                "dose",
                "conditions",
            ])),
        ),
        (
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
        ),
    );
    let mut tr = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let nonempty = std::cell::Cell::new(0u32);
    let exact = std::cell::Cell::new(0u32);
    tr.run(&filters, |(a, b, c)| {
        let f = ExerciseFilters {
            muscle: a.0,
            equipment: a.1,
            available_equipment: a.2,
            condition: a.3,
            difficulty: a.4,
            max_difficulty: a.5,
            laterality: b.0,
            region: b.1,
            position: b.2,
            exclude: b.3,
            fields: b.4,
            // "relevance" without a text query is name order (tested in tests/api); not sent here.
            sort: c.1.filter(|s| *s != "relevance" || c.0.is_some()),
            q: c.0,
        };
        let limit = c.2;
        let query = f.query();
        let base = if query.is_empty() {
            "/v1/exercises".to_owned()
        } else {
            format!("/v1/exercises?{query}")
        };
        let items = walk(&runner, &service, &base, limit)?;
        if !items.is_empty() {
            nonempty.set(nonempty.get() + 1);
        }
        let allowed_keys = list(&f.fields);
        for item in &items {
            let id = item["id"].as_str().unwrap_or("");
            if let Some(keys) = &allowed_keys {
                let extra: Vec<&String> = item
                    .as_object()
                    .map(|o| {
                        o.keys()
                            // `matched` says how a muscle filter matched: always there with one.
                            .filter(|k| {
                                *k != "id"
                                    && !keys.contains(k.as_str())
                                    && !(*k == "matched" && f.muscle.is_some())
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                prop_assert!(
                    extra.is_empty(),
                    "{base}: {id} has fields {extra:?} not asked for"
                );
            } else {
                prop_assert!(item["steps"].is_array(), "{base}: {id} is not whole");
            }
            let whole = by_id.get(id).copied();
            prop_assert!(whole.is_some(), "{base}: {id} is not in the catalogue");
            prop_assert!(
                passes(&f, whole.unwrap()),
                "{base}: {id} does not pass the filters"
            );
        }
        // Without `muscle` and `q`, the list is exactly the exercises that pass the filters.
        if f.muscle.is_none() && f.q.is_none() {
            let got: HashSet<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
            let want: HashSet<&str> = all
                .iter()
                .filter(|e| passes(&f, e))
                .filter_map(|e| e["id"].as_str())
                .collect();
            prop_assert_eq!(got, want, "{}: not exactly the exercises that pass", base);
            exact.set(exact.get() + 1);
        }
        Ok(())
    })
    .unwrap();
    println!(
        "paging: {CASES} filter combinations, {} with items, {} checked for exactness",
        nonempty.get(),
        exact.get()
    );
}

#[test]
fn search_pages_are_typed_linked_and_best_first() {
    let (runner, service) = harness();
    let strategy = (
        proptest::sample::select(
            &[
                "glute med",
                "knee",
                "ITBS",
                "runner's knee",
                "calf",
                "hip",
                "bridge",
                "plank",
                "kne",
                "quadriceps",
                "ankle sprain",
                "glutes",
                "core",
            ][..],
        ),
        subset(strs(&["exercise", "muscle", "routine", "condition"])),
        prop_oneof![3 => 1u32..=3, 1 => 1u32..=100],
    );
    let mut tr = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let hits_seen = std::cell::Cell::new(0usize);
    tr.run(&strategy, |(q, types, limit)| {
        let mut pairs = vec![("q", q.to_owned())];
        if let Some(t) = &types {
            pairs.push(("type", t.clone()));
        }
        let base = format!(
            "/v1/search?{}",
            serde_urlencoded::to_string(&pairs).unwrap()
        );
        let hits = walk(&runner, &service, &base, limit)?;
        hits_seen.set(hits_seen.get() + hits.len());
        let wanted = list(&types);
        let mut last = f64::INFINITY;
        for h in &hits {
            let kind = h["type"].as_str().unwrap_or("");
            let id = h["id"].as_str().unwrap_or("");
            prop_assert!(
                ["exercise", "muscle", "routine", "condition"].contains(&kind),
                "{base}: hit type {kind:?}"
            );
            prop_assert!(
                wanted.as_ref().is_none_or(|w| w.contains(kind)),
                "{base}: a {kind} hit was not asked for"
            );
            let href = format!("/v1/{kind}s/{id}");
            prop_assert_eq!(h["href"].as_str(), Some(href.as_str()), "{}", base);
            let score = h["score"].as_f64().unwrap_or(f64::NAN);
            prop_assert!(
                score <= last,
                "{base}: {id} scores {score} after {last}: not best first"
            );
            last = score;
            prop_assert!(
                h["name"].as_str().is_some_and(|n| !n.is_empty())
                    && h["matched_field"].as_str().is_some(),
                "{base}: {id} name and matched_field"
            );
        }
        Ok(())
    })
    .unwrap();
    println!("search: {CASES} queries walked, {} hits", hits_seen.get());
}

#[test]
fn suggestions_stay_within_their_limit() {
    let (runner, service) = harness();
    let strategy = (
        proptest::sample::select(
            &[
                "g", "gl", "glu", "kn", "knee", "ca", "hip", "side", "pl", "zz",
            ][..],
        ),
        proptest::option::of(1u32..=10),
    );
    let mut tr = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    tr.run(&strategy, |(q, limit)| {
        let uri = match limit {
            Some(l) => format!("/v1/search/suggest?q={q}&limit={l}"),
            None => format!("/v1/search/suggest?q={q}"),
        };
        let reply = get(&runner, &service, &uri);
        prop_assert_eq!(reply.status, 200, "{}", uri);
        let body = reply.body.map_err(TestCaseError::fail)?;
        let data = body["data"].as_array().expect("data");
        prop_assert!(
            data.len() <= limit.unwrap_or(10) as usize,
            "{uri}: {} suggestions",
            data.len()
        );
        let keys: HashSet<String> = data.iter().map(key).collect();
        prop_assert_eq!(
            keys.len(),
            data.len(),
            "{}: a resource suggested twice",
            uri
        );
        for s in data {
            let kind = s["type"].as_str().unwrap_or("");
            let id = s["id"].as_str().unwrap_or("");
            let href = format!("/v1/{kind}s/{id}");
            prop_assert_eq!(s["href"].as_str(), Some(href.as_str()), "{}", uri);
            prop_assert!(
                s["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{uri}: text"
            );
        }
        Ok(())
    })
    .unwrap();
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
        walk(&runner, &service, base, limit).map(|_| ())
    })
    .unwrap();
}
