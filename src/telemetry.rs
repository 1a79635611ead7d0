//! Logging: a tracing subscriber (human text or JSON, on stderr) and one log line per request.
//! The per-request line is written by the edge middleware (`http::edge`), which knows the
//! request id and the final status.
//!
//! Logging must never hurt serving (findings h4, h5, h6): lines go to an in-memory buffer that
//! one background thread writes to stderr, so a request never waits for, or fails on, stderr.
//! A full buffer (stderr blocked) or a dead stderr (a broken pipe) drops lines and counts them
//! (`exercise_api_log_lines_dropped_total`); nothing in the logging path can panic.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use actix_web::http::Method;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, filter};

use crate::config::LogFormat;

/// The `target` of request lines, to filter them: `RUST_LOG=info,exercise_api::request=warn`.
pub const REQUEST_TARGET: &str = "exercise_api::request";
/// The `target` of the summaries of connection errors reported by the HTTP layer.
pub const CONNECTION_TARGET: &str = "exercise_api::connection";
/// Most bytes of log lines waiting for the writer thread; more are dropped (and counted).
const BUFFER_LIMIT: usize = 4 * 1024 * 1024;
/// How often the writer thread writes what has accumulated: batching keeps the request path
/// free of wake-ups (a line costs a copy into the buffer under an uncontended lock).
const WRITE_INTERVAL: Duration = Duration::from_millis(20);
/// How often connection errors from the HTTP layer are summarised (at most one WARN line).
const NOISE_INTERVAL: Duration = Duration::from_secs(10);
/// Longest method echoed in a log line, in characters (a client can send 100,000).
const MAX_LOGGED_METHOD: usize = 32;

/// Installs the global subscriber. `RUST_LOG` filters (default `info`). Text is coloured only
/// when stderr is a terminal.
///
/// actix-http reports every malformed request head or failed connection as an ERROR line, so
/// any client could flood the logs: its events are not written as they come (unless `RUST_LOG`
/// names `actix_http`) but counted, and summarised in one WARN line per 10 s at most.
pub fn init(format: LogFormat) {
    let spec = std::env::var("RUST_LOG").unwrap_or_default();
    let mut env_filter = EnvFilter::try_new(&spec).unwrap_or_else(|_| EnvFilter::new("info"));
    if spec.trim().is_empty() {
        env_filter = EnvFilter::new("info");
    }
    let quiet_http = !spec.contains("actix_http");
    if quiet_http {
        env_filter = env_filter.add_directive("actix_http=off".parse().expect("a valid directive"));
    }
    let sink = Sink::start();
    let ansi = std::io::stderr().is_terminal();
    let _ = FAST_FORMAT.set(match format {
        // Coloured lines (a terminal) take tracing's formatter: speed does not matter there.
        LogFormat::Text if ansi => None,
        f => Some(f),
    });
    let fmt = tracing_subscriber::fmt::layer().with_writer(sink);
    let fmt: Box<dyn Layer<_> + Send + Sync> = match format {
        LogFormat::Text => Box::new(fmt.with_ansi(ansi)),
        LogFormat::Json => Box::new(fmt.json().flatten_event(true)),
    };
    // A static per-target filter: decided once per call site, not per event.
    let noise = quiet_http.then(|| {
        NoiseCounter
            .with_filter(filter::Targets::new().with_target("actix_http", tracing::Level::WARN))
    });
    let _ = tracing_subscriber::registry()
        .with(fmt.with_filter(env_filter))
        .with(noise)
        .try_init();
}

/// Log lines dropped because stderr was blocked or gone.
pub fn dropped_lines() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}

