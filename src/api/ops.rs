//! Operational endpoints: readiness (documented, tag meta) and Prometheus metrics (left out
//! of the OpenAPI document: it is for scrapers, in Prometheus' text format).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, CacheControl, CacheDirective, HeaderValue};
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::NoParams;
use super::error::ProblemDetails;
use super::query::Params;
use crate::http::edge::Runtime;
use crate::http::{metrics, problem};

/// The readiness body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Readiness {
    #[schema(example = "ready")]
    pub status: &'static str,
}

/// Readiness check.
///
/// 200 with `{"status":"ready"}` while the service takes new requests (the catalogue is
/// loaded before the service listens); 503 once it is shutting down, so load balancers stop
/// sending it traffic while it finishes what it has.
#[utoipa::path(
    tag = "meta",
    operation_id = "getReady",
    responses(
        (status = 200, description = "The service takes new requests.", body = Readiness),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "The service is shutting down.", body = ProblemDetails, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds after which to try again (on another instance)."))),
    )
)]
#[get("/ready")]
pub async fn ready(runtime: web::Data<Runtime>, _: Params<NoParams>) -> HttpResponse {
    let no_store = CacheControl(vec![CacheDirective::NoStore]);
    if runtime.is_shutting_down() {
        let status = StatusCode::SERVICE_UNAVAILABLE;
        return problem::builder(status)
            .insert_header(no_store)
            .insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")))
            .body(problem::body(
                status,
                "shutting-down",
                "Shutting down",
                "The service is shutting down: it finishes the requests it has and takes no new ones."
                    .to_owned(),
            ));
    }
    HttpResponse::Ok()
        .insert_header(no_store)
        .json(Readiness { status: "ready" })
}

/// Prometheus metrics in the text exposition format (version 0.0.4).
pub async fn metrics(runtime: web::Data<Runtime>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(metrics::CONTENT_TYPE),
        ))
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .body(runtime.metrics.render())
}
