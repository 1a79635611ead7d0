//! The performance ceiling for `benches/load.sh`: an actix-web server with the same runtime
//! as the service that answers every GET with one fixed body, read from a file at start.
//!
//! It does no routing, no extraction, no negotiation, no logging and no memo look-up, so the
//! service's requests per second on one endpoint divided by this server's on the same bytes
//! is the share of the ceiling the service reaches.
//!
//! ```text
//! cargo run --release --example ceiling -- --bind 127.0.0.1:8090 --body-file body.json
//! ```

use std::net::TcpListener;
use std::path::PathBuf;

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, Bytes};
use actix_web::{App, HttpResponse, HttpServer};
use clap::Parser;

/// Serves one fixed JSON body to every GET.
#[derive(Debug, Parser)]
#[command(name = "ceiling")]
struct Args {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    bind: String,
    /// File whose bytes are the body of every response.
    #[arg(long)]
    body_file: PathBuf,
    /// Worker threads (the service is measured with one).
    #[arg(long, default_value_t = 1)]
    workers: usize,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let body = Bytes::from(std::fs::read(&args.body_file).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot read {}: {e}", args.body_file.display()),
        )
    })?);
    let listener = TcpListener::bind(&args.bind)?;
    eprintln!(
        "ceiling: serving {} bytes from {} on http://{}",
        body.len(),
        args.body_file.display(),
        listener.local_addr()?
    );
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || {
            let body = body.clone();
            App::new().default_service(web::to(move || {
                let body = body.clone();
                async move {
                    HttpResponse::Ok()
                        .insert_header((
                            header::CONTENT_TYPE,
                            HeaderValue::from_static("application/json"),
                        ))
                        .body(body)
                }
            }))
        })
        .workers(args.workers)
        .listen(listener)?
        .run()
        .await
    })
}
