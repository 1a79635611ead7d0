use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use exercise_api::catalogue::{Catalogue, layers};
use exercise_api::config::{Cli, Command, ImportSource, ServeArgs};
use exercise_api::http::cors::CorsSettings;
use exercise_api::http::limits::RequestLimits;
use exercise_api::http::rate_limit::RateLimitSettings;
use exercise_api::{startup, telemetry};

fn main() -> ExitCode {
    match Cli::parse().into_command() {
        Command::Serve(args) => serve(args),
        Command::CheckCatalogue { path } => check_catalogue(&path),
        Command::Openapi => match load(&[]) {
            // The committed spec describes the embedded catalogue (its ids are the enums of the
            // filter parameters); a server on another catalogue serves its own.
            Ok(cat) => {
                let spec = startup::openapi(&cat);
                emit(&spec.to_pretty_json().expect("the spec serializes"))
            }
            Err(code) => code,
        },
        Command::CatalogueSchema => {
            let schema = exercise_api::catalogue::schema::catalogue_schema();
            emit(&serde_json::to_string_pretty(&schema).expect("the schema serializes"))
        }
        Command::Healthcheck { url } => match exercise_api::healthcheck::probe(&url) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                report(format_args!("unhealthy: {e}"));
                ExitCode::FAILURE
            }
        },
        Command::Import { source } => import(source),
        Command::ExportCatalogue { catalogue } => match load(&catalogue) {
            Ok(cat) => emit(
                &serde_json::to_string_pretty(&cat.document()).expect("the catalogue serializes"),
            ),
            Err(code) => code,
        },
    }
}

/// Writes `text` and a newline to stdout. A reader that closed the pipe early (`| head`) is
/// not an error of this command: it exits 0 quietly. Any other failure (a full disk) is
/// reported and exits 1. Never panics, unlike `println!` (finding h11).
fn emit(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            report(format_args!("error: cannot write the output: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// Loads the embedded catalogue, a file, or layers (`embedded` names the embedded one); on
/// failure prints every problem and gives the exit code.
fn load(paths: &[String]) -> Result<Catalogue, ExitCode> {
    match paths {
        [] => load_one(None),
        [only] if only != layers::EMBEDDED_NAME => load_one(Some(Path::new(only))),
        _ => {
            let mut list = Vec::with_capacity(paths.len());
            for p in paths {
                if p == layers::EMBEDDED_NAME {
                    list.push(layers::Layer::embedded());
                    continue;
                }
                match std::fs::read(p) {
                    Ok(bytes) => list.push(layers::Layer {
                        name: p.clone(),
                        bytes,
                    }),
                    Err(e) => {
                        report(format_args!("error: cannot read {p}: {e}"));
                        return Err(ExitCode::from(2));
                    }
                }
            }
            layers::load(&list).map_err(|errors| {
                let _ = write!(
                    std::io::stderr().lock(),
                    "error: the layered catalogue is invalid; {errors}"
                );
                ExitCode::FAILURE
            })
        }
    }
}

/// Writes a message line to stderr, ignoring a failure: stderr may be a closed pipe, and
/// `eprintln!` would panic then (finding h4).
fn report(message: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// Loads the embedded catalogue or one file; on failure prints every problem and gives the
/// exit code.
fn load_one(path: Option<&Path>) -> Result<Catalogue, ExitCode> {
    let (name, result) = match path {
        None => ("the embedded catalogue".to_owned(), Catalogue::embedded()),
        Some(p) => match exercise_api::catalogue::guard::read_file(p) {
            Ok(bytes) => (p.display().to_string(), Catalogue::from_bytes(&bytes)),
            Err(e) => {
                report(format_args!("error: cannot read {}: {e}", p.display()));
                return Err(ExitCode::from(2));
            }
        },
    };
    result.map_err(|errors| {
        let _ = write!(
            std::io::stderr().lock(),
            "error: {name} is invalid; {errors}"
        );
        ExitCode::FAILURE
    })
}

/// `import`: the document on stdout, what could not be mapped on stderr; 1 on bad input.
fn import(source: ImportSource) -> ExitCode {
    use exercise_api::import;
    let path = match &source {
        ImportSource::FreeExerciseDb { path, .. } | ImportSource::Wger { path } => path,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            report(format_args!("error: cannot read {}: {e}", path.display()));
            return ExitCode::FAILURE;
        }
    };
    let result = match &source {
        ImportSource::FreeExerciseDb { image_base_url, .. } => {
            import::free_exercise_db::import(&bytes, image_base_url)
        }
        ImportSource::Wger { .. } => import::wger::import(&bytes),
    };
    let imported = match result {
        Ok(i) => i,
        Err(e) => {
            report(format_args!("error: {}: {e}", path.display()));
            return ExitCode::FAILURE;
        }
    };
    let mut out = serde_json::to_vec_pretty(&imported.document).expect("the catalogue serializes");
    out.push(b'\n');
    let _ = write!(std::io::stderr().lock(), "{}", imported.report);
    report(format_args!(
        "imported {} exercises ({} unmapped values)",
        imported.document.exercises.len(),
        imported.report.unmapped_total()
    ));
    write_stdout(&out)
}

/// Writes `bytes` to stdout; a reader that went away (a closed pipe) is not an error.
fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            report(format_args!("error: cannot write the output: {e}"));
            ExitCode::FAILURE
        }
    }
}

