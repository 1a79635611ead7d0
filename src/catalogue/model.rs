//! The catalogue's data model: what a catalogue file says, exactly as it says it.
//!
//! These types are both the file format (deserialized with unknown fields rejected) and the
//! core of the API's response bodies. Anything derived from them lives in `index.rs`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A whole catalogue document.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueDocument {
    /// Optional pointer to the JSON Schema, for editors; ignored by the service.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub sources: Vec<Source>,
    pub equipment: Vec<Equipment>,
    pub muscles: Vec<Muscle>,
    pub exercises: Vec<Exercise>,
    pub routines: Vec<Routine>,
    pub conditions: Vec<Condition>,
}

/// Who wrote a piece of content, and under what terms it is used.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable slug id.
    #[schema(example = "dynamic-pt-chicago")]
    pub id: String,
    #[schema(example = "Dynamic PT Chicago")]
    pub name: String,
    /// Where the source can be found.
    #[schema(example = "https://www.dynamic-pt.com")]
    pub url: String,
    /// The licence or permission under which the content is used.
    pub usage: String,
}

/// A piece of equipment. `none` is an entry of its own, for exercises that need nothing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Equipment {
    #[schema(example = "resistance-band")]
    pub id: String,
    #[schema(example = "Resistance band")]
    pub name: String,
    pub description: String,
}

/// Whether a muscle entry is one muscle or a group of muscles.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum MuscleKind {
    Muscle,
    Group,
}

/// A body region.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    Hip,
    Thigh,
    LowerLeg,
    Foot,
    Trunk,
}

/// A muscle or a group of muscles. Groups may overlap and may contain other groups.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Muscle {
    #[schema(example = "gluteus-medius")]
    pub id: String,
    pub kind: MuscleKind,
    /// Anatomical name.
    #[schema(example = "Gluteus medius")]
    pub name: String,
    #[schema(example = "Glute med")]
    pub common_name: String,
    /// Other names people use.
    #[schema(example = json!(["glute med"]))]
    pub aliases: Vec<String>,
    pub region: Region,
    /// Ids of the groups this entry belongs to directly.
    #[schema(example = json!(["gluteals", "hip-abductors", "hip-stabilizers"]))]
    pub groups: Vec<String>,
    /// For a muscle not drawn on the body map: the drawn shapes it lies under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub map_under: Vec<String>,
    pub description: String,
    /// Id of the source of this entry.
    pub source: String,
}

/// What kind of work an exercise is; routines order items by it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Mobility,
    SoftTissue,
    Activation,
    Isometric,
    Strength,
    Balance,
}

/// The body position an exercise starts in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    Standing,
    Supine,
    Prone,
    SideLying,
    Seated,
    Kneeling,
    HalfKneeling,
    Quadruped,
}

/// One side at a time, both sides together, or sides in turn.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Laterality {
    Unilateral,
    Bilateral,
    Alternating,
}

/// How hard an exercise is for someone new to it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
}

/// What an exercise works: the target in words, and the muscle or group ids it resolves to.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// The target in words.
    #[schema(example = "Glute min/med")]
    pub summary: String,
    /// Muscle or group ids the exercise mainly works (at least one).
    #[schema(example = json!(["gluteus-medius", "gluteus-minimus"]))]
    pub primary: Vec<String>,
    /// Muscle or group ids it also works.
    pub secondary: Vec<String>,
}

/// How much of an exercise to do. At least one of `reps`, `hold_seconds`, `duration_seconds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dose {
    /// Sets, 1–10; absent means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10, example = 3)]
    pub sets: Option<u32>,
    /// Repetitions per set, 1–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 100, example = 15)]
    pub reps: Option<u32>,
    /// Seconds to hold (each repetition when `reps` is given), 1–600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 600)]
    pub hold_seconds: Option<u32>,
    /// Seconds of timed work per set, 1–1800.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 1800)]
    pub duration_seconds: Option<u32>,
    /// The dose is done on each side.
    #[serde(default)]
    pub per_side: bool,
    /// Rest between sets in seconds, 0–600; absent means 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 600)]
    pub rest_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An exercise, as the catalogue file states it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    #[schema(example = "clamshells")]
    pub id: String,
    #[schema(example = "Clamshells")]
    pub name: String,
    pub aliases: Vec<String>,
    pub category: Category,
    pub targets: Targets,
    /// Why the exercise is done.
    pub purpose: String,
    /// The exercise in a short paragraph.
    pub description: String,
    /// The steps, in order.
    pub steps: Vec<String>,
    /// Where the exercise should be felt.
    pub feel: String,
    pub common_mistakes: Vec<String>,
    /// Equipment ids; `["none"]` when nothing is needed.
    #[schema(example = json!(["resistance-band"]))]
    pub equipment: Vec<String>,
    pub position: Position,
    pub laterality: Laterality,
    pub difficulty: Difficulty,
    /// The default dose.
    pub dose: Dose,
    /// Ids of the conditions the exercise is used for.
    pub conditions: Vec<String>,
    /// Ids of harder exercises that build on this one.
    pub progressions: Vec<String>,
    /// Ids of easier exercises to step back to.
    pub regressions: Vec<String>,
    pub cautions: Vec<String>,
    /// Id of the source of this entry.
    #[schema(example = "dynamic-pt-chicago")]
    pub source: String,
    /// Which parts come from the source and which were added, when an entry mixes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

/// One step of a routine.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutineItem {
    /// Exercise id.
    #[schema(example = "clamshells")]
    pub exercise: String,
    /// The dose for this routine; absent means the exercise's default dose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<Dose>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A routine: exercises in the order to do them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Routine {
    #[schema(example = "knee-pain-5-best-exercises")]
    pub id: String,
    pub name: String,
    pub purpose: String,
    pub description: String,
    /// Ids of the conditions the routine addresses.
    pub conditions: Vec<String>,
    pub items: Vec<RoutineItem>,
    pub source: String,
}

/// A condition the exercises help with.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[schema(example = "knee-pain")]
    pub id: String,
    #[schema(example = "Knee pain")]
    pub name: String,
    pub aliases: Vec<String>,
    pub description: String,
    /// Contributing causes.
    pub causes: Vec<String>,
    /// Signs that call for an examination by a clinician rather than exercise alone.
    pub see_a_professional: Vec<String>,
    pub source: String,
}