/// Writes what is buffered, waiting at most `timeout` (stderr may be blocked): call before
/// the process exits.
pub fn flush(timeout: Duration) {
    let Some(shared) = SHARED.get() else { return };
    let deadline = std::time::Instant::now() + timeout;
    let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    state.flush_wanted = true;
    shared.wake.notify_all();
    while !state.buffer.is_empty() || state.writing {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return;
        }
        state = shared
            .flushed
            .wait_timeout(state, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

static DROPPED: AtomicU64 = AtomicU64::new(0);
static SHARED: OnceLock<Shared> = OnceLock::new();

struct Shared {
    state: Mutex<State>,
    /// Wakes the writer early (a flush, or a buffer filling up).
    wake: Condvar,
    /// Wakes `flush` once the buffer is written.
    flushed: Condvar,
}

#[derive(Default)]
struct State {
    buffer: Vec<u8>,
    writing: bool,
    flush_wanted: bool,
}

/// The writer handed to tracing: each line is copied into the shared buffer.
#[derive(Clone, Copy)]
struct Sink;

impl Sink {
    fn start() -> Self {
        if SHARED.get().is_none() {
            let shared = Shared {
                state: Mutex::new(State::default()),
                wake: Condvar::new(),
                flushed: Condvar::new(),
            };
            if SHARED.set(shared).is_ok() {
                // If the thread cannot start, lines accumulate to the limit and are then
                // dropped and counted: logging still never blocks.
                let _ = std::thread::Builder::new()
                    .name("log-writer".into())
                    .spawn(write_loop);
            }
        }
        Sink
    }
}

impl<'a> MakeWriter<'a> for Sink {
    type Writer = Sink;

    fn make_writer(&'a self) -> Self::Writer {
        Sink
    }
}

impl Write for Sink {
    /// Never fails and never blocks for long: the line is appended, or dropped and counted.
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let Some(shared) = SHARED.get() else {
            return Ok(line.len());
        };
        let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.buffer.len() + line.len() > BUFFER_LIMIT {
            DROPPED.fetch_add(1, Ordering::Relaxed);
        } else {
            state.buffer.extend_from_slice(line);
            if state.buffer.len() > BUFFER_LIMIT / 2 {
                shared.wake.notify_one();
            }
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The writer thread: every `WRITE_INTERVAL` (or when woken), swaps the buffer out and writes
/// it to stderr. A write error (a closed pipe) drops the batch, counting its lines.
fn write_loop() {
    let Some(shared) = SHARED.get() else { return };
    let mut batch: Vec<u8> = Vec::new();
    let mut last_noise = std::time::Instant::now();
    loop {
        {
            let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            if state.buffer.is_empty() && !state.flush_wanted {
                state = shared
                    .wake
                    .wait_timeout(state, WRITE_INTERVAL)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
            state.flush_wanted = false;
            std::mem::swap(&mut state.buffer, &mut batch);
            state.writing = !batch.is_empty();
        }
        if !batch.is_empty() {
            if std::io::stderr().lock().write_all(&batch).is_err() {
                let lines = batch.iter().filter(|&&b| b == b'\n').count();
                DROPPED.fetch_add(lines.max(1) as u64, Ordering::Relaxed);
            }
            batch.clear();
            // A burst must not keep its peak allocation forever.
            batch.shrink_to(64 * 1024);
        }
        {
            let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            state.writing = false;
            if state.buffer.is_empty() {
                shared.flushed.notify_all();
            }
        }
        if last_noise.elapsed() >= NOISE_INTERVAL {
            last_noise = std::time::Instant::now();
            report_noise();
        }
    }
}

/// Counts actix-http's reports (malformed heads, I/O errors, timeouts) instead of writing
/// each; `report_noise` summarises them.
struct NoiseCounter;

static NOISE: AtomicU64 = AtomicU64::new(0);
static LAST_NOISE: Mutex<String> = Mutex::new(String::new());

impl<S: tracing::Subscriber> Layer<S> for NoiseCounter {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if *event.metadata().level() > tracing::Level::WARN {
            return;
        }
        NOISE.fetch_add(1, Ordering::Relaxed);
        // Only a sample is kept (the last message, cut short); a busy lock skips it.
        if let Ok(mut last) = LAST_NOISE.try_lock() {
            last.clear();
            event.record(&mut MessageOf(&mut last));
        }
    }
}

struct MessageOf<'a>(&'a mut String);

impl tracing::field::Visit for MessageOf<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
            let cut = crate::problem::truncate(self.0, 200).into_owned();
            *self.0 = cut;
        }
    }
}

