//! The performance ceiling for `benches/load.sh`: an actix-web server with the same runtime
//! as the service that answers every GET with one fixed response read from files at start:
//! a body, and optionally the header fields of a response the service sent (as `curl -D`
//! writes them), so that it sends the very same bytes.
//!
//! It does no routing, no extraction, no negotiation, no logging and no memo look-up, so the
//! service's requests per second on one endpoint divided by this server's on the same bytes
//! is the share of the ceiling the service reaches.
//!
//! ```text
//! cargo run --release --example ceiling -- --bind 127.0.0.1:8090 --body-file body.json \
//!     [--headers-file head.txt]
//! ```

use std::net::TcpListener;
use std::path::PathBuf;

use actix_web::http::header::{self, HeaderName, HeaderValue};
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
    /// Header fields to send with every response: a response head as `curl -D` writes it (the
    /// status line is skipped, and so are the fields actix-web writes itself: `Date`,
    /// `Content-Length`, `Transfer-Encoding`, `Connection`). Without it, only
    /// `Content-Type: application/json`.
    #[arg(long)]
    headers_file: Option<PathBuf>,
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
    let headers = match &args.headers_file {
        None => vec![(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        Some(path) => read_headers(path)?,
    };
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
            let headers = headers.clone();
            App::new().default_service(web::to(move || {
                let body = body.clone();
                let headers = headers.clone();
                async move {
                    let mut res = HttpResponse::Ok();
                    for (name, value) in headers {
                        res.append_header((name, value));
                    }
                    res.body(body)
                }
            }))
        })
        .workers(args.workers)
        .listen(listener)?
        .run()
        .await
    })
}

/// The header fields of a response head written by `curl -D` (see `--headers-file`).
fn read_headers(path: &PathBuf) -> std::io::Result<Vec<(HeaderName, HeaderValue)>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
    })?;
    let invalid = |line: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: not a header field: {line:?}", path.display()),
        )
    };
    let mut out = Vec::new();
    for line in text.lines().skip(1).map(str::trim_end) {
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or_else(|| invalid(line))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| invalid(line))?;
        if [
            header::DATE,
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::CONNECTION,
        ]
        .contains(&name)
        {
            continue;
        }
        let value = HeaderValue::from_str(value.trim()).map_err(|_| invalid(line))?;
        out.push((name, value));
    }
    Ok(out)
}
