//! Translations of a catalogue's text, per language: loaded, validated against the English
//! entries (every translated text must be a translatable text of the entry, lists as long as
//! the English ones, nothing empty), measured for completeness, and laid over an entry.
//!
//! A translation file mirrors the catalogue: `{"language": "es", "name": "Español",
//! "exercises": {"<id>": {"name": "…", "steps": ["…"], "targets": {"summary": "…"}}}, …}`.
//! Only text is translated; ids, numbers and vocabularies stay as they are. Aliases are the
//! exception to "as long as the English list": they are what people type in that language.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::load::Problem;
use super::model::CatalogueDocument;

/// The collections a translation may cover, with the paths of their translatable texts
/// (`[]` marks every element of a list).
const TRANSLATABLE: [(&str, &[&str]); 6] = [
    (
        "exercises",
        &[
            "name",
            "aliases[]",
            "targets.summary",
            "purpose",
            "description",
            "steps[]",
            "feel",
            "common_mistakes[]",
            "cautions[]",
            "contraindications[]",
            "dose.note",
            "dose.intensity.load",
            "dose.parts[].label",
            "media[].caption",
            "attribution",
        ],
    ),
    (
        "muscles",
        &["name", "common_name", "aliases[]", "description"],
    ),
    (
        "routines",
        &[
            "name",
            "purpose",
            "description",
            "items[].note",
            "items[].dose.note",
            "items[].dose.intensity.load",
            "items[].dose.parts[].label",
            "pain_monitoring.description",
            "attribution",
        ],
    ),
    (
        "conditions",
        &[
            "name",
            "aliases[]",
            "description",
            "causes[]",
            "see_a_professional[]",
            "stages[].name",
            "stages[].description",
            "attribution",
        ],
    ),
    ("equipment", &["name", "description"]),
    ("sources", &["name", "usage"]),
];

/// How much of the catalogue's text one language covers.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Completeness {
    /// BCP 47 tag.
    #[schema(example = "es")]
    pub language: String,
    /// The language's own name for itself.
    #[schema(example = "Español")]
    pub name: String,
    /// Translated texts over translatable texts, 0–100, one decimal.
    #[schema(example = 100.0)]
    pub percent: f64,
    pub translated: usize,
    pub total: usize,
    /// The same by collection.
    pub collections: BTreeMap<String, (usize, usize)>,
}

/// One language's translations: collection → id → the entry's translated texts.
#[derive(Debug, Clone, Default)]
pub struct Translation {
    pub language: String,
    pub name: String,
    pub entries: BTreeMap<String, BTreeMap<String, Value>>,
    pub pain_monitoring: Option<String>,
}

/// True for the BCP 47 tags a catalogue may use: a 2–3 letter language, optionally a region
/// (`es`, `de`, `es-MX`, `pt-BR`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or("");
    let region = parts.next();
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| {
            (r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()))
                || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
        })
        && parts.next().is_none()
        && tag != "en"
}

