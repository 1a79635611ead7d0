//! Builds the actix App (the one place the API is assembled) and runs the server.

use std::net::TcpListener;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::KeepAlive;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, ResponseError, guard, web};
use tokio::signal::unix::{Signal, SignalKind, signal};
use utoipa::openapi::OpenApi;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::api::error::ApiError;
use crate::api::store::Store;
use crate::api::{self, AppState};
use crate::catalogue::Catalogue;
use crate::http::conn::{ConnectionLimits, GuardedIo};
use crate::http::cors::CorsSettings;
use crate::http::edge::{self, Runtime};
use crate::http::fast::FastLane;
use crate::http::known::KnownPaths;
use crate::http::limits::{self, Admission, RequestLimits};
use crate::http::memo::{self, Memo};
use crate::http::metrics::Metrics;
use crate::http::prepared::Prepared;
use crate::http::rate_limit::{ClientRateLimiter, RateLimitSettings};
use crate::http::{CachePolicy, Cached};

/// The whole OpenAPI document, collected from the registered routes.
pub fn openapi(catalogue: &Catalogue) -> OpenApi {
    routes(App::new(), catalogue, &OnceLock::new()).1
}

/// Registers the documented routes on `app`, returning it with the spec collected from them.
/// The finished spec is the same for every worker (and every test App): it is made once,
/// into `finished`, and cloned after that.
fn routes<T>(app: App<T>, catalogue: &Catalogue, finished: &OnceLock<OpenApi>) -> (App<T>, OpenApi)
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    let (app, spec) = app
        .into_utoipa_app()
        .openapi(api::base_doc())
        .service(scope("/v1").configure(api::v1_routes))
        .configure(api::root_routes)
        .split_for_parts();
    let spec = finished
        .get_or_init(|| {
            let mut spec = spec;
            api::spec::finish(&mut spec, catalogue);
            spec
        })
        .clone();
    (app, spec)
}

/// HTTP settings of a running service (what the App enforces; see `ServerSettings` for the
/// connection level).
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// `max-age` of successful GETs, in seconds.
    pub cache_max_age: u32,
    /// `stale-while-revalidate` of successful GETs, in seconds.
    pub stale_while_revalidate: u32,
    /// Who may read the API from a browser.
    pub cors: CorsSettings,
    /// Request target and header size limits (414, 431).
    pub limits: RequestLimits,
    /// Per-client rate limiting; off when None.
    pub rate_limit: Option<RateLimitSettings>,
    /// False when `/metrics` has its own listener (`--metrics-bind`): the API port then
    /// answers it 404.
    pub metrics_on_api: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            cache_max_age: 300,
            stale_while_revalidate: 60,
            cors: CorsSettings::default(),
            limits: RequestLimits::default(),
            rate_limit: None,
            metrics_on_api: true,
        }
    }
}

/// Connection-level settings of the server and its shutdown.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Worker threads; None for one per core.
    pub workers: Option<usize>,
    /// How long an idle keep-alive connection stays open; zero disables keep-alive.
    pub keep_alive: Duration,
    /// How long a client has to send a request head (408 after); zero disables the limit.
    pub client_request_timeout: Duration,
    /// After a shutdown signal, how long to keep serving (with `/ready` at 503) before the
    /// listener closes.
    pub drain_delay: Duration,
    /// Once the listener is closed, how long in-flight requests have to finish.
    pub shutdown_timeout: Duration,
    /// How long a write may wait for a client that reads nothing (then the connection closes).
    pub write_timeout: Duration,
    /// Most connections each worker holds open; more wait in the listen backlog.
    pub max_connections_per_worker: usize,
    /// When set, `/metrics` is served on this listener instead of the API's.
    pub metrics_listener: Option<Arc<TcpListener>>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            workers: None,
            keep_alive: Duration::from_secs(5),
            client_request_timeout: Duration::from_secs(5),
            drain_delay: Duration::from_secs(5),
            shutdown_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(10),
            max_connections_per_worker: 4096,
            metrics_listener: None,
        }
    }
}

/// What every worker shares: the catalogue, its prepared bodies, the cache policy, the
/// metrics and shutdown state, and the admission limits.
#[derive(Clone)]
pub struct Shared {
    state: web::Data<AppState>,
    policy: CachePolicy,
    runtime: web::Data<Runtime>,
    admission: web::Data<Admission>,
    metrics_on_api: bool,
    /// The finished OpenAPI document, made by the first App.
    spec: Arc<OnceLock<OpenApi>>,
    /// The finished document serialized, for `/openapi.json` (made with the document).
    spec_body: Arc<OnceLock<Arc<Prepared>>>,
}