fn check_catalogue(path: &Path) -> ExitCode {
    match load_one(Some(path)) {
        Ok(cat) => emit(&format!(
            "{}: valid ({} exercises, {} muscles, {} routines, {} conditions, {} equipment, {} sources)",
            path.display(),
            cat.exercises().len(),
            cat.muscles().len(),
            cat.routines().len(),
            cat.conditions().len(),
            cat.equipment().len(),
            cat.sources().len()
        )),
        Err(code) => code,
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    telemetry::init(args.log_format);
    let catalogue = match load(&args.catalogue) {
        Ok(c) => Arc::new(c),
        Err(code) => return code,
    };
    let listener = match TcpListener::bind(&args.bind) {
        Ok(l) => l,
        Err(e) => {
            report(format_args!("error: cannot listen on {}: {e}", args.bind));
            return ExitCode::from(2);
        }
    };
    let metrics_listener = match args.metrics_bind.as_deref().map(TcpListener::bind) {
        None => None,
        Some(Ok(l)) => Some(Arc::new(l)),
        Some(Err(e)) => {
            report(format_args!(
                "error: cannot listen on {} (--metrics-bind): {e}",
                args.metrics_bind.as_deref().unwrap_or_default()
            ));
            return ExitCode::from(2);
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or(args.bind.clone());
    let exercises = catalogue.exercises().len();
    let http = startup::HttpSettings {
        cache_max_age: args.cache_max_age,
        stale_while_revalidate: args.cache_stale_while_revalidate,
        cors: CorsSettings::new(&args.cors_origins, args.cors_max_age),
        limits: RequestLimits {
            max_uri_length: args.max_uri_length as usize,
            max_header_bytes: args.max_header_bytes as usize,
        },
        rate_limit: args
            .rate_limit_per_second
            .map(|per_second| RateLimitSettings {
                per_second,
                burst: args.rate_limit_burst.unwrap_or(per_second),
                proxy_headers: args.trust_proxy_headers,
            }),
        metrics_on_api: metrics_listener.is_none(),
    };
    let server = startup::ServerSettings {
        workers: args.workers.map(|n| n.get()),
        keep_alive: Duration::from_secs(args.keep_alive),
        client_request_timeout: Duration::from_secs(args.client_request_timeout),
        drain_delay: Duration::from_secs(args.shutdown_drain_delay),
        shutdown_timeout: Duration::from_secs(args.shutdown_timeout),
        write_timeout: Duration::from_secs(args.write_timeout),
        max_connections_per_worker: args.max_connections as usize,
        metrics_listener,
    };
    let shared = startup::Shared::new(
        catalogue,
        args.catalogue.is_empty() || args.catalogue == [layers::EMBEDDED_NAME],
        &http,
    );
    let result =
        actix_web::rt::System::new().block_on(startup::serve(listener, shared, server, || {
            tracing::info!(
                address = %addr,
                exercises,
                "serving on http://{addr} (docs at http://{addr}/docs/)"
            );
        }));
    let code = match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("error: {e}");
            ExitCode::FAILURE
        }
    };
    // Lines still buffered are written, unless stderr is blocked for longer than this.
    telemetry::flush(Duration::from_secs(2));
    code
}
