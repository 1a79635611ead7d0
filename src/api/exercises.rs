//! `/v1/exercises`: the exercise list with its filters, single exercises, and alternatives.

use actix_web::{HttpRequest, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::error::{ApiError, InvalidInput, ProblemDetails};
use super::not_found;
use super::query::{
    Page, PageLinks, PageMeta, Paging, Params, Projected, Resolve, enum_list, lenient_int, project,
    split_list,
};
use crate::catalogue::Catalogue;
use crate::catalogue::alternatives::alternatives;
use crate::catalogue::index::{
    Collection, ExerciseFilter, ExerciseSort, ExerciseView, MuscleMatch,
};
use crate::catalogue::model::{Difficulty, Joint, Laterality, Position, Region, Role};
use crate::http::{Cached, Prepared};

/// The fields of an exercise, for `fields=`.
pub const EXERCISE_FIELDS: [&str; 33] = [
    "id",
    "former_ids",
    "name",
    "aliases",
    "category",
    "targets",
    "regions",
    "joints",
    "force",
    "mechanic",
    "movement_pattern",
    "kinetic_chain",
    "contraction",
    "purpose",
    "description",
    "steps",
    "feel",
    "common_mistakes",
    "equipment",
    "position",
    "laterality",
    "difficulty",
    "dose",
    "conditions",
    "progressions",
    "regressions",
    "variations",
    "cautions",
    "contraindications",
    "media",
    "source",
    "attribution",
    "map",
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
    /// Best match for `q` first (only with `q`).
    #[serde(rename = "relevance")]
    Relevance,
}

/// Filters, order, fields and paging of an exercise list. Values within one filter are
/// alternatives (comma-separated, any of); different filters combine with AND.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ExerciseListParams {
    /// Muscle or group ids, aliases or names in any case (comma-separated, any of). A muscle
    /// matches exercises that target it, any of its members (for a group) or any group that
    /// contains it, as a primary or secondary target; each item then says how in `matched`, and
    /// direct matches come first. See `/v1/muscles`.
    #[param(example = "gluteus-medius")]
    pub muscle: Option<String>,
    /// Equipment ids (comma-separated): exercises that use any of them; `none` finds exercises
    /// that need nothing. See `/v1/equipment`.
    #[param(example = "resistance-band")]
    pub equipment: Option<String>,
    /// Equipment ids at hand (comma-separated): only exercises doable with nothing else.
    /// Exercises that need no equipment always qualify; `none` means bodyweight only.
    #[param(example = "resistance-band,foam-roller")]
    pub available_equipment: Option<String>,
    /// Condition ids (comma-separated, any of). See `/v1/conditions`.
    #[param(example = "knee-pain")]
    pub condition: Option<String>,
    /// Difficulties (comma-separated, any of): `beginner`, `intermediate`, `advanced`.
    #[param(example = "beginner")]
    pub difficulty: Option<String>,
    /// The hardest difficulty to include: `beginner`, `intermediate` or `advanced`.
    #[param(inline)]
    pub max_difficulty: Option<Difficulty>,
    /// Lateralities (comma-separated, any of): `unilateral`, `bilateral`, `alternating`.
    #[param(example = "unilateral")]
    pub laterality: Option<String>,
    /// Body regions (comma-separated, any of): the regions an exercise is for and those of its
    /// targets. `neck`, `shoulder`, `upper-arm`, `elbow`, `forearm`, `wrist-hand`, `chest`,
    /// `upper-back`, `lower-back`, `abdomen`, `hip`, `thigh`, `knee`, `lower-leg`, `ankle`,
    /// `foot`; `trunk` (version 1) means chest, upper back, lower back and abdomen.
    #[param(example = "hip")]
    pub region: Option<String>,
    /// Joints the exercise moves or loads (comma-separated, any of): `neck`, `shoulder`,
    /// `elbow`, `wrist`, `spine`, `hip`, `knee`, `ankle`, `foot`.
    #[param(example = "knee")]
    pub joint: Option<String>,
    /// Roles of the exercise's primary targets (comma-separated, any of): `strengthen`,
    /// `activate`, `stretch`, `release` (soft tissue), `control` (stability).
    #[param(example = "stretch")]
    pub role: Option<String>,
    /// Starting positions (comma-separated, any of): `standing`, `supine`, `prone`,
    /// `side-lying`, `seated`, `kneeling`, `half-kneeling`, `quadruped`, `hanging`.
    #[param(example = "side-lying")]
    pub position: Option<String>,
    /// Exercise ids to leave out (comma-separated).
    #[param(example = "monster-walk")]
    pub exclude: Option<String>,
    /// Text search over names, aliases, target muscles (and their synonyms), conditions and
    /// descriptions; case-, accent- and punctuation-insensitive; one typo allowed in words of
    /// 4+ letters, two in words of 8+. 1–200 characters.
    #[param(min_length = 1, max_length = 200, example = "glute med")]
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters long"))]
    pub q: Option<String>,
    /// Order: `name` (default without `q`), `-name`, or `relevance` (default with `q`).
    #[param(inline)]
    pub sort: Option<SortOrder>,
    /// Only these fields of each exercise (comma-separated; `id` is always included): `id`,
    /// `former_ids`, `name`, `aliases`, `category`, `targets`, `regions`, `joints`, `force`,
    /// `mechanic`, `movement_pattern`, `kinetic_chain`, `contraction`, `purpose`,
    /// `description`, `steps`, `feel`, `common_mistakes`, `equipment`, `position`,
    /// `laterality`, `difficulty`, `dose`, `conditions`, `progressions`, `regressions`,
    /// `variations`, `cautions`, `contraindications`, `media`, `source`, `attribution`, `map`.
    #[param(example = "id,name,targets")]
    pub fields: Option<String>,
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
    pub fields: Option<Vec<String>>,
    pub paging: Paging,
}