/// Parses one translation file, reporting problems under `file`.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Translation, Vec<Problem>> {
    let problem = |path: String, message: String| Problem { path, message };
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| vec![problem(file.into(), format!("not valid JSON: {e}"))])?;
    let Value::Object(mut top) = value else {
        return Err(vec![problem(file.into(), "must be a JSON object".into())]);
    };
    let mut problems = Vec::new();
    let mut text = |key: &str, top: &mut Map<String, Value>| match top.remove(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => s,
        _ => {
            problems.push(problem(
                format!("{file}: {key}"),
                "must be a non-empty string".into(),
            ));
            String::new()
        }
    };
    let language = text("language", &mut top);
    let name = text("name", &mut top);
    if !language.is_empty() && !is_language_tag(&language) {
        problems.push(problem(
            format!("{file}: language"),
            format!("\"{language}\" is not a language tag such as es, de or pt-BR (and not en)"),
        ));
    }
    let pain_monitoring = match top.remove("pain_monitoring") {
        None => None,
        Some(Value::Object(mut m)) => match m.remove("description") {
            Some(Value::String(s)) if !s.trim().is_empty() && m.is_empty() => Some(s),
            _ => {
                problems.push(problem(
                    format!("{file}: pain_monitoring"),
                    "must be {\"description\": \"…\"}".into(),
                ));
                None
            }
        },
        Some(_) => {
            problems.push(problem(
                format!("{file}: pain_monitoring"),
                "must be an object".into(),
            ));
            None
        }
    };
    let mut entries = BTreeMap::new();
    for (key, value) in top {
        let known = TRANSLATABLE.iter().any(|(c, _)| *c == key);
        match value {
            Value::Object(by_id) if known => {
                entries.insert(key, by_id.into_iter().collect());
            }
            _ if known => problems.push(problem(
                format!("{file}: {key}"),
                "must be an object of entries by id".into(),
            )),
            _ => problems.push(problem(
                format!("{file}: {key}"),
                format!(
                    "unknown field; the fields are language, name, pain_monitoring, {}",
                    TRANSLATABLE.map(|(c, _)| c).join(", ")
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(Translation {
            language,
            name,
            entries,
            pain_monitoring,
        })
    } else {
        Err(problems)
    }
}

/// The English entries of a document as JSON, by collection and id.
fn english(doc: &CatalogueDocument) -> BTreeMap<&'static str, BTreeMap<String, Value>> {
    fn by_id<T: Serialize>(items: &[T]) -> BTreeMap<String, Value> {
        items
            .iter()
            .filter_map(|x| serde_json::to_value(x).ok())
            .filter_map(|v| Some((v.get("id")?.as_str()?.to_owned(), v)))
            .collect()
    }
    BTreeMap::from([
        ("exercises", by_id(&doc.exercises)),
        ("muscles", by_id(&doc.muscles)),
        ("routines", by_id(&doc.routines)),
        ("conditions", by_id(&doc.conditions)),
        ("equipment", by_id(&doc.equipment)),
        ("sources", by_id(&doc.sources)),
    ])
}

/// Every translatable text path of an English entry that holds text (`steps[2]`,
/// `targets.summary`), for the collection's patterns.
fn text_paths(entry: &Value, patterns: &[&str]) -> Vec<String> {
    fn walk(v: &Value, segments: &[&str], prefix: String, out: &mut Vec<String>) {
        let Some((first, rest)) = segments.split_first() else {
            if v.as_str().is_some_and(|s| !s.trim().is_empty()) {
                out.push(prefix);
            }
            return;
        };
        let (key, each) = match first.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (*first, false),
        };
        let Some(child) = v.get(key) else { return };
        let path = if prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{prefix}.{key}")
        };
        if each {
            for (i, item) in child.as_array().into_iter().flatten().enumerate() {
                walk(item, rest, format!("{path}[{i}]"), out);
            }
        } else {
            walk(child, rest, path, out);
        }
    }
    let mut out = Vec::new();
    for p in patterns {
        let segments: Vec<&str> = p.split('.').collect();
        walk(entry, &segments, String::new(), &mut out);
    }
    out
}

/// Every text path a translation entry holds, with problems for values that are not text
/// where text belongs.
fn translated_paths<'a>(v: &'a Value, prefix: &str, out: &mut Vec<(String, Option<&'a str>)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                translated_paths(child, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                translated_paths(child, &format!("{prefix}[{i}]"), out);
            }
        }
        Value::String(s) => out.push((prefix.to_owned(), Some(s))),
        _ => out.push((prefix.to_owned(), None)),
    }
}

/// Whether `path` is an alias path (`aliases[3]`), which need not exist in English.
fn is_alias(path: &str) -> bool {
    path.starts_with("aliases[")
}

