//! Shared test plumbing: one catalogue per test binary, an in-process service, JSON requests.

use std::sync::{Arc, OnceLock};

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test;
use exercise_api::catalogue::Catalogue;
use exercise_api::startup::{HttpSettings, Shared};
use serde_json::Value;

pub fn catalogue() -> Arc<Catalogue> {
    static CATALOGUE: OnceLock<Arc<Catalogue>> = OnceLock::new();
    CATALOGUE
        .get_or_init(|| Arc::new(Catalogue::embedded().expect("the embedded catalogue is valid")))
        .clone()
}

/// A response: status, headers and the body parsed as JSON (Null when empty or not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: Vec<u8>,
}

impl Reply {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The ids of `data` in a list response.
    pub fn ids(&self) -> Vec<String> {
        self.body["data"]
            .as_array()
            .unwrap_or_else(|| panic!("no data array in {}", self.body))
            .iter()
            .map(|x| x["id"].as_str().expect("an id").to_owned())
            .collect()
    }

    pub fn total(&self) -> u64 {
        self.body["meta"]["total"].as_u64().expect("meta.total")
    }
}

/// Prepared once per test binary, like a server's start-up.
pub fn shared() -> Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED
        .get_or_init(|| Shared::new(catalogue(), true, &HttpSettings::default()))
        .clone()
}

pub async fn request(req: test::TestRequest) -> Reply {
    let app = test::init_service(exercise_api::startup::app_with(shared())).await;
    let res = test::call_service(&app, req.to_request()).await;
    let status = res.status();
    let headers = res.headers().clone();
    let raw = test::read_body(res).await.to_vec();
    let body = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
        raw,
    }
}

pub async fn get(uri: &str) -> Reply {
    request(test::TestRequest::get().uri(uri)).await
}

/// GET `uri` with one request header.
pub async fn get_with(uri: &str, name: &str, value: &str) -> Reply {
    request(
        test::TestRequest::get()
            .uri(uri)
            .insert_header((name.to_owned(), value.to_owned())),
    )
    .await
}

/// GETs `uri`, asserting a 200 JSON answer.
pub async fn get_ok(uri: &str) -> Reply {
    let r = get(uri).await;
    assert_eq!(r.status, StatusCode::OK, "GET {uri}: {}", r.body);
    assert_eq!(r.content_type(), "application/json", "GET {uri}");
    r
}

/// Walks every page of a list and returns all ids in order.
pub async fn all_ids(uri: &str) -> Vec<String> {
    let sep = if uri.contains('?') { '&' } else { '?' };
    let mut next = Some(format!("{uri}{sep}limit=100"));
    let mut ids = Vec::new();
    while let Some(u) = next {
        let r = get_ok(&u).await;
        ids.extend(r.ids());
        next = r.body["links"]["next"].as_str().map(str::to_owned);
    }
    ids
}

/// Asserts the RFC 9457 shape and the status, and returns the body.
pub fn assert_problem(r: &Reply, status: u16) -> &Value {
    assert_eq!(r.status.as_u16(), status, "status; body {}", r.body);
    assert_eq!(r.content_type(), "application/problem+json");
    for key in ["type", "title", "detail"] {
        assert!(r.body[key].is_string(), "problem has {key}: {}", r.body);
    }
    assert_eq!(r.body["status"], status, "status in the body");
    &r.body
}
