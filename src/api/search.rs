//! `/v1/search`: one search across exercises, muscles, routines and conditions, and
//! autocomplete.

use actix_web::{HttpRequest, get};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::error::{InvalidInput, ProblemDetails};
use super::query::{Page, Paging, Params, Resolve, enum_list, lenient_int};
use crate::catalogue::Catalogue;
use crate::catalogue::index::ResourceKind;
use crate::http::Cached;

const ALL_KINDS: [ResourceKind; 4] = [
    ResourceKind::Exercise,
    ResourceKind::Muscle,
    ResourceKind::Routine,
    ResourceKind::Condition,
];

/// A unified search.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to look for, 1–200 characters: names, aliases and synonyms ("glute med", "ITBS",
    /// "runner's knee"), descriptions; case-, accent- and punctuation-insensitive; one typo in
    /// words of 4+ letters, two in words of 8+.
    #[param(
        required = true,
        min_length = 1,
        max_length = 200,
        example = "glute med"
    )]
    #[validate(
        required(message = "is required"),
        length(min = 1, max = 200, message = "must be 1 to 200 characters long")
    )]
    pub q: Option<String>,
    /// Resource types to search (comma-separated): `exercise`, `muscle`, `routine`,
    /// `condition`; all when absent.
    #[param(example = "exercise,condition")]
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Page size, 1–100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 20)]
    #[serde(default, deserialize_with = "lenient_int")]
    #[validate(range(min = 1, max = 100, message = "must be an integer from 1 to 100"))]
    pub limit: Option<i64>,
    /// Number of hits to skip, 0–1000000.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 1000000, default = 0)]
    #[serde(default, deserialize_with = "lenient_int")]
    #[validate(range(
        min = 0,
        max = 1000000,
        message = "must be an integer from 0 to 1000000"
    ))]
    pub offset: Option<i64>,
}

/// A resolved search.
pub struct SearchQuery {
    q: String,
    kinds: Vec<ResourceKind>,
    paging: Paging,
}

impl Resolve for SearchParams {
    type Output = SearchQuery;

    fn resolve(self, _: &Catalogue, errors: &mut Vec<InvalidInput>) -> SearchQuery {
        SearchQuery {
            q: self.q.unwrap_or_default(),
            kinds: enum_list("type", self.kind.as_deref(), &ALL_KINDS, errors),
            paging: Paging::new(self.limit, self.offset),
        }
    }
}

/// One search hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    #[serde(rename = "type")]
    pub kind: ResourceKind,
    #[schema(example = "gluteus-medius")]
    pub id: String,
    pub name: String,
    /// Relevance: higher is better; comparable within one response.
    pub score: f32,
    /// The field of the best match: `name`, `aliases`, `targets`, `conditions` or `description`.
    #[schema(example = "aliases")]
    pub matched_field: String,
    /// Where the resource is served.
    #[schema(example = "/v1/muscles/gluteus-medius")]
    pub href: String,
}

fn href(kind: ResourceKind, id: &str) -> String {
    let base = match kind {
        ResourceKind::Exercise => "exercises",
        ResourceKind::Muscle => "muscles",
        ResourceKind::Routine => "routines",
        ResourceKind::Condition => "conditions",
    };
    format!("/v1/{base}/{id}")
}

/// Search everything.
///
/// Exercises, muscles, routines and conditions in one ranked list: names weigh more than
/// aliases, aliases more than targets, targets more than descriptions. Synonyms work across
/// resources: "glute med" finds gluteus medius and the exercises that work it, "ITBS" finds
/// IT band syndrome and its exercises.
#[utoipa::path(
    tag = "search",
    operation_id = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "A page of hits, best first.", body = Page<SearchHit>),
        (status = 400, description = "A missing `q`, or an invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/search")]
pub async fn search(
    state: super::languages::Local,
    Params(s): Params<SearchParams>,
    req: HttpRequest,
) -> Cached {
    let hits: Vec<SearchHit> = state
        .catalogue
        .search(&s.q, &s.kinds)
        .into_iter()
        .map(|h| SearchHit {
            kind: h.kind,
            id: h.id.to_owned(),
            name: h.name.to_owned(),
            score: (h.score * 100.0).round() / 100.0,
            matched_field: h.field.to_owned(),
            href: href(h.kind, h.id),
        })
        .collect();
    Cached::json(&Page::new(hits, s.paging, req.path(), req.query_string()))
}

/// Autocomplete.
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What has been typed so far, 1–100 characters.
    #[param(required = true, min_length = 1, max_length = 100, example = "glu")]
    #[validate(
        required(message = "is required"),
        length(min = 1, max = 100, message = "must be 1 to 100 characters long")
    )]
    pub q: Option<String>,
    /// How many suggestions, 1–10.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 10, default = 10)]
    #[serde(default, deserialize_with = "lenient_int")]
    #[validate(range(min = 1, max = 10, message = "must be an integer from 1 to 10"))]
    pub limit: Option<i64>,
}

impl Resolve for SuggestParams {
    type Output = (String, usize);

    fn resolve(self, _: &Catalogue, _: &mut Vec<InvalidInput>) -> (String, usize) {
        (
            self.q.unwrap_or_default(),
            self.limit.unwrap_or(10).clamp(1, 10) as usize,
        )
    }
}

/// One autocomplete suggestion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    /// The name or alias that matched, as written in the catalogue.
    #[schema(example = "Glute med")]
    pub text: String,
    #[serde(rename = "type")]
    pub kind: ResourceKind,
    #[schema(example = "gluteus-medius")]
    pub id: String,
    #[schema(example = "/v1/muscles/gluteus-medius")]
    pub href: String,
}

/// Autocomplete suggestions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestionList {
    pub data: Vec<Suggestion>,
}

/// Suggest completions.
///
/// Names and aliases of every resource that start with what was typed, or have a word that
/// does: whole-name matches first, then shorter names; at most 10, one per resource. Cheap
/// enough to call on every keystroke (a prefix lookup, not a scan).
#[utoipa::path(
    tag = "search",
    operation_id = "suggest",
    params(SuggestParams),
    responses(
        (status = 200, description = "Suggestions, best first.", body = SuggestionList),
        (status = 400, description = "A missing `q`, or an invalid, unknown or repeated parameter.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/search/suggest")]
pub async fn suggest(
    state: super::languages::Local,
    Params((q, limit)): Params<SuggestParams>,
) -> Cached {
    let data = state
        .catalogue
        .suggest(&q, limit)
        .into_iter()
        .map(|(text, kind, id)| Suggestion {
            text: text.to_owned(),
            kind,
            id: id.to_owned(),
            href: href(kind, id),
        })
        .collect();
    Cached::json(&SuggestionList { data })
}
