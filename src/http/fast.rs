//! The fast lane: the outermost layer, which answers a GET or HEAD whose answer is in the
//! worker's memo directly, with the same status, headers and body the whole stack would have
//! produced, and passes every other request on.
//!
//! A memo hit through the whole stack paid for five layers of middleware (each boxing a
//! future), header maps filled one header at a time, label look-ups for the metrics and a
//! request id from the operating system: about as much work again as the ceiling server's
//! whole request. The fast lane does the same work once, with everything that does not depend
//! on the request built once per worker: the caching, CORS and security headers in one list
//! inserted into each answer's pooled header map, the metric series kept with each memo entry.
//!
//! It takes a request only when nothing else could change the answer: method GET or HEAD, no
//! `Origin` header (browsers' cross-origin requests go through actix-cors), within the size
//! limits, not shutting down (the full stack closes connections then), and only when CORS
//! allows any origin and rate limiting is off (otherwise every request goes through the
//! stack, whose own memo still answers hits). A test compares its answers with the stack's,
//! header by header.

use std::rc::Rc;
use std::time::Instant;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, web};
use futures_util::future::{Either, LocalBoxFuture, Ready, ready};

use super::cors::exposed_headers_value;
use super::edge::Runtime;
use super::limits::RequestLimits;
use super::memo::{self, Memo};
use super::prepared::{BaseHeaders, CachePolicy, wants_fhir};
use super::request_id::{self, REQUEST_ID_HEADER};
use super::security;
use crate::telemetry;

/// What one worker's fast lane needs (see the module documentation).
#[derive(Clone)]
pub struct FastLane(Option<Rc<Lane>>);

struct Lane {
    memo: Memo,
    runtime: web::Data<Runtime>,
    limits: RequestLimits,
    /// The policy's headers plus the ones the edge and CORS layers add to every answer.
    base: BaseHeaders,
}

impl FastLane {
    /// The lane over `memo`; `enabled` is false when CORS has an allow-list or rate limiting
    /// is on, and then every request goes through the stack.
    pub fn new(
        enabled: bool,
        memo: Memo,
        policy: &CachePolicy,
        runtime: web::Data<Runtime>,
        limits: RequestLimits,
    ) -> Self {
        if !enabled {
            return FastLane(None);
        }
        let mut extra: Vec<(HeaderName, HeaderValue)> = vec![
            (
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
            (
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                exposed_headers_value(),
            ),
        ];
        extra.extend(security::headers(false));
        FastLane(Some(Rc::new(Lane {
            memo,
            runtime,
            limits,
            base: policy.base().with(&extra),
        })))
    }
}

impl<S, B> Transform<S, ServiceRequest> for FastLane
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = FastLaneService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(FastLaneService {
            service,
            lane: self.0.clone(),
        }))
    }
}

pub struct FastLaneService<S> {
    service: S,
    lane: Option<Rc<Lane>>,
}

type Answer<B> = Result<ServiceResponse<EitherBody<B>>, Error>;

impl<S, B> Service<ServiceRequest> for FastLaneService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    S::Future: 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Either<Ready<Answer<B>>, LocalBoxFuture<'static, Answer<B>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if let Some(lane) = &self.lane
            && let Some(res) = lane.answer(&req)
        {
            return Either::Left(ready(Ok(req.into_response(res).map_into_right_body())));
        }
        let fut = self.service.call(req);
        Either::Right(Box::pin(async move {
            fut.await.map(ServiceResponse::map_into_left_body)
        }))
    }
}

