//! `/v1/routines`: ordered exercise routines with doses and estimated durations.

use actix_web::{HttpRequest, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::error::{ApiError, InvalidInput, ProblemDetails};
use super::query::{Page, Paging, Params, Resolve, enum_list, id_list, lenient_int};
use super::{AppState, not_found};
use crate::catalogue::Catalogue;
use crate::catalogue::index::{ExerciseView, RoutineItemView, RoutineView};
use crate::http::Cached;

/// Filters and paging of the routine list.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct RoutineListParams {
    /// Condition ids (comma-separated, any of).
    #[param(example = "knee-pain")]
    pub condition: Option<String>,
    /// Muscle or group ids (comma-separated, any of): routines with at least one exercise
    /// that targets one of them (groups include their members).
    #[param(example = "gluteus-medius")]
    pub muscle: Option<String>,
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

/// A resolved routine-list request.
pub struct RoutineQuery {
    pub conditions: Vec<String>,
    pub muscles: Vec<String>,
    pub paging: Paging,
}

impl Resolve for RoutineListParams {
    type Output = RoutineQuery;

    fn resolve(self, cat: &Catalogue, errors: &mut Vec<InvalidInput>) -> RoutineQuery {
        RoutineQuery {
            conditions: id_list(
                "condition",
                self.condition.as_deref(),
                "condition",
                |id| cat.condition(id).is_some(),
                || super::condition_keys(cat),
                "/v1/conditions",
                errors,
            ),
            muscles: id_list(
                "muscle",
                self.muscle.as_deref(),
                "muscle",
                |id| cat.muscle(id).is_some(),
                || super::muscle_keys(cat),
                "/v1/muscles",
                errors,
            ),
            paging: Paging::new(self.limit, self.offset),
        }
    }
}

impl Resolve for RoutineParams {
    /// Whether to embed the exercises.
    type Output = bool;

    fn resolve(self, _: &Catalogue, errors: &mut Vec<InvalidInput>) -> bool {
        enum_list(
            "expand",
            self.expand.as_deref(),
            &[Expansion::Exercises],
            errors,
        )
        .contains(&Expansion::Exercises)
    }
}

/// What `expand` can embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Expansion {
    Exercises,
}

/// Options of a single routine.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct RoutineParams {
    /// `exercises` embeds each item's full exercise as `items[].exercise`.
    #[param(example = "exercises")]
    pub expand: Option<String>,
}

/// A routine item, with its exercise embedded when `expand=exercises` is asked for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoutineItemDetail {
    #[serde(flatten)]
    pub item: RoutineItemView,
    /// The full exercise; present only with `expand=exercises`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise: Option<ExerciseView>,
}

/// A routine as returned by `GET /v1/routines/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoutineDetail {
    #[schema(example = "knee-pain-5-best-exercises")]
    pub id: String,
    pub name: String,
    pub purpose: String,
    pub description: String,
    pub conditions: Vec<String>,
    pub items: Vec<RoutineItemDetail>,
    /// Estimated total duration in seconds: each item's dose plus 15 s between items.
    pub estimated_duration_seconds: u32,
    /// The same, rounded up to whole minutes.
    pub estimated_duration_minutes: u32,
    pub source: String,
}

impl RoutineDetail {
    pub fn new(r: &RoutineView, cat: Option<&Catalogue>) -> Self {
        RoutineDetail {
            id: r.id.clone(),
            name: r.name.clone(),
            purpose: r.purpose.clone(),
            description: r.description.clone(),
            conditions: r.conditions.clone(),
            items: r
                .items
                .iter()
                .map(|i| RoutineItemDetail {
                    item: i.clone(),
                    exercise: cat.and_then(|c| c.exercise(&i.exercise_id).cloned()),
                })
                .collect(),
            estimated_duration_seconds: r.estimated_duration_seconds,
            estimated_duration_minutes: r.estimated_duration_minutes,
            source: r.source.clone(),
        }
    }
}

/// List routines.
///
/// Routines are ordered as a therapist would hand them out: mobility and activation first,
/// then strength, then balance and control.
#[utoipa::path(
    tag = "routines",
    operation_id = "listRoutines",
    params(RoutineListParams),
    responses(
        (status = 200, description = "A page of routines.", body = Page<RoutineDetail>),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/routines")]
pub async fn list_routines(
    state: web::Data<AppState>,
    Params(p): Params<RoutineListParams>,
    req: HttpRequest,
) -> Cached {
    let cat = &state.catalogue;
    let targeted: Vec<String> = if p.muscles.is_empty() {
        Vec::new()
    } else {
        let filter = crate::catalogue::ExerciseFilter {
            muscles: p.muscles.clone(),
            ..Default::default()
        };
        cat.find_exercises(&filter, crate::catalogue::ExerciseSort::Name)
            .into_iter()
            .map(|e| e.exercise.id.clone())
            .collect()
    };
    let all: Vec<RoutineDetail> = cat
        .routines()
        .iter()
        .filter(|r| {
            p.conditions.is_empty() || r.conditions.iter().any(|c| p.conditions.contains(c))
        })
        .filter(|r| {
            p.muscles.is_empty() || r.items.iter().any(|i| targeted.contains(&i.exercise_id))
        })
        .map(|r| RoutineDetail::new(r, None))
        .collect();
    Cached::json(&Page::new(all, p.paging, req.path(), req.query_string()))
}

/// Get one routine.
///
/// Its items in order, each with its dose (the routine's, or the exercise's default) and an
/// estimated duration; `expand=exercises` embeds the full exercises.
#[utoipa::path(
    tag = "routines",
    operation_id = "getRoutine",
    params(("id" = String, Path, description = "Routine id.", example = "knee-pain-5-best-exercises"), RoutineParams),
    responses(
        (status = 200, description = "The routine.", body = RoutineDetail),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No routine has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/routines/{id}")]
pub async fn get_routine(
    state: web::Data<AppState>,
    id: web::Path<String>,
    Params(expand): Params<RoutineParams>,
) -> Result<Cached, ApiError> {
    let bodies = if expand {
        &state.store.routines_expanded
    } else {
        &state.store.routines
    };
    if let Some(body) = bodies.get(id.as_str()) {
        return Ok(Cached(body.clone()));
    }
    Err(not_found(
        "routine",
        &id,
        state.catalogue.routines().iter().flat_map(|r| {
            [
                (r.id.as_str(), r.id.as_str()),
                (r.name.as_str(), r.id.as_str()),
            ]
        }),
    ))
}
