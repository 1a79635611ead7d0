//! CORS for browser clients (actix-cors): any origin by default (a public, read-only API
//! without credentials), or an allow-list. Preflights are answered with 204.

use std::sync::LazyLock;

use actix_cors::{Cors, CorsError};
use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};

use super::problem;

/// Response headers a browser script may read, beyond the CORS-safelisted ones.
pub const EXPOSED_HEADERS: [&str; 8] = [
    "ETag",
    "X-Request-Id",
    "X-Catalogue-Version",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Retry-After",
    "Allow",
];

/// `Access-Control-Expose-Headers`: [`EXPOSED_HEADERS`] in that order.
pub fn exposed_headers_value() -> HeaderValue {
    static VALUE: LazyLock<HeaderValue> = LazyLock::new(|| {
        HeaderValue::from_str(&EXPOSED_HEADERS.join(", ")).expect("header names are header values")
    });
    VALUE.clone()
}

/// Who may read the API from a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsSettings {
    /// Allowed origins; empty means any origin (answered with `*`).
    pub origins: Vec<String>,
    /// `Access-Control-Max-Age` of preflight answers, in seconds.
    pub max_age: u32,
}

impl Default for CorsSettings {
    fn default() -> Self {
        CorsSettings {
            origins: Vec::new(),
            max_age: 86_400,
        }
    }
}

impl CorsSettings {
    /// From the `--cors-origins` values: any `*` means any origin.
    pub fn new(origins: &[String], max_age: u32) -> Self {
        let origins = if origins.iter().any(|o| o == "*") {
            Vec::new()
        } else {
            origins.to_vec()
        };
        CorsSettings { origins, max_age }
    }

    pub fn any_origin(&self) -> bool {
        self.origins.is_empty()
    }

    /// The middleware. `methods` are those the API serves (OPTIONS is added).
    pub fn middleware(&self, methods: &[Method]) -> Cors {
        let mut methods = methods.to_vec();
        for m in [Method::GET, Method::HEAD, Method::OPTIONS] {
            if !methods.contains(&m) {
                methods.push(m);
            }
        }
        let mut cors = Cors::default()
            .allowed_methods(methods)
            // No credentials are ever accepted, so any request header is harmless.
            .allow_any_header()
            .expose_headers(EXPOSED_HEADERS)
            .max_age(self.max_age as usize);
        if self.any_origin() {
            // `*` on every response (see `finish`): the same bytes whatever the Origin, so
            // shared caches need no `Vary: Origin`.
            cors = cors
                .allow_any_origin()
                .send_wildcard()
                .disable_vary_header();
        } else {
            for origin in &self.origins {
                cors = cors.allowed_origin(origin);
            }
        }
        cors
    }

    /// Completes a response on its way out: `Access-Control-Allow-Origin: *` on every
    /// response when any origin is allowed, 204 for a successful preflight, and problem+json
    /// for a refused one. `allowed` gives (the methods the request's path serves, if it is a
    /// known path; the methods any path serves), called only for a preflight or a refusal
    /// (matching the path against every route costs more than the rest of a request): they
    /// name exactly those,
    /// in a fixed order (actix-cors lists its whole set in hash order, which changes between
    /// workers and names POST on GET-only paths).
    pub fn finish(
        &self,
        method: &Method,
        mut res: ServiceResponse<BoxBody>,
        allowed: impl FnOnce() -> Option<(Option<String>, String)>,
    ) -> ServiceResponse<BoxBody> {
        let methods = || allowed().map(|(path, all)| path.unwrap_or(all));
        let refusal = res
            .response()
            .error()
            .and_then(|e| e.as_error::<CorsError>())
            .map(|e| e.to_string());
        if let Some(reason) = refusal {
            let status = res.status();
            let detail = format!(
                "{reason}. This API answers cross-origin {} requests here from {}.",
                methods().as_deref().unwrap_or("GET, HEAD, POST"),
                if self.any_origin() {
                    "any origin".to_owned()
                } else {
                    self.origins.join(", ")
                }
            );
            let (req, old) = res.into_parts();
            let mut new =
                problem::response(status, "cors-rejected", "CORS request refused", detail);
            if let Some(vary) = old.headers().get(header::VARY) {
                new.headers_mut().insert(header::VARY, vary.clone());
            }
            return ServiceResponse::new(req, new);
        }
        if method == Method::OPTIONS
            && res.status() == StatusCode::OK
            && res
                .headers()
                .contains_key(header::ACCESS_CONTROL_ALLOW_METHODS)
        {
            *res.response_mut().status_mut() = StatusCode::NO_CONTENT;
            if let Some(v) = methods().and_then(|m| HeaderValue::from_str(&m).ok()) {
                res.headers_mut()
                    .insert(header::ACCESS_CONTROL_ALLOW_METHODS, v);
            }
        }
        // actix-cors writes the exposed headers in its hash set's order, which differs between
        // workers; the same list in a fixed order keeps every answer's bytes the same.
        if res
            .headers()
            .contains_key(header::ACCESS_CONTROL_EXPOSE_HEADERS)
        {
            res.headers_mut().insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                exposed_headers_value(),
            );
        }
        if self.any_origin()
            && !res
                .headers()
                .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        {
            res.headers_mut().insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
        }
        res
    }
}
