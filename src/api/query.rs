//! Query strings: strict decoding (unknown, repeated or undecodable parameters are errors, so a
//! typo never silently widens a result), typed parameters, comma lists and paging links.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationErrors};

use super::AppState;
use super::error::{ApiError, InvalidInput, Place, unknown_message};
use crate::catalogue::Catalogue;
use crate::catalogue::text::suggestions;

/// Longest accepted value of one comma list, in items.
pub const MAX_LIST_ITEMS: usize = 128;
/// How many unknown parameters one answer lists by name.
pub const MAX_UNKNOWN_REPORTED: usize = 10;

/// Longest accepted query string, in bytes.
pub const MAX_QUERY_BYTES: usize = 6144;

/// Turns parsed query parameters into what a handler needs, checking values against the
/// catalogue (ids that must exist, enum values); each problem goes to `errors`.
pub trait Resolve: Sized {
    type Output;
    fn resolve(self, cat: &Catalogue, errors: &mut Vec<InvalidInput>) -> Self::Output;
}

/// A query-string extractor: `T` documents the parameters (`IntoParams`), deserializes them,
/// validates their ranges (`Validate`) and resolves their values (`Resolve`). Anything else in
/// the query is rejected, and every problem is reported in one 400.
pub struct Params<T: Resolve>(pub T::Output);

impl<T: DeserializeOwned + Validate + IntoParams + Resolve> FromRequest for Params<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return ready(Err(ApiError::Internal));
        };
        ready(
            parse_query::<T>(req.query_string()).and_then(|(value, mut errors)| {
                if let Err(message) = state.choose(req) {
                    errors.push(
                        InvalidInput::parameter("lang", message)
                            .with_allowed(state.language_tags()),
                    );
                }
                let out = value.resolve(&state.local(req).catalogue, &mut errors);
                if errors.is_empty() {
                    Ok(Params(out))
                } else {
                    let known = param_names::<T>();
                    let rank = |e: &InvalidInput| {
                        known
                            .iter()
                            .position(|k| Some(k.as_str()) == e.parameter.as_deref())
                            .unwrap_or(usize::MAX)
                    };
                    errors.sort_by_key(rank);
                    Err(ApiError::InvalidParameters(errors))
                }
            }),
        )
    }
}

/// The names of `T`'s query parameters, as documented.
pub fn param_names<T: IntoParams>() -> Vec<String> {
    T::into_params(|| Some(utoipa::openapi::path::ParameterIn::Query))
        .into_iter()
        .map(|p| p.name)
        .collect()
}

/// Splits and percent-decodes a query string into (name, value) pairs, in order.
pub fn decode_pairs(query: &str) -> Result<Vec<(String, String)>, Vec<InvalidInput>> {
    let mut pairs = Vec::new();
    let mut errors = Vec::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        // A '%' must start a two-hex-digit escape; anything else is not percent-encoding.
        let well_formed = |s: &str| {
            let b = s.as_bytes();
            b.iter().enumerate().all(|(i, &c)| {
                c != b'%'
                    || (b.len() > i + 2
                        && b[i + 1].is_ascii_hexdigit()
                        && b[i + 2].is_ascii_hexdigit())
            })
        };
        if !well_formed(name) || !well_formed(value) {
            let shown = if well_formed(name) {
                decode_lossy(name)
            } else {
                name.to_owned()
            };
            errors.push(InvalidInput::parameter(
                shown,
                "malformed percent-encoding: '%' must be followed by two hexadecimal digits",
            ));
            continue;
        }
        let decode = |s: &str| {
            let s = s.replace('+', " ");
            percent_encoding::percent_decode_str(&s)
                .decode_utf8()
                .map(|c| c.into_owned())
        };
        match (decode(name), decode(value)) {
            (Ok(n), Ok(v)) => pairs.push((n, v)),
            (Ok(n), Err(_)) => errors.push(InvalidInput::parameter(
                n,
                "the value is not valid UTF-8 once percent-decoded",
            )),
            (Err(_), _) => errors.push(InvalidInput::parameter(
                String::from_utf8_lossy(
                    &percent_encoding::percent_decode_str(name).collect::<Vec<u8>>(),
                ),
                "the parameter name is not valid UTF-8 once percent-decoded",
            )),
        }
    }
    if errors.is_empty() {
        Ok(pairs)
    } else {
        Err(errors)
    }
}

