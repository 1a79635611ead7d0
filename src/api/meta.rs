//! Vocabulary and service endpoints: equipment, sources, the catalogue itself, health.

use actix_web::{HttpRequest, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ProblemDetails};
use super::query::{Page, PageParams, Params};
use super::store::CatalogueInfo;
use super::{AppState, Json, NoParams, not_found};
use crate::catalogue::index::EquipmentView;
use crate::catalogue::model::{CatalogueDocument, Source};
use crate::http::Cached;

/// List equipment.
///
/// The equipment vocabulary, with how many exercises use each item. `none` stands for
/// exercises that need nothing. Paged like every list.
#[utoipa::path(
    tag = "meta",
    operation_id = "listEquipment",
    params(PageParams),
    responses(
        (status = 200, description = "A page of equipment.", body = Page<EquipmentView>),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/equipment")]
pub async fn list_equipment(
    state: super::languages::Local,
    Params(paging): Params<PageParams>,
    req: HttpRequest,
) -> Cached {
    let all: Vec<&EquipmentView> = state.catalogue.equipment().iter().collect();
    Cached::json(&Page::new(all, paging, req.path(), req.query_string()))
}

/// List sources.
///
/// Who wrote the catalogue's content and under what terms it is used; every exercise,
/// muscle, routine and condition names one of these in its `source` field. Paged like every
/// list.
#[utoipa::path(
    tag = "meta",
    operation_id = "listSources",
    params(PageParams),
    responses(
        (status = 200, description = "A page of sources.", body = Page<Source>),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/sources")]
pub async fn list_sources(
    state: super::languages::Local,
    Params(paging): Params<PageParams>,
    req: HttpRequest,
) -> Cached {
    let all: Vec<&Source> = state.catalogue.sources().iter().collect();
    Cached::json(&Page::new(all, paging, req.path(), req.query_string()))
}

/// Get one source.
///
/// Its name, link, and the licence or permission under which its content is used.
#[utoipa::path(
    tag = "meta",
    operation_id = "getSource",
    params(("id" = String, Path, description = "Source id.", example = "dynamic-pt-chicago")),
    responses(
        (status = 200, description = "The source.", body = Source),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No source has this id.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/sources/{id}")]
pub async fn get_source(
    state: super::languages::Local,
    id: web::Path<String>,
    _: Params<NoParams>,
) -> Result<Cached, ApiError> {
    if let Some(body) = state.store.sources.get(id.as_str()) {
        return Ok(Cached(body.clone()));
    }
    Err(not_found(
        "source",
        &id,
        state.catalogue.sources().iter().flat_map(|s| {
            [
                (s.id.as_str(), s.id.as_str()),
                (s.name.as_str(), s.id.as_str()),
            ]
        }),
    ))
}

/// Describe the catalogue being served.
///
/// Its version (a content hash, also sent on every response as `X-Catalogue-Version`), how
/// many of each resource it holds, and its sources.
#[utoipa::path(
    tag = "meta",
    operation_id = "getCatalogue",
    responses(
        (status = 200, description = "The catalogue's version, counts and sources.", body = CatalogueInfo),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/catalogue")]
pub async fn get_catalogue(state: web::Data<AppState>, _: Params<NoParams>) -> Cached {
    Cached(state.store.info.clone())
}

/// Export the whole catalogue.
///
/// The catalogue document as one JSON object, in the catalogue file format (see
/// `openapi/catalogue.schema.json`), for clients that sync everything at once. Cache it with
/// its ETag: it changes only when `X-Catalogue-Version` does.
#[utoipa::path(
    tag = "meta",
    operation_id = "exportCatalogue",
    responses(
        (status = 200, description = "The whole catalogue document.", body = CatalogueDocument),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/catalogue/export")]
pub async fn export_catalogue(state: web::Data<AppState>, _: Params<NoParams>) -> Cached {
    Cached(state.store.export(&state.catalogue))
}

/// The health check body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness check.
///
/// 200 with `{"status":"ok"}` while the service is serving.
#[utoipa::path(
    tag = "meta",
    operation_id = "getHealth",
    responses(
        (status = 200, description = "The service is serving.", body = Health),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/health")]
pub async fn health(_: Params<NoParams>) -> Json<Health> {
    Json(Health { status: "ok" })
}
