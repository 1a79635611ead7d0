//! FHIR R4 representations, as pure functions from the catalogue's views to JSON values: an
//! exercise as an ActivityDefinition, a routine as a PlanDefinition whose actions reference
//! the exercises' ActivityDefinitions in order. Served for `Accept: application/fhir+json`.

use serde_json::{Map, Value, json};

use crate::catalogue::Catalogue;
use crate::catalogue::index::{ExerciseView, RoutineView};
use crate::catalogue::model::{Dose, Media, Source};

/// The coding system of Foundational Model of Anatomy ids.
pub const FMA_SYSTEM: &str = "http://purl.org/sig/ont/fma";
/// The coding systems of this catalogue's own ids.
pub const EXERCISE_SYSTEM: &str = "urn:exercise-api:exercise";
pub const ROUTINE_SYSTEM: &str = "urn:exercise-api:routine";
pub const CATEGORY_SYSTEM: &str = "urn:exercise-api:category";

/// An exercise as a FHIR R4 ActivityDefinition.
pub fn activity_definition(cat: &Catalogue, view: &ExerciseView) -> Value {
    let e = &view.exercise;
    let mut out = Map::new();
    out.insert("resourceType".into(), json!("ActivityDefinition"));
    out.insert("id".into(), json!(e.id));
    out.insert(
        "identifier".into(),
        json!([{"system": EXERCISE_SYSTEM, "value": e.id}]),
    );
    out.insert("title".into(), json!(e.name));
    out.insert("status".into(), json!("active"));
    out.insert("description".into(), json!(e.description));
    out.insert("purpose".into(), json!(e.purpose));
    out.insert("usage".into(), json!(numbered(&e.steps)));
    out.insert(
        "topic".into(),
        json!([{"coding": [{"system": CATEGORY_SYSTEM, "code": kebab(&e.category)}]}]),
    );
    out.insert(
        "relatedArtifact".into(),
        Value::Array(related_artifacts(cat.source(&e.source), &e.media)),
    );
    out.insert("kind".into(), json!("ServiceRequest"));
    out.insert(
        "code".into(),
        json!({"coding": [{"system": EXERCISE_SYSTEM, "code": e.id, "display": e.name}], "text": e.name}),
    );
    out.insert("timingTiming".into(), timing(&e.dose));
    out.insert(
        "dosage".into(),
        json!([{"sequence": 1, "text": dose_text(&e.dose), "timing": timing(&e.dose)}]),
    );
    let sites = body_sites(cat, e.targets.primary.iter().chain(&e.targets.secondary));
    if !sites.is_empty() {
        out.insert("bodySite".into(), Value::Array(sites));
    }
    Value::Object(out)
}

/// A routine as a FHIR R4 PlanDefinition: one action per item, in order, each referencing
/// `ActivityDefinition/{exercise id}` with the item's dose in words.
pub fn plan_definition(cat: &Catalogue, r: &RoutineView) -> Value {
    let actions: Vec<Value> = r
        .items
        .iter()
        .map(|item| {
            let mut a = Map::new();
            a.insert("id".into(), json!(format!("item-{}", item.position)));
            a.insert("title".into(), json!(item.exercise_name));
            let mut text = dose_text(&item.dose);
            if let Some(note) = &item.note {
                text.push_str(". ");
                text.push_str(note);
            }
            a.insert("textEquivalent".into(), json!(text));
            a.insert(
                "definitionCanonical".into(),
                json!(format!("ActivityDefinition/{}", item.exercise_id)),
            );
            a.insert("timingTiming".into(), timing(&item.dose));
            Value::Object(a)
        })
        .collect();
    json!({
        "resourceType": "PlanDefinition",
        "id": r.id,
        "identifier": [{"system": ROUTINE_SYSTEM, "value": r.id}],
        "title": r.name,
        "type": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/plan-definition-type",
            "code": "protocol",
        }]},
        "status": "active",
        "description": r.description,
        "purpose": r.purpose,
        "relatedArtifact": related_artifacts(cat.source(&r.source), &[]),
        "action": actions,
    })
}

