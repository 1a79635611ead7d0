//! free-exercise-db's `exercises.json` (a JSON array of exercises; public domain) into a
//! catalogue document.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::mapping::{self, lookup};
use super::{IdAllocator, ImportError, Imported, Report, not_given};
use crate::catalogue::model::*;
use crate::catalogue::validate::{Ancestors, muscle_ancestors};

/// The source's name in generated texts.
const NAME: &str = "free-exercise-db";
/// The id of its source entry, and the suffix of ids that clash with the embedded catalogue.
pub const SOURCE_ID: &str = "free-exercise-db";
const TAG: &str = "fedb";
/// Where the dataset's images are published, joined with each image's relative path.
pub const DEFAULT_IMAGE_BASE: &str =
    "https://raw.githubusercontent.com/yuhonas/free-exercise-db/main/exercises/";
const IMAGE_LICENCE: &str = "Unknown: free-exercise-db does not state a licence for its images \
     (its Unlicense dedication covers the data); check before reuse.";

/// One exercise as free-exercise-db writes it (unknown fields are ignored).
#[derive(Debug, Deserialize)]
struct Entry {
    id: String,
    name: String,
    force: Option<String>,
    level: String,
    mechanic: Option<String>,
    equipment: Option<String>,
    #[serde(rename = "primaryMuscles")]
    primary_muscles: Vec<String>,
    #[serde(rename = "secondaryMuscles")]
    secondary_muscles: Vec<String>,
    instructions: Vec<String>,
    category: String,
    #[serde(default)]
    images: Vec<String>,
}

/// Imports `bytes` (the contents of `exercises.json`); images are linked under `image_base`.
pub fn import(bytes: &[u8], image_base: &str) -> Result<Imported, ImportError> {
    let entries = parse(bytes)?;
    let embedded = super::embedded_document();
    let ancestors = muscle_ancestors(&embedded);
    let mut ids = IdAllocator::new(&embedded, TAG);
    let mut report = Report::default();
    let mut exercises = Vec::with_capacity(entries.len());
    let mut order: Vec<&Entry> = entries.iter().collect();
    // Ids are handed out in the order of the source's ids, so reordering the file changes nothing.
    order.sort_by(|a, b| a.id.cmp(&b.id));
    for entry in order {
        if let Some(e) = exercise(entry, image_base, &ancestors, &mut ids, &mut report) {
            exercises.push(e);
        }
    }
    exercises.sort_by(|a, b| a.id.cmp(&b.id));
    let document = super::assemble(&embedded, source(), exercises);
    Ok(Imported { document, report })
}

/// The dataset's source entry.
fn source() -> Source {
    Source {
        id: SOURCE_ID.into(),
        name: "free-exercise-db".into(),
        url: "https://github.com/yuhonas/free-exercise-db".into(),
        usage: "Public domain: the dataset is released under the Unlicense. Its images carry no \
                stated licence; each media item says so. Mapped onto this catalogue's \
                vocabularies by `exercise-api import free-exercise-db`."
            .into(),
    }
}

/// The file as entries; every entry that does not parse is reported with its position.
fn parse(bytes: &[u8]) -> Result<Vec<Entry>, ImportError> {
    let items: Vec<&RawValue> = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_data() {
            ImportError("free-exercise-db input must be a JSON array of exercises".into())
        } else {
            ImportError(format!("free-exercise-db input is not valid JSON: {e}"))
        }
    })?;
    super::parse_entries("free-exercise-db", "", &items, |e: &Entry| {
        e.name.trim().is_empty().then_some(("name", "is empty"))
    })
}

/// One entry mapped; None (reported) when none of its primary muscles maps.
fn exercise(
    e: &Entry,
    image_base: &str,
    ancestors: &Ancestors,
    ids: &mut IdAllocator,
    report: &mut Report,
) -> Option<Exercise> {
    let (primary, secondary) = targets(e, ancestors, report);
    let Some(difficulty) = lookup(mapping::FREE_EXERCISE_DB_LEVELS, &e.level) else {
        report.unmapped("level", &e.level);
        report.note("exercises skipped: unknown level");
        return None;
    };
    let Some(category) = lookup(mapping::FREE_EXERCISE_DB_CATEGORIES, &e.category) else {
        report.unmapped("category", &e.category);
        report.note("exercises skipped: unknown category");
        return None;
    };
    if primary.is_empty() {
        report.note("exercises skipped: no mappable primary muscle");
        return None;
    }
    let id = ids.allocate(&e.id, report);
    let first_step = e.instructions.first().map(String::as_str).unwrap_or("");
    let position = position(&e.name, first_step, report);
    let laterality =
        mapping::keyword(mapping::LATERALITY_KEYWORDS, &e.name).unwrap_or(Laterality::Bilateral);
    let role = (e.category == "stretching").then_some(Role::Stretch);
    Some(Exercise {
        id,
        former_ids: Vec::new(),
        name: ids.name(e.name.trim(), "free-exercise-db", report),
        aliases: Vec::new(),
        category,
        targets: Targets {
            summary: summary(e),
            primary,
            secondary,
            role,
            roles: Default::default(),
        },
        regions: Vec::new(),
        joints: Vec::new(),
        force: optional(mapping::FORCES, "force", e.force.as_deref(), report),
        mechanic: optional(
            mapping::MECHANICS,
            "mechanic",
            e.mechanic.as_deref(),
            report,
        ),
        movement_pattern: None,
        kinetic_chain: None,
        contraction: None,
        purpose: not_given(NAME),
        description: format!(
            "{}: not described by {NAME} beyond its steps.",
            e.name.trim()
        ),
        steps: steps(e, report),
        feel: not_given(NAME),
        common_mistakes: vec![not_given(NAME)],
        equipment: vec![equipment(e.equipment.as_deref(), report)],
        position,
        laterality,
        difficulty,
        dose: dose(category),
        conditions: Vec::new(),
        progressions: Vec::new(),
        regressions: Vec::new(),
        variations: Vec::new(),
        cautions: vec![not_given(NAME)],
        contraindications: Vec::new(),
        media: media(e, image_base),
        source: SOURCE_ID.into(),
        attribution: Some(ATTRIBUTION.into()),
    })
}

