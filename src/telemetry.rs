//! Logging: a tracing subscriber (human text or JSON, on stderr) and one log line per request.
//! The per-request line is written by the edge middleware (`http::edge`), which knows the
//! request id and the final status.

use std::io::IsTerminal;
use std::time::Duration;

use actix_web::http::Method;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// The `target` of request lines, to filter them: `RUST_LOG=info,exercise_api::request=warn`.
pub const REQUEST_TARGET: &str = "exercise_api::request";

/// Installs the global subscriber. `RUST_LOG` filters (default `info`). Text is coloured only
/// when stderr is a terminal.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Logs one answered request: method, route template, status, latency and request id
/// (server errors at `error` level, except 503 while shutting down; everything else at
/// `info`).
pub fn request_line(method: &Method, route: &str, status: u16, latency: Duration, id: &str) {
    // Microsecond precision is plenty (and keeps the numbers short).
    let latency_ms = latency.as_micros() as f64 / 1000.0;
    if status >= 500 && status != 503 {
        tracing::error!(
            target: REQUEST_TARGET,
            method = %method,
            route,
            status,
            latency_ms,
            request_id = %id,
            "request"
        );
    } else {
        tracing::info!(
            target: REQUEST_TARGET,
            method = %method,
            route,
            status,
            latency_ms,
            request_id = %id,
            "request"
        );
    }
}
