//! Admission before any routing: the per-client rate limit (when on), then the size limits
//! of a request's target (414) and header fields (431), all answered with problem+json.
//!
//! The HTTP layer (actix-http) has its own fixed limits that apply first: a request head over
//! 128 KiB or with more than 96 header fields is answered 431 with an empty body, and a head
//! not received within `client_request_timeout` gets 408; neither reaches this middleware.

use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web;

use super::problem;
use super::rate_limit::{ClientRateLimiter, Decision};

/// Size limits of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLimits {
    /// Longest path and query, in bytes.
    pub max_uri_length: usize,
    /// Most bytes of header fields (`name: value\r\n` each).
    pub max_header_bytes: usize,
}

impl Default for RequestLimits {
    fn default() -> Self {
        RequestLimits {
            max_uri_length: 8192,
            max_header_bytes: 16 * 1024,
        }
    }
}

impl RequestLimits {
    /// True when `req` is within both limits (the refusal is only built for a request over
    /// one, which is rare).
    pub fn within(&self, req: &ServiceRequest) -> bool {
        self.check(req).is_none()
    }

    /// The 414 or 431 answer for a request over a limit.
    pub fn check(&self, req: &ServiceRequest) -> Option<HttpResponse> {
        let target = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
        if target > self.max_uri_length {
            return Some(problem::response(
                StatusCode::URI_TOO_LONG,
                "uri-too-long",
                "Request target too long",
                format!(
                    "The request's path and query are {target} bytes; at most {} are accepted.",
                    self.max_uri_length
                ),
            ));
        }
        let header_bytes: usize = req
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 4)
            .sum();
        if header_bytes > self.max_header_bytes {
            return Some(problem::response(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers-too-large",
                "Request header fields too large",
                format!(
                    "The request's header fields are {header_bytes} bytes; at most {} are accepted.",
                    self.max_header_bytes
                ),
            ));
        }
        None
    }
}

/// What `admit` enforces, shared by every worker.
pub struct Admission {
    pub limits: RequestLimits,
    pub rate_limiter: Option<ClientRateLimiter>,
}

/// The admission middleware (see the module documentation).
pub async fn admit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(admission) = req.app_data::<web::Data<Admission>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let mut allowed = None;
    if let Some(limiter) = &admission.rate_limiter {
        match limiter.check(&req) {
            Decision::Deny { retry_after } => {
                return Ok(req.into_response(limiter.too_many(retry_after)));
            }
            Decision::Allow { remaining, reset } => allowed = Some((limiter, remaining, reset)),
            Decision::Exempt => {}
        }
    }
    let mut res = match admission.limits.check(&req) {
        Some(refusal) => req.into_response(refusal),
        None => next.call(req).await?.map_into_boxed_body(),
    };
    if let Some((limiter, remaining, reset)) = allowed {
        limiter.annotate(res.headers_mut(), remaining, reset);
    }
    Ok(res)
}
