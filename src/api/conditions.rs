//! `/v1/conditions`: the conditions the exercises and routines address.

use actix_web::{HttpRequest, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use validator::Validate;

use super::error::{ApiError, InvalidInput, ProblemDetails};
use super::not_found;
use super::query::{Page, Paging, Params, Resolve, lenient_int};
use crate::catalogue::Catalogue;
use crate::catalogue::index::{Collection, ConditionView};
use crate::http::Cached;

/// Search and paging of the condition list.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ConditionListParams {
    /// Text search over names, aliases ("ITBS", "jumper's knee"), descriptions and causes;
    /// best match first. 1–200 characters.
    #[param(min_length = 1, max_length = 200, example = "ITBS")]
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters long"))]
    pub q: Option<String>,
    /// Page size, 1–100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    #[serde(default, deserialize_with = "lenient_int")]
    #[validate(range(min = 1, max = 100, message = "must be an integer from 1 to 100"))]
    pub limit: Option<i64>,
    /// Number of items to skip, 0–1000000.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 1000000, default = 0)]
    #[serde(default, deserialize_with = "lenient_int")]
    #[validate(range(
        min = 0,
        max = 1000000,
        message = "must be an integer from 0 to 1000000"
    ))]
    pub offset: Option<i64>,
}

impl Resolve for ConditionListParams {
    type Output = (Option<String>, Paging);

    fn resolve(self, _: &Catalogue, _: &mut Vec<InvalidInput>) -> Self::Output {
        (self.q, Paging::new(self.limit, self.offset))
    }
}

/// List conditions.
///
/// Each with its aliases, causes, when to see a professional, and the ids of related
/// exercises and routines.
#[utoipa::path(
    tag = "conditions",
    operation_id = "listConditions",
    params(ConditionListParams),
    responses(
        (status = 200, description = "A page of conditions.", body = Page<ConditionView>),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/conditions")]
pub async fn list_conditions(
    state: super::languages::Local,
    Params((q, paging)): Params<ConditionListParams>,
    req: HttpRequest,
) -> Cached {
    let all = state.catalogue.find_conditions(q.as_deref());
    Cached::json(&Page::new(all, paging, req.path(), req.query_string()))
}

/// Get one condition.
///
/// Its description, contributing causes, signs that call for a clinician, and the ids of the
/// exercises and routines that address it.
#[utoipa::path(
    tag = "conditions",
    operation_id = "getCondition",
    params(("id" = String, Path, description = "Condition id.", example = "knee-pain")),
    responses(
        (status = 200, description = "The condition.", body = ConditionView),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No condition has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/conditions/{id}")]
pub async fn get_condition(
    state: super::languages::Local,
    id: web::Path<String>,
    _: Params<super::NoParams>,
    req: HttpRequest,
) -> Result<Cached, ApiError> {
    let cat = &state.catalogue;
    match state.store.conditions.get(id.as_str()) {
        Some(body) => Ok(Cached(body.clone())),
        None => Err(super::moved(cat, Collection::Conditions, &id, "", &req)
            .unwrap_or_else(|| not_found("condition", &id, super::condition_keys(cat)))),
    }
}
