//! Body maps: SVG (or PNG) pictures of the muscles an exercise works, of one muscle or group,
//! or of any muscles asked for. Exercise and muscle maps in the default view and theme are
//! made once and served like the JSON: strong ETags, 304, compression.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use actix_web::body::BoxBody;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, Responder, get, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::error::{ApiError, InvalidInput, ProblemDetails};
use super::not_found;
use super::query::{Params, Resolve, lenient_int};
use crate::bodymap::{self, Theme, Views, png};
use crate::catalogue::Catalogue;
use crate::http::{CachePolicy, Prepared};

/// Which side of the body a map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MapView {
    Front,
    Back,
    Both,
}

/// The colours of a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MapTheme {
    Light,
    Dark,
}

/// The file type asked for by a `map.{format}` path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MapFormat {
    Svg,
    Png,
}

/// How a map is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapOptions {
    pub views: Views,
    pub theme: Theme,
    /// PNG width in pixels.
    pub width: u32,
}

impl MapOptions {
    fn new(view: Option<MapView>, theme: Option<MapTheme>, width: Option<i64>) -> Self {
        MapOptions {
            views: match view {
                Some(MapView::Front) => Views::Front,
                Some(MapView::Back) => Views::Back,
                Some(MapView::Both) | None => Views::Both,
            },
            theme: match theme {
                Some(MapTheme::Dark) => Theme::Dark,
                Some(MapTheme::Light) | None => Theme::Light,
            },
            width: width.map_or(png::DEFAULT_WIDTH, |w| {
                w.clamp(png::MIN_WIDTH.into(), png::MAX_WIDTH.into()) as u32
            }),
        }
    }

    /// The default view, theme and width: the maps made once.
    fn is_default(&self) -> bool {
        *self == MapOptions::new(None, None, None)
    }
}

/// The view, theme and PNG width of a map.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct MapParams {
    /// `front`, `back` or `both` (default): the views of the body drawn.
    #[param(inline)]
    pub view: Option<MapView>,
    /// `light` (default) or `dark` colours.
    #[param(inline)]
    pub theme: Option<MapTheme>,
    /// Width of a PNG in pixels, 96–2048 (default 600; the height follows). An SVG scales to
    /// any size and ignores it.
    #[param(value_type = Option<i64>, minimum = 96, maximum = 2048, default = 600)]
    #[serde(default, deserialize_with = "lenient_int")]
    #[validate(range(min = 96, max = 2048, message = "must be an integer from 96 to 2048"))]
    pub width: Option<i64>,
}

impl Resolve for MapParams {
    type Output = MapOptions;

    fn resolve(self, _: &Catalogue, _: &mut Vec<InvalidInput>) -> MapOptions {
        MapOptions::new(self.view, self.theme, self.width)
    }
}

/// The muscles of a map of one's own choosing, and how it is drawn.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct MapsParams {
    /// Muscle or group ids drawn as primary targets (comma-separated). See `/v1/muscles`.
    #[param(example = "gluteus-medius,quadriceps")]
    pub primary: Option<String>,
    /// Muscle or group ids drawn as secondary targets (comma-separated); an id also in
    /// `primary` is drawn as primary.
    #[param(example = "hamstrings")]
    pub secondary: Option<String>,
    /// `front`, `back` or `both` (default): the views of the body drawn.
    #[param(inline)]
    pub view: Option<MapView>,
    /// `light` (default) or `dark` colours.
    #[param(inline)]
    pub theme: Option<MapTheme>,
    /// Width of a PNG in pixels, 96–2048 (default 600; the height follows). An SVG scales to
    /// any size and ignores it.
    #[param(value_type = Option<i64>, minimum = 96, maximum = 2048, default = 600)]
    #[serde(default, deserialize_with = "lenient_int")]
    #[validate(range(min = 96, max = 2048, message = "must be an integer from 96 to 2048"))]
    pub width: Option<i64>,
}

/// A resolved `/v1/maps` request.
pub struct MapsQuery {
    primary: Vec<String>,
    secondary: Vec<String>,
    options: MapOptions,
}

impl Resolve for MapsParams {
    type Output = MapsQuery;

    fn resolve(self, cat: &Catalogue, errors: &mut Vec<InvalidInput>) -> MapsQuery {
        MapsQuery {
            primary: super::muscle_ids("primary", self.primary.as_deref(), cat, errors),
            secondary: super::muscle_ids("secondary", self.secondary.as_deref(), cat, errors),
            options: MapOptions::new(self.view, self.theme, self.width),
        }
    }
}

