//! Thin HTTP adapters: extract and validate input, ask the catalogue, shape the response.

pub mod conditions;
pub mod error;
pub mod exercises;
pub mod fhir;
pub mod languages;
pub mod maps;
pub mod meta;
pub mod muscles;
pub mod ops;
pub mod query;
pub mod routines;
pub mod search;
pub mod spec;
pub mod store;

use std::sync::Arc;

pub use actix_web::web::Json;
use serde::Deserialize;
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{IntoParams, OpenApi};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::catalogue::Catalogue;
use crate::catalogue::index::Collection;
use crate::catalogue::text::suggestions;
use error::ApiError;

/// What every handler can reach: the loaded catalogue and its prepared bodies.
pub struct AppState {
    /// The catalogue in English, as loaded.
    pub catalogue: Arc<Catalogue>,
    pub store: Arc<store::Store>,
    /// The catalogue in each other language it is translated into.
    pub languages: Vec<Arc<languages::Localized>>,
}

/// The parameters of an operation that takes none: any query parameter is rejected.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct NoParams {}

impl query::Resolve for NoParams {
    type Output = ();
    fn resolve(self, _: &Catalogue, _: &mut Vec<error::InvalidInput>) {}
}

/// A 308 to the canonical URL when a path id that names no entry is an alias, a former id or
/// another spelling of one (`suffix` is the rest of the path); `None` when it names nothing.
pub fn moved(
    cat: &Catalogue,
    collection: Collection,
    id: &str,
    suffix: &str,
    req: &actix_web::HttpRequest,
) -> Option<ApiError> {
    let found = cat.resolve(collection, id).filter(|found| *found != id)?;
    let base = match collection {
        Collection::Exercises => "exercises",
        Collection::Muscles => "muscles",
        Collection::Routines => "routines",
        Collection::Conditions => "conditions",
        Collection::Equipment => "equipment",
    };
    let mut location = format!("/v1/{base}/{found}{suffix}");
    if !req.query_string().is_empty() {
        location.push('?');
        location.push_str(req.query_string());
    }
    Some(ApiError::Moved { location })
}

/// A 404 for `id`, suggesting up to three close ids from (name or alias, id) `keys`.
/// True when the request asks for FHIR JSON (see [`crate::http::prepared::wants_fhir`]).
pub fn wants_fhir(req: &actix_web::HttpRequest) -> bool {
    crate::http::prepared::wants_fhir(
        req.headers()
            .get(actix_web::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok()),
    )
}

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

/// What an entry of `collection` is called in messages, and where all its ids are listed.
pub fn vocabulary(collection: Collection) -> (&'static str, &'static str) {
    match collection {
        Collection::Exercises => ("exercise", "/v1/exercises?fields=id"),
        Collection::Muscles => ("muscle", "/v1/muscles"),
        Collection::Routines => ("routine", "/v1/routines"),
        Collection::Conditions => ("condition", "/v1/conditions"),
        Collection::Equipment => ("equipment", "/v1/equipment"),
    }
}

/// (name or alias, id) pairs of every entry of `collection`, for suggestions.
pub fn keys_of(cat: &Catalogue, collection: Collection) -> Vec<(&str, &str)> {
    match collection {
        Collection::Exercises => exercise_keys(cat),
        Collection::Muscles => muscle_keys(cat),
        Collection::Conditions => condition_keys(cat),
        Collection::Equipment => equipment_keys(cat),
        Collection::Routines => cat
            .routines()
            .iter()
            .flat_map(|r| {
                [
                    (r.id.as_str(), r.id.as_str()),
                    (r.name.as_str(), r.id.as_str()),
                ]
            })
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
        .service(exercises::list_alternatives)
        .service(maps::get_exercise_map)
        .service(maps::get_exercise_map_file)
        .service(muscles::list_muscles)
        .service(muscles::get_muscle)
        .service(muscles::list_muscle_exercises)
        .service(maps::get_muscle_map)
        .service(maps::get_muscle_map_file)
        .service(maps::draw_map)
        .service(routines::list_routines)
        .service(routines::get_routine)
        .service(routines::generate_routine)
        .service(conditions::list_conditions)
        .service(conditions::get_condition)
        .service(meta::list_equipment)
        .service(meta::list_sources)
        .service(meta::get_source)
        .service(search::search)
        .service(search::suggest)
        .service(meta::get_catalogue)
        .service(languages::list_languages)
        .service(meta::export_catalogue);
}

/// Operations outside `/v1`.
pub fn root_routes(cfg: &mut ServiceConfig) {
    cfg.service(meta::health).service(ops::ready);
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
        (name = "search", description = "One search across every resource, and autocomplete."),
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

/// (name or alias, id) pairs of every exercise, for suggestions.
pub fn exercise_keys(cat: &Catalogue) -> Vec<(&str, &str)> {
    cat.exercises()
        .iter()
        .flat_map(|e| {
            let e = &e.exercise;
            [e.id.as_str(), e.name.as_str()]
                .into_iter()
                .chain(e.aliases.iter().map(String::as_str))
                .map(move |k| (k, e.id.as_str()))
        })
        .collect()
}

/// A comma list of muscle ids in query parameter `param`, each checked (see `query::id_list`).
pub fn muscle_ids(
    param: &str,
    value: Option<&str>,
    cat: &Catalogue,
    errors: &mut Vec<error::InvalidInput>,
) -> Vec<String> {
    query::id_list(
        param,
        value,
        "muscle",
        |id| cat.resolve(Collection::Muscles, id),
        || muscle_keys(cat),
        "/v1/muscles",
        errors,
    )
}

/// A comma list of equipment ids in query parameter `param`, each checked.
pub fn equipment_ids(
    param: &str,
    value: Option<&str>,
    cat: &Catalogue,
    errors: &mut Vec<error::InvalidInput>,
) -> Vec<String> {
    query::id_list(
        param,
        value,
        "equipment",
        |id| cat.resolve(Collection::Equipment, id),
        || equipment_keys(cat),
        "/v1/equipment",
        errors,
    )
}

/// A comma list of condition ids in query parameter `param`, each checked.
pub fn condition_ids(
    param: &str,
    value: Option<&str>,
    cat: &Catalogue,
    errors: &mut Vec<error::InvalidInput>,
) -> Vec<String> {
    query::id_list(
        param,
        value,
        "condition",
        |id| cat.resolve(Collection::Conditions, id),
        || condition_keys(cat),
        "/v1/conditions",
        errors,
    )
}

/// A comma list of exercise ids in query parameter `param`, each checked.
pub fn exercise_ids(
    param: &str,
    value: Option<&str>,
    cat: &Catalogue,
    errors: &mut Vec<error::InvalidInput>,
) -> Vec<String> {
    query::id_list(
        param,
        value,
        "exercise",
        |id| cat.resolve(Collection::Exercises, id),
        || exercise_keys(cat),
        "/v1/exercises?fields=id",
        errors,
    )
}
