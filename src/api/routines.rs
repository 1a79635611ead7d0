//! `/v1/routines`: ordered exercise routines with doses and estimated durations.

use actix_web::{HttpRequest, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::error::{ApiError, InvalidInput, Place, ProblemDetails, unknown_message};
use super::query::{
    Detail, Page, Paging, Params, Resolve, enum_list, lenient_int, unknown_id, unknown_variant,
    validation_errors_at,
};
use super::{Json, not_found};
use crate::catalogue::Catalogue;
use crate::catalogue::generate::{GeneratedRoutine, RoutineRequest, generate};
use crate::catalogue::index::{Collection, ExerciseView, RoutineItemView, RoutineView};
use crate::catalogue::model::{PainMonitoring, Phase};
use crate::catalogue::text::suggestions;
use crate::http::{Cached, Prepared};

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
    /// Rehabilitation phases (comma-separated, any of): `early`, `middle`, `late`,
    /// `return-to-sport`. Routines without a phase are left out when this is given.
    #[param(example = "early")]
    pub phase: Option<String>,
    /// Text search over names, conditions (and their aliases) and descriptions; best match
    /// first. 1–200 characters.
    #[param(min_length = 1, max_length = 200, example = "runners knee")]
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

/// A resolved routine-list request.
pub struct RoutineQuery {
    pub conditions: Vec<String>,
    pub muscles: Vec<String>,
    pub phases: Vec<Phase>,
    pub q: Option<String>,
    pub paging: Paging,
}

impl Resolve for RoutineListParams {
    type Output = RoutineQuery;

    fn resolve(self, cat: &Catalogue, errors: &mut Vec<InvalidInput>) -> RoutineQuery {
        RoutineQuery {
            conditions: super::condition_ids("condition", self.condition.as_deref(), cat, errors),
            muscles: super::muscle_ids("muscle", self.muscle.as_deref(), cat, errors),
            phases: enum_list("phase", self.phase.as_deref(), &Phase::ALL, errors),
            q: self.q,
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
    /// Why the item was chosen; present only in generated routines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A routine as returned by `GET /v1/routines/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoutineDetail {
    #[schema(example = "knee-pain-5-best-exercises")]
    pub id: String,
    /// Ids this routine had before; they redirect here.
    pub former_ids: Vec<String>,
    pub name: String,
    pub purpose: String,
    pub description: String,
    pub conditions: Vec<String>,
    /// The rehabilitation phase, for phased programmes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    pub items: Vec<RoutineItemDetail>,
    /// How much pain is acceptable during and after the routine: the routine's own rule or
    /// the catalogue's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pain_monitoring: Option<PainMonitoring>,
    /// Estimated total duration in seconds: each item's dose (tempo, sides, rests) plus 15 s
    /// between items.
    pub estimated_duration_seconds: u32,
    /// The same, rounded up to whole minutes.
    pub estimated_duration_minutes: u32,
    pub source: String,
    /// Which parts come from the source and which were added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

impl RoutineDetail {
    pub fn new(r: &RoutineView, cat: Option<&Catalogue>) -> Self {
        RoutineDetail {
            id: r.id.clone(),
            former_ids: r.former_ids.clone(),
            name: r.name.clone(),
            purpose: r.purpose.clone(),
            description: r.description.clone(),
            conditions: r.conditions.clone(),
            phase: r.phase,
            pain_monitoring: r.pain_monitoring.clone(),
            attribution: r.attribution.clone(),
            items: r
                .items
                .iter()
                .map(|i| RoutineItemDetail {
                    item: i.clone(),
                    exercise: cat.and_then(|c| c.exercise(&i.exercise_id).cloned()),
                    reason: None,
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
    state: super::languages::Local,
    Params(p): Params<RoutineListParams>,
    req: HttpRequest,
) -> Cached {
    let all: Vec<RoutineDetail> = state
        .catalogue
        .find_routines(&p.conditions, &p.muscles, &p.phases, p.q.as_deref())
        .into_iter()
        .map(|r| RoutineDetail::new(r, None))
        .collect();
    Cached::json(&Page::new(all, p.paging, req.path(), req.query_string()))
}

/// Get one routine.
///
/// Its items in order, each with its dose (the routine's, or the exercise's default) and an
/// estimated duration; `expand=exercises` embeds the full exercises. `Accept:
/// application/fhir+json` answers a FHIR R4 PlanDefinition instead.
#[utoipa::path(
    tag = "routines",
    operation_id = "getRoutine",
    params(("id" = String, Path, description = "Routine id.", example = "knee-pain-5-best-exercises"), RoutineParams),
    responses(
        (status = 200, description = "The routine. With `Accept: application/fhir+json`, a FHIR R4 PlanDefinition whose actions reference `ActivityDefinition/{exercise id}` in order (`expand` is ignored).", content(
            (RoutineDetail = "application/json"),
            (Object = "application/fhir+json"),
        )),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No routine has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/routines/{id}")]
pub async fn get_routine(
    state: super::languages::Local,
    id: web::Path<String>,
    Params(expand): Params<RoutineParams>,
    req: HttpRequest,
) -> Result<Cached, ApiError> {
    if id.as_str() == "generate" {
        // `/v1/routines/generate` is the POST operation, not a routine id.
        return Err(ApiError::MethodNotAllowed {
            method: "GET".into(),
            allow: "POST".into(),
        });
    }
    if super::wants_fhir(&req)
        && let Some(r) = state.catalogue.routine(&id)
    {
        return Ok(Cached(Prepared::fhir(&super::fhir::plan_definition(
            &state.catalogue,
            r,
        ))));
    }
    let bodies = if expand {
        &state.store.routines_expanded
    } else {
        &state.store.routines
    };
    if let Some(body) = bodies.get(id.as_str()) {
        return Ok(Cached(body.clone()));
    }
    if let Some(moved) = super::moved(&state.catalogue, Collection::Routines, &id, "", &req) {
        return Err(moved);
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

/// Largest accepted body of `POST /v1/routines/generate`, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Constraints for a generated routine. At least one of `conditions` and `muscles`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"conditions": ["knee-pain"], "available_equipment": ["resistance-band"], "minutes": 20}))]
pub struct GenerateRoutineRequest {
    /// Condition ids to address (up to 10).
    #[validate(length(max = 10, message = "at most 10 conditions"))]
    #[schema(max_items = 10, example = json!(["knee-pain"]))]
    pub conditions: Option<Vec<String>>,
    /// Muscle or group ids to work (up to 20).
    #[validate(length(max = 20, message = "at most 20 muscles"))]
    #[schema(max_items = 20, example = json!(["gluteus-medius"]))]
    pub muscles: Option<Vec<String>>,
    /// Equipment ids at hand; exercises needing anything else are left out (absent: any).
    #[validate(length(max = 50, message = "at most 50 equipment ids"))]
    #[schema(max_items = 50, example = json!(["resistance-band"]))]
    pub available_equipment: Option<Vec<String>>,
    /// Time budget in minutes, 5–90 (default 30); the routine's estimate stays within it.
    #[validate(range(min = 5, max = 90, message = "must be an integer from 5 to 90"))]
    #[schema(value_type = Option<i64>, minimum = 5, maximum = 90, default = 30, example = 20)]
    #[serde(default, deserialize_with = "integral")]
    pub minutes: Option<i64>,
    /// The hardest difficulty to include.
    pub difficulty: Option<crate::catalogue::model::Difficulty>,
    /// Exercise ids to leave out (up to 100).
    #[validate(length(max = 100, message = "at most 100 exercise ids"))]
    #[schema(max_items = 100)]
    pub exclude: Option<Vec<String>>,
}

/// An integer from JSON, where `6.0` and `1e1` count (JSON Schema calls them integers) and
/// `6.5` does not. Values past `i64` saturate so the range check names them.
fn integral<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let Some(n) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    if let Some(i) = n.as_i64() {
        return Ok(Some(i));
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 => Ok(Some(f.clamp(i64::MIN as f64, i64::MAX as f64) as i64)),
        _ => Err(serde::de::Error::custom(format!(
            "must be an integer, got {n}"
        ))),
    }
}

/// Unknown ids of one list reported one by one (each with suggestions); more are counted in
/// one summarising entry, so the answer and its cost stay small whatever the body (h1, h7).
const MAX_UNKNOWN_REPORTED: usize = 5;

/// Checks body ids against the catalogue, naming each unknown one by its JSON path, in the
/// voice of the query parameters (did-you-mean and the allowed ids). A list over its length
/// limit `max` is not looked at element by element: its length error (from `validate`) is the
/// answer, and no work is spent on elements the limit already refused.
fn body_ids(
    field: &str,
    ids: &Option<Vec<String>>,
    max: usize,
    collection: Collection,
    cat: &Catalogue,
    errors: &mut Vec<InvalidInput>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let ids = ids.as_deref().unwrap_or_default();
    if ids.len() > max {
        return out;
    }
    let (what, list_path) = super::vocabulary(collection);
    let mut unknown = 0;
    for (i, id) in ids.iter().enumerate() {
        // Ids, aliases and other spellings, as in query strings.
        if let Some(found) = cat.resolve(collection, id) {
            if !out.iter().any(|o| o == found) {
                out.push(found.to_owned());
            }
            continue;
        }
        unknown += 1;
        if unknown > MAX_UNKNOWN_REPORTED {
            continue;
        }
        errors.push(unknown_id(
            Place::Field,
            &format!("{field}[{i}]"),
            what,
            id,
            &super::keys_of(cat, collection),
            list_path,
            Detail::for_nth(unknown),
        ));
    }
    if unknown > MAX_UNKNOWN_REPORTED {
        errors.push(InvalidInput::field(
            field,
            format!(
                "{} more unknown {what} ids (only the first {MAX_UNKNOWN_REPORTED} are listed)",
                unknown - MAX_UNKNOWN_REPORTED
            ),
        ));
    }
    out
}

/// The fields of [`GenerateRoutineRequest`], for unknown-field problems (a test checks them
/// against the OpenAPI document).
pub const GENERATE_FIELDS: [&str; 6] = [
    "conditions",
    "muscles",
    "available_equipment",
    "minutes",
    "difficulty",
    "exclude",
];

/// Stage 1 of reading a body: every problem of shape at once (400). Unknown fields (with
/// did-you-mean and the allowed names) and each known field that does not deserialize are
/// reported; the fields that do are kept, so later stages can report their own problems.
fn read_body(
    body: serde_json::Value,
) -> Result<(GenerateRoutineRequest, Vec<InvalidInput>), ApiError> {
    let serde_json::Value::Object(object) = body else {
        return Err(ApiError::InvalidBody(vec![InvalidInput::field(
            "(body)",
            "must be a JSON object",
        )]));
    };
    let mut shape = Vec::new();
    let mut good = serde_json::Map::new();
    for (name, value) in object {
        if !GENERATE_FIELDS.contains(&name.as_str()) {
            let hint = suggestions(&name, GENERATE_FIELDS.iter().map(|f| (*f, *f)), 1);
            let (message, allowed) = unknown_message("field", &name, &hint, &GENERATE_FIELDS, None);
            let mut e = InvalidInput::field(name, message);
            e.allowed = allowed;
            shape.push(e);
            continue;
        }
        let one = serde_json::Value::Object([(name.clone(), value.clone())].into_iter().collect());
        match serde_path_to_error::deserialize::<_, GenerateRoutineRequest>(one) {
            Ok(_) => {
                good.insert(name, value);
            }
            Err(e) => {
                let path = e.path().to_string();
                let message = e.into_inner().to_string();
                shape.push(
                    unknown_variant(Place::Field, &path, &message)
                        .unwrap_or_else(|| InvalidInput::field(path, message)),
                );
            }
        }
    }
    let request =
        serde_json::from_value(serde_json::Value::Object(good)).map_err(|_| ApiError::Internal)?;
    Ok((request, shape))
}

/// Generate a routine.
///
/// A routine made to measure from conditions and/or muscles, the equipment at hand, a time
/// budget, a difficulty ceiling and exclusions. It is not stored, and the same input always
/// gives the same routine. Items are ordered as a therapist would (mobility and activation,
/// then strength, then balance and control), doses come from the catalogue, the estimated
/// duration stays within `minutes`, and each item says why it was chosen. The body must be
/// JSON (`Content-Type: application/json`) of at most 16 KiB.
#[utoipa::path(
    tag = "routines",
    operation_id = "generateRoutine",
    request_body(content = GenerateRoutineRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The generated routine, in the schema of `GET /v1/routines/{id}`, with `items[].reason`.", body = RoutineDetail),
        (status = 400, description = "The body is not JSON, has a wrong type or an unknown field.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 16 KiB.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not declared as JSON.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A value breaks a rule (out of range, unknown id with suggestions and the allowed ids, neither conditions nor muscles), or no exercise fits the constraints (`no-routine`: `errors` names each constraint to loosen).", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[post("/routines/generate")]
pub async fn generate_routine(
    state: super::languages::Local,
    body: web::Json<serde_json::Value>,
) -> Result<Json<RoutineDetail>, ApiError> {
    let cat = &state.catalogue;
    let (request, shape) = read_body(body.into_inner())?;
    let mut errors = Vec::new();
    if let Err(v) = request.validate() {
        errors.extend(validation_errors_at(Place::Field, &v));
    }
    let conditions = body_ids(
        "conditions",
        &request.conditions,
        10,
        Collection::Conditions,
        cat,
        &mut errors,
    );
    let muscles = body_ids(
        "muscles",
        &request.muscles,
        20,
        Collection::Muscles,
        cat,
        &mut errors,
    );
    let available = body_ids(
        "available_equipment",
        &request.available_equipment,
        50,
        Collection::Equipment,
        cat,
        &mut errors,
    );
    let exclude = body_ids(
        "exclude",
        &request.exclude,
        100,
        Collection::Exercises,
        cat,
        &mut errors,
    );
    // Not a follow-on of a `conditions` or `muscles` already reported as malformed.
    let reported = |f: &str| shape.iter().any(|e| e.field.as_deref() == Some(f));
    if request.conditions.as_ref().is_none_or(Vec::is_empty)
        && request.muscles.as_ref().is_none_or(Vec::is_empty)
        && !reported("conditions")
        && !reported("muscles")
    {
        errors.push(InvalidInput::field(
            "conditions",
            "give at least one of `conditions` or `muscles`",
        ));
    }
    if !shape.is_empty() {
        // One answer with every problem: the malformed fields first, then the rules broken.
        return Err(ApiError::InvalidBody(
            shape.into_iter().chain(errors).collect(),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::UnprocessableBody(errors));
    }
    let generated = generate(
        cat,
        &RoutineRequest {
            conditions,
            muscles,
            available_equipment: request.available_equipment.as_ref().map(|_| available),
            minutes: request.minutes.unwrap_or(30).clamp(5, 90) as u32,
            max_difficulty: request.difficulty,
            exclude,
        },
    );
    if generated.routine.items.is_empty() {
        return Err(ApiError::NoRoutine(nothing_fits(&request, &generated)));
    }
    let mut detail = RoutineDetail::new(&generated.routine, None);
    for (item, reason) in detail.items.iter_mut().zip(generated.reasons) {
        item.reason = Some(reason);
    }
    Ok(Json(detail))
}

/// The constraints to loosen when no exercise fits: those the body set, or, when every
/// matching exercise is longer than the budget, `minutes`.
fn nothing_fits(
    request: &GenerateRoutineRequest,
    generated: &GeneratedRoutine,
) -> Vec<InvalidInput> {
    if generated.candidates > 0 {
        return vec![InvalidInput::field(
            "minutes",
            format!(
                "every matching exercise takes longer than {} minutes; allow more minutes",
                request.minutes.unwrap_or(30)
            ),
        )];
    }
    let mut loosen = Vec::new();
    if request.available_equipment.is_some() {
        loosen.push(InvalidInput::field(
            "available_equipment",
            "no matching exercise can be done with only this equipment; allow more",
        ));
    }
    if request.difficulty.is_some() {
        loosen.push(InvalidInput::field(
            "difficulty",
            "no matching exercise is this easy; allow a higher difficulty",
        ));
    }
    if request.exclude.as_ref().is_some_and(|e| !e.is_empty()) {
        loosen.push(InvalidInput::field(
            "exclude",
            "every matching exercise is excluded; exclude fewer",
        ));
    }
    if loosen.is_empty() {
        loosen.push(InvalidInput::field(
            "conditions",
            "no exercise in the catalogue serves these conditions and muscles; ask for others",
        ));
    }
    loosen
}

/// How `POST /v1/routines/generate` bodies are read: JSON only, at most [`MAX_BODY_BYTES`],
/// every failure a problem+json answer.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_BODY_BYTES)
        .content_type_required(true)
        .content_type(|mime| {
            mime.subtype() == actix_web::mime::JSON || mime.suffix() == Some(actix_web::mime::JSON)
        })
        .error_handler(|err, _req| {
            use actix_web::error::JsonPayloadError as E;
            match err {
                E::OverflowKnownLength { .. } | E::Overflow { .. } => ApiError::PayloadTooLarge {
                    limit: MAX_BODY_BYTES,
                },
                E::ContentType => ApiError::UnsupportedMediaType,
                E::Deserialize(e) => ApiError::InvalidBody(vec![InvalidInput::field(
                    "(body)",
                    format!("not valid JSON: {e}"),
                )]),
                other => {
                    ApiError::InvalidBody(vec![InvalidInput::field("(body)", other.to_string())])
                }
            }
            .into()
        })
}