fn decode_lossy(s: &str) -> String {
    String::from_utf8_lossy(
        &percent_encoding::percent_decode_str(&s.replace('+', " ")).collect::<Vec<u8>>(),
    )
    .into_owned()
}

/// The query parameter that chooses the language of any answer.
pub const LANG: &str = "lang";

/// Parses a query string into `T`.
/// Parameters that fail are left out of `T` and reported in the returned list, so that later
/// checks can add their own problems to the same response.
pub fn parse_query<T: DeserializeOwned + Validate + IntoParams>(
    query: &str,
) -> Result<(T, Vec<InvalidInput>), ApiError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(ApiError::invalid(InvalidInput::parameter(
            "(query)",
            format!(
                "the query string is {} bytes; the limit is {MAX_QUERY_BYTES}",
                query.len()
            ),
        )));
    }
    let mut pairs = decode_pairs(query).map_err(ApiError::InvalidParameters)?;
    // `lang` is every operation's (see `languages`): checked once there, not deserialized here.
    let mut known = param_names::<T>();
    known.push(LANG.to_owned());
    let mut errors = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut bad: Vec<String> = Vec::new();
    let mut unknown = 0;
    for (name, _) in &pairs {
        if !known.iter().any(|k| k == name) {
            let hint = suggestions(name, known.iter().map(|k| (k.as_str(), k.as_str())), 1);
            let message = if known.len() == 1 {
                format!(
                    "unknown parameter \"{name}\"; this operation takes no query parameters but lang"
                )
            } else {
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                unknown_message("parameter", name, &hint, &known, None).0
            };
            // The allowed list is given once, and a flood of unknown names is summarized, so
            // the answer stays small whatever the request.
            if unknown < MAX_UNKNOWN_REPORTED {
                let e = InvalidInput::parameter(name.clone(), message);
                errors.push(if unknown == 0 {
                    e.with_allowed(&known)
                } else {
                    e
                });
            }
            unknown += 1;
            bad.push(name.clone());
        } else if seen.contains(name) {
            if !bad.contains(name) {
                errors.push(InvalidInput::parameter(
                    name.clone(),
                    "given more than once; give it once, with comma-separated values where a list is allowed",
                ));
                bad.push(name.clone());
            }
        } else {
            seen.push(name.clone());
        }
    }
    if unknown > MAX_UNKNOWN_REPORTED {
        errors.push(InvalidInput::parameter(
            "(query)",
            format!(
                "{} more unknown parameters are not listed",
                unknown - MAX_UNKNOWN_REPORTED
            ),
        ));
    }
    // Carry on without the bad ones so that every other problem is reported too.
    pairs.retain(|(n, _)| !bad.contains(n) && n != LANG);
    // Deserialize, dropping each parameter that fails to parse so every one is reported.
    let value = loop {
        let encoded = serde_urlencoded::to_string(&pairs).map_err(|_| ApiError::Internal)?;
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(&encoded));
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(v) => break v,
            Err(e) => {
                let name = e.path().to_string();
                let Some(pos) = pairs.iter().position(|(n, _)| *n == name) else {
                    return Err(ApiError::InvalidParameters(vec![InvalidInput::parameter(
                        name,
                        e.into_inner().to_string(),
                    )]));
                };
                let (_, value) = pairs.remove(pos);
                let message = e.into_inner().to_string();
                errors.push(
                    unknown_variant(Place::Parameter, &name, &message).unwrap_or_else(|| {
                        InvalidInput::parameter(name, format!("{message}, got \"{value}\""))
                    }),
                );
            }
        }
    };
    if let Err(v) = value.validate() {
        errors.extend(validation_errors(&v));
    }
    Ok((value, errors))
}

fn form_urlencoded_parse(s: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(s.as_bytes())
}

/// Maps `validator` errors to invalid inputs, one per failed rule ("is required" names no
/// value: there is none).
pub fn validation_errors(v: &ValidationErrors) -> Vec<InvalidInput> {
    validation_errors_at(Place::Parameter, v)
}