impl Shared {
    /// Prepares everything known at load. `embedded` tells whether the catalogue is the
    /// compiled-in one (reported by `/v1/catalogue`).
    pub fn new(catalogue: Arc<Catalogue>, embedded: bool, settings: &HttpSettings) -> Self {
        let start = std::time::Instant::now();
        let store = Arc::new(Store::build(&catalogue, embedded));
        tracing::debug!(
            store_ms = start.elapsed().as_millis() as u64,
            "prepared bodies made"
        );
        let start = std::time::Instant::now();
        let languages = languages(&catalogue, embedded);
        tracing::debug!(
            languages_ms = start.elapsed().as_millis() as u64,
            "translations read"
        );
        let policy = CachePolicy::new(
            settings.cache_max_age,
            settings.stale_while_revalidate,
            catalogue.content_hash(),
        );
        let metrics = Metrics::new(&catalogue, catalogue.content_hash());
        Shared {
            state: web::Data::new(AppState {
                languages,
                catalogue,
                store,
            }),
            policy,
            runtime: web::Data::new(Runtime::new(metrics, settings.cors.clone())),
            admission: web::Data::new(Admission {
                limits: settings.limits,
                rate_limiter: settings.rate_limit.map(ClientRateLimiter::new),
            }),
            metrics_on_api: settings.metrics_on_api,
            spec: Arc::default(),
            spec_body: Arc::default(),
        }
    }

    /// Metrics, CORS settings and the shutting-down flag.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Prepares in one low-priority background thread, so that start-up does not wait for it
    /// and serving is not slowed by it: English bodies compressed in every encoding, then the
    /// other languages' catalogues and bodies (about 45 ms each; their bodies are compressed on
    /// first request, as few clients ask for them), then freed memory handed back. One thread
    /// rather than two keeps the peak resident set lower (the compressors' windows and a
    /// language being made are not in memory at once).
    pub fn prepare_in_background(&self) {
        let state = self.state.clone();
        crate::background::spawn_low_priority("prepare", move || {
            state.store.precompress();
            api::languages::Localized::prepare_all(&state.languages);
            crate::background::release_free_memory();
        });
    }
}

/// The App with default settings, for tests and tools.
pub fn app(
    catalogue: Arc<Catalogue>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    app_with(Shared::new(catalogue, false, &HttpSettings::default()))
}

/// The App: API routes, Swagger UI, `/metrics`, and the middleware, outermost first: the fast
/// lane (memo hits answered at once), the edge (request id, security headers, logs, metrics),
/// CORS, admission (rate limit, size limits), the response memo. Called once per worker.
pub fn app_with(
    shared: Shared,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let start = std::time::Instant::now();
    let (app, spec) = routes(
        App::new().app_data(shared.state.clone()),
        &shared.state.catalogue,
        &shared.spec,
    );
    tracing::debug!(
        routes_ms = start.elapsed().as_millis() as u64,
        "routes registered, spec finished"
    );
    let known = KnownPaths::from_spec(&spec, shared.metrics_on_api);
    let cors = shared.runtime.cors.middleware(&known.methods());
    let known = web::Data::new(known);
    let memo = Memo::default();
    for (target, body) in &shared.state.store.first_pages {
        memo.insert(target, body.clone(), target);
    }
    let fast_lane = FastLane::new(
        shared.runtime.cors.any_origin() && shared.admission.rate_limiter.is_none(),
        memo.clone(),
        &shared.policy,
        shared.runtime.clone(),
        shared.admission.limits,
    );
    // The document is served from a prepared body, like the API's answers (strong ETag, 304,
    // compression, the response memo); Swagger UI only points at it. (Its own route would
    // serialize the 200 KB document again for every request, with no caching headers.)
    let spec_body = shared
        .spec_body
        .get_or_init(|| Prepared::json(&spec))
        .clone();
    app.service(SwaggerUi::new("/docs/{_:.*}").config(SwaggerConfig::new(["/openapi.json"])))
        .service(
            web::resource("/openapi.json")
                .guard(guard::Get())
                .to(move || std::future::ready(Cached(spec_body.clone()))),
        )
        .service(web::redirect("/docs", "/docs/"))
        .configure(|cfg| {
            if shared.metrics_on_api {
                cfg.service(
                    web::resource("/metrics")
                        .guard(guard::Get())
                        .to(api::ops::metrics),
                );
            }
        })
        .app_data(known)
        .app_data(shared.policy.clone())
        .app_data(shared.runtime.clone())
        .app_data(shared.admission.clone())
        .app_data(memo)
        .app_data(api::routines::json_config())
        .default_service(web::to(unmatched))
        .wrap(from_fn(memo::memoize))
        .wrap(from_fn(limits::admit))
        .wrap(cors)
        .wrap(from_fn(edge::edge))
        .wrap(fast_lane)
        .wrap(from_fn(api::languages::language_headers))
}