/// Checks a translation against the document: known ids, only translatable texts of the
/// entry, no empty text, lists as long as the English ones. Returns the completeness.
pub fn validate(
    file: &str,
    t: &Translation,
    doc: &CatalogueDocument,
) -> (Completeness, Vec<Problem>) {
    let english = english(doc);
    let mut problems = Vec::new();
    let mut collections = BTreeMap::new();
    let (mut translated, mut total) = (0, 0);
    for (collection, patterns) in TRANSLATABLE {
        let originals = &english[collection];
        let given = t.entries.get(collection);
        let mut done = 0;
        let mut all = 0;
        for (id, entry) in originals {
            // Aliases count once per entry: a language has its own, not one per English alias.
            let paths = text_paths(entry, patterns);
            let has_aliases = paths.iter().any(|p| is_alias(p));
            all += paths.iter().filter(|p| !is_alias(p)).count() + usize::from(has_aliases);
            let Some(tr) = given.and_then(|g| g.get(id)) else {
                continue;
            };
            let mut have = Vec::new();
            translated_paths(tr, "", &mut have);
            if has_aliases && have.iter().any(|(p, _)| is_alias(p)) {
                done += 1;
            }
            for (path, text) in &have {
                let at = format!("{file}: {collection}.{id}.{path}");
                match text {
                    None => problems.push(Problem {
                        path: at,
                        message: "must be text".into(),
                    }),
                    Some(s) if s.trim().is_empty() => problems.push(Problem {
                        path: at,
                        message: "must not be empty".into(),
                    }),
                    Some(_) if is_alias(path) => {}
                    Some(_) if !paths.contains(path) => problems.push(Problem {
                        path: at,
                        message: "is not a translatable text of this entry (or the English list is shorter)".into(),
                    }),
                    Some(_) => done += 1,
                }
            }
        }
        if let Some(given) = given {
            for id in given.keys().filter(|id| !originals.contains_key(*id)) {
                let hint = super::text::suggest(id, originals.keys().map(String::as_str))
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default();
                problems.push(Problem {
                    path: format!("{file}: {collection}.{id}"),
                    message: format!("no entry has this id{hint}"),
                });
            }
        }
        translated += done;
        total += all;
        collections.insert(collection.to_owned(), (done, all));
    }
    if doc.pain_monitoring.is_some() {
        total += 1;
        translated += usize::from(t.pain_monitoring.is_some());
    }
    let percent = if total == 0 {
        100.0
    } else {
        (translated as f64 * 1000.0 / total as f64).floor() / 10.0
    };
    (
        Completeness {
            language: t.language.clone(),
            name: t.name.clone(),
            percent,
            translated,
            total,
            collections,
        },
        problems,
    )
}

/// An English entry with a translation laid over it: each translated text replaces the
/// English one; aliases are the translation's followed by the English ones (English aliases
/// keep working). Returns the entry and the translatable paths left in English.
pub fn localize(
    english: &Value,
    translation: Option<&Value>,
    patterns_of: &str,
) -> (Value, Vec<String>) {
    let patterns = TRANSLATABLE
        .iter()
        .find(|(c, _)| *c == patterns_of)
        .map_or(&[][..], |(_, p)| *p);
    let mut out = english.clone();
    let Some(tr) = translation else {
        return (out, text_paths(english, patterns));
    };
    overlay(&mut out, tr, true);
    let mut have = Vec::new();
    translated_paths(tr, "", &mut have);
    let have: Vec<&str> = have.iter().map(|(p, _)| p.as_str()).collect();
    let missing = text_paths(english, patterns)
        .into_iter()
        .filter(|p| !is_alias(p) && !have.contains(&p.as_str()))
        .collect();
    (out, missing)
}

fn overlay(base: &mut Value, tr: &Value, top: bool) {
    match (base, tr) {
        (Value::Object(b), Value::Object(t)) => {
            for (k, v) in t {
                if top && k == "aliases" {
                    let english = b.get("aliases").cloned().unwrap_or(Value::Array(vec![]));
                    let mut merged: Vec<Value> = v.as_array().cloned().unwrap_or_default();
                    for a in english.as_array().into_iter().flatten() {
                        if !merged.contains(a) {
                            merged.push(a.clone());
                        }
                    }
                    b.insert(k.clone(), Value::Array(merged));
                } else if let Some(slot) = b.get_mut(k) {
                    overlay(slot, v, false);
                }
            }
        }
        (Value::Array(b), Value::Array(t)) => {
            for (slot, v) in b.iter_mut().zip(t) {
                overlay(slot, v, false);
            }
        }
        (slot, Value::String(s)) if slot.is_string() => *slot = Value::String(s.clone()),
        _ => {}
    }
}

