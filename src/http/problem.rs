//! problem+json answers made outside the handlers (limits, rate limiting, CORS, shutdown),
//! in the shape of `ApiError`'s.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};

use crate::api::error::{PROBLEM_JSON, ProblemDetails};

/// The problem type URN prefix `ApiError` uses.
const TYPE_BASE: &str = "urn:exercise-api:problem:";

/// A problem response builder: add headers, then `.body(...)` with [`body`].
pub fn builder(status: StatusCode) -> actix_web::HttpResponseBuilder {
    let mut res = HttpResponse::build(status);
    res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
    res
}

/// The serialized problem body.
pub fn body(status: StatusCode, slug: &str, title: &str, detail: String) -> Vec<u8> {
    serde_json::to_vec(&ProblemDetails {
        kind: format!("{TYPE_BASE}{slug}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        errors: Vec::new(),
        request_id: None,
    })
    .expect("problems serialize")
}

/// A complete problem response.
pub fn response(status: StatusCode, slug: &str, title: &str, detail: String) -> HttpResponse {
    builder(status).body(body(status, slug, title, detail))
}
