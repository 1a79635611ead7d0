//! Production behaviour through real servers on loopback port 0: request ids, logs, metrics,
//! readiness, CORS, security headers, HEAD, rate limiting, size limits, connection timeouts,
//! and graceful shutdown on a real signal to the real binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::num::NonZeroU32;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use exercise_api::catalogue::Catalogue;
use exercise_api::config::ProxyHeaders;
use exercise_api::http::cors::CorsSettings;
use exercise_api::http::rate_limit::RateLimitSettings;
use exercise_api::startup::{self, HttpSettings, ServerSettings, Shared};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Plumbing: an in-process server, the real binary, and a raw HTTP/1.1 client.

fn catalogue() -> Arc<Catalogue> {
    static CATALOGUE: OnceLock<Arc<Catalogue>> = OnceLock::new();
    CATALOGUE
        .get_or_init(|| Arc::new(Catalogue::embedded().expect("the embedded catalogue is valid")))
        .clone()
}

/// A server in this process, on its own thread and actix system; stopped when dropped.
struct TestServer {
    addr: SocketAddr,
    shared: Shared,
    handle: actix_web::dev::ServerHandle,
}

impl TestServer {
    fn start(http: HttpSettings, server: ServerSettings) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Shared::new(catalogue(), true, &http);
        let (tx, rx) = mpsc::channel();
        let for_server = shared.clone();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = startup::run(listener, for_server, &server).unwrap();
                tx.send(server.handle()).unwrap();
                server.await
            })
        });
        let handle = rx.recv().unwrap();
        TestServer {
            addr,
            shared,
            handle,
        }
    }

    fn default() -> Self {
        Self::start(HttpSettings::default(), one_worker())
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        send(self.addr, "GET", path, headers)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Sends the stop command; the future only waits for it to complete.
        drop(self.handle.stop(false));
    }
}

fn one_worker() -> ServerSettings {
    ServerSettings {
        workers: Some(1),
        ..ServerSettings::default()
    }
}

/// A parsed response.
#[derive(Debug)]
struct Reply {
    status: u16,
    /// Lower-cased names, in order.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn assert_problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        let body = self.json();
        assert_eq!(body["status"], status);
        for key in ["type", "title", "detail", "request_id"] {
            assert!(body[key].is_string(), "problem has {key}: {body}");
        }
        assert_eq!(
            body["request_id"].as_str(),
            self.header("x-request-id"),
            "the body's request_id is the header's"
        );
        body
    }
}

/// One request on a new connection (`Connection: close`), the whole response read.
fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = connect(addr);
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse(&raw, method == "HEAD")
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

fn parse(raw: &[u8], head_only: bool) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    if chunked && !head_only {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = std::str::from_utf8(&data[..line_end]).unwrap();
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// Reads one response with a `Content-Length` from a kept-alive connection.
fn read_one(stream: &mut TcpStream) -> Reply {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).unwrap();
        assert_eq!(n, 1, "connection closed inside a response head");
        raw.push(byte[0]);
    }
    let head = parse(&raw, true);
    let len: usize = head.header("content-length").unwrap().parse().unwrap();
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).unwrap();
    Reply { body, ..head }
}

/// The binary under test: this build's, or `EXERCISE_API_TEST_BINARY` (to show that a test
/// fails on an older build).
fn binary() -> String {
    std::env::var("EXERCISE_API_TEST_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_exercise-api").to_owned())
}