/// [`validation_errors`] for query parameters or body fields.
pub fn validation_errors_at(place: Place, v: &ValidationErrors) -> Vec<InvalidInput> {
    let mut out = Vec::new();
    for (field, errs) in v.field_errors() {
        for e in errs {
            let mut message = e.message.as_deref().unwrap_or(&e.code).to_owned();
            // A list's length error names its length, never the list itself (a 16 KiB body
            // must not come back as a 344 KB answer: h7); other values are cut short.
            match e.params.get("value").filter(|v| !v.is_null()) {
                Some(serde_json::Value::Array(items)) => {
                    message.push_str(&format!(", got {} items", items.len()));
                }
                Some(value) => message.push_str(&format!(
                    ", got {}",
                    crate::problem::truncate(&value.to_string(), 100)
                )),
                None => {}
            }
            out.push(InvalidInput::at(place, field.to_string(), message));
        }
    }
    out
}

/// Deserializes an optional integer from a query value: digits with an optional sign, nothing
/// else (not even spaces: parsed strictly). Digits too large for `i64` saturate, so the range
/// check (not the parser) reports them, with the allowed range.
pub fn lenient_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let s = String::deserialize(d)?;
    let t = s.as_str();
    if let Ok(v) = t.parse::<i64>() {
        return Ok(Some(v));
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Some(if t.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        }));
    }
    Err(de::Error::custom("must be an integer"))
}

