//! Typed settings from command-line flags and their environment-variable twins.

use std::num::{NonZeroU32, NonZeroUsize};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Serves the exercise catalogue as a JSON REST API documented with OpenAPI.
#[derive(Debug, Parser)]
#[command(
    name = "exercise-api",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

impl Cli {
    /// The command to run; no subcommand means `serve`.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Serve(self.serve))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve(ServeArgs),
    /// Validate a catalogue file: print every problem with its path; exit 0 when valid.
    CheckCatalogue {
        /// The catalogue JSON file.
        path: PathBuf,
    },
    /// Print the OpenAPI document (openapi/openapi.json is this output).
    Openapi,
    /// Exit 0 when the service at URL answers 200 (for container health checks; no curl needed).
    Healthcheck {
        /// The URL to probe (plain http).
        #[arg(
            long,
            env = "EXERCISE_API_HEALTHCHECK_URL",
            default_value = "http://127.0.0.1:8080/health"
        )]
        url: String,
    },
    /// Print the JSON Schema of catalogue files (openapi/catalogue.schema.json is this output).
    CatalogueSchema,
    /// Convert another project's exercise data into a catalogue document on stdout; what
    /// cannot be mapped is reported on stderr with counts.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Print the catalogue document (the embedded one, or --catalogue) as JSON.
    ExportCatalogue {
        /// Export this file's catalogue instead of the embedded one (validated first); several
        /// are layered as when serving.
        #[arg(long, env = "EXERCISE_API_CATALOGUE", value_delimiter = ',')]
        catalogue: Vec<String>,
    },
}