/// The default service: 405 with `Allow` for a known path, a 308 without the trailing slash
/// of a known path, otherwise a 404 problem.
async fn unmatched(req: HttpRequest, known: web::Data<KnownPaths>) -> actix_web::HttpResponse {
    let path = req.path();
    let trimmed = path.trim_end_matches('/');
    match known.allowed(path) {
        Some(allow) => ApiError::MethodNotAllowed {
            method: req.method().to_string(),
            allow: allow.to_owned(),
        },
        None if trimmed.len() < path.len()
            && !trimmed.is_empty()
            && known.allowed(trimmed).is_some() =>
        {
            let mut location = trimmed.to_owned();
            if !req.query_string().is_empty() {
                location.push('?');
                location.push_str(req.query_string());
            }
            ApiError::Moved { location }
        }
        None => ApiError::RouteNotFound {
            path: req.path().chars().take(200).collect(),
        },
    }
    .error_response()
}

/// The embedded catalogue's translations, each read and made into a catalogue with prepared
/// bodies in the background after start or on first use; none for a catalogue from a file
/// (its texts are one language).
fn languages(catalogue: &Arc<Catalogue>, embedded: bool) -> Vec<Arc<api::languages::Localized>> {
    if !embedded {
        return Vec::new();
    }
    crate::catalogue::i18n::EMBEDDED
        .iter()
        .map(|(file, text)| {
            Arc::new(api::languages::Localized::embedded(
                catalogue.clone(),
                file,
                text,
            ))
        })
        .collect()
}

/// Starts serving on an already bound listener (port 0 in tests), and `/metrics` on its own
/// listener when `settings.metrics_listener` is set. Signals are not handled: see `serve`.
///
/// The server is assembled from actix-server and actix-http directly (what `HttpServer`
/// does inside) so that each connection's stream can be wrapped in [`GuardedIo`], which
/// times out the phases actix-http leaves open and applies back-pressure (see `http::conn`).
pub fn run(
    listener: TcpListener,
    shared: Shared,
    settings: &ServerSettings,
) -> std::io::Result<Server> {
    shared.prepare_in_background();
    let mut builder = actix_server::Server::build()
        .disable_signals()
        .shutdown_timeout(settings.shutdown_timeout.as_secs())
        .max_concurrent_connections(settings.max_connections_per_worker);
    if let Some(n) = settings.workers {
        builder = builder.workers(n);
    }
    let graceful = builder.graceful_shutdown_signal();
    let addr = listener.local_addr()?;
    let api_settings = settings.clone();
    let api_shared = shared.clone();
    let api_graceful = graceful.clone();
    builder = builder.listen("api", listener, move || {
        http_service(
            addr,
            &api_settings,
            api_graceful.clone(),
            app_with(api_shared.clone()),
        )
    })?;
    if let Some(metrics_listener) = &settings.metrics_listener {
        let metrics_addr = metrics_listener.local_addr()?;
        let metrics_settings = settings.clone();
        let runtime = shared.runtime.clone();
        builder = builder.listen("metrics", metrics_listener.try_clone()?, move || {
            http_service(
                metrics_addr,
                &metrics_settings,
                graceful.clone(),
                metrics_app(runtime.clone()),
            )
        })?;
    }
    Ok(builder.run())
}