// ---- prepared maps --------------------------------------------------------------------------

/// One subject's default map, as SVG and as PNG, each made at most once.
#[derive(Default)]
struct Slot {
    svg: OnceLock<Arc<Prepared>>,
    png: OnceLock<Arc<Prepared>>,
}

/// What a map is of.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Exercise(&'a str),
    Muscle(&'a str),
}

impl Subject<'_> {
    fn svg(self, cat: &Catalogue, o: &MapOptions) -> Option<String> {
        match self {
            Subject::Exercise(id) => bodymap::exercise_map(cat, id, o.views, o.theme),
            Subject::Muscle(id) => bodymap::muscle_map(cat, id, o.views, o.theme),
        }
    }
}

/// The default maps of every exercise and muscle, SVG and PNG, each made on its first request
/// (and compressed on the first request for each encoding). Maps are the largest bodies (about
/// 60 KB of SVG each, 21 MB for the embedded catalogue): made ahead they would double the
/// resident set and the start-up time for pictures most deployments never draw.
pub struct MapStore {
    /// By the exercise's rank (its position in name order).
    exercises: Vec<Slot>,
    muscles: HashMap<String, Slot>,
}

impl MapStore {
    pub fn new(cat: &Catalogue) -> Self {
        MapStore {
            exercises: cat.exercises().iter().map(|_| Slot::default()).collect(),
            muscles: cat
                .muscles()
                .iter()
                .map(|m| (m.muscle.id.clone(), Slot::default()))
                .collect(),
        }
    }

    fn slot(&self, cat: &Catalogue, subject: Subject) -> Option<&Slot> {
        match subject {
            Subject::Exercise(id) => cat.exercise_rank(id).and_then(|r| self.exercises.get(r)),
            Subject::Muscle(id) => self.muscles.get(id),
        }
    }

    fn svg(&self, cat: &Catalogue, subject: Subject) -> Option<Arc<Prepared>> {
        let slot = self.slot(cat, subject)?;
        let default = MapOptions::new(None, None, None);
        Some(
            slot.svg
                .get_or_init(|| {
                    let svg = subject.svg(cat, &default).unwrap_or_default();
                    Prepared::svg(svg)
                })
                .clone(),
        )
    }

    /// The default PNG, rasterised on first request (off the worker thread).
    async fn png(
        &self,
        cat: &Catalogue,
        subject: Subject<'_>,
    ) -> Option<Result<Arc<Prepared>, ApiError>> {
        let slot = self.slot(cat, subject)?;
        if let Some(p) = slot.png.get() {
            return Some(Ok(p.clone()));
        }
        let svg = self.svg(cat, subject)?;
        Some(
            png_of(svg, png::DEFAULT_WIDTH)
                .await
                .map(|p| slot.png.get_or_init(|| p).clone()),
        )
    }
}

/// `svg` rasterised `width` pixels wide, in the blocking pool so the worker keeps serving.
async fn png_of(svg: Arc<Prepared>, width: u32) -> Result<Arc<Prepared>, ApiError> {
    let made = web::block(move || {
        let (_, bytes) = svg.body(crate::http::prepared::Encoding::Identity);
        let text = std::str::from_utf8(&bytes).map_err(|e| e.to_string())?;
        png::render_png(text, width).map_err(|e| e.to_string())
    })
    .await;
    match made {
        Ok(Ok(png)) => Ok(Prepared::png(png)),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "body map PNG failed");
            Err(ApiError::Internal)
        }
        Err(_) => Err(ApiError::Internal),
    }
}

// ---- responses ------------------------------------------------------------------------------

/// A map answer: an SVG or PNG body with the caching headers of every prepared body.
pub struct MapBody {
    body: Arc<Prepared>,
    /// True when the path alone decides the answer (`map.svg`, `map.png`): it is then handed
    /// to the response memo, which replays bodies by target (and language) whatever `Accept`
    /// says. A `/map` answer depends on `Accept` and is not.
    memoizable: bool,
}

impl Responder for MapBody {
    type Body = BoxBody;

    fn respond_to(self, req: &HttpRequest) -> HttpResponse {
        let Some(policy) = req.app_data::<CachePolicy>() else {
            return HttpResponse::InternalServerError().finish();
        };
        let mut res = policy.respond(req, &self.body);
        if self.memoizable {
            res.extensions_mut().insert(self.body);
        }
        res
    }
}