/// The formats `import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// free-exercise-db's exercises.json (a JSON array of exercises).
    FreeExerciseDb {
        /// The exercises.json file.
        path: PathBuf,
        /// Base URL the images' relative paths are joined to.
        #[arg(long, default_value = crate::import::free_exercise_db::DEFAULT_IMAGE_BASE)]
        image_base_url: String,
    },
    /// wger's /api/v2/exerciseinfo/ JSON: a page {count, next, results} or a list of results.
    Wger {
        /// The JSON file.
        path: PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "EXERCISE_API_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Worker threads (default: one per CPU core).
    #[arg(long, env = "EXERCISE_API_WORKERS")]
    pub workers: Option<NonZeroUsize>,
    /// Serve this catalogue file instead of the embedded one. Give it several times to layer
    /// catalogues, later over earlier; `embedded` names the embedded catalogue
    /// (`--catalogue embedded --catalogue clinic.json`). The variable takes a comma-separated list.
    #[arg(long, env = "EXERCISE_API_CATALOGUE", value_delimiter = ',')]
    pub catalogue: Vec<String>,
    /// `max-age` of successful GET responses, in seconds.
    #[arg(long, env = "EXERCISE_API_CACHE_MAX_AGE", default_value_t = 300)]
    pub cache_max_age: u32,
    /// `stale-while-revalidate` of successful GET responses, in seconds.
    #[arg(
        long,
        env = "EXERCISE_API_CACHE_STALE_WHILE_REVALIDATE",
        default_value_t = 60
    )]
    pub cache_stale_while_revalidate: u32,
    /// Log format on stderr: one line per request (method, route template, status, latency,
    /// request id) and service events. `RUST_LOG` filters (default `info`).
    #[arg(long, env = "EXERCISE_API_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Origins allowed to read the API from a browser (CORS), comma-separated
    /// `scheme://host[:port]`; `*` allows any origin.
    #[arg(
        long,
        env = "EXERCISE_API_CORS_ORIGINS",
        value_delimiter = ',',
        default_value = "*",
        value_parser = parse_origin
    )]
    pub cors_origins: Vec<String>,
    /// How long browsers may cache a CORS preflight answer, in seconds.
    #[arg(long, env = "EXERCISE_API_CORS_MAX_AGE", default_value_t = 86_400)]
    pub cors_max_age: u32,
    /// Per-client rate limit: requests per second, refilled continuously (off when unset).
    #[arg(long, env = "EXERCISE_API_RATE_LIMIT_PER_SECOND")]
    pub rate_limit_per_second: Option<NonZeroU32>,
    /// Per-client burst: requests a client may send at once (default: the per-second rate).
    #[arg(
        long,
        env = "EXERCISE_API_RATE_LIMIT_BURST",
        requires = "rate_limit_per_second"
    )]
    pub rate_limit_burst: Option<NonZeroU32>,
    /// Which proxy header names the client for rate limiting (its last entry, the one the
    /// proxy in front added); `none` uses the connection's peer address. Set it only behind a
    /// proxy that sets that header, or clients can choose their own key.
    #[arg(long, env = "EXERCISE_API_TRUST_PROXY_HEADERS", value_enum, default_value_t = ProxyHeaders::None)]
    pub trust_proxy_headers: ProxyHeaders,
    /// Longest request target (path and query) accepted, in bytes; longer ones get 414.
    #[arg(long, env = "EXERCISE_API_MAX_URI_LENGTH", default_value_t = 8192, value_parser = clap::value_parser!(u32).range(64..=65_536))]
    pub max_uri_length: u32,
    /// Most bytes of request header fields accepted; more get 431. (Heads over 128 KiB or
    /// with more than 96 header fields are refused with 431 by the HTTP layer whatever this is.)
    #[arg(long, env = "EXERCISE_API_MAX_HEADER_BYTES", default_value_t = 16_384, value_parser = clap::value_parser!(u32).range(1024..=131_072))]
    pub max_header_bytes: u32,
    /// Seconds a client has to send a whole request, head and body: for a connection's first
    /// request from when it connects (408 after), for every later one from its first byte
    /// (the connection is closed after). 0 disables the limit.
    #[arg(long, env = "EXERCISE_API_CLIENT_REQUEST_TIMEOUT", default_value_t = 5)]
    pub client_request_timeout: u64,
    /// Seconds a response may wait for a client that reads nothing (its socket buffer full);
    /// the connection is closed after. 0 disables the limit.
    #[arg(long, env = "EXERCISE_API_WRITE_TIMEOUT", default_value_t = 10)]
    pub write_timeout: u64,
    /// Most connections each worker holds open at once; more wait in the listen backlog until
    /// one closes. Keep workers × this well under the file-descriptor limit.
    #[arg(long, env = "EXERCISE_API_MAX_CONNECTIONS", default_value_t = 4096, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_connections: u32,
    /// Serve `/metrics` on this address instead of the API's (which then answers it 404), so
    /// it can stay private: e.g. `127.0.0.1:9090`.
    #[arg(long, env = "EXERCISE_API_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// Seconds an idle keep-alive connection is kept open (0 closes every connection after
    /// its response).
    #[arg(long, env = "EXERCISE_API_KEEP_ALIVE", default_value_t = 5)]
    pub keep_alive: u64,
    /// On SIGTERM or SIGINT, seconds to keep serving with /ready answering 503 before the
    /// listener closes, so load balancers stop sending new requests.
    #[arg(long, env = "EXERCISE_API_SHUTDOWN_DRAIN_DELAY", default_value_t = 5)]
    pub shutdown_drain_delay: u64,
    /// Once the listener is closed, seconds in-flight requests have to finish before the
    /// process exits anyway. A second signal exits at once.
    #[arg(long, env = "EXERCISE_API_SHUTDOWN_TIMEOUT", default_value_t = 30)]
    pub shutdown_timeout: u64,
}

/// The proxy header that names the client, when the service runs behind a proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProxyHeaders {
    /// Trust no header: the client is the connection's peer.
    None,
    /// The last address in `X-Forwarded-For`.
    XForwardedFor,
    /// The `for=` of the last element of `Forwarded` (RFC 7239).
    Forwarded,
}

/// A CORS origin: `*`, or `scheme://host[:port]` with no path.
pub fn parse_origin(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s == "*" {
        return Ok(s.to_owned());
    }
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("{s:?} is not an origin: expected http(s)://host[:port] or *"))?;
    // Browsers send the origin's host in lowercase: match it that way (finding h12).
    let s = s.to_ascii_lowercase();
    let rest = rest.to_ascii_lowercase();
    let ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if ok {
        Ok(s)
    } else {
        Err(format!(
            "{s:?} is not an origin: expected http(s)://host[:port] with no path, or *"
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}