const ATTRIBUTION: &str = "Name, steps, target muscles, level, force, mechanic, equipment, \
     category and images from free-exercise-db, mapped onto this catalogue's vocabularies. \
     Position and laterality are inferred from the name and first step; the dose is a \
     placeholder; the other texts say the source gives none.";

/// Mapped primary and secondary targets; unknown names are reported.
fn targets(e: &Entry, ancestors: &Ancestors, report: &mut Report) -> (Vec<String>, Vec<String>) {
    let mut map = |names: &[String]| -> Vec<String> {
        let mut out = Vec::new();
        for n in names {
            match lookup(mapping::FREE_EXERCISE_DB_MUSCLES, n.as_str()) {
                Some(ids) => out.extend(ids.iter().map(|s| (*s).to_owned())),
                None => report.unmapped("muscle", n),
            }
        }
        out
    };
    let primary = map(&e.primary_muscles);
    let secondary = map(&e.secondary_muscles);
    super::reduce_targets(primary, secondary, ancestors)
}

/// The target in words, in the source's own terms.
fn summary(e: &Entry) -> String {
    let mut s = e.primary_muscles.join(", ");
    if !e.secondary_muscles.is_empty() {
        s.push_str("; also ");
        s.push_str(&e.secondary_muscles.join(", "));
    }
    if s.is_empty() {
        return not_given(NAME);
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or(s)
}

fn optional<T: Copy>(
    table: &[(&str, T)],
    kind: &str,
    value: Option<&str>,
    report: &mut Report,
) -> Option<T> {
    let v = value?;
    let found = lookup(table, v);
    if found.is_none() {
        report.unmapped(kind, v);
    }
    found
}

fn position(name: &str, first_step: &str, report: &mut Report) -> Position {
    mapping::keyword(mapping::POSITION_KEYWORDS, name)
        .or_else(|| mapping::keyword(mapping::POSITION_KEYWORDS, first_step))
        .unwrap_or_else(|| {
            report.note("position not stated (standing assumed)");
            Position::Standing
        })
}

fn steps(e: &Entry, report: &mut Report) -> Vec<String> {
    let steps: Vec<String> = e
        .instructions
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if steps.is_empty() {
        report.note("exercises without instructions");
        return vec![not_given(NAME)];
    }
    steps
}

fn equipment(value: Option<&str>, report: &mut Report) -> String {
    match value {
        Some(v) => lookup(mapping::FREE_EXERCISE_DB_EQUIPMENT, v).map_or_else(
            || {
                report.unmapped("equipment", v);
                "unspecified-equipment".to_owned()
            },
            str::to_owned,
        ),
        None => {
            report.unmapped("equipment", "(missing)");
            "unspecified-equipment".to_owned()
        }
    }
}

/// The source gives no dose: a placeholder by kind of work, saying so.
fn dose(category: Category) -> Dose {
    let note = Some(format!(
        "{NAME} gives no dose; this is a generic placeholder, not a prescription."
    ));
    match category {
        Category::Mobility => Dose {
            hold_seconds: Some(30),
            note,
            ..Dose::default()
        },
        Category::Cardio => Dose {
            duration_seconds: Some(600),
            note,
            ..Dose::default()
        },
        _ => Dose {
            sets: Some(3),
            reps: Some(10),
            note,
            ..Dose::default()
        },
    }
}

fn media(e: &Entry, image_base: &str) -> Vec<Media> {
    let n = e.images.len();
    e.images
        .iter()
        .enumerate()
        .map(|(i, path)| Media {
            kind: MediaKind::Image,
            url: format!(
                "{image_base}{}",
                percent_encoding::utf8_percent_encode(path, URL_PATH)
            ),
            caption: format!("{}, image {} of {n}", e.name.trim(), i + 1),
            licence: IMAGE_LICENCE.into(),
            author: "Unknown (published with free-exercise-db)".into(),
            start_seconds: None,
            end_seconds: None,
        })
        .collect()
}

/// Characters escaped in an image path (slashes stay).
const URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');