/// The real binary, its stderr collected line by line; killed (SIGKILL) if still running
/// when dropped.
struct Process {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Process {
    fn spawn(args: &[&str]) -> Self {
        let mut cmd = Command::new(binary());
        for (k, _) in std::env::vars() {
            if k.starts_with("EXERCISE_API_") {
                cmd.env_remove(k);
            }
        }
        let mut child = cmd
            .args(["--bind", "127.0.0.1:0", "--workers", "1"])
            .args(args)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let lines = stderr.clone();
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = address_in(&line) {
                    let _ = tx.send(addr);
                }
                lines.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server logs the address it listens on");
        Process {
            child,
            addr,
            stderr,
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit, at most `limit`.
    fn wait(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    fn logs(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until a log line contains `needle` (lines are read on another thread).
    fn log_line(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(l) = self.logs().into_iter().find(|l| l.contains(needle)) {
                return l;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no log line with {needle:?} in {:#?}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The `address=` of the start-up line, in text or JSON logs.
fn address_in(line: &str) -> Option<SocketAddr> {
    if !line.contains("serving on") {
        return None;
    }
    if let Ok(v) = serde_json::from_str::<Value>(line) {
        return v["address"].as_str()?.parse().ok();
    }
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("address="))
        .and_then(|a| a.parse().ok())
}

// ---------------------------------------------------------------------------------------------
// Request ids, security headers, HEAD.

#[test]
fn request_ids_are_echoed_or_generated_and_named_in_problems() {
    let server = TestServer::default();
    let r = server.get(
        "/v1/exercises/clamshells",
        &[("X-Request-Id", "trace-7.a_B")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-request-id"), Some("trace-7.a_B"));

    // Unsafe or overlong ids are replaced by a generated UUID.
    let long = "a".repeat(129);
    for bad in ["has space", "semi;colon", "quote\"d", long.as_str()] {
        let r = server.get("/health", &[("X-Request-Id", bad)]);
        let id = r.header("x-request-id").unwrap();
        assert_ne!(id, bad);
        assert_eq!(id.len(), 36, "{id}");
    }
    let a = server.get("/health", &[]);
    let b = server.get("/health", &[]);
    assert_ne!(a.header("x-request-id"), b.header("x-request-id"));
    assert!(a.header("x-request-id").unwrap().len() == 36);

    // Problems carry the id as an extension member, in the position after the standard ones.
    let r = server.get("/v1/exercises/clamshels", &[("X-Request-Id", "req-404")]);
    let body = r.assert_problem(404);
    assert_eq!(body["request_id"], "req-404");
    assert!(
        r.text().ends_with(r#","request_id":"req-404"}"#),
        "{}",
        r.text()
    );
    let r = server.get("/v1/exercises?limit=0", &[]);
    r.assert_problem(400);
    let r = send(server.addr, "DELETE", "/v1/exercises", &[]);
    r.assert_problem(405);
    let r = server.get("/no/such/path", &[]);
    r.assert_problem(404);
    // Errors other components answer without a body (here Swagger UI's 404) get one too.
    let r = server.get("/docs/..%2F..%2FCargo.toml", &[]);
    r.assert_problem(404);
    // A flood of unknown parameters is summarized, and still carries the id.
    let many: String = (0..300).map(|i| format!("p{i}=1&")).collect();
    let r = server.get(&format!("/v1/exercises?{many}"), &[]);
    let body = r.assert_problem(400);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 11, "ten named, one summary");
    assert!(
        errors[10]["message"]
            .as_str()
            .unwrap()
            .contains("290 more unknown parameters")
    );
}

#[test]
fn every_response_has_security_headers_and_docs_get_their_own_policy() {
    let server = TestServer::default();
    let strict = "default-src 'none'; frame-ancestors 'none'";
    for path in [
        "/v1/exercises",
        "/v1/exercises/nope",
        "/health",
        "/ready",
        "/metrics",
        "/openapi.json",
        "/nowhere",
    ] {
        let r = server.get(path, &[]);
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert_eq!(r.header("content-security-policy"), Some(strict), "{path}");
    }
    let r = server.get("/docs/", &[]);
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(html.contains("swagger-initializer.js"));
    // The policy allows no inline script: Swagger UI's page must have none.
    for tag in html.split("<script").skip(1) {
        let open = &tag[..tag.find('>').unwrap()];
        assert!(open.contains("src="), "an inline script in /docs/: {tag}");
    }
    let csp = r.header("content-security-policy").unwrap();
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp} has {part}");
    }
    assert!(!csp.contains("unsafe-eval"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let r = server.get("/docs", &[]);
    assert!(
        r.header("content-security-policy")
            .unwrap()
            .contains("script-src 'self'")
    );
}

#[test]
fn head_answers_every_get_route_with_the_get_headers_and_no_body() {
    let server = TestServer::default();
    let spec = server.get("/openapi.json", &[]).json();
    let example_ids = [
        ("/v1/exercises/", "clamshells"),
        ("/v1/muscles/", "gluteus-medius"),
        ("/v1/routines/", "knee-pain-5-best-exercises"),
        ("/v1/conditions/", "knee-pain"),
        ("/v1/sources/", "dynamic-pt-chicago"),
    ];
    let mut paths = vec!["/docs/".to_owned(), "/openapi.json".to_owned()];
    for (template, item) in spec["paths"].as_object().unwrap() {
        if item.get("get").is_none() {
            continue;
        }
        let mut path = template.clone();
        if path.contains("{id}") {
            let example = item["get"]["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"] == "id")
                .and_then(|p| p["example"].as_str().or(p["schema"]["example"].as_str()))
                .map(str::to_owned)
                .or_else(|| {
                    example_ids
                        .iter()
                        .find(|(prefix, _)| path.starts_with(prefix))
                        .map(|(_, id)| (*id).to_owned())
                });
            let Some(id) = example else { continue };
            path = path.replace("{id}", &id);
        }
        if path.contains('{') {
            continue;
        }
        paths.push(path);
    }
    assert!(paths.len() >= 15, "{paths:?}");
    for path in &paths {
        // Parameters a route requires make it answer 400 to a bare GET; HEAD must match it.
        let get = server.get(path, &[]);
        let head = send(server.addr, "HEAD", path, &[]);
        assert_eq!(head.status, get.status, "HEAD {path}");
        assert!(head.body.is_empty(), "HEAD {path} sent a body");
        assert_eq!(
            head.header("content-length").map(str::to_owned),
            Some(get.body.len().to_string()),
            "HEAD {path}: Content-Length is the GET body's"
        );
        assert_eq!(head.header("etag"), get.header("etag"), "HEAD {path}");
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "HEAD {path}"
        );
    }
}

/// Status, headers (sorted, without the per-response `date` and `x-request-id`) and body.
fn comparable(r: &Reply) -> (u16, Vec<(String, String)>, Vec<u8>) {
    assert!(r.header("x-request-id").is_some());
    let mut headers: Vec<(String, String)> = r
        .headers
        .iter()
        .filter(|(n, _)| n != "date" && n != "x-request-id")
        .cloned()
        .collect();
    headers.sort();
    (r.status, headers, r.body.clone())
}

#[test]
fn etags_and_bodies_are_the_same_after_a_restart_of_the_real_binary() {
    let paths = [
        "/v1/exercises/clamshells",
        "/v1/exercises?muscle=gluteals&limit=20",
        "/v1/exercises?q=glute+med",
        "/v1/catalogue/export",
    ];
    let answers = || {
        let mut p = Process::spawn(&["--shutdown-drain-delay", "0"]);
        let replies: Vec<Reply> = paths
            .iter()
            .map(|path| send(p.addr, "GET", path, &[("Accept-Encoding", "br")]))
            .collect();
        p.signal("TERM");
        assert!(p.wait(Duration::from_secs(15)).unwrap().success());
        replies
    };
    let (first, second) = (answers(), answers());
    for ((a, b), path) in first.iter().zip(&second).zip(paths) {
        assert_eq!(a.status, 200, "{path}");
        assert!(
            a.header("etag").is_some_and(|t| t.ends_with("-br\"")),
            "{path}"
        );
        assert_eq!(a.header("etag"), b.header("etag"), "{path}");
        assert_eq!(
            a.header("x-catalogue-version"),
            b.header("x-catalogue-version")
        );
        assert_eq!(a.body, b.body, "{path}: the same compressed bytes");
    }
}

#[test]
fn memo_hits_answer_exactly_what_the_full_stack_answers() {
    // A repeated GET or HEAD without `Origin` is answered by the fast lane from the worker's
    // memo; one with `Origin` always goes through every layer (actix-cors included) and, with
    // any origin allowed, must get the same answer. One worker, so one memo.
    let server = TestServer::default();
    let paths = [
        "/v1/exercises",
        "/v1/exercises/clamshells",
        "/v1/exercises?muscle=gluteals&limit=20",
        "/v1/routines/knee-pain-5-best-exercises?expand=exercises",
        "/v1/exercises?q=glute+med",
        "/v1/catalogue",
    ];
    let etag = server.get("/v1/exercises/clamshells", &[]);
    let etag = etag.header("etag").unwrap().to_owned();
    let variants: Vec<Vec<(&str, &str)>> = vec![
        vec![],
        vec![("Accept-Encoding", "gzip")],
        vec![("Accept-Encoding", "gzip, deflate, br")],
        vec![("Accept-Encoding", "zstd;q=0.9, gzip;q=0.5")],
        vec![("If-None-Match", etag.as_str())],
        vec![("If-None-Match", "*"), ("Accept-Encoding", "br")],
        vec![("X-Request-Id", "client-7")],
    ];
    for path in paths {
        for method in ["GET", "HEAD"] {
            for variant in &variants {
                let mut with_origin = variant.clone();
                with_origin.push(("Origin", "https://app.example"));
                let stack = send(server.addr, method, path, &with_origin);
                assert!(matches!(stack.status, 200 | 304), "{method} {path}");
                // The first may fill the memo; the second is a memo hit.
                for _ in 0..2 {
                    let lane = send(server.addr, method, path, variant);
                    assert_eq!(
                        comparable(&lane),
                        comparable(&stack),
                        "{method} {path} {variant:?}"
                    );
                    let client_id = variant.iter().any(|(n, _)| *n == "X-Request-Id");
                    assert_eq!(lane.header("x-request-id") == Some("client-7"), client_id);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Metrics and readiness.

/// The value of the sample with exactly this name and these labels.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[test]
fn metrics_count_requests_by_route_template_method_and_status() {
    let server = TestServer::default();
    for _ in 0..3 {
        // Repeats are answered by the memo: still counted under the route template.
        assert_eq!(server.get("/v1/exercises/clamshells", &[]).status, 200);
    }
    assert_eq!(server.get("/v1/exercises/clamshels", &[]).status, 404);
    assert_eq!(send(server.addr, "HEAD", "/v1/muscles", &[]).status, 200);
    assert_eq!(server.get("/no/such/thing", &[]).status, 404);
    let r = server.get("/metrics", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let m = r.text();
    let total = |labels: &str| sample(&m, &format!("exercise_api_http_requests_total{{{labels}}}"));
    assert_eq!(
        total(r#"method="GET",route="/v1/exercises/{id}",status="200""#),
        Some(3.0),
        "{m}"
    );
    assert_eq!(
        total(r#"method="GET",route="/v1/exercises/{id}",status="404""#),
        Some(1.0)
    );
    assert_eq!(
        total(r#"method="HEAD",route="/v1/muscles",status="200""#),
        Some(1.0)
    );
    assert_eq!(
        total(r#"method="GET",route="(unmatched)",status="404""#),
        Some(1.0)
    );
    assert!(
        !m.contains("clamshells") && !m.contains("/no/such"),
        "no raw paths as labels"
    );
    assert_eq!(
        sample(
            &m,
            r#"exercise_api_http_request_duration_seconds_count{method="GET",route="/v1/exercises/{id}",status="200"}"#
        ),
        Some(3.0)
    );
    assert!(m.contains(r#"exercise_api_http_request_duration_seconds_bucket{method="GET",route="/v1/exercises/{id}",status="200",le="0.001"}"#));
    // The scrape itself is in flight while it renders.
    assert_eq!(
        sample(&m, "exercise_api_http_requests_in_flight"),
        Some(1.0)
    );
    assert_eq!(sample(&m, "exercise_api_shutting_down"), Some(0.0));
    let cat = catalogue();
    let version = server
        .get("/v1/catalogue", &[])
        .header("x-catalogue-version")
        .unwrap()
        .to_owned();
    assert_eq!(
        sample(
            &m,
            &format!("exercise_api_catalogue_info{{version=\"{version}\"}}")
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(&m, r#"exercise_api_catalogue_entries{kind="exercises"}"#),
        Some(cat.exercises().len() as f64)
    );
    assert!(m.contains("# TYPE exercise_api_http_request_duration_seconds histogram"));
}

#[test]
fn metrics_and_ready_answer_wrong_methods_with_405_and_only_ready_is_documented() {
    let server = TestServer::default();
    for path in ["/metrics", "/ready"] {
        let r = send(server.addr, "POST", path, &[("Content-Length", "0")]);
        r.assert_problem(405);
        assert_eq!(r.header("allow"), Some("GET, HEAD"), "{path}");
    }
    let spec = server.get("/openapi.json", &[]).json();
    assert!(spec["paths"]["/metrics"].is_null());
    let ready = &spec["paths"]["/ready"]["get"];
    assert_eq!(ready["tags"][0], "meta");
    assert!(ready["responses"]["503"].is_object());
    assert!(
        ready["responses"]["304"].is_null(),
        "/ready is never cached"
    );
    assert!(
        spec["components"]["schemas"]["ProblemDetails"]["properties"]["request_id"].is_object()
    );
}

#[test]
fn ready_turns_503_when_shutting_down_while_health_stays_200() {
    let server = TestServer::default();
    let r = server.get("/ready", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), serde_json::json!({"status": "ready"}));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(server.get("/ready?x=1", &[]).status, 400);

    server.shared.runtime().begin_shutdown();
    let r = server.get("/ready", &[]);
    let body = r.assert_problem(503);
    assert_eq!(body["type"], "urn:exercise-api:problem:shutting-down");
    assert!(r.header("retry-after").is_some());
    assert_eq!(server.get("/health", &[]).status, 200);
    // Keep-alive connections are closed after their response while shutting down.
    let mut s = connect(server.addr);
    s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let r = read_one(&mut s);
    assert_eq!(r.header("connection"), Some("close"));
    let m = server.get("/metrics", &[]).text();
    assert_eq!(sample(&m, "exercise_api_shutting_down"), Some(1.0));
}

// ---------------------------------------------------------------------------------------------
// CORS.

const EXPOSED: [&str; 7] = [
    "etag",
    "x-request-id",
    "x-catalogue-version",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "retry-after",
];

#[test]
fn any_origin_may_read_with_a_wildcard_and_exposed_headers() {
    let server = TestServer::default();
    let with = server.get("/v1/exercises", &[("Origin", "https://app.example")]);
    let without = server.get("/v1/exercises", &[]);
    for r in [&with, &without] {
        assert_eq!(r.status, 200);
        // The same answer whatever the Origin, so shared caches need no Vary: Origin.
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert!(!r.header("vary").unwrap_or("").contains("Origin"));
        let exposed = r
            .header("access-control-expose-headers")
            .unwrap()
            .to_ascii_lowercase();
        for h in EXPOSED {
            assert!(exposed.contains(h), "{h} exposed: {exposed}");
        }
        assert!(r.header("access-control-allow-credentials").is_none());
    }
    // Errors are readable cross-origin too.
    let r = server.get("/v1/exercises/nope", &[("Origin", "https://app.example")]);
    assert_eq!(r.status, 404);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn a_preflight_is_answered_204_with_methods_headers_and_max_age() {
    let server = TestServer::default();
    let r = send(
        server.addr,
        "OPTIONS",
        "/v1/exercises?muscle=gluteals",
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "GET"),
            (
                "Access-Control-Request-Headers",
                "if-none-match, x-request-id",
            ),
        ],
    );
    assert_eq!(r.status, 204, "{r:?}");
    assert!(r.body.is_empty());
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    // Exactly what the path serves (n14).
    assert_eq!(r.header("access-control-allow-methods"), Some("GET, HEAD"));
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("if-none-match, x-request-id")
    );
    assert_eq!(r.header("access-control-max-age"), Some("86400"));
    assert!(r.header("x-request-id").is_some());

    // A method no path serves is refused, with a problem.
    let r = send(
        server.addr,
        "OPTIONS",
        "/v1/exercises",
        &[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "DELETE"),
        ],
    );
    let body = r.assert_problem(400);
    assert_eq!(body["type"], "urn:exercise-api:problem:cors-rejected");
    assert!(r.header("access-control-allow-methods").is_none());

    // A plain OPTIONS (no preflight headers) is not a preflight: 405 with Allow.
    let r = send(server.addr, "OPTIONS", "/v1/exercises", &[]);
    assert_eq!(r.status, 405);
}

#[test]
fn cors_answers_and_allow_list_exactly_what_the_path_serves_in_a_stable_order() {
    // n14, n15: preflights listed every method in hash order (POST on GET-only paths), the
    // refusal text omitted POST, and `Allow` omitted HEAD.
    let server = TestServer::default();
    let preflight = |path: &str, method: &str| {
        send(
            server.addr,
            "OPTIONS",
            path,
            &[
                ("Origin", "https://app.example"),
                ("Access-Control-Request-Method", method),
            ],
        )
    };
    for _ in 0..10 {
        let r = preflight("/v1/exercises/clamshells", "GET");
        assert_eq!(r.status, 204);
        assert_eq!(r.header("access-control-allow-methods"), Some("GET, HEAD"));
        let r = preflight("/v1/routines/generate", "POST");
        assert_eq!(r.status, 204);
        assert_eq!(r.header("access-control-allow-methods"), Some("POST"));
    }
    let r = preflight("/v1/routines/generate", "DELETE");
    let body = r.assert_problem(400);
    assert!(body["detail"].as_str().unwrap().contains("POST"), "{body}");
    let r = send(server.addr, "DELETE", "/v1/exercises", &[]);
    r.assert_problem(405);
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
    let r = send(server.addr, "GET", "/v1/routines/generate", &[]);
    r.assert_problem(405);
    assert_eq!(r.header("allow"), Some("POST"));
}

#[test]
fn an_allow_list_admits_only_its_origins() {
    let origins = [
        "https://a.example".to_owned(),
        "http://localhost:3000".to_owned(),
    ];
    let server = TestServer::start(
        HttpSettings {
            cors: CorsSettings::new(&origins, 600),
            ..HttpSettings::default()
        },
        one_worker(),
    );
    let r = server.get("/v1/muscles", &[("Origin", "http://localhost:3000")]);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    let vary = r.header("vary").unwrap();
    assert!(
        vary.contains("Accept-Encoding") && vary.contains("Origin"),
        "{vary}"
    );

    // Another origin still gets the data (no credentials are involved), but no CORS grant,
    // so a browser keeps it from the page.
    let r = server.get("/v1/muscles", &[("Origin", "https://evil.example")]);
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());

    let preflight = |origin: &str| {
        send(
            server.addr,
            "OPTIONS",
            "/v1/muscles",
            &[("Origin", origin), ("Access-Control-Request-Method", "GET")],
        )
    };
    let ok = preflight("https://a.example");
    assert_eq!(ok.status, 204);
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://a.example")
    );
    assert_eq!(ok.header("access-control-max-age"), Some("600"));
    let refused = preflight("https://evil.example");
    let body = refused.assert_problem(400);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("https://a.example"),
        "{body}"
    );
    assert!(refused.header("access-control-allow-origin").is_none());
}

// ---------------------------------------------------------------------------------------------
// Rate limiting.

fn limited(per_second: u32, burst: u32, proxy_headers: ProxyHeaders) -> TestServer {
    TestServer::start(
        HttpSettings {
            rate_limit: Some(RateLimitSettings {
                per_second: NonZeroU32::new(per_second).unwrap(),
                burst: NonZeroU32::new(burst).unwrap(),
                proxy_headers,
            }),
            ..HttpSettings::default()
        },
        one_worker(),
    )
}

#[test]
fn rate_limiting_is_off_by_default() {
    let server = TestServer::default();
    for _ in 0..30 {
        let r = server.get("/v1/equipment", &[]);
        assert_eq!(r.status, 200);
        assert!(r.header("ratelimit-limit").is_none());
    }
}

#[test]
fn a_client_over_its_rate_gets_429_with_retry_after_and_ratelimit_headers() {
    // Bursts of 3, one more token a second.
    let server = limited(1, 3, ProxyHeaders::None);
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let r = server.get("/v1/exercises", &[("Origin", "https://app.example")]);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("ratelimit-limit"), Some("3"));
        let reset: u64 = r.header("ratelimit-reset").unwrap().parse().unwrap();
        assert!((1..=3).contains(&reset), "reset {reset}");
        remaining.push(r.header("ratelimit-remaining").unwrap().to_owned());
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let r = server.get("/v1/exercises", &[("Origin", "https://app.example")]);
    let body = r.assert_problem(429);
    assert_eq!(body["type"], "urn:exercise-api:problem:rate-limited");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry), "retry-after {retry}");
    assert_eq!(r.header("ratelimit-remaining"), Some("0"));
    assert_eq!(r.header("ratelimit-limit"), Some("3"));
    // Readable by a browser app.
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    // Probes and scrapes are never limited.
    for path in ["/health", "/ready", "/metrics"] {
        let r = server.get(path, &[]);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("ratelimit-limit").is_none());
    }
    let m = server.get("/metrics", &[]).text();
    assert_eq!(
        sample(
            &m,
            r#"exercise_api_http_requests_total{method="GET",route="/v1/exercises",status="429"}"#
        ),
        Some(1.0)
    );
    // The bucket refills: one token a second.
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(server.get("/v1/exercises", &[]).status, 200);
}

#[test]
fn proxy_headers_name_the_client_only_when_trusted() {
    let untrusting = limited(1, 1, ProxyHeaders::None);
    assert_eq!(
        untrusting
            .get("/v1/equipment", &[("X-Forwarded-For", "192.0.2.1")])
            .status,
        200
    );
    // A different claimed address does not help: the peer address is the key.
    assert_eq!(
        untrusting
            .get("/v1/equipment", &[("X-Forwarded-For", "192.0.2.2")])
            .status,
        429
    );

    let trusting = limited(1, 1, ProxyHeaders::XForwardedFor);
    let xff = |chain: &str| {
        trusting
            .get("/v1/equipment", &[("X-Forwarded-For", chain)])
            .status
    };
    assert_eq!(xff("192.0.2.1"), 200);
    assert_eq!(xff("192.0.2.1"), 429);
    assert_eq!(xff("192.0.2.2"), 200, "another client has its own bucket");
    // Only the last entry (added by the proxy) counts: a client cannot pick its key.
    assert_eq!(xff("203.0.113.9, 192.0.2.2"), 429);

    let forwarded = limited(1, 1, ProxyHeaders::Forwarded);
    let fwd = |value: &str| {
        forwarded
            .get("/v1/equipment", &[("Forwarded", value)])
            .status
    };
    assert_eq!(fwd("for=192.0.2.7;proto=https"), 200);
    assert_eq!(fwd("for=192.0.2.7"), 429);
    assert_eq!(fwd("for=\"[2001:db8::1]:4711\""), 200);
    assert_eq!(fwd("for=\"[2001:db8::2]\""), 429, "one bucket per IPv6 /64");
}

// ---------------------------------------------------------------------------------------------
// Size limits and connection timeouts.

#[test]
fn a_long_request_target_is_414_and_large_headers_are_431() {
    let server = TestServer::default();
    let path = format!("/v1/exercises/{}", "x".repeat(9000));
    let r = server.get(&path, &[]);
    let body = r.assert_problem(414);
    assert_eq!(body["type"], "urn:exercise-api:problem:uri-too-long");
    let query = format!("/v1/exercises?q={}", "x".repeat(9000));
    server.get(&query, &[]).assert_problem(414);
    // Just under the limit, the API answers as usual.
    assert_eq!(
        server
            .get(&format!("/v1/exercises/{}", "x".repeat(2000)), &[])
            .status,
        404
    );

    let big = "v".repeat(17 * 1024);
    let r = server.get("/v1/exercises", &[("X-Big", &big)]);
    let body = r.assert_problem(431);
    assert_eq!(body["type"], "urn:exercise-api:problem:headers-too-large");
    // More than 96 header fields: refused by the HTTP layer itself (431, empty body).
    let many: Vec<(String, String)> = (0..100).map(|i| (format!("X-H{i}"), "1".into())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(server.get("/v1/exercises", &many).status, 431);

    let limited = TestServer::start(
        HttpSettings {
            limits: exercise_api::http::limits::RequestLimits {
                max_uri_length: 100,
                max_header_bytes: 2048,
            },
            ..HttpSettings::default()
        },
        one_worker(),
    );
    limited
        .get(&format!("/v1/exercises/{}", "x".repeat(100)), &[])
        .assert_problem(414);
    limited
        .get("/health", &[("X-Big", &"v".repeat(2100))])
        .assert_problem(431);
}

#[test]
fn a_client_that_trickles_its_request_head_is_cut_off() {
    let server = TestServer::start(
        HttpSettings::default(),
        ServerSettings {
            client_request_timeout: Duration::from_secs(1),
            ..one_worker()
        },
    );
    let mut s = connect(server.addr);
    s.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let start = Instant::now();
    s.write_all(b"GET /v1/exercises HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut received = Vec::new();
    let mut closed = false;
    // One header byte every 100 ms, for up to 5 s: the server must give up after ~1 s.
    while start.elapsed() < Duration::from_secs(5) {
        if s.write_all(b"X").is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 1024];
        match s.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed = true;
                break;
            }
        }
    }
    let elapsed = start.elapsed();
    assert!(closed, "the slow client was not disconnected");
    assert!(
        elapsed < Duration::from_secs(3),
        "cut off after {elapsed:?}"
    );
    let text = String::from_utf8_lossy(&received);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "a 408 or nothing: {text}"
    );
}

#[test]
fn idle_keep_alive_connections_are_closed_after_the_keep_alive_time() {
    let server = TestServer::start(
        HttpSettings::default(),
        ServerSettings {
            keep_alive: Duration::from_secs(1),
            ..one_worker()
        },
    );
    let mut s = connect(server.addr);
    for _ in 0..2 {
        s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        assert_eq!(read_one(&mut s).status, 200);
    }
    let start = Instant::now();
    let mut buf = [0u8; 16];
    let n = s.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "the idle connection is closed");
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(500) && elapsed < Duration::from_secs(4),
        "closed after {elapsed:?}"
    );

    // Keep-alive off: every response closes its connection.
    let server = TestServer::start(
        HttpSettings::default(),
        ServerSettings {
            keep_alive: Duration::ZERO,
            ..one_worker()
        },
    );
    let mut s = connect(server.addr);
    s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    assert_eq!(parse(&raw, false).status, 200);
}

// ---------------------------------------------------------------------------------------------
// The real binary: logs, flags, signals.

#[test]
fn text_logs_have_one_line_per_request_with_its_fields() {
    let mut p = Process::spawn(&["--shutdown-drain-delay", "0"]);
    let r = send(
        p.addr,
        "GET",
        "/v1/exercises/clamshells",
        &[("X-Request-Id", "text-log-1")],
    );
    assert_eq!(r.status, 200);
    let line = p.log_line("request_id=text-log-1");
    for part in [
        "INFO",
        "exercise_api::request",
        "method=GET",
        "route=\"/v1/exercises/{id}\"",
        "status=200",
        "latency_ms=",
    ] {
        assert!(line.contains(part), "{part} in {line}");
    }
    assert!(
        !line.contains('\u{1b}'),
        "no colour codes when not on a terminal"
    );
    p.signal("TERM");
    assert!(p.wait(Duration::from_secs(15)).unwrap().success());
}

#[test]
fn json_logs_have_one_object_per_request_and_rust_log_filters() {
    let mut p = Process::spawn(&["--log-format", "json", "--shutdown-drain-delay", "0"]);
    send(p.addr, "GET", "/v1/nope", &[("X-Request-Id", "json-log-1")]);
    let line = p.log_line("json-log-1");
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["level"], "INFO");
    assert_eq!(v["target"], "exercise_api::request");
    assert_eq!(v["method"], "GET");
    assert_eq!(v["route"], "(unmatched)");
    assert_eq!(v["status"], 404);
    assert_eq!(v["request_id"], "json-log-1");
    assert!(v["latency_ms"].as_f64().unwrap() >= 0.0);
    assert!(v["timestamp"].is_string());
    p.signal("TERM");
    assert!(p.wait(Duration::from_secs(15)).unwrap().success());

    // RUST_LOG can silence request lines while keeping the rest.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_exercise-api"));
    let mut child = cmd
        .args([
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--log-format",
            "json",
        ])
        .args(["--shutdown-drain-delay", "0"])
        .env("RUST_LOG", "info,exercise_api::request=off")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(a) = address_in(&line) {
            break a;
        }
    };
    send(addr, "GET", "/health", &[("X-Request-Id", "filtered-out")]);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(child.wait().unwrap().success());
    assert!(
        rest.iter().all(|l| !l.contains("filtered-out")),
        "{rest:#?}"
    );
    assert!(
        rest.iter().any(|l| l.contains("shutting down")),
        "{rest:#?}"
    );
}

#[test]
fn help_lists_every_production_flag_with_its_environment_variable() {
    let out = Command::new(env!("CARGO_BIN_EXE_exercise-api"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for (flag, env) in [
        ("--log-format", "EXERCISE_API_LOG_FORMAT"),
        ("--cors-origins", "EXERCISE_API_CORS_ORIGINS"),
        ("--cors-max-age", "EXERCISE_API_CORS_MAX_AGE"),
        (
            "--rate-limit-per-second",
            "EXERCISE_API_RATE_LIMIT_PER_SECOND",
        ),
        ("--rate-limit-burst", "EXERCISE_API_RATE_LIMIT_BURST"),
        ("--trust-proxy-headers", "EXERCISE_API_TRUST_PROXY_HEADERS"),
        ("--max-uri-length", "EXERCISE_API_MAX_URI_LENGTH"),
        ("--max-header-bytes", "EXERCISE_API_MAX_HEADER_BYTES"),
        (
            "--client-request-timeout",
            "EXERCISE_API_CLIENT_REQUEST_TIMEOUT",
        ),
        ("--keep-alive", "EXERCISE_API_KEEP_ALIVE"),
        (
            "--shutdown-drain-delay",
            "EXERCISE_API_SHUTDOWN_DRAIN_DELAY",
        ),
        ("--shutdown-timeout", "EXERCISE_API_SHUTDOWN_TIMEOUT"),
    ] {
        assert!(help.contains(flag), "{flag} in --help");
        assert!(help.contains(env), "{env} in --help");
    }
    // Invalid values are refused before anything starts.
    for args in [
        &["--cors-origins", "https://a.example/path"][..],
        &["--cors-origins", "a.example"][..],
        &["--rate-limit-burst", "5"][..],
        &["--rate-limit-per-second", "0"][..],
        &["--trust-proxy-headers", "x-real-ip"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_exercise-api"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?} is refused");
    }
}

#[test]
fn flags_reach_the_server_through_environment_variables() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_exercise-api"))
        .args(["--bind", "127.0.0.1:0", "--workers", "1"])
        .env("RUST_LOG", "info")
        .env("EXERCISE_API_RATE_LIMIT_PER_SECOND", "1")
        .env("EXERCISE_API_RATE_LIMIT_BURST", "2")
        .env(
            "EXERCISE_API_CORS_ORIGINS",
            "https://a.example,https://b.example",
        )
        .env("EXERCISE_API_SHUTDOWN_DRAIN_DELAY", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(a) = address_in(&line) {
            break a;
        }
    };
    let r = send(
        addr,
        "GET",
        "/v1/equipment",
        &[("Origin", "https://b.example")],
    );
    assert_eq!(r.header("ratelimit-limit"), Some("2"));
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://b.example")
    );
    assert_eq!(send(addr, "GET", "/v1/equipment", &[]).status, 200);
    assert_eq!(send(addr, "GET", "/v1/equipment", &[]).status, 429);
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn sigterm_turns_ready_503_during_the_drain_then_exits_0() {
    let mut p = Process::spawn(&["--shutdown-drain-delay", "2"]);
    assert_eq!(send(p.addr, "GET", "/ready", &[]).status, 200);
    let signalled = Instant::now();
    p.signal("TERM");
    p.log_line("shutting down");
    // During the drain delay: still serving, but not ready.
    let r = send(p.addr, "GET", "/ready", &[]);
    r.assert_problem(503);
    assert_eq!(r.header("connection"), Some("close"));
    assert_eq!(send(p.addr, "GET", "/health", &[]).status, 200);
    assert_eq!(
        send(p.addr, "GET", "/v1/exercises/clamshells", &[]).status,
        200
    );
    let status = p.wait(Duration::from_secs(15)).expect("the process exits");
    assert!(status.success(), "{status:?}");
    let took = signalled.elapsed();
    assert!(
        took >= Duration::from_secs(2),
        "the drain delay is kept: {took:?}"
    );
    // Gone: the listener is closed.
    assert!(TcpStream::connect(p.addr).is_err());
    p.log_line("stopped");
}

#[test]
fn an_in_flight_request_finishes_after_sigterm() {
    let mut p = Process::spawn(&["--shutdown-drain-delay", "0"]);
    // A request in flight: an operation that reads a body, whose head has arrived and whose
    // body is only partly sent when the signal arrives. (actix closes connections with no
    // request started at once on shutdown; started ones are finished.)
    let spec = send(p.addr, "GET", "/openapi.json", &[]).json();
    let path = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(path, item)| item.get("post").is_some() && !path.contains('{'))
        .map(|(path, _)| path.clone())
        .expect("an operation that takes a request body");
    let mut s = connect(p.addr);
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{"
    );
    s.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    p.signal("TERM");
    p.log_line("listener closed");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        p.child.try_wait().unwrap().is_none(),
        "the process waits for the request in flight"
    );
    // No new connections are taken...
    assert!(
        TcpStream::connect(p.addr).is_err(),
        "the listener is closed"
    );
    // ...but the request in flight is answered in full.
    s.write_all(b"}").unwrap();
    let r = read_one(&mut s);
    assert!((200..500).contains(&r.status), "{} {}", r.status, r.text());
    assert!(r.json().is_object(), "a whole JSON body: {}", r.text());
    assert!(r.header("x-request-id").is_some());
    assert_eq!(r.header("connection"), Some("close"));
    let status = p.wait(Duration::from_secs(10)).expect("the process exits");
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_second_signal_stops_at_once() {
    let mut p = Process::spawn(&["--shutdown-drain-delay", "60"]);
    p.signal("TERM");
    p.log_line("shutting down");
    let start = Instant::now();
    p.signal("INT");
    let status = p.wait(Duration::from_secs(10)).expect("the process exits");
    assert!(status.success(), "{status:?}");
    assert!(start.elapsed() < Duration::from_secs(5));
    p.log_line("second signal");
}

// ---------------------------------------------------------------------------------------------
// Under attack (findings h1–h11): each test reproduces a finding against the real binary.

/// CPU time (user + system) the process has used so far, in seconds (/proc/PID/stat).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // After the command name (in parentheses) come the state (field 3) and onwards; utime
    // and stime are fields 14 and 15.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks as f64 / clock_ticks_per_second()
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// Resident memory of the process, in KiB (/proc/PID/status).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A request with a body on a new connection (`Connection: close`), the response read.
fn send_body(addr: SocketAddr, path: &str, body: &str) -> Reply {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = connect(addr);
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    parse(&raw, false)
}

/// True when the server closes `s` (end of stream or reset) before `limit`.
fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 64 * 1024];
    while start.elapsed() < limit {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return true,
        }
    }
    false
}

#[test]
fn hostile_ids_cost_the_service_little_cpu() {
    // h1: one 16 KB body of unknown ids cost 0.7 s of CPU through "did you mean".
    let p = Process::spawn(&[]);
    let pid = p.child.id();
    let ligature = "\u{fdfd}"; // 3 bytes, about 30 letters once transliterated
    let quoted = |s: &str, n: usize| vec![format!("\"{s}\""); n].join(",");
    let bodies = [
        format!(r#"{{"muscles":[{}]}}"#, quoted(ligature, 2600)),
        format!(
            r#"{{"conditions":[{}]}}"#,
            quoted(&ligature.repeat(480), 10)
        ),
        format!(r#"{{"exclude":[{}]}}"#, quoted(&ligature.repeat(48), 100)),
    ];
    let path = format!("/v1/exercises/{}", "%EF%B7%BD".repeat(900));
    let before = cpu_seconds(pid);
    for _ in 0..5 {
        for body in &bodies {
            assert!(body.len() <= 16 * 1024);
            assert_eq!(send_body(p.addr, "/v1/routines/generate", body).status, 422);
        }
        assert_eq!(send(p.addr, "GET", &path, &[]).status, 404);
    }
    let used = cpu_seconds(pid) - before;
    // 20 hostile requests; before the fix the first body alone cost 0.6–0.7 s each time.
    assert!(used < 1.0, "20 hostile requests used {used:.2} s of CPU");
}

#[test]
fn memory_stays_bounded_when_clients_pipeline_and_never_read() {
    // h2: pipelining exports and never reading grew memory without bound.
    let mut p = Process::spawn(&[]);
    let pid = p.child.id();
    let export = send(p.addr, "GET", "/v1/catalogue/export", &[]);
    assert_eq!(export.status, 200);
    std::thread::sleep(Duration::from_millis(500));
    let baseline = rss_kib(pid);
    let requests = "GET /v1/catalogue/export HTTP/1.1\r\nHost: x\r\n\r\n".repeat(2000);
    let mut streams = Vec::new();
    let mut writers = Vec::new();
    for _ in 0..20 {
        let s = connect(p.addr);
        s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut w = s.try_clone().unwrap();
        let requests = requests.clone();
        // The server stops reading once its answers back up: this write may never finish.
        writers.push(std::thread::spawn(move || {
            let _ = w.write_all(requests.as_bytes());
        }));
        streams.push(s);
    }
    for w in writers {
        let _ = w.join();
    }
    std::thread::sleep(Duration::from_secs(2));
    let grown = rss_kib(pid).saturating_sub(baseline);
    assert!(
        p.child.try_wait().unwrap().is_none(),
        "the server is still running"
    );
    // 20 connections; before the fix 10 such connections grew the process by 100+ MB.
    assert!(grown < 48 * 1024, "RSS grew by {grown} KiB");
    drop(streams);
    assert_eq!(send(p.addr, "GET", "/health", &[]).status, 200);
    let _ = p.wait(Duration::ZERO);
}

#[test]
fn a_request_body_that_never_arrives_is_cut_off() {
    // h3 (a): a head announcing 16,000 body bytes, one byte sent, then silence.
    let p = Process::spawn(&["--client-request-timeout", "1"]);
    let mut s = connect(p.addr);
    s.write_all(
        b"POST /v1/routines/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16000\r\n\r\n{",
    )
    .unwrap();
    assert!(
        closed_within(&mut s, Duration::from_secs(15)),
        "the connection is still open"
    );
}

#[test]
fn the_head_of_a_later_request_on_a_connection_is_timed_too() {
    // h3 (b): after one complete request, one byte of the next, then silence.
    let p = Process::spawn(&["--client-request-timeout", "1", "--keep-alive", "60"]);
    let mut s = connect(p.addr);
    s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    assert_eq!(read_one(&mut s).status, 200);
    s.write_all(b"G").unwrap();
    assert!(
        closed_within(&mut s, Duration::from_secs(15)),
        "the connection is still open"
    );
}

#[test]
fn a_client_that_does_not_read_is_disconnected_after_the_write_timeout() {
    // h2/h3: answers waiting for a client that never reads.
    let p = Process::spawn(&["--write-timeout", "1"]);
    let one = send(p.addr, "GET", "/v1/catalogue/export", &[]).body.len();
    let n = 300;
    let mut s = connect(p.addr);
    let mut w = s.try_clone().unwrap();
    w.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let requests = "GET /v1/catalogue/export HTTP/1.1\r\nHost: x\r\n\r\n".repeat(n);
    let writer = std::thread::spawn(move || {
        let _ = w.write_all(requests.as_bytes());
    });
    std::thread::sleep(Duration::from_secs(4));
    let mut received = 0usize;
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut buf = vec![0u8; 256 * 1024];
    let ended = loop {
        match s.read(&mut buf) {
            Ok(0) => break true,
            Ok(k) => received += k,
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                break false;
            }
            Err(_) => break true,
        }
    };
    let _ = writer.join();
    assert!(ended, "the connection is still open");
    assert!(
        received < n * one,
        "all {n} answers were sent to a client that did not read"
    );
}

#[test]
fn malformed_request_heads_are_not_logged_at_error() {
    // h5: a folded header line was logged at ERROR by the HTTP layer, once per request.
    let p = Process::spawn(&[]);
    for _ in 0..20 {
        let mut s = connect(p.addr);
        s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n")
            .unwrap();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
    }
    assert_eq!(send(p.addr, "GET", "/health", &[]).status, 200);
    p.log_line("route=\"/health\"");
    let errors: Vec<String> = p
        .logs()
        .into_iter()
        .filter(|l| l.contains("ERROR"))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// A child process killed and reaped if the test ends before it exits.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn a_dead_stderr_breaks_neither_requests_nor_shutdown() {
    // h4: with stderr a broken pipe every request got an empty reply and SIGTERM was ignored.
    let dir = std::env::temp_dir().join(format!("exercise-api-fifo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("stderr");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (tx, rx) = mpsc::channel();
    let reader_path = fifo.clone();
    // The reader takes the start-up line, then exits: every later write is a broken pipe.
    let reader = std::thread::spawn(move || {
        let pipe = std::fs::File::open(&reader_path).unwrap();
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if let Some(addr) = address_in(&line) {
                tx.send(addr).unwrap();
                break;
            }
        }
    });
    let writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    let mut child = Reaped(
        Command::new(binary())
            .args(["--bind", "127.0.0.1:0", "--workers", "1"])
            .args(["--shutdown-drain-delay", "0"])
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(writer)
            .spawn()
            .unwrap(),
    );
    let child = &mut child.0;
    let addr = rx.recv_timeout(Duration::from_secs(60)).unwrap();
    reader.join().unwrap();
    for _ in 0..20 {
        let r = send(addr, "GET", "/v1/exercises/clamshells", &[]);
        assert_eq!(r.status, 200);
        assert!(r.json().is_object());
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let start = Instant::now();
    let mut status = None;
    while start.elapsed() < Duration::from_secs(15) && status.is_none() {
        status = child.try_wait().unwrap();
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(status.is_some(), "SIGTERM did not stop the process");
    assert!(status.unwrap().success(), "{status:?}");
}

#[test]
fn the_cli_exits_cleanly_into_a_closed_pipe_or_a_full_disk() {
    // h11: `export-catalogue | head -c10` and `> /dev/full` ended in a panic (exit 101).
    for command in ["export-catalogue", "openapi", "catalogue-schema"] {
        let mut child = Command::new(binary())
            .arg(command)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{command}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{command}: {stderr}");
    }
    let out = Command::new(binary())
        .arg("export-catalogue")
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
}

#[test]
fn metrics_can_have_their_own_listener() {
    // h8: /metrics on a separate port, not on the API's.
    let metrics = TcpListener::bind("127.0.0.1:0").unwrap();
    let metrics_addr = metrics.local_addr().unwrap();
    let server = TestServer::start(
        HttpSettings {
            metrics_on_api: false,
            ..HttpSettings::default()
        },
        ServerSettings {
            metrics_listener: Some(Arc::new(metrics)),
            ..one_worker()
        },
    );
    assert_eq!(server.get("/v1/exercises/clamshells", &[]).status, 200);
    server.get("/metrics", &[]).assert_problem(404);
    let r = send(metrics_addr, "GET", "/metrics", &[]);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("exercise_api_http_requests_total"));
    assert_eq!(send(metrics_addr, "GET", "/v1/exercises", &[]).status, 404);
}

/// Runs `check-catalogue` on `path`, at most 20 s: (exit code, stderr).
fn check_catalogue(path: &std::path::Path) -> (Option<i32>, String) {
    let mut child = Reaped(
        Command::new(binary())
            .arg("check-catalogue")
            .arg(path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if let Some(status) = child.0.try_wait().unwrap() {
            let mut err = String::new();
            child
                .0
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (status.code(), err);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (
        None,
        format!("check-catalogue {} did not finish", path.display()),
    )
}

#[test]
fn the_catalogue_checker_refuses_what_it_should() {
    // h9, h10: each file below was accepted (or hung, or ran out of memory).
    let dir = std::env::temp_dir().join(format!("exercise-api-bad-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(binary())
        .arg("export-catalogue")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let with = |change: &dyn Fn(&mut Value)| {
        let mut d = doc.clone();
        change(&mut d);
        serde_json::to_vec_pretty(&d).unwrap()
    };
    let second_name = doc["exercises"][1]["name"].clone();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a repeated top-level key",
            text.replacen('{', "{\"sources\": [],", 1).into_bytes(),
            "sources: the key \"sources\" appears more than once",
        ),
        (
            "a key repeated inside an entry",
            text.replacen("\"id\":", "\"id\": \"x\", \"id\":", 1)
                .into_bytes(),
            "the key \"id\" appears more than once",
        ),
        (
            "a routine with id generate",
            with(&|d| d["routines"][0]["id"] = "generate".into()),
            "routines[0].id: \"generate\" is reserved",
        ),
        (
            "a name of zero-width characters",
            with(&|d| d["exercises"][0]["name"] = "\u{200b}\u{200d}".into()),
            "exercises[0].name: must contain a visible letter or digit",
        ),
        (
            "an alias equal to another entry's name",
            with(&|d| d["exercises"][0]["aliases"] = Value::Array(vec![second_name.clone()])),
            "is the name of exercises[1]",
        ),
        (
            "a byte-order mark",
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            "byte-order mark",
        ),
    ];
    let mut failures = Vec::new();
    for (i, (what, bytes, expected)) in cases.iter().enumerate() {
        let path = dir.join(format!("case-{i}.json"));
        std::fs::write(&path, bytes).unwrap();
        let (code, err) = check_catalogue(&path);
        if code != Some(1) || !err.contains(expected) {
            failures.push(format!("{what}: exit {code:?}, {err}"));
        }
    }
    // Not regular files, and a file over the size limit (sparse: no disk used).
    let fifo = dir.join("fifo.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let huge = dir.join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(exercise_api::catalogue::guard::MAX_FILE_BYTES + 1)
        .unwrap();
    for (path, expected) in [
        (std::path::PathBuf::from("/dev/zero"), "not a regular file"),
        (fifo, "not a regular file"),
        (huge, "at most 512 MiB"),
    ] {
        let (code, err) = check_catalogue(&path);
        if code != Some(2) || !err.contains(expected) {
            failures.push(format!("{}: exit {code:?}, {err}", path.display()));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_body_never_sent_after_100_continue_is_cut_off() {
    // h3, the same class: once `100 Continue` is written no actix-http timer runs.
    let p = Process::spawn(&["--client-request-timeout", "1", "--keep-alive", "1"]);
    let mut s = connect(p.addr);
    s.write_all(
        b"POST /v1/routines/generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n",
    )
    .unwrap();
    assert!(
        closed_within(&mut s, Duration::from_secs(15)),
        "the connection is still open"
    );
}