/// One listener's connection service: the stream wrapped in [`GuardedIo`], then HTTP/1 with
/// actix-http's own timers, then `app`.
fn http_service<T, B>(
    addr: std::net::SocketAddr,
    settings: &ServerSettings,
    graceful: actix_server::GracefulShutdownSignal,
    app: App<T>,
) -> impl actix_service::ServiceFactory<
    actix_web::rt::net::TcpStream,
    Config = (),
    Response = (),
    Error = actix_http::error::DispatchError,
    InitError = (),
> + use<T, B>
where
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = actix_web::Error,
            InitError = (),
        > + 'static,
    B: MessageBody + 'static,
{
    use actix_service::{IntoServiceFactory, ServiceFactoryExt, fn_service, map_config};
    let keep_alive = if settings.keep_alive.is_zero() {
        KeepAlive::Disabled
    } else {
        KeepAlive::Timeout(settings.keep_alive)
    };
    let limits = ConnectionLimits {
        request_timeout: settings.client_request_timeout,
        write_timeout: settings.write_timeout,
        idle_timeout: if settings.client_request_timeout.is_zero() {
            Duration::ZERO
        } else {
            settings.keep_alive + settings.client_request_timeout
        },
    };
    let host = addr.to_string();
    let app = app
        .into_factory()
        .map_err(|err| err.error_response().map_into_boxed_body());
    let http = actix_http::HttpService::build()
        .graceful_shutdown_signal(move || {
            let signal = graceful.clone();
            async move { signal.notified().await }
        })
        .keep_alive(keep_alive)
        .client_request_timeout(settings.client_request_timeout)
        .client_disconnect_timeout(Duration::from_secs(1))
        .h1_allow_half_closed(true)
        .local_addr(addr)
        .finish(map_config(app, move |()| {
            actix_web::dev::AppConfig::__priv_test_new(false, host.clone(), addr)
        }));
    fn_service(move |io: actix_web::rt::net::TcpStream| async move {
        let io = GuardedIo::new(io, limits);
        let peer = io.peer_addr();
        Ok::<_, actix_http::error::DispatchError>((io, actix_http::Protocol::Http1, peer))
    })
    .and_then(http)
}

/// The App of the separate metrics listener (`--metrics-bind`): `GET /metrics` only.
fn metrics_app(
    runtime: web::Data<Runtime>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(runtime)
        .service(
            web::resource("/metrics")
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(api::ops::metrics),
        )
        .default_service(web::to(|| async {
            crate::http::problem::response(
                actix_web::http::StatusCode::NOT_FOUND,
                "not-found",
                "Resource not found",
                "This listener serves only GET /metrics.".to_owned(),
            )
        }))
}

/// Serves until SIGTERM or SIGINT, then shuts down gracefully: `/ready` turns 503 at once
/// (and every response closes its connection), the listener stays open for `drain_delay` so
/// load balancers notice, then closes, and in-flight requests get `shutdown_timeout` to
/// finish. A second signal stops at once. `on_listening` runs once the signal handlers are
/// installed and the server is listening.
pub async fn serve(
    listener: TcpListener,
    shared: Shared,
    settings: ServerSettings,
    on_listening: impl FnOnce(),
) -> std::io::Result<()> {
    let mut signals = Signals::install()?;
    let runtime = shared.runtime.clone();
    let server = run(listener, shared, &settings)?;
    let handle = server.handle();
    on_listening();
    actix_web::rt::spawn(async move {
        let name = signals.recv().await;
        runtime.begin_shutdown();
        tracing::info!(
            signal = name,
            drain_delay_s = settings.drain_delay.as_secs_f64(),
            "shutting down: /ready answers 503; the listener closes after the drain delay"
        );
        tokio::select! {
            () = actix_web::rt::time::sleep(settings.drain_delay) => {}
            name = signals.recv() => {
                tracing::warn!(signal = name, "second signal: stopping now");
                handle.stop(false).await;
                return;
            }
        }
        tracing::info!(
            shutdown_timeout_s = settings.shutdown_timeout.as_secs(),
            "listener closed; finishing in-flight requests"
        );
        tokio::select! {
            () = handle.stop(true) => {}
            name = signals.recv() => {
                tracing::warn!(signal = name, "second signal: stopping now");
                handle.stop(false).await;
            }
        }
    });
    server.await?;
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM and SIGINT, handled instead of ending the process.
struct Signals {
    term: Signal,
    int: Signal,
}

impl Signals {
    fn install() -> std::io::Result<Self> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.int.recv() => "SIGINT",
        }
    }
}
