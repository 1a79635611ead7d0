//! Parsing and validating a catalogue document: every problem is reported with its path, all
//! at once, so an author can fix a file in one pass.

use std::collections::BTreeMap;
use std::fmt;

// Fast, randomly seeded hashing: validation hashes every id and reference of the catalogue.
use foldhash::{HashMap, HashMapExt, HashSet};

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::model::CatalogueDocument;
use super::text::suggest;
pub use super::validate::is_slug;

/// One thing wrong with a catalogue file, at a JSON path such as `exercises[3].targets.primary[1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every problem found in a catalogue; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CatalogueErrors(pub Vec<Problem>);

impl fmt::Display for CatalogueErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "the catalogue has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// The collections of a document, in document order.
pub(crate) const COLLECTIONS: [&str; 6] = [
    "sources",
    "equipment",
    "muscles",
    "exercises",
    "routines",
    "conditions",
];

/// Top-level members that are not collections.
const SETTINGS: [&str; 2] = ["$schema", "pain_monitoring"];

pub use super::validate::{DURATION_SECONDS, HOLD_SECONDS, REPS, REST_SECONDS, SETS};

/// Parses and validates a catalogue document.
///
/// Each entry is deserialized from its own slice of the input (no tree of the whole document
/// is built), so a large catalogue costs little more than its typed form.
pub fn parse(bytes: &[u8]) -> Result<CatalogueDocument, CatalogueErrors> {
    let fail = |message: String| {
        CatalogueErrors(vec![Problem {
            path: String::new(),
            message,
        }])
    };
    super::guard::check_raw(bytes)?;
    let text =
        std::str::from_utf8(bytes).map_err(|e| fail(format!("not valid JSON: not UTF-8 ({e})")))?;
    let mut top: BTreeMap<String, TopValue> = serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            fail("the document must be a JSON object".into())
        } else {
            fail(format!("not valid JSON: {e}"))
        }
    })?;
    let mut problems = Vec::new();
    for key in top.keys() {
        if !SETTINGS.contains(&key.as_str()) && !COLLECTIONS.contains(&key.as_str()) {
            let hint = suggest(key, COLLECTIONS.iter().chain(&SETTINGS).copied())
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            problems.push(Problem {
                path: key.clone(),
                message: format!(
                    "unknown field{hint}; the fields are {}, {}",
                    COLLECTIONS.join(", "),
                    SETTINGS.join(", ")
                ),
            });
        }
    }
    let schema = match top.remove("$schema") {
        None => None,
        Some(TopValue::String(s)) => Some(s),
        Some(_) => {
            problems.push(Problem {
                path: "$schema".into(),
                message: "must be a string".into(),
            });
            None
        }
    };
    let pain_monitoring = match top.remove("pain_monitoring") {
        None => None,
        Some(TopValue::Object(map)) => {
            match serde_path_to_error::deserialize(serde_json::Value::Object(map)) {
                Ok(rule) => Some(rule),
                Err(e) => {
                    problems.push(Problem {
                        path: format!("pain_monitoring.{}", e.path()),
                        message: e.into_inner().to_string(),
                    });
                    None
                }
            }
        }
        Some(_) => {
            problems.push(Problem {
                path: "pain_monitoring".into(),
                message: "must be an object".into(),
            });
            None
        }
    };
    let mut take = |name: &'static str, problems: &mut Vec<Problem>| -> Vec<&RawValue> {
        match top.remove(name) {
            Some(TopValue::Array(items)) => items,
            Some(_) => {
                problems.push(Problem {
                    path: name.into(),
                    message: "must be an array".into(),
                });
                Vec::new()
            }
            None => {
                problems.push(Problem {
                    path: name.into(),
                    message: "is missing (an empty array is allowed)".into(),
                });
                Vec::new()
            }
        }
    };
    let sources = take("sources", &mut problems);
    let equipment = take("equipment", &mut problems);
    let muscles = take("muscles", &mut problems);
    let exercises = take("exercises", &mut problems);
    let routines = take("routines", &mut problems);
    let conditions = take("conditions", &mut problems);
    // Ids of entries that failed to parse still count as known, so one bad entry does not
    // cascade into "unknown id" reports everywhere it is referenced.
    let mut raw_ids: HashMap<&'static str, HashSet<String>> = HashMap::new();
    let doc = CatalogueDocument {
        schema,
        sources: entries("sources", sources, &mut problems, &mut raw_ids),
        equipment: entries("equipment", equipment, &mut problems, &mut raw_ids),
        muscles: entries("muscles", muscles, &mut problems, &mut raw_ids),
        exercises: entries("exercises", exercises, &mut problems, &mut raw_ids),
        routines: entries("routines", routines, &mut problems, &mut raw_ids),
        conditions: entries("conditions", conditions, &mut problems, &mut raw_ids),
        pain_monitoring,
    };
    let unparsed = problems.len();
    super::validate::validate(&doc, &raw_ids, &mut problems);
    problems.extend(super::guard::document(&doc));
    if problems.is_empty() {
        Ok(doc)
    } else {
        // Structural problems first, then the rest in document order.
        problems[unparsed..].sort_by_key(|p| path_key(&p.path));
        Err(CatalogueErrors(problems))
    }
}