/// Parses `fields=` against the allowed names; `id` is always included.
pub fn fields_list(
    value: Option<&str>,
    allowed: &[&str],
    errors: &mut Vec<InvalidInput>,
) -> Option<Vec<String>> {
    let value = value?;
    let items = match split_list("fields", value) {
        Ok(items) => items,
        Err(e) => {
            errors.push(e.with_allowed(allowed));
            return None;
        }
    };
    let mut out = vec!["id".to_owned()];
    for item in items {
        if !allowed.contains(&item.as_str()) {
            errors.push(
                InvalidInput::parameter(
                    "fields",
                    format!("unknown field \"{item}\"; allowed: {}", allowed.join(", ")),
                )
                .with_allowed(allowed),
            );
        } else if !out.contains(&item) {
            out.push(item);
        }
    }
    Some(out)
}

fn available(
    cat: &Catalogue,
    value: Option<&str>,
    errors: &mut Vec<InvalidInput>,
) -> Option<Vec<String>> {
    value?;
    Some(super::equipment_ids(
        "available_equipment",
        value,
        cat,
        errors,
    ))
}

impl Resolve for ExerciseListParams {
    type Output = ExerciseQuery;

    fn resolve(self, cat: &Catalogue, errors: &mut Vec<InvalidInput>) -> ExerciseQuery {
        let filter = ExerciseFilter {
            muscles: super::muscle_ids("muscle", self.muscle.as_deref(), cat, errors),
            equipment: super::equipment_ids("equipment", self.equipment.as_deref(), cat, errors),
            available_equipment: available(cat, self.available_equipment.as_deref(), errors),
            conditions: super::condition_ids("condition", self.condition.as_deref(), cat, errors),
            difficulties: enum_list(
                "difficulty",
                self.difficulty.as_deref(),
                &Difficulty::ALL,
                errors,
            ),
            max_difficulty: self.max_difficulty,
            lateralities: enum_list(
                "laterality",
                self.laterality.as_deref(),
                &Laterality::ALL,
                errors,
            ),
            regions: enum_list("region", self.region.as_deref(), &Region::ALL, errors),
            positions: enum_list("position", self.position.as_deref(), &Position::ALL, errors),
            joints: enum_list("joint", self.joint.as_deref(), &Joint::ALL, errors),
            roles: enum_list("role", self.role.as_deref(), &Role::ALL, errors),
            exclude: super::exercise_ids("exclude", self.exclude.as_deref(), cat, errors),
            q: self.q.clone(),
            scope_muscle: None,
        };
        let sort = match (self.sort, &self.q) {
            (Some(SortOrder::Name), _) => ExerciseSort::Name,
            (Some(SortOrder::NameDesc), _) => ExerciseSort::NameDesc,
            (Some(SortOrder::Relevance), Some(_)) | (None, Some(_)) => ExerciseSort::Relevance,
            // Relevance without a text query has nothing to rank by: name order, as
            // documented (a 400 here would refuse a request the contract allows).
            (Some(SortOrder::Relevance), None) => ExerciseSort::Name,
            (None, None) => ExerciseSort::Name,
        };
        ExerciseQuery {
            filter,
            sort,
            fields: fields_list(self.fields.as_deref(), &EXERCISE_FIELDS, errors),
            paging: Paging::new(self.limit, self.offset),
        }
    }
}

/// An exercise in a list filtered by muscle: the exercise and how it matched.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExerciseHit<'a> {
    #[serde(flatten)]
    #[schema(inline)]
    pub exercise: &'a ExerciseView,
    /// With a muscle filter: which requested muscle this exercise matched, through which of
    /// its targets, and how (`direct`, `member`, `group`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<MuscleMatch>,
}