/// The translations compiled into the binary, for the embedded catalogue.
pub const EMBEDDED: [(&str, &str); 2] = [
    ("es.json", include_str!("data/i18n/es.json")),
    ("de.json", include_str!("data/i18n/de.json")),
];

/// The language tag of an embedded translation file: its name without `.json`.
pub fn embedded_tag(file: &str) -> &str {
    file.strip_suffix(".json").unwrap_or(file)
}

/// Parses and validates one translation file against `doc`.
pub fn read(
    file: &str,
    text: &str,
    doc: &CatalogueDocument,
) -> Result<(Translation, Completeness), Vec<Problem>> {
    let t = parse(file, text.as_bytes())?;
    let (c, problems) = validate(file, &t, doc);
    if problems.is_empty() {
        Ok((t, c))
    } else {
        Err(problems)
    }
}

/// Parses and validates the embedded translations against `doc`.
pub fn embedded(doc: &CatalogueDocument) -> Result<Vec<(Translation, Completeness)>, Vec<Problem>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (file, text) in EMBEDDED {
        match read(file, text, doc) {
            Ok(read) => out.push(read),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The document in another language: every entry with its translation laid over it, and
/// for each (collection, id) the texts left in English.
pub fn localize_document(
    doc: &CatalogueDocument,
    t: &Translation,
) -> (CatalogueDocument, BTreeMap<(String, String), Vec<String>>) {
    let mut fallbacks = BTreeMap::new();
    fn each<T: Serialize + serde::de::DeserializeOwned + Clone>(
        collection: &str,
        items: &[T],
        t: &Translation,
        fallbacks: &mut BTreeMap<(String, String), Vec<String>>,
    ) -> Vec<T> {
        let given = t.entries.get(collection);
        items
            .iter()
            .map(|item| {
                let Ok(english) = serde_json::to_value(item) else {
                    return item.clone();
                };
                let id = english["id"].as_str().unwrap_or_default().to_owned();
                let (local, missing) =
                    localize(&english, given.and_then(|g| g.get(&id)), collection);
                if !missing.is_empty() {
                    fallbacks.insert((collection.to_owned(), id), missing);
                }
                serde_json::from_value(local).unwrap_or_else(|_| item.clone())
            })
            .collect()
    }
    let mut out = doc.clone();
    out.exercises = each("exercises", &doc.exercises, t, &mut fallbacks);
    out.muscles = each("muscles", &doc.muscles, t, &mut fallbacks);
    out.routines = each("routines", &doc.routines, t, &mut fallbacks);
    out.conditions = each("conditions", &doc.conditions, t, &mut fallbacks);
    out.equipment = each("equipment", &doc.equipment, t, &mut fallbacks);
    out.sources = each("sources", &doc.sources, t, &mut fallbacks);
    if let (Some(rule), Some(text)) = (out.pain_monitoring.as_mut(), &t.pain_monitoring) {
        rule.description = text.clone();
    }
    (out, fallbacks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn language_tags() {
        for ok in ["es", "de", "es-MX", "pt-BR", "es-419", "fil"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["en", "ES", "es_MX", "spanish", "es-mx", "e", "es-MX-x"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn localize_replaces_texts_keeps_shape_and_reports_fallbacks() {
        let english = json!({
            "id": "x", "name": "Bridge", "aliases": ["hip lift"], "steps": ["Lie down.", "Lift."],
            "targets": {"summary": "Glutes", "primary": ["gluteals"]}, "difficulty": "beginner"
        });
        let tr = json!({"name": "Puente", "aliases": ["puente de glúteo"], "steps": ["Túmbate.", "Sube."]});
        let (out, missing) = localize(&english, Some(&tr), "exercises");
        assert_eq!(out["name"], "Puente");
        assert_eq!(out["aliases"], json!(["puente de glúteo", "hip lift"]));
        assert_eq!(out["steps"], json!(["Túmbate.", "Sube."]));
        assert_eq!(out["targets"]["primary"], json!(["gluteals"]));
        assert_eq!(out["difficulty"], "beginner");
        assert_eq!(missing, vec!["targets.summary".to_owned()]);
    }
}
