//! `/v1/exercises`: the exercise list with its filters, and single exercises.

use actix_web::{HttpRequest, get, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::error::{ApiError, InvalidInput, ProblemDetails};
use super::query::{Page, Paging, Params, Resolve, enum_list, id_list, lenient_int};
use super::{AppState, not_found};
use crate::catalogue::Catalogue;
use crate::catalogue::index::{ExerciseFilter, ExerciseSort, ExerciseView};
use crate::catalogue::model::{Difficulty, Laterality};
use crate::http::Cached;

pub const ALL_DIFFICULTIES: [Difficulty; 3] = [
    Difficulty::Beginner,
    Difficulty::Intermediate,
    Difficulty::Advanced,
];
pub const ALL_LATERALITIES: [Laterality; 3] = [
    Laterality::Unilateral,
    Laterality::Bilateral,
    Laterality::Alternating,
];

/// Orders of an exercise list.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub enum SortOrder {
    /// By name, A to Z.
    #[serde(rename = "name")]
    Name,
    /// By name, Z to A.
    #[serde(rename = "-name")]
    NameDesc,
    /// Best match for `q` first (name order when there is no `q`).
    #[serde(rename = "relevance")]
    Relevance,
}

/// Filters, order and paging of an exercise list. Values within one filter are alternatives
/// (comma-separated, any of); different filters combine with AND.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ExerciseListParams {
    /// Muscle or group ids (comma-separated, any of). A group matches exercises that target it
    /// or any of its members, as a primary or secondary target. See `/v1/muscles`.
    #[param(example = "gluteus-medius")]
    pub muscle: Option<String>,
    /// Equipment ids (comma-separated, any of); `none` finds exercises that need nothing.
    /// See `/v1/equipment`.
    #[param(example = "resistance-band")]
    pub equipment: Option<String>,
    /// Condition ids (comma-separated, any of). See `/v1/conditions`.
    #[param(example = "knee-pain")]
    pub condition: Option<String>,
    /// Difficulties (comma-separated, any of): `beginner`, `intermediate`, `advanced`.
    #[param(example = "beginner")]
    pub difficulty: Option<String>,
    /// Lateralities (comma-separated, any of): `unilateral`, `bilateral`, `alternating`.
    #[param(example = "unilateral")]
    pub laterality: Option<String>,
    /// Text search over names, aliases, descriptions, target muscles and conditions; case-,
    /// accent- and punctuation-insensitive, tolerant of small typos. 1–200 characters.
    #[param(min_length = 1, max_length = 200, example = "glute med")]
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters long"))]
    pub q: Option<String>,
    /// Order: `name` (default without `q`), `-name`, or `relevance` (default with `q`).
    #[param(inline)]
    pub sort: Option<SortOrder>,
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

/// A resolved exercise-list request.
pub struct ExerciseQuery {
    pub filter: ExerciseFilter,
    pub sort: ExerciseSort,
    pub paging: Paging,
}

impl Resolve for ExerciseListParams {
    type Output = ExerciseQuery;

    fn resolve(self, cat: &Catalogue, errors: &mut Vec<InvalidInput>) -> ExerciseQuery {
        let filter = ExerciseFilter {
            muscles: id_list(
                "muscle",
                self.muscle.as_deref(),
                "muscle",
                |id| cat.muscle(id).is_some(),
                || super::muscle_keys(cat),
                "/v1/muscles",
                errors,
            ),
            equipment: id_list(
                "equipment",
                self.equipment.as_deref(),
                "equipment",
                |id| cat.equipment_item(id).is_some(),
                || super::equipment_keys(cat),
                "/v1/equipment",
                errors,
            ),
            conditions: id_list(
                "condition",
                self.condition.as_deref(),
                "condition",
                |id| cat.condition(id).is_some(),
                || super::condition_keys(cat),
                "/v1/conditions",
                errors,
            ),
            difficulties: enum_list(
                "difficulty",
                self.difficulty.as_deref(),
                &ALL_DIFFICULTIES,
                errors,
            ),
            lateralities: enum_list(
                "laterality",
                self.laterality.as_deref(),
                &ALL_LATERALITIES,
                errors,
            ),
            q: self.q.clone(),
            scope_muscle: None,
        };
        let sort = match (self.sort, &self.q) {
            (Some(SortOrder::Name), _) => ExerciseSort::Name,
            (Some(SortOrder::NameDesc), _) => ExerciseSort::NameDesc,
            (Some(SortOrder::Relevance), _) | (None, Some(_)) => ExerciseSort::Relevance,
            (None, None) => ExerciseSort::Name,
        };
        ExerciseQuery {
            filter,
            sort,
            paging: Paging::new(self.limit, self.offset),
        }
    }
}

/// List exercises, filtered, searched and paged.
///
/// Filters combine with AND; the comma-separated values of one filter are alternatives. An
/// unknown parameter or filter value is a 400 that names it and the allowed values, so a typo
/// never silently widens the result.
#[utoipa::path(
    tag = "exercises",
    operation_id = "listExercises",
    params(ExerciseListParams),
    responses(
        (status = 200, description = "A page of exercises.", body = Page<ExerciseView>),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/exercises")]
pub async fn list_exercises(
    state: web::Data<AppState>,
    Params(query): Params<ExerciseListParams>,
    req: HttpRequest,
) -> Cached {
    let all = state.catalogue.find_exercises(&query.filter, query.sort);
    Cached::json(&Page::new(
        all,
        query.paging,
        req.path(),
        req.query_string(),
    ))
}

/// Get one exercise.
///
/// Everything about the exercise: targets, purpose, steps, dose, equipment, progressions and
/// regressions (both directions), cautions and its source.
#[utoipa::path(
    tag = "exercises",
    operation_id = "getExercise",
    params(("id" = String, Path, description = "Exercise id.", example = "clamshells")),
    responses(
        (status = 200, description = "The exercise.", body = ExerciseView),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No exercise has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/exercises/{id}")]
pub async fn get_exercise(
    state: web::Data<AppState>,
    id: web::Path<String>,
    _: Params<super::NoParams>,
) -> Result<Cached, ApiError> {
    if let Some(body) = state.store.exercises.get(id.as_str()) {
        return Ok(Cached(body.clone()));
    }
    Err(not_found(
        "exercise",
        &id,
        state.catalogue.exercises().iter().flat_map(|e| {
            let e = &e.exercise;
            std::iter::once((e.id.as_str(), e.id.as_str()))
                .chain(std::iter::once((e.name.as_str(), e.id.as_str())))
                .chain(e.aliases.iter().map(move |a| (a.as_str(), e.id.as_str())))
        }),
    ))
}