/// A page of exercises, whole or cut down to `fields`, each saying how it matched a muscle
/// filter when there is one.
pub fn exercise_page(
    cat: &Catalogue,
    all: Vec<&ExerciseView>,
    q: &ExerciseQuery,
    req: &HttpRequest,
) -> Cached {
    let page = Page::new(all, q.paging, req.path(), req.query_string());
    let by_muscle = !q.filter.muscles.is_empty() || q.filter.scope_muscle.is_some();
    let matched = |e: &ExerciseView| {
        by_muscle
            .then(|| cat.muscle_match(&e.exercise, &q.filter))
            .flatten()
    };
    match &q.fields {
        None if !by_muscle => Cached::json(&page),
        None => {
            let data: Vec<ExerciseHit> = page
                .data
                .iter()
                .map(|e| ExerciseHit {
                    exercise: e,
                    matched: matched(e),
                })
                .collect();
            Cached::json(&Page {
                data,
                meta: page.meta,
                links: page.links,
            })
        }
        Some(fields) => {
            let data: Vec<Projected> = page
                .data
                .iter()
                .map(|e| {
                    let mut v = project(e, fields);
                    if let Some(m) = matched(e) {
                        v.insert("matched", &m);
                    }
                    v
                })
                .collect();
            Cached::json(&Page {
                data,
                meta: page.meta,
                links: page.links,
            })
        }
    }
}

/// List exercises, filtered, searched and paged.
///
/// Filters combine with AND; the comma-separated values of one filter are alternatives. An
/// unknown parameter or filter value is a 400 that names it and the allowed values, so a typo
/// never silently widens the result. `fields` trims each item for small payloads.
#[utoipa::path(
    tag = "exercises",
    operation_id = "listExercises",
    params(ExerciseListParams),
    responses(
        (status = 200, description = "A page of exercises (only the requested `fields` when given).", body = Page<ExerciseView>),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/exercises")]
pub async fn list_exercises(
    state: super::languages::Local,
    Params(query): Params<ExerciseListParams>,
    req: HttpRequest,
) -> Cached {
    let cat = &state.catalogue;
    exercise_page(
        cat,
        cat.find_exercises(&query.filter, query.sort),
        &query,
        &req,
    )
}

/// Options of a single exercise.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct ExerciseParams {
    /// Only these fields (comma-separated; `id` is always included); the names are those of
    /// the exercise schema.
    #[param(example = "id,name,steps")]
    pub fields: Option<String>,
}

impl Resolve for ExerciseParams {
    type Output = Option<Vec<String>>;

    fn resolve(self, _: &Catalogue, errors: &mut Vec<InvalidInput>) -> Self::Output {
        fields_list(self.fields.as_deref(), &EXERCISE_FIELDS, errors)
    }
}

/// A 308 when `id` is another name of an exercise, else a 404 with suggestions.
fn exercise_not_found(cat: &Catalogue, id: &str, suffix: &str, req: &HttpRequest) -> ApiError {
    super::moved(cat, Collection::Exercises, id, suffix, req)
        .unwrap_or_else(|| not_found("exercise", id, super::exercise_keys(cat)))
}