/// A member of the document's top level: an array's elements, each left unparsed (so the whole
/// file is scanned once here), a string, or anything else.
enum TopValue<'a> {
    Array(Vec<&'a RawValue>),
    String(String),
    Object(serde_json::Map<String, serde_json::Value>),
    Other,
}

impl<'de> serde::Deserialize<'de> for TopValue<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = TopValue<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element::<&'de RawValue>()? {
                    items.push(item);
                }
                Ok(TopValue::Array(items))
            }

            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TopValue::String(v.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                // Top-level objects (settings such as `pain_monitoring`) are small: keep them.
                let mut out = serde_json::Map::new();
                while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                    out.insert(k, v);
                }
                Ok(TopValue::Object(out))
            }

            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }

            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }

            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }

            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }

            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// Sort key that orders `x[10]` after `x[9]`.
fn path_key(path: &str) -> Vec<Result<u64, String>> {
    path.split(['[', ']', '.'])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<u64>().map_err(|_| s.to_owned()))
        .collect()
}

/// Deserializes each entry on its own so that every broken entry is reported; the ids of
/// broken entries go to `raw_ids`.
fn entries<T: DeserializeOwned>(
    name: &'static str,
    items: Vec<&RawValue>,
    problems: &mut Vec<Problem>,
    raw_ids: &mut HashMap<&'static str, HashSet<String>>,
) -> Vec<T> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: String,
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        // Most entries are valid: parse them plainly, and only a failed one again, tracking
        // the path to report.
        if let Ok(v) = serde_json::from_str::<T>(item.get()) {
            out.push(v);
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(item.get());
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(v) => out.push(v),
            Err(e) => {
                if let Ok(IdOnly { id }) = serde_json::from_str(item.get()) {
                    raw_ids.entry(name).or_default().insert(id);
                }
                let inner = e.path().to_string();
                let path = if inner == "." || inner.is_empty() {
                    format!("{name}[{i}]")
                } else {
                    format!("{name}[{i}].{inner}")
                };
                // Positions would be relative to the entry, not the file: the path says where.
                let message = e.into_inner().to_string();
                let message = match message.rfind(" at line ") {
                    Some(at) => message[..at].to_owned(),
                    None => message,
                };
                problems.push(Problem { path, message });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_keys_sort_numerically() {
        let mut paths = vec!["x[10].a", "x[9].b", "x[9].a"];
        paths.sort_by_key(|p| path_key(p));
        assert_eq!(paths, vec!["x[9].a", "x[9].b", "x[10].a"]);
    }
}
