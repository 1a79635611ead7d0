//! Vocabulary and service endpoints: equipment, sources, health.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ProblemDetails};
use super::query::Params;
use super::{AppState, Json, NoParams, not_found};
use crate::catalogue::index::EquipmentView;
use crate::catalogue::model::Source;

/// A list that is never paged: the whole vocabulary in one response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Listing<T> {
    pub data: Vec<T>,
}

/// List equipment.
///
/// The equipment vocabulary, with how many exercises use each item. `none` stands for
/// exercises that need nothing.
#[utoipa::path(
    tag = "meta",
    operation_id = "listEquipment",
    responses(
        (status = 200, description = "All equipment.", body = Listing<EquipmentView>),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/equipment")]
pub async fn list_equipment(
    state: web::Data<AppState>,
    _: Params<NoParams>,
) -> Json<Listing<EquipmentView>> {
    Json(Listing {
        data: state.catalogue.equipment().to_vec(),
    })
}

/// List sources.
///
/// Who wrote the catalogue's content and under what terms it is used; every exercise,
/// muscle, routine and condition names one of these in its `source` field.
#[utoipa::path(
    tag = "meta",
    operation_id = "listSources",
    responses(
        (status = 200, description = "All sources.", body = Listing<Source>),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/sources")]
pub async fn list_sources(
    state: web::Data<AppState>,
    _: Params<NoParams>,
) -> Json<Listing<Source>> {
    Json(Listing {
        data: state.catalogue.sources().to_vec(),
    })
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
    state: web::Data<AppState>,
    id: web::Path<String>,
    _: Params<NoParams>,
) -> Result<Json<Source>, ApiError> {
    let cat = &state.catalogue;
    cat.source(&id).cloned().map(Json).ok_or_else(|| {
        not_found(
            "source",
            &id,
            cat.sources().iter().flat_map(|s| {
                [
                    (s.id.as_str(), s.id.as_str()),
                    (s.name.as_str(), s.id.as_str()),
                ]
            }),
        )
    })
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
