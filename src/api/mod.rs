//! Thin HTTP adapters: extract and validate input, ask the catalogue, shape the response.

pub mod conditions;
pub mod error;
pub mod exercises;
pub mod meta;
pub mod muscles;
pub mod query;
pub mod routines;
pub mod store;

use std::sync::Arc;

pub use actix_web::web::Json;
use serde::Deserialize;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{IntoParams, OpenApi};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::catalogue::Catalogue;
use crate::catalogue::text::suggestions;
use error::ApiError;

/// What every handler can reach: the loaded catalogue and its prepared bodies.
pub struct AppState {
    pub catalogue: Arc<Catalogue>,
    pub store: Arc<store::Store>,
}

/// The parameters of an operation that takes none: any query parameter is rejected.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct NoParams {}

impl query::Resolve for NoParams {
    type Output = ();
    fn resolve(self, _: &Catalogue, _: &mut Vec<error::InvalidInput>) {}
}

/// A 404 for `id`, suggesting up to three close ids from (name or alias, id) `keys`.
pub fn not_found<'a>(
    resource: &'static str,
    id: &str,
    keys: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> ApiError {
    ApiError::NotFound {
        resource,
        id: id.to_owned(),
        suggestions: suggestions(id, keys, 3)
            .into_iter()
            .map(str::to_owned)
            .collect(),
    }
}

/// (name or alias, id) pairs of every muscle, for suggestions.
pub fn muscle_keys(cat: &Catalogue) -> Vec<(&str, &str)> {
    cat.muscles()
        .iter()
        .flat_map(|m| {
            let m = &m.muscle;
            [m.id.as_str(), m.name.as_str(), m.common_name.as_str()]
                .into_iter()
                .chain(m.aliases.iter().map(String::as_str))
                .map(move |k| (k, m.id.as_str()))
        })
        .collect()
}

/// (name or alias, id) pairs of every condition, for suggestions.
pub fn condition_keys(cat: &Catalogue) -> Vec<(&str, &str)> {
    cat.conditions()
        .iter()
        .flat_map(|c| {
            let c = &c.condition;
            [c.id.as_str(), c.name.as_str()]
                .into_iter()
                .chain(c.aliases.iter().map(String::as_str))
                .map(move |k| (k, c.id.as_str()))
        })
        .collect()
}

/// Registers every `/v1` operation: the one place routes are declared.
pub fn v1_routes(cfg: &mut ServiceConfig) {
    cfg.service(exercises::list_exercises)
        .service(exercises::get_exercise)
        .service(muscles::list_muscles)
        .service(muscles::get_muscle)
        .service(muscles::list_muscle_exercises)
        .service(routines::list_routines)
        .service(routines::get_routine)
        .service(conditions::list_conditions)
        .service(conditions::get_condition)
        .service(meta::list_equipment)
        .service(meta::list_sources)
        .service(meta::get_source)
        .service(meta::get_catalogue)
        .service(meta::export_catalogue);
}

/// Operations outside `/v1`.
pub fn root_routes(cfg: &mut ServiceConfig) {
    cfg.service(meta::health);
}

/// The document-level parts of the OpenAPI description; paths are collected from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "exercise-api",
        description = include_str!("../../openapi/description.md"),
        license(name = "MIT", identifier = "MIT"),
    ),
    tags(
        (name = "exercises", description = "Exercises: targets, purpose, steps, dose, equipment, progressions."),
        (name = "muscles", description = "Muscles and muscle groups, an overlapping hierarchy with synonyms."),
        (name = "routines", description = "Ordered routines with doses and estimated durations."),
        (name = "conditions", description = "Conditions the exercises and routines address."),
        (name = "meta", description = "Vocabularies, sources and service health."),
    ),
    components(schemas(error::ProblemDetails, error::InvalidInput))
)]
pub struct ApiDoc;

/// The base OpenAPI document (info, tags, shared components).
pub fn base_doc() -> OpenApiDoc {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}

/// (name, id) pairs of every piece of equipment, for suggestions.
pub fn equipment_keys(cat: &Catalogue) -> Vec<(&str, &str)> {
    cat.equipment()
        .iter()
        .flat_map(|e| {
            let e = &e.equipment;
            [
                (e.id.as_str(), e.id.as_str()),
                (e.name.as_str(), e.id.as_str()),
            ]
        })
        .collect()
}

/// Documents what every cacheable GET shares, once: the `If-None-Match` parameter, the 304
/// answer, and the caching headers of the 200 answer. (`/health` is never cached.)
pub fn document_caching(spec: &mut OpenApiDoc) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{HeaderBuilder, ObjectBuilder, RefOr, Required, ResponseBuilder, Type};

    let string = || ObjectBuilder::new().schema_type(Type::String).build();
    let header = |description: &str| {
        RefOr::T(
            HeaderBuilder::new()
                .schema(Some(string()))
                .description(Some(description))
                .build(),
        )
    };
    for (path, item) in spec.paths.paths.iter_mut() {
        let Some(op) = item.get.as_mut() else {
            continue;
        };
        if path == "/health" {
            continue;
        }
        if let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") {
            ok.headers.insert(
                "ETag".into(),
                header("Strong validator of this representation; send it back in If-None-Match."),
            );
            ok.headers.insert(
                "Cache-Control".into(),
                header("public, max-age=N (default 300), stale-while-revalidate=M (default 60)."),
            );
            ok.headers.insert("Vary".into(), header("Accept-Encoding."));
            ok.headers.insert(
                "X-Catalogue-Version".into(),
                header("Content hash of the catalogue being served; changes when the data does."),
            );
        }
        op.responses.responses.insert(
            "304".into(),
            RefOr::T(
                ResponseBuilder::new()
                    .description("Not modified: If-None-Match matched the current ETag; no body.")
                    .header("ETag", HeaderBuilder::new().schema(Some(string())).build())
                    .build(),
            ),
        );
        op.parameters.get_or_insert_with(Vec::new).push(RefOr::T(
            ParameterBuilder::new()
                .name("If-None-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "ETags the client holds; a match is answered with 304 and no body.",
                ))
                .schema(Some(string()))
                .build(),
        ));
    }
}