/// One WARN line for the connection errors counted since the last one, if any.
fn report_noise() {
    let n = NOISE.swap(0, Ordering::Relaxed);
    if n == 0 {
        return;
    }
    let last = LAST_NOISE
        .lock()
        .map(|s| s.clone())
        .unwrap_or_else(|e| e.into_inner().clone());
    tracing::warn!(
        target: CONNECTION_TARGET,
        count = n,
        last = %last,
        "connection errors from the HTTP layer (malformed request heads, timeouts, resets) in the last 10 s"
    );
}

/// Logs one answered request: method, route template, status, latency and request id
/// (server errors at `error` level, except 503 while shutting down; everything else at
/// `info`). A method other than the standard ones is cut to 32 characters.
///
/// The `info` line is written by [`fast_request_line`] in the very format tracing's
/// formatter gives it (text or JSON), when `RUST_LOG` lets it through: tracing's general
/// formatter cost about 11,000 instructions per line (40 % of a small request), this about a
/// tenth of that.
pub fn request_line(method: &Method, route: &str, status: u16, latency: Duration, id: &str) {
    // Microsecond precision is plenty (and keeps the numbers short).
    let latency_ms = latency.as_micros() as f64 / 1000.0;
    let method = crate::problem::truncate(method.as_str(), MAX_LOGGED_METHOD);
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
    } else if let Some(Some(format)) = FAST_FORMAT.get() {
        if tracing::enabled!(target: REQUEST_TARGET, tracing::Level::INFO) {
            fast_request_line(*format, &method, route, status, latency_ms, id);
        }
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

/// The format of the fast request line; None (or unset) leaves request lines to tracing.
static FAST_FORMAT: OnceLock<Option<LogFormat>> = OnceLock::new();

thread_local! {
    /// The line being made, and the formatted date and time of the last second seen.
    static LINE: std::cell::RefCell<(String, u64, String)> =
        const { std::cell::RefCell::new((String::new(), u64::MAX, String::new())) };
}

/// Writes an `info` request line straight to the sink, as tracing's formatter would.
fn fast_request_line(
    format: LogFormat,
    method: &str,
    route: &str,
    status: u16,
    latency_ms: f64,
    id: &str,
) {
    use std::fmt::Write as _;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    LINE.with(|cell| {
        let Ok(mut cell) = cell.try_borrow_mut() else {
            return;
        };
        let (line, second, stamp) = &mut *cell;
        if *second != now.as_secs() {
            *second = now.as_secs();
            stamp.clear();
            civil_time(now.as_secs(), stamp);
        }
        line.clear();
        let micros = now.subsec_micros();
        let _ = match format {
            LogFormat::Text => writeln!(
                line,
                "{stamp}.{micros:06}Z  INFO {REQUEST_TARGET}: request method={method} route={route:?} status={status} latency_ms={latency_ms:?} request_id={id}"
            ),
            LogFormat::Json => {
                let _ = write!(line, "{{\"timestamp\":\"{stamp}.{micros:06}Z\",\"level\":\"INFO\",\"message\":\"request\",\"method\":");
                json_string(line, method);
                line.push_str(",\"route\":");
                json_string(line, route);
                let _ = write!(line, ",\"status\":{status},\"latency_ms\":{latency_ms:?},\"request_id\":");
                json_string(line, id);
                writeln!(line, ",\"target\":\"{REQUEST_TARGET}\"}}")
            }
        };
        let _ = Sink.write(line.as_bytes());
    });
}

/// `s` as a JSON string.
fn json_string(out: &mut String, s: &str) {
    use std::fmt::Write as _;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `YYYY-MM-DDTHH:MM:SS` (UTC) of a Unix time, into `out` (days to civil date: Howard
/// Hinnant's algorithm).
fn civil_time(secs: u64, out: &mut String) {
    use std::fmt::Write as _;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_time_matches_known_dates() {
        let mut s = String::new();
        civil_time(0, &mut s);
        assert_eq!(s, "1970-01-01T00:00:00");
        s.clear();
        civil_time(1_795_476_481, &mut s);
        assert_eq!(s, "2026-11-23T23:28:01");
        s.clear();
        civil_time(951_782_400, &mut s); // a leap day
        assert_eq!(s, "2000-02-29T00:00:00");
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        json_string(&mut s, "a\"b\\c\n");
        assert_eq!(s, r#""a\"b\\c\u000a""#);
    }
}
