//! problem+json answers made outside the handlers (limits, rate limiting, CORS, shutdown),
//! in the shape of `ApiError`'s.

use actix_web::HttpResponse;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};

use crate::problem::{PROBLEM_JSON, ProblemDetails, TYPE_BASE, route_not_found_detail};

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

/// Gives a problem body to an error response that has none (Swagger UI's 404s, actix's own
/// refusals), keeping its status and headers, so every error the service sends is
/// problem+json.
pub fn fill_empty_error(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = res.status();
    let empty = matches!(
        res.response().body().size(),
        BodySize::None | BodySize::Sized(0)
    );
    if !(status.is_client_error() || status.is_server_error())
        || !empty
        || res.headers().contains_key(header::CONTENT_TYPE)
    {
        return res;
    }
    let (req, old) = res.into_parts();
    let mut new = if status == StatusCode::NOT_FOUND {
        response(
            status,
            "not-found",
            "Resource not found",
            route_not_found_detail(req.path()),
        )
    } else {
        let reason = status.canonical_reason().unwrap_or("Error");
        let slug = reason.to_ascii_lowercase().replace([' ', '\''], "-");
        response(
            status,
            &slug,
            reason,
            format!("The request could not be served: {reason}."),
        )
    };
    let missing: Vec<HeaderName> = old
        .headers()
        .keys()
        .filter(|k| *k != header::CONTENT_LENGTH && !new.headers().contains_key(*k))
        .cloned()
        .collect();
    for name in missing {
        for value in old.headers().get_all(&name) {
            new.headers_mut().append(name.clone(), value.clone());
        }
    }
    ServiceResponse::new(req, new)
}
