//! `/v1/muscles`: muscles and muscle groups, and the exercises that target them.

use actix_web::{HttpRequest, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use validator::Validate;

use super::error::{ApiError, InvalidInput, ProblemDetails};
use super::exercises::ExerciseListParams;
use super::not_found;
use super::query::{Page, Paging, Params, Resolve, enum_list, lenient_int};
use crate::catalogue::Catalogue;
use crate::catalogue::index::{Collection, ExerciseView, MuscleView};
use crate::catalogue::model::{MuscleKind, Region};
use crate::http::Cached;

/// Filters and paging of the muscle list.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct MuscleListParams {
    /// `muscle` for single muscles, `group` for groups.
    #[param(inline)]
    pub kind: Option<MuscleKind>,
    /// Body regions (comma-separated, any of): `neck`, `shoulder`, `upper-arm`, `elbow`,
    /// `forearm`, `wrist-hand`, `chest`, `upper-back`, `lower-back`, `abdomen`, `hip`, `thigh`,
    /// `knee`, `lower-leg`, `ankle`, `foot`; `trunk` (version 1) means chest, upper back, lower
    /// back and abdomen.
    #[param(example = "hip")]
    pub region: Option<String>,
    /// Text search over anatomical and common names, aliases and descriptions. 1–200 characters.
    #[param(min_length = 1, max_length = 200, example = "glute med")]
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

/// A resolved muscle-list request.
pub struct MuscleQuery {
    pub kind: Option<MuscleKind>,
    pub regions: Vec<Region>,
    pub q: Option<String>,
    pub paging: Paging,
}

impl Resolve for MuscleListParams {
    type Output = MuscleQuery;

    fn resolve(self, _: &Catalogue, errors: &mut Vec<InvalidInput>) -> MuscleQuery {
        MuscleQuery {
            kind: self.kind,
            regions: enum_list("region", self.region.as_deref(), &Region::ALL, errors),
            q: self.q,
            paging: Paging::new(self.limit, self.offset),
        }
    }
}

/// List muscles and muscle groups.
///
/// In catalogue order, or best match first with `q`. Groups overlap: gluteus medius is a
/// gluteal, a hip abductor and a hip stabilizer.
#[utoipa::path(
    tag = "muscles",
    operation_id = "listMuscles",
    params(MuscleListParams),
    responses(
        (status = 200, description = "A page of muscles and groups.", body = Page<MuscleView>),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/muscles")]
pub async fn list_muscles(
    state: super::languages::Local,
    Params(p): Params<MuscleListParams>,
    req: HttpRequest,
) -> Cached {
    let all = state
        .catalogue
        .find_muscles(p.kind, &p.regions, p.q.as_deref());
    Cached::json(&Page::new(all, p.paging, req.path(), req.query_string()))
}

/// A 308 when `id` is another name of a muscle, else a 404 with suggestions.
fn muscle_not_found(cat: &Catalogue, id: &str, suffix: &str, req: &HttpRequest) -> ApiError {
    super::moved(cat, Collection::Muscles, id, suffix, req)
        .unwrap_or_else(|| not_found("muscle", id, super::muscle_keys(cat)))
}

/// Get one muscle or group.
///
/// With the groups it belongs to, its members if it is a group, and how many exercises target it.
#[utoipa::path(
    tag = "muscles",
    operation_id = "getMuscle",
    params(("id" = String, Path, description = "Muscle or group id.", example = "gluteus-medius")),
    responses(
        (status = 200, description = "The muscle or group.", body = MuscleView),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No muscle has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/muscles/{id}")]
pub async fn get_muscle(
    state: super::languages::Local,
    id: web::Path<String>,
    _: Params<super::NoParams>,
    req: HttpRequest,
) -> Result<Cached, ApiError> {
    match state.store.muscles.get(id.as_str()) {
        Some(body) => Ok(Cached(body.clone())),
        None => Err(muscle_not_found(&state.catalogue, &id, "", &req)),
    }
}

/// List the exercises that target a muscle or group.
///
/// The same as `/v1/exercises?muscle={id}`, with all of that operation's filters, order and
/// paging; a `muscle` filter given here narrows the result further (AND).
#[utoipa::path(
    tag = "muscles",
    operation_id = "listMuscleExercises",
    params(("id" = String, Path, description = "Muscle or group id.", example = "gluteals"), ExerciseListParams),
    responses(
        (status = 200, description = "A page of exercises.", body = Page<ExerciseView>),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No muscle has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/muscles/{id}/exercises")]
pub async fn list_muscle_exercises(
    state: super::languages::Local,
    id: web::Path<String>,
    Params(mut query): Params<ExerciseListParams>,
    req: HttpRequest,
) -> Result<Cached, ApiError> {
    let cat = &state.catalogue;
    if cat.muscle(&id).is_none() {
        return Err(muscle_not_found(cat, &id, "/exercises", &req));
    }
    query.filter.scope_muscle = Some(id.into_inner());
    let all = cat.find_exercises(&query.filter, query.sort);
    Ok(super::exercises::exercise_page(cat, all, &query, &req))
}