/// Steps as one numbered text.
fn numbered(steps: &[String]) -> String {
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {s}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An enum value as the catalogue spells it.
fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The source as a citation, and each medium as documentation.
fn related_artifacts(source: Option<&Source>, media: &[Media]) -> Vec<Value> {
    let mut out: Vec<Value> = source
        .map(|s| {
            json!({"type": "citation", "label": s.id, "display": s.name, "citation": s.usage, "url": s.url})
        })
        .into_iter()
        .collect();
    out.extend(media.iter().map(|m| {
        json!({
            "type": "documentation",
            "display": m.caption,
            "citation": format!("{}; licence: {}", m.author, m.licence),
            "url": m.url,
        })
    }));
    out
}

/// How often: `times_per_day` sessions a day, on `days_per_week` days a week when given
/// (as sessions per week), for `weeks` weeks when given.
pub fn timing(d: &Dose) -> Value {
    let per_day = d.times_per_day.unwrap_or(1);
    let mut repeat = Map::new();
    match d.days_per_week {
        Some(days) if days < 7 => {
            repeat.insert("frequency".into(), json!(per_day * days));
            repeat.insert("period".into(), json!(1));
            repeat.insert("periodUnit".into(), json!("wk"));
        }
        _ => {
            repeat.insert("frequency".into(), json!(per_day));
            repeat.insert("period".into(), json!(1));
            repeat.insert("periodUnit".into(), json!("d"));
        }
    }
    if let Some(weeks) = d.weeks {
        repeat.insert(
            "boundsDuration".into(),
            json!({"value": weeks, "unit": "wk", "system": "http://unitsofmeasure.org", "code": "wk"}),
        );
    }
    let mut text = match per_day {
        1 => "once a day".to_owned(),
        n => format!("{n} times a day"),
    };
    if let Some(days) = d.days_per_week {
        text.push_str(&format!(", {days} days a week"));
    }
    if let Some(weeks) = d.weeks {
        text.push_str(&format!(", for {weeks} weeks"));
    }
    json!({"repeat": repeat, "code": {"text": text}})
}

/// A dose in words: "3 sets of 10 reps, hold 5 s, each side, rest 30 s".
pub fn dose_text(d: &Dose) -> String {
    let mut parts = Vec::new();
    if d.parts.is_empty() {
        parts.push(sets_text(
            d.sets,
            d.reps,
            d.hold_seconds,
            d.duration_seconds,
        ));
    } else {
        let each: Vec<String> = d
            .parts
            .iter()
            .map(|p| {
                let sets = sets_text(p.sets, p.reps, p.hold_seconds, p.duration_seconds);
                format!("{}: {sets}", p.label)
            })
            .collect();
        parts.push(each.join("; then "));
    }
    if d.per_side {
        parts.push("each side".into());
    }
    if let Some(rest) = d.rest_seconds {
        parts.push(format!("rest {rest} s"));
    }
    let mut text = parts.join(", ");
    if let Some(note) = &d.note {
        text.push_str(". ");
        text.push_str(note);
    }
    text
}

/// "3 sets of 10 reps, hold 5 s".
fn sets_text(
    sets: Option<u32>,
    reps: Option<u32>,
    hold: Option<u32>,
    duration: Option<u32>,
) -> String {
    let sets = sets.unwrap_or(1);
    let mut work = Vec::new();
    if let Some(r) = reps {
        work.push(format!("{r} reps"));
    }
    if let Some(h) = hold {
        work.push(format!("hold {h} s"));
    }
    if let Some(s) = duration {
        work.push(format!("{s} s"));
    }
    format!(
        "{sets} set{} of {}",
        if sets == 1 { "" } else { "s" },
        work.join(", ")
    )
}

/// Each target as a CodeableConcept, with an FMA coding where the muscle has an FMA id.
fn body_sites<'a>(cat: &Catalogue, ids: impl Iterator<Item = &'a String>) -> Vec<Value> {
    ids.filter_map(|id| cat.muscle(id))
        .map(|m| {
            let m = &m.muscle;
            match m.fma {
                Some(fma) => json!({
                    "coding": [{"system": FMA_SYSTEM, "code": fma.to_string(), "display": m.name}],
                    "text": m.name,
                }),
                None => json!({"text": m.name}),
            }
        })
        .collect()
}
