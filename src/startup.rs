//! Builds the actix App (the one place the API is assembled) and runs the server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ResourceDef, Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, HttpRequest, HttpServer, ResponseError, web};
use utoipa::openapi::OpenApi;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::api::error::ApiError;
use crate::api::store::Store;
use crate::api::{self, AppState};
use crate::catalogue::Catalogue;
use crate::http::CachePolicy;
use crate::http::memo::{self, Memo};
use crate::telemetry;

/// The whole OpenAPI document, collected from the registered routes.
pub fn openapi() -> OpenApi {
    routes(App::new()).1
}

/// Registers the documented routes on `app`, returning it with the spec collected from them.
fn routes<T>(app: App<T>) -> (App<T>, OpenApi)
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    let (app, mut spec) = app
        .into_utoipa_app()
        .openapi(api::base_doc())
        .service(scope("/v1").configure(api::v1_routes))
        .configure(api::root_routes)
        .split_for_parts();
    api::document_caching(&mut spec);
    (app, spec)
}

/// HTTP settings of a running service.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// `max-age` of successful GETs, in seconds.
    pub cache_max_age: u32,
    /// `stale-while-revalidate` of successful GETs, in seconds.
    pub stale_while_revalidate: u32,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            cache_max_age: 300,
            stale_while_revalidate: 60,
        }
    }
}

/// What every worker shares: the catalogue, its prepared bodies, the cache policy and the spec.
#[derive(Clone)]
pub struct Shared {
    state: web::Data<AppState>,
    policy: CachePolicy,
}

impl Shared {
    /// Prepares everything known at load. `embedded` tells whether the catalogue is the
    /// compiled-in one (reported by `/v1/catalogue`).
    pub fn new(catalogue: Arc<Catalogue>, embedded: bool, settings: &HttpSettings) -> Self {
        let store = Arc::new(Store::build(&catalogue, embedded));
        let policy = CachePolicy::new(
            settings.cache_max_age,
            settings.stale_while_revalidate,
            &store.version,
        );
        Shared {
            state: web::Data::new(AppState { catalogue, store }),
            policy,
        }
    }

    /// Compresses the prepared bodies in a background thread (see `Store`).
    pub fn precompress_in_background(&self) {
        self.state.store.precompress_in_background();
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

/// The App: API routes, Swagger UI, the response memo, error shaping and request logging.
/// Called once per worker.
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
    let (app, spec) = routes(App::new().app_data(shared.state.clone()));
    let known = web::Data::new(KnownPaths::from_spec(&spec));
    let memo = Memo::default();
    for (target, body) in &shared.state.store.first_pages {
        memo.insert(target, body.clone(), target);
    }
    app.service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", spec))
        .service(web::redirect("/docs", "/docs/"))
        .app_data(known)
        .app_data(shared.policy.clone())
        .app_data(memo)
        .default_service(web::to(unmatched))
        .wrap(actix_web::middleware::from_fn(memo::memoize))
        .wrap(actix_web::middleware::from_fn(telemetry::log_request))
}

/// Every served path template with the methods it answers, to tell a wrong method (405) from
/// a wrong path (404): actix's method guards make both fall through to the default service.
pub struct KnownPaths(Vec<(ResourceDef, String)>);

impl KnownPaths {
    fn from_spec(spec: &OpenApi) -> Self {
        let mut paths: Vec<(ResourceDef, String)> = spec
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let mut methods: Vec<&str> = Vec::new();
                if item.get.is_some() {
                    methods.push("GET");
                }
                if item.post.is_some() {
                    methods.push("POST");
                }
                (ResourceDef::new(template.as_str()), methods.join(", "))
            })
            .collect();
        paths.push((ResourceDef::new("/openapi.json"), "GET".into()));
        paths.push((ResourceDef::new("/docs"), "GET".into()));
        paths.push((ResourceDef::new("/docs/{_:.*}"), "GET".into()));
        KnownPaths(paths)
    }

    fn allowed(&self, path: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, m)| m.as_str())
    }
}

/// The default service: 405 with `Allow` for a known path, otherwise a 404 problem.
async fn unmatched(req: HttpRequest, known: web::Data<KnownPaths>) -> actix_web::HttpResponse {
    match known.allowed(req.path()) {
        Some(allow) => ApiError::MethodNotAllowed {
            method: req.method().to_string(),
            allow: allow.to_owned(),
        },
        None => ApiError::RouteNotFound {
            path: req.path().chars().take(200).collect(),
        },
    }
    .error_response()
}

/// Starts serving on an already bound listener (port 0 in tests).
pub fn run(
    listener: TcpListener,
    shared: Shared,
    workers: Option<usize>,
) -> std::io::Result<Server> {
    shared.precompress_in_background();
    let mut server = HttpServer::new(move || app_with(shared.clone())).listen(listener)?;
    if let Some(n) = workers {
        server = server.workers(n);
    }
    Ok(server.run())
}