impl Lane {
    /// The memoized answer to `req`, when the lane may give it (see the module documentation).
    fn answer(&self, req: &ServiceRequest) -> Option<actix_web::HttpResponse<BoxBody>> {
        let start = Instant::now();
        let method = req.method();
        if !(*method == Method::GET || *method == Method::HEAD)
            || req.headers().contains_key(header::ORIGIN)
            || wants_fhir(
                req.headers()
                    .get(header::ACCEPT)
                    .and_then(|v| v.to_str().ok()),
            )
            || self.runtime.is_shutting_down()
            || !self.limits.within(req)
        {
            return None;
        }
        self.memo.with(&memo::key_of(req.head()), |entry| {
            let mut res = CachePolicy::respond_with(req.headers(), entry.body(), &self.base);
            let id = request_id::header_for(req.headers());
            let status = res.status();
            let elapsed = start.elapsed();
            entry
                .series(&self.runtime.metrics, method, status)
                .observe(elapsed.as_secs_f64());
            telemetry::request_line(
                method,
                entry.route(),
                status.as_u16(),
                elapsed,
                id.to_str().unwrap_or_default(),
            );
            res.headers_mut().insert(REQUEST_ID_HEADER, id);
            debug_assert!(status == StatusCode::OK || status == StatusCode::NOT_MODIFIED);
            res
        })
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;
    use crate::catalogue::Catalogue;
    use crate::http::Prepared;
    use crate::http::cors::CorsSettings;
    use crate::http::metrics::Metrics;

    fn lane(enabled: bool) -> (FastLane, Memo, web::Data<Runtime>) {
        let catalogue = Catalogue::embedded().unwrap();
        let runtime = web::Data::new(Runtime::new(
            Metrics::new(&catalogue, "v1"),
            CorsSettings::default(),
        ));
        let memo = Memo::default();
        memo.insert(
            "/v1/exercises/clamshells",
            Prepared::from_bytes(b"{\"id\":\"clamshells\"}".to_vec()),
            "/v1/exercises/{id}",
        );
        let policy = CachePolicy::new(300, 60, "v1");
        let limits = RequestLimits {
            max_uri_length: 64,
            max_header_bytes: 256,
        };
        let lane = FastLane::new(enabled, memo.clone(), &policy, runtime.clone(), limits);
        (lane, memo, runtime)
    }

    fn answer(lane: &FastLane, req: TestRequest) -> Option<actix_web::HttpResponse> {
        lane.0.as_ref().unwrap().answer(&req.to_srv_request())
    }

    #[test]
    fn memo_hits_are_answered_with_every_header_of_the_stack() {
        let (lane, _, runtime) = lane(true);
        let res = answer(&lane, TestRequest::get().uri("/v1/exercises/clamshells")).unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        for (name, value) in [
            ("access-control-allow-origin", "*"),
            (
                "cache-control",
                "public, max-age=300, stale-while-revalidate=60",
            ),
            ("x-catalogue-version", "v1"),
            ("vary", "Accept-Encoding, Accept-Language"),
            ("content-type", "application/json"),
            ("x-content-type-options", "nosniff"),
            ("content-security-policy", security::API_CSP),
        ] {
            assert_eq!(h.get(name).unwrap(), value, "{name}");
        }
        assert!(h.contains_key("etag") && h.contains_key("access-control-expose-headers"));
        assert_eq!(h.get("x-request-id").unwrap().len(), 36);
        let res = answer(
            &lane,
            TestRequest::default()
                .method(Method::HEAD)
                .uri("/v1/exercises/clamshells")
                .insert_header(("X-Request-Id", "mine"))
                .insert_header(("If-None-Match", "*")),
        )
        .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(res.headers().get("x-request-id").unwrap(), "mine");
        assert!(res.headers().get("content-type").is_none());
        // Both were counted under the route template.
        let metrics = String::from_utf8(runtime.metrics.render()).unwrap();
        for series in [
            r#"requests_total{method="GET",route="/v1/exercises/{id}",status="200"} 1"#,
            r#"requests_total{method="HEAD",route="/v1/exercises/{id}",status="304"} 1"#,
        ] {
            assert!(metrics.contains(series), "{series} in {metrics}");
        }
    }

    #[test]
    fn everything_else_goes_through_the_stack() {
        let (lane, _, runtime) = lane(true);
        let path = "/v1/exercises/clamshells";
        for req in [
            TestRequest::get().uri("/v1/exercises/fire-hydrant"),
            TestRequest::get().uri("/v1/exercises/clamshells?"),
            TestRequest::post().uri(path),
            TestRequest::default().method(Method::OPTIONS).uri(path),
            TestRequest::get()
                .uri(path)
                .insert_header(("Origin", "https://app.example")),
            TestRequest::get()
                .uri(path)
                .insert_header(("Accept", "application/fhir+json")),
            TestRequest::get()
                .uri(path)
                .insert_header(("X-Padding", "x".repeat(300))),
        ] {
            assert!(answer(&lane, req).is_none());
        }
        runtime.begin_shutdown();
        assert!(answer(&lane, TestRequest::get().uri(path)).is_none());
        let (disabled, _, _) = self::lane(false);
        assert!(disabled.0.is_none());
    }
}
