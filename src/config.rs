//! Typed settings from command-line flags and their environment-variable twins.

use std::num::NonZeroUsize;
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
    /// Print the catalogue document (the embedded one, or --catalogue) as JSON.
    ExportCatalogue {
        /// Export this file's catalogue instead of the embedded one (validated first).
        #[arg(long, env = "EXERCISE_API_CATALOGUE")]
        catalogue: Option<PathBuf>,
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
    /// Serve this catalogue file instead of the embedded one.
    #[arg(long, env = "EXERCISE_API_CATALOGUE")]
    pub catalogue: Option<PathBuf>,
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
    /// Log format.
    #[arg(long, env = "EXERCISE_API_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}
