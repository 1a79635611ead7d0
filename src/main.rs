use std::net::TcpListener;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use exercise_api::catalogue::Catalogue;
use exercise_api::config::{Cli, Command, ServeArgs};
use exercise_api::{startup, telemetry};

fn main() -> ExitCode {
    match Cli::parse().into_command() {
        Command::Serve(args) => serve(args),
        Command::CheckCatalogue { path } => check_catalogue(&path),
        Command::Openapi => {
            println!(
                "{}",
                startup::openapi()
                    .to_pretty_json()
                    .expect("the spec serializes")
            );
            ExitCode::SUCCESS
        }
        Command::CatalogueSchema => {
            let schema = exercise_api::catalogue::schema::catalogue_schema();
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).expect("the schema serializes")
            );
            ExitCode::SUCCESS
        }
        Command::Healthcheck { url } => match exercise_api::healthcheck::probe(&url) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("unhealthy: {e}");
                ExitCode::FAILURE
            }
        },
        Command::ExportCatalogue { catalogue } => match load(catalogue.as_deref()) {
            Ok(cat) => {
                println!(
                    "{}",
                    serde_json::to_string_pretty(cat.document()).expect("the catalogue serializes")
                );
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
    }
}

/// Loads the embedded catalogue or a file; on failure prints every problem and gives the exit code.
fn load(path: Option<&Path>) -> Result<Catalogue, ExitCode> {
    let (name, result) = match path {
        None => ("the embedded catalogue".to_owned(), Catalogue::embedded()),
        Some(p) => match std::fs::read(p) {
            Ok(bytes) => (p.display().to_string(), Catalogue::from_bytes(&bytes)),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", p.display());
                return Err(ExitCode::from(2));
            }
        },
    };
    result.map_err(|errors| {
        eprint!("error: {name} is invalid; {errors}");
        ExitCode::FAILURE
    })
}

fn check_catalogue(path: &Path) -> ExitCode {
    match load(Some(path)) {
        Ok(cat) => {
            println!(
                "{}: valid ({} exercises, {} muscles, {} routines, {} conditions, {} equipment, {} sources)",
                path.display(),
                cat.exercises().len(),
                cat.muscles().len(),
                cat.routines().len(),
                cat.conditions().len(),
                cat.equipment().len(),
                cat.sources().len()
            );
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    telemetry::init(args.log_format);
    let catalogue = match load(args.catalogue.as_deref()) {
        Ok(c) => Arc::new(c),
        Err(code) => return code,
    };
    let listener = match TcpListener::bind(&args.bind) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.bind);
            return ExitCode::from(2);
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or(args.bind.clone());
    tracing::info!(
        address = %addr,
        exercises = catalogue.exercises().len(),
        "serving on http://{addr} (docs at http://{addr}/docs/)"
    );
    let workers = args.workers.map(|n| n.get());
    let settings = startup::HttpSettings {
        cache_max_age: args.cache_max_age,
        stale_while_revalidate: args.cache_stale_while_revalidate,
    };
    let shared = startup::Shared::new(catalogue, args.catalogue.is_none(), &settings);
    let result = actix_web::rt::System::new()
        .block_on(async move { startup::run(listener, shared, workers)?.await });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
