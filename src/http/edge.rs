//! The outermost middleware, what every request and response passes through: the request id,
//! the in-flight count, CORS completion, a problem body for any error answered without one,
//! `request_id` in problem bodies, security headers, `Connection: close` while shutting down,
//! then one log line and the metrics.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::ConnectionType;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use super::cors::CorsSettings;
use super::known::KnownPaths;
use super::memo::RouteTemplate;
use super::metrics::Metrics;
use super::request_id::{self, REQUEST_ID_HEADER, RequestId};
use super::{problem, security};
use crate::telemetry;

/// The route label of requests no route matched (bounded, unlike their paths).
pub const UNMATCHED: &str = "(unmatched)";

/// What the edge and the operational endpoints share across workers.
pub struct Runtime {
    pub metrics: Metrics,
    pub cors: CorsSettings,
    shutting_down: AtomicBool,
}

impl Runtime {
    pub fn new(metrics: Metrics, cors: CorsSettings) -> Self {
        Runtime {
            metrics,
            cors,
            shutting_down: AtomicBool::new(false),
        }
    }

    /// True once a shutdown signal arrived: `/ready` answers 503, connections are closed
    /// after their response.
    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::Relaxed)
    }

    pub fn begin_shutdown(&self) {
        self.shutting_down.store(true, Ordering::Relaxed);
        self.metrics.set_shutting_down();
    }
}

/// The edge middleware (see the module documentation).
pub async fn edge(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let start = Instant::now();
    let Some(runtime) = req.app_data::<web::Data<Runtime>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let id_value = request_id::header_for(req.headers());
    let id = RequestId::of(&id_value);
    req.extensions_mut().insert(id.clone());
    let method = req.method().clone();
    let _in_flight = runtime.metrics.in_flight();
    // (No clone of the request may be held here: routing needs it unshared.)
    let res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(err) => {
            // Only middleware fails this way (handlers' errors are responses by now); actix
            // turns it into a response after this, so count and log it here.
            let status = err.as_response_error().status_code().as_u16();
            let elapsed = start.elapsed();
            runtime
                .metrics
                .observe(UNMATCHED, &method, status, elapsed.as_secs_f64());
            telemetry::request_line(&method, UNMATCHED, status, elapsed, id.as_str());
            return Err(err);
        }
    };
    let request = res.request().clone();
    let allowed = move || {
        request.app_data::<web::Data<KnownPaths>>().map(|known| {
            (
                known.allowed(request.path()).map(str::to_owned),
                known.all(),
            )
        })
    };
    let res = problem::fill_empty_error(runtime.cors.finish(&method, res, allowed));
    let mut res = request_id::add_to_problem(res, &id).await;
    let path_is_docs = security::is_docs(res.request().path());
    security::apply(path_is_docs, res.headers_mut());
    res.headers_mut().insert(REQUEST_ID_HEADER, id_value);
    if runtime.is_shutting_down() {
        res.response_mut()
            .head_mut()
            .set_connection_type(ConnectionType::Close);
    }
    let route = route_of(&res);
    let status = res.status().as_u16();
    let elapsed = start.elapsed();
    runtime
        .metrics
        .observe(&route, &method, status, elapsed.as_secs_f64());
    telemetry::request_line(&method, &route, status, elapsed, id.as_str());
    Ok(res)
}

/// The route template that answered: the memo's record of it, the matched resource's
/// pattern, or `(unmatched)`.
fn route_of(res: &ServiceResponse<BoxBody>) -> String {
    let req = res.request();
    if let Some(r) = req.extensions().get::<RouteTemplate>() {
        return r.0.to_string();
    }
    req.match_pattern().unwrap_or_else(|| UNMATCHED.to_owned())
}