/// Get one exercise.
///
/// Everything about the exercise: targets, purpose, steps, dose, equipment, progressions and
/// regressions (both directions), cautions and its source. `Accept: application/fhir+json`
/// answers a FHIR R4 ActivityDefinition instead (code, description, dosage and timing from
/// the dose, bodySite with FMA codings, the source as related artifact).
#[utoipa::path(
    tag = "exercises",
    operation_id = "getExercise",
    params(("id" = String, Path, description = "Exercise id.", example = "clamshells"), ExerciseParams),
    responses(
        (status = 200, description = "The exercise (only the requested `fields` when given). With `Accept: application/fhir+json`, a FHIR R4 ActivityDefinition (`fields` is ignored).", content(
            (ExerciseView = "application/json"),
            (Object = "application/fhir+json"),
        )),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No exercise has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/exercises/{id}")]
pub async fn get_exercise(
    state: super::languages::Local,
    id: web::Path<String>,
    Params(fields): Params<ExerciseParams>,
    req: HttpRequest,
) -> Result<Cached, ApiError> {
    let cat = &state.catalogue;
    if super::wants_fhir(&req)
        && let Some(view) = cat.exercise(&id)
    {
        return Ok(Cached(Prepared::fhir(&super::fhir::activity_definition(
            cat, view,
        ))));
    }
    match (fields, state.store.exercise(cat, &id)) {
        (None, Some(body)) => Ok(Cached(body)),
        (Some(fields), Some(_)) => Ok(Cached(Prepared::json_or_fhir(&project(
            cat.exercise(&id).expect("stored"),
            &fields,
        )))),
        (_, None) => Err(exercise_not_found(cat, &id, "", &req)),
    }
}

/// Options of the alternatives list.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct AlternativesParams {
    /// Equipment ids at hand (comma-separated): only alternatives doable with nothing else
    /// (`none`: bodyweight only).
    #[param(example = "resistance-band")]
    pub available_equipment: Option<String>,
    /// The hardest difficulty to include.
    #[param(inline)]
    pub max_difficulty: Option<Difficulty>,
    /// Roles the alternatives' primary targets may have (comma-separated, any of):
    /// `strengthen`, `activate`, `stretch`, `release`, `control`. Default: like for like (an
    /// exercise that loads a muscle gets strengthen, activate or control work; a stretch gets
    /// stretches; release gets release).
    #[param(example = "strengthen,activate")]
    pub role: Option<String>,
    /// Page size, 1–100 (default 10: the best few are what a substitute list is for).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 10)]
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

/// A resolved alternatives request.
pub struct AlternativesQuery {
    filter: ExerciseFilter,
    paging: Paging,
}

impl Resolve for AlternativesParams {
    type Output = AlternativesQuery;

    fn resolve(self, cat: &Catalogue, errors: &mut Vec<InvalidInput>) -> AlternativesQuery {
        AlternativesQuery {
            filter: ExerciseFilter {
                available_equipment: available(cat, self.available_equipment.as_deref(), errors),
                max_difficulty: self.max_difficulty,
                roles: enum_list("role", self.role.as_deref(), &Role::ALL, errors),
                ..Default::default()
            },
            paging: Paging::new(Some(self.limit.unwrap_or(10)), self.offset),
        }
    }
}

/// One substitute exercise.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlternativeItem {
    #[schema(example = "side-lying-hip-abduction")]
    pub id: String,
    pub name: String,
    /// Weighted Jaccard similarity of the two exercises' targets (primary targets weigh twice
    /// secondary ones; groups count through their members), plus 0.05 for the same kind of
    /// work; 0–1.
    #[schema(minimum = 0, maximum = 1)]
    pub score: f64,
    /// One line on why it fits.
    #[schema(
        example = "same primary targets: gluteus medius, gluteus minimus; needs no equipment"
    )]
    pub reason: String,
    /// The original's target ids this exercise also works.
    pub shared_targets: Vec<String>,
    pub equipment: Vec<String>,
    pub difficulty: Difficulty,
}

/// Alternatives to one exercise: a page, like every list, with the exercise they replace.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlternativesList {
    /// The exercise these replace.
    #[schema(example = "clamshells")]
    pub exercise_id: String,
    /// This page of alternatives, best first.
    pub data: Vec<AlternativeItem>,
    /// How many alternatives there are, and this page's size and offset.
    pub meta: PageMeta,
    /// This page, the next and the previous.
    pub links: PageLinks,
}

/// List alternatives to an exercise.
///
/// Other exercises ranked by how well they hit the same targets, each with a score and a
/// one-line reason; narrowed by the equipment at hand and the hardest difficulty wanted.
#[utoipa::path(
    tag = "exercises",
    operation_id = "listExerciseAlternatives",
    params(("id" = String, Path, description = "Exercise id.", example = "clamshells"), AlternativesParams),
    responses(
        (status = 200, description = "Alternatives, best first.", body = AlternativesList),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No exercise has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/exercises/{id}/alternatives")]
pub async fn list_alternatives(
    state: super::languages::Local,
    id: web::Path<String>,
    Params(q): Params<AlternativesParams>,
    req: HttpRequest,
) -> Result<Cached, ApiError> {
    let cat = &state.catalogue;
    let original = cat
        .exercise(&id)
        .ok_or_else(|| exercise_not_found(cat, &id, "/alternatives", &req))?;
    let all: Vec<AlternativeItem> = alternatives(cat, original, &q.filter, usize::MAX)
        .into_iter()
        .map(|a| AlternativeItem {
            id: a.exercise.exercise.id.clone(),
            name: a.exercise.exercise.name.clone(),
            score: a.score,
            reason: a.reason,
            shared_targets: a.shared_targets.into_iter().map(str::to_owned).collect(),
            equipment: a.exercise.exercise.equipment.clone(),
            difficulty: a.exercise.exercise.difficulty,
        })
        .collect();
    let page = Page::new(all, q.paging, req.path(), req.query_string());
    Ok(Cached::json(&AlternativesList {
        exercise_id: original.exercise.id.clone(),
        data: page.data,
        meta: page.meta,
        links: page.links,
    }))
}
