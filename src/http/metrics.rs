//! Prometheus metrics: requests by route template, method and status, their latency, the
//! requests in flight, and what is being served. One registry per server (not the global one),
//! shared by every worker.

use actix_web::http::Method;
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::catalogue::Catalogue;

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Latency buckets in seconds: memo hits take microseconds, full queries milliseconds.
const BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    in_flight: IntGauge,
    shutting_down: IntGauge,
    log_dropped: IntCounter,
}

impl Metrics {
    /// The service's metrics, with the build and the catalogue described once.
    pub fn new(catalogue: &Catalogue, catalogue_version: &str) -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "exercise_api_http_requests_total",
                "HTTP requests answered, by route template, method and status.",
            ),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "exercise_api_http_request_duration_seconds",
                "Time from receiving a request's head to having its response, by route template, method and status.",
            )
            .buckets(BUCKETS.to_vec()),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let in_flight = IntGauge::new(
            "exercise_api_http_requests_in_flight",
            "Requests being handled now.",
        )
        .expect("valid metric");
        let shutting_down = IntGauge::new(
            "exercise_api_shutting_down",
            "1 once a shutdown signal was received (/ready answers 503), else 0.",
        )
        .expect("valid metric");
        let log_dropped = IntCounter::new(
            "exercise_api_log_lines_dropped_total",
            "Log lines dropped because stderr was blocked or closed.",
        )
        .expect("valid metric");
        let build = IntGaugeVec::new(
            Opts::new("exercise_api_build_info", "The running build; always 1."),
            &["version"],
        )
        .expect("valid metric");
        build.with_label_values(&[env!("CARGO_PKG_VERSION")]).set(1);
        let info = IntGaugeVec::new(
            Opts::new(
                "exercise_api_catalogue_info",
                "The catalogue being served (version: its content hash); always 1.",
            ),
            &["version"],
        )
        .expect("valid metric");
        info.with_label_values(&[catalogue_version]).set(1);
        let entries = IntGaugeVec::new(
            Opts::new(
                "exercise_api_catalogue_entries",
                "Entries in the catalogue being served, by kind.",
            ),
            &["kind"],
        )
        .expect("valid metric");
        for (kind, n) in [
            ("exercises", catalogue.exercises().len()),
            ("muscles", catalogue.muscles().len()),
            ("routines", catalogue.routines().len()),
            ("conditions", catalogue.conditions().len()),
            ("equipment", catalogue.equipment().len()),
            ("sources", catalogue.sources().len()),
        ] {
            entries
                .with_label_values(&[kind])
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(duration.clone()),
            Box::new(in_flight.clone()),
            Box::new(shutting_down.clone()),
            Box::new(log_dropped.clone()),
            Box::new(build),
            Box::new(info),
            Box::new(entries),
        ] {
            registry.register(c).expect("metric names are unique");
        }
        Metrics {
            registry,
            requests,
            duration,
            in_flight,
            shutting_down,
            log_dropped,
        }
    }

    /// Counts a request in flight until the guard is dropped (also when it is cancelled).
    pub fn in_flight(&self) -> InFlight {
        self.in_flight.inc();
        InFlight(self.in_flight.clone())
    }

    /// Records one answered request.
    pub fn observe(&self, route: &str, method: &Method, status: u16, seconds: f64) {
        self.series(route, method, status).observe(seconds);
    }

    /// The series of one route, method and status, looked up once: recording through it
    /// skips hashing the labels (for the fast lane, which keeps them with each memo entry).
    pub fn series(&self, route: &str, method: &Method, status: u16) -> Series {
        let digits = status_digits(status);
        let status = std::str::from_utf8(&digits).expect("ASCII digits");
        let labels = [route, method_label(method), status];
        Series {
            requests: self.requests.with_label_values(&labels),
            duration: self.duration.with_label_values(&labels),
        }
    }

    pub fn set_shutting_down(&self) {
        self.shutting_down.set(1);
    }

    /// Everything in the text exposition format.
    pub fn render(&self) -> Vec<u8> {
        // The logger counts in a plain atomic (it knows no registry); catch up here.
        let dropped = crate::telemetry::dropped_lines();
        self.log_dropped
            .inc_by(dropped.saturating_sub(self.log_dropped.get()));
        let mut out = Vec::with_capacity(16 * 1024);
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .expect("encoding to memory");
        out
    }
}

/// The request counter and latency histogram of one route, method and status.
#[derive(Clone)]
pub struct Series {
    requests: IntCounter,
    duration: Histogram,
}

impl Series {
    /// Records one answered request.
    pub fn observe(&self, seconds: f64) {
        self.requests.inc();
        self.duration.observe(seconds);
    }
}

/// Decrements the in-flight gauge when dropped.
pub struct InFlight(IntGauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Methods as labels; any other (extension) method is `other`, so clients cannot create
/// unbounded series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        _ => "other",
    }
}

/// A status code's three digits without allocating.
fn status_digits(status: u16) -> [u8; 3] {
    let s = status.clamp(100, 999);
    [
        b'0' + (s / 100) as u8,
        b'0' + (s / 10 % 10) as u8,
        b'0' + (s % 10) as u8,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_methods_make_bounded_labels() {
        assert_eq!(&status_digits(404), b"404");
        assert_eq!(&status_digits(42), b"100");
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
    }
}