/// PNG when the path says so, or when `Accept` ranks `image/png` above `image/svg+xml`.
fn format_of(req: &HttpRequest, path_format: Option<MapFormat>) -> MapFormat {
    if let Some(f) = path_format {
        return f;
    }
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let q_of = |wanted: &str| -> f32 {
        crate::http::prepared::weighted(accept)
            .filter(|(media, _)| media == wanted)
            .map(|(_, q)| q)
            .fold(0.0, f32::max)
    };
    let png = q_of("image/png");
    if png > 0.0 && png > q_of("image/svg+xml") {
        MapFormat::Png
    } else {
        MapFormat::Svg
    }
}

/// The map of `subject`: the prepared one for the default options, otherwise made now.
async fn subject_map(
    state: &super::languages::Local,
    req: &HttpRequest,
    subject: Subject<'_>,
    options: MapOptions,
    path_format: Option<MapFormat>,
) -> Result<MapBody, ApiError> {
    let cat = &state.catalogue;
    let maps = &state.store.maps;
    let format = format_of(req, path_format);
    let body = match (format, options.is_default()) {
        (MapFormat::Svg, true) => maps.svg(cat, subject),
        (MapFormat::Png, true) => maps.png(cat, subject).await.transpose()?,
        (_, false) => match subject.svg(cat, &options) {
            None => None,
            Some(svg) => {
                let svg = Prepared::svg(svg);
                Some(match format {
                    MapFormat::Svg => svg,
                    MapFormat::Png => png_of(svg, options.width).await?,
                })
            }
        },
    };
    let Some(body) = body else {
        return Err(match subject {
            Subject::Exercise(id) => not_found("exercise", id, super::exercise_keys(cat)),
            Subject::Muscle(id) => not_found("muscle", id, super::muscle_keys(cat)),
        });
    };
    Ok(MapBody {
        body,
        memoizable: path_format.is_some(),
    })
}

// ---- operations -----------------------------------------------------------------------------