/// Splits a comma-separated value into trimmed, non-empty, distinct items.
pub fn split_list(param: &str, value: &str) -> Result<Vec<String>, InvalidInput> {
    let items: Vec<String> = value.split(',').map(|s| s.trim().to_owned()).collect();
    if items.iter().any(String::is_empty) {
        return Err(InvalidInput::parameter(
            param,
            "must be a comma-separated list of non-empty values",
        ));
    }
    if items.len() > MAX_LIST_ITEMS {
        return Err(InvalidInput::parameter(
            param,
            format!(
                "at most {MAX_LIST_ITEMS} values are allowed, got {}",
                items.len()
            ),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    Ok(out)
}

/// The string form of a kebab-case enum value.
pub fn enum_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Parses a comma list of enum values, naming the allowed ones on error.
pub fn enum_list<T: DeserializeOwned + Serialize + Copy>(
    param: &str,
    value: Option<&str>,
    all: &[T],
    errors: &mut Vec<InvalidInput>,
) -> Vec<T> {
    let Some(value) = value else {
        return Vec::new();
    };
    let items = match split_list(param, value) {
        Ok(items) => items,
        Err(e) => {
            errors.push(e.with_allowed(all.iter().map(enum_name)));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items {
        match serde_json::from_value::<T>(serde_json::Value::String(item.clone())) {
            Ok(v) => out.push(v),
            Err(_) => {
                let allowed: Vec<String> = all.iter().map(enum_name).collect();
                let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
                let hint = suggestions(&item, allowed.iter().map(|a| (*a, *a)), 1);
                let (message, allowed) = unknown_message("value", &item, &hint, &allowed, None);
                let mut e = InvalidInput::parameter(param, message);
                e.allowed = allowed;
                errors.push(e);
            }
        }
    }
    out
}

/// Unknown values of one list parameter that get "did you mean" suggestions.
pub const MAX_SUGGESTED_VALUES: usize = 5;

/// Parses a comma list of ids, each of which must name an entry: `resolve` gives the canonical
/// id of an id, alias or former id in any case. `keys` are (name or alias, id) pairs used for
/// suggestions; `list_path` is where the client can see all ids.
pub fn id_list<'a>(
    param: &str,
    value: Option<&str>,
    what: &str,
    resolve: impl Fn(&str) -> Option<&'a str>,
    keys: impl Fn() -> Vec<(&'a str, &'a str)>,
    list_path: &str,
    errors: &mut Vec<InvalidInput>,
) -> Vec<String> {
    let Some(value) = value else {
        return Vec::new();
    };
    let items = match split_list(param, value) {
        Ok(items) => items,
        Err(e) => {
            errors.push(e);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let mut unknown = 0;
    let mut known_keys = None;
    for item in items {
        if let Some(id) = resolve(&item) {
            if !out.iter().any(|o| o == id) {
                out.push(id.to_owned());
            }
            continue;
        }
        // The first few unknown values are reported one by one, with suggestions; the rest
        // are counted, so the work and the answer stay small however long the list (h1, h7).
        unknown += 1;
        if unknown <= MAX_SUGGESTED_VALUES {
            let keys = known_keys.get_or_insert_with(&keys);
            errors.push(unknown_id(
                Place::Parameter,
                param,
                what,
                &item,
                keys,
                list_path,
                Detail::for_nth(unknown),
            ));
        }
    }
    if unknown > MAX_SUGGESTED_VALUES {
        errors.push(InvalidInput::parameter(
            param,
            format!(
                "{} more unknown {what} values (only the first {MAX_SUGGESTED_VALUES} are listed)",
                unknown - MAX_SUGGESTED_VALUES
            ),
        ));
    }
    out
}

/// The problem for an id that names nothing, in the house voice: did-you-mean from the
/// (name or alias, id) `keys`, and the allowed ids (or where to see them).
/// How much an unknown-id problem says: suggestions and the allowed ids (the first unknown
/// value of a list), suggestions only (the next few), or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Full,
    SuggestOnly,
    Bare,
}

impl Detail {
    /// For the `n`th unknown value of one list (1-based).
    pub fn for_nth(n: usize) -> Self {
        match n {
            1 => Detail::Full,
            n if n <= MAX_SUGGESTED_VALUES => Detail::SuggestOnly,
            _ => Detail::Bare,
        }
    }
}

pub fn unknown_id(
    place: Place,
    name: &str,
    what: &str,
    item: &str,
    keys: &[(&str, &str)],
    list_path: &str,
    detail: Detail,
) -> InvalidInput {
    let hint = if detail == Detail::Bare {
        Vec::new()
    } else {
        suggestions(item, keys.iter().copied(), 3)
    };
    let item = &crate::problem::truncate(item, 64);
    if detail != Detail::Full {
        // The allowed ids were given with the list's first unknown value: not again (h7).
        return InvalidInput::at(
            place,
            name,
            format!(
                "unknown {what} \"{item}\"{}",
                super::error::did_you_mean(&hint)
            ),
        );
    }
    let mut ids: Vec<&str> = keys.iter().map(|(_, id)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    let (message, allowed) = unknown_message(what, item, &hint, &ids, Some(list_path));
    let mut e = InvalidInput::at(place, name, message);
    e.allowed = allowed;
    e
}

/// A serde error about an enum ("unknown variant `x`, expected one of `a`, `b`") in the house
/// voice, with did-you-mean and `allowed`; `None` for other errors.
pub fn unknown_variant(place: Place, name: &str, serde_message: &str) -> Option<InvalidInput> {
    let rest = serde_message.strip_prefix("unknown variant `")?;
    let (value, expected) = rest.split_once('`')?;
    let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let allowed = allowed.as_slice();
    let hint = suggestions(value, allowed.iter().map(|a| (*a, *a)), 1);
    let (message, allowed) = unknown_message("value", value, &hint, allowed, None);
    let mut e = InvalidInput::at(place, name, message);
    e.allowed = allowed;
    Some(e)
}
/// Paging parameters shared by every list endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub limit: usize,
    pub offset: usize,
}

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;
pub const MAX_OFFSET: i64 = 1_000_000;

impl Paging {
    pub fn new(limit: Option<i64>, offset: Option<i64>) -> Self {
        // Ranges are validated before this point.
        Paging {
            limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize,
            offset: offset.unwrap_or(0).clamp(0, MAX_OFFSET) as usize,
        }
    }
}

/// Paging alone, for lists with nothing to filter (equipment, sources).
#[derive(Debug, Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
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

impl Resolve for PageParams {
    type Output = Paging;

    fn resolve(self, _: &Catalogue, _: &mut Vec<InvalidInput>) -> Paging {
        Paging::new(self.limit, self.offset)
    }
}

/// `meta` of a list response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageMeta {
    /// Number of items matching the request, across all pages.
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
}

/// `links` of a list response: relative URLs keeping the request's filters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageLinks {
    #[serde(rename = "self")]
    #[schema(example = "/v1/exercises?muscle=gluteals&limit=20&offset=0")]
    pub self_: String,
    /// The next page, or null on the last page.
    pub next: Option<String>,
    /// The previous page, or null on the first page.
    pub prev: Option<String>,
}

/// A page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub meta: PageMeta,
    pub links: PageLinks,
}

impl<T: Clone> Page<T> {
    /// Cuts one page out of `all`; links keep the request's other parameters, in order.
    pub fn new(all: Vec<T>, paging: Paging, path: &str, query: &str) -> Self {
        let total = all.len();
        let data: Vec<T> = all
            .into_iter()
            .skip(paging.offset)
            .take(paging.limit)
            .collect();
        let base: Vec<(String, String)> = decode_pairs(query)
            .unwrap_or_default()
            .into_iter()
            .filter(|(n, _)| n != "limit" && n != "offset")
            .collect();
        let link = |offset: usize| {
            let mut pairs = base.clone();
            pairs.push(("limit".into(), paging.limit.to_string()));
            pairs.push(("offset".into(), offset.to_string()));
            format!(
                "{path}?{}",
                serde_urlencoded::to_string(&pairs).unwrap_or_default()
            )
        };
        let next =
            (paging.offset + paging.limit < total).then(|| link(paging.offset + paging.limit));
        // Past the end, "prev" leads back to the last page that has items.
        let last_page = total.saturating_sub(1) / paging.limit * paging.limit;
        let prev = (paging.offset > 0)
            .then(|| link(paging.offset.saturating_sub(paging.limit).min(last_page)));
        Page {
            data,
            meta: PageMeta {
                total,
                limit: paging.limit,
                offset: paging.offset,
            },
            links: PageLinks {
                self_: link(paging.offset),
                next,
                prev,
            },
        }
    }
}

/// `value` serialized, keeping only the top-level `fields`, in the order the whole resource
/// has them; each kept member is the resource's own JSON text, so nested objects keep their
/// key order too (a `serde_json::Value` would sort every object's keys).
pub fn project<T: Serialize>(value: &T, fields: &[String]) -> Projected {
    let members = serde_json::to_string(value)
        .ok()
        .and_then(|text| serde_json::from_str::<Projected>(&text).ok())
        .unwrap_or_default();
    Projected(
        members
            .0
            .into_iter()
            .filter(|(k, _)| fields.iter().any(|f| f == k))
            .collect(),
    )
}

/// A JSON object's members in their order, each kept as raw JSON.
#[derive(Debug, Default)]
pub struct Projected(Vec<(String, Box<serde_json::value::RawValue>)>);

impl Projected {
    /// Adds (or replaces) member `key`, at the end.
    pub fn insert<V: Serialize>(&mut self, key: &str, value: &V) {
        self.0.retain(|(k, _)| k != key);
        if let Ok(raw) = serde_json::value::to_raw_value(value) {
            self.0.push((key.to_owned(), raw));
        }
    }
}

impl Serialize for Projected {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Projected {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> de::Visitor<'de> for Members {
            type Value = Projected;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Projected, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Projected(out))
            }
        }
        d.deserialize_map(Members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_decode_plus_and_percent() {
        assert_eq!(
            decode_pairs("q=glute+med&x=%C3%A9&&flag").unwrap(),
            vec![
                ("q".into(), "glute med".into()),
                ("x".into(), "é".into()),
                ("flag".into(), String::new())
            ]
        );
        let err = decode_pairs("q=%FF%FE").unwrap_err();
        assert_eq!(err[0].parameter.as_deref(), Some("q"));
    }

    #[test]
    fn lists_are_trimmed_deduplicated_and_bounded() {
        assert_eq!(split_list("m", " a, b ,a").unwrap(), vec!["a", "b"]);
        assert!(split_list("m", "a,,b").is_err());
        assert!(split_list("m", "").is_err());
        let many = vec!["x"; MAX_LIST_ITEMS + 1].join(",");
        assert!(split_list("m", &many).is_err());
    }
}