/// Get the body map of an exercise.
///
/// An anatomical figure, front and back, with the exercise's primary targets filled solid
/// with a thick outline and its secondary targets hatched with a dashed outline; deep muscles
/// are shown by the muscles they lie under and named as deep in the legend, groups by their
/// members. SVG (`image/svg+xml`) by default; PNG with `Accept: image/png` or the `.png` path.
#[utoipa::path(
    tag = "exercises",
    operation_id = "getExerciseMap",
    params(("id" = String, Path, description = "Exercise id.", example = "clamshells"), MapParams),
    responses(
        (status = 200, description = "The map, as SVG or (asked for) PNG.", content(
            (String = "image/svg+xml"),
            (String = "image/png"),
        )),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No exercise has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/exercises/{id}/map")]
pub async fn get_exercise_map(
    state: super::languages::Local,
    id: web::Path<String>,
    Params(options): Params<MapParams>,
    req: HttpRequest,
) -> Result<MapBody, ApiError> {
    subject_map(&state, &req, Subject::Exercise(&id), options, None).await
}

/// Get the body map of an exercise as a file.
///
/// The same map as `/v1/exercises/{id}/map`, as `map.svg` or `map.png` whatever `Accept` says.
#[utoipa::path(
    tag = "exercises",
    operation_id = "getExerciseMapFile",
    params(
        ("id" = String, Path, description = "Exercise id.", example = "clamshells"),
        ("format" = inline(MapFormat), Path, description = "`svg` or `png`.", example = "png"),
        MapParams,
    ),
    responses(
        (status = 200, description = "The map in the format of the path.", content(
            (String = "image/svg+xml"),
            (String = "image/png"),
        )),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No exercise has this id, or the format is neither `svg` nor `png`.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/exercises/{id}/map.{format}")]
pub async fn get_exercise_map_file(
    state: super::languages::Local,
    path: web::Path<(String, String)>,
    Params(options): Params<MapParams>,
    req: HttpRequest,
) -> Result<MapBody, ApiError> {
    let (id, format) = path.into_inner();
    let format = parse_format(&req, &format)?;
    subject_map(&state, &req, Subject::Exercise(&id), options, Some(format)).await
}

/// Get the body map of a muscle or group.
///
/// The muscle highlighted on the figure (a deep muscle by the muscles it lies under); a group
/// shows all its members, each named in the legend. SVG by default; PNG with
/// `Accept: image/png` or the `.png` path.
#[utoipa::path(
    tag = "muscles",
    operation_id = "getMuscleMap",
    params(("id" = String, Path, description = "Muscle or group id.", example = "gluteals"), MapParams),
    responses(
        (status = 200, description = "The map, as SVG or (asked for) PNG.", content(
            (String = "image/svg+xml"),
            (String = "image/png"),
        )),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No muscle has this id; close ids are suggested.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/muscles/{id}/map")]
pub async fn get_muscle_map(
    state: super::languages::Local,
    id: web::Path<String>,
    Params(options): Params<MapParams>,
    req: HttpRequest,
) -> Result<MapBody, ApiError> {
    subject_map(&state, &req, Subject::Muscle(&id), options, None).await
}

/// Get the body map of a muscle or group as a file.
///
/// The same map as `/v1/muscles/{id}/map`, as `map.svg` or `map.png` whatever `Accept` says.
#[utoipa::path(
    tag = "muscles",
    operation_id = "getMuscleMapFile",
    params(
        ("id" = String, Path, description = "Muscle or group id.", example = "gluteals"),
        ("format" = inline(MapFormat), Path, description = "`svg` or `png`.", example = "png"),
        MapParams,
    ),
    responses(
        (status = 200, description = "The map in the format of the path.", content(
            (String = "image/svg+xml"),
            (String = "image/png"),
        )),
        (status = 400, description = "An invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No muscle has this id, or the format is neither `svg` nor `png`.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/muscles/{id}/map.{format}")]
pub async fn get_muscle_map_file(
    state: super::languages::Local,
    path: web::Path<(String, String)>,
    Params(options): Params<MapParams>,
    req: HttpRequest,
) -> Result<MapBody, ApiError> {
    let (id, format) = path.into_inner();
    let format = parse_format(&req, &format)?;
    subject_map(&state, &req, Subject::Muscle(&id), options, Some(format)).await
}

fn parse_format(req: &HttpRequest, format: &str) -> Result<MapFormat, ApiError> {
    match format {
        "svg" => Ok(MapFormat::Svg),
        "png" => Ok(MapFormat::Png),
        _ => Err(ApiError::RouteNotFound {
            path: req.path().to_owned(),
        }),
    }
}

/// Draw a body map of any muscles.
///
/// For apps that show a routine's or a week's total load: the muscles and groups in
/// `primary` solid with a thick outline, those in `secondary` hatched with a dashed outline.
/// SVG by default; PNG with `Accept: image/png`.
#[utoipa::path(
    tag = "muscles",
    operation_id = "drawMap",
    params(MapsParams),
    responses(
        (status = 200, description = "The map, as SVG or (asked for) PNG.", content(
            (String = "image/svg+xml"),
            (String = "image/png"),
        )),
        (status = 400, description = "An invalid, unknown or repeated parameter (unknown muscle ids are named, with suggestions).", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/maps")]
pub async fn draw_map(
    state: super::languages::Local,
    Params(q): Params<MapsParams>,
    req: HttpRequest,
) -> Result<MapBody, ApiError> {
    let o = q.options;
    let request = bodymap::request(
        &state.catalogue,
        bodymap::words::for_language(state.catalogue.language()).muscles_worked,
        &q.primary,
        &q.secondary,
        o.views,
        o.theme,
    );
    let svg = Prepared::svg(bodymap::render_svg(&request));
    let format = format_of(&req, None);
    let body = match format {
        MapFormat::Svg => svg,
        MapFormat::Png => png_of(svg, o.width).await?,
    };
    Ok(MapBody {
        body,
        memoizable: false,
    })
}

/// Documents the image answers: PNG is binary, and map answers vary by `Accept`.
pub fn document(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for item in paths.values_mut() {
        let Some(ok) = item
            .get_mut("get")
            .and_then(|op| op.get_mut("responses"))
            .and_then(|r| r.get_mut("200"))
        else {
            continue;
        };
        if ok.pointer("/content/image~1png").is_none() {
            continue;
        }
        ok["content"]["image/png"]["schema"] =
            json!({"type": "string", "contentMediaType": "image/png", "format": "binary"});
        ok["content"]["image/svg+xml"]["schema"] =
            json!({"type": "string", "contentMediaType": "image/svg+xml"});
        if let Some(vary) = ok["headers"].get_mut("Vary") {
            vary["description"] = json!("Accept, Accept-Encoding.");
        }
    }
}
