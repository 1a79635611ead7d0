//! The catalogue's data model: what a catalogue file says, exactly as it says it.
//!
//! These types are both the file format (deserialized with unknown fields rejected) and the
//! core of the API's response bodies. Anything derived from them lives in `index.rs`.

use std::collections::BTreeMap;

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
    /// The catalogue-wide pain-monitoring rule; routines may override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_monitoring: Option<PainMonitoring>,
}

/// How much pain during and after exercise is acceptable: the traffic-light rule therapists
/// give with a home programme, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PainMonitoring {
    /// Pain during exercise up to this score (0–10 scale) is acceptable.
    #[schema(minimum = 0, maximum = 10, example = 3)]
    pub max_pain_during: u32,
    /// ... provided it settles within this many hours after exercise (1–72).
    #[schema(minimum = 1, maximum = 72, example = 24)]
    pub settles_within_hours: u32,
    /// ... and pain or stiffness is no worse the next morning.
    pub next_morning_not_worse: bool,
    /// The rule in a plain sentence an app can show.
    pub description: String,
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
    /// Ids this entry had before; they redirect to the current id.
    #[serde(default)]
    pub former_ids: Vec<String>,
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

/// A body region. `trunk` is the version-1 value for chest, upper back, lower back and
/// abdomen together; new content uses those four.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    Neck,
    Shoulder,
    UpperArm,
    Elbow,
    Forearm,
    WristHand,
    Chest,
    UpperBack,
    LowerBack,
    Abdomen,
    Hip,
    Thigh,
    Knee,
    LowerLeg,
    Ankle,
    Foot,
    Trunk,
}

impl Region {
    pub const ALL: [Region; 17] = [
        Region::Neck,
        Region::Shoulder,
        Region::UpperArm,
        Region::Elbow,
        Region::Forearm,
        Region::WristHand,
        Region::Chest,
        Region::UpperBack,
        Region::LowerBack,
        Region::Abdomen,
        Region::Hip,
        Region::Thigh,
        Region::Knee,
        Region::LowerLeg,
        Region::Ankle,
        Region::Foot,
        Region::Trunk,
    ];

    /// The regions a filter value stands for: `trunk` also means the four regions it was
    /// split into.
    pub fn covers(self) -> Vec<Region> {
        match self {
            Region::Trunk => vec![
                Region::Trunk,
                Region::Chest,
                Region::UpperBack,
                Region::LowerBack,
                Region::Abdomen,
            ],
            r => vec![r],
        }
    }
}

/// A joint an exercise moves or loads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Joint {
    Neck,
    Shoulder,
    Elbow,
    Wrist,
    Spine,
    Hip,
    Knee,
    Ankle,
    Foot,
}

impl Joint {
    pub const ALL: [Joint; 9] = [
        Joint::Neck,
        Joint::Shoulder,
        Joint::Elbow,
        Joint::Wrist,
        Joint::Spine,
        Joint::Hip,
        Joint::Knee,
        Joint::Ankle,
        Joint::Foot,
    ];
}

/// What an exercise does to a target: build it, wake it up, lengthen it, work its soft tissue,
/// or hold a joint steady.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Strengthen,
    Activate,
    Stretch,
    Release,
    Control,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Strengthen,
        Role::Activate,
        Role::Stretch,
        Role::Release,
        Role::Control,
    ];

    /// Strengthening and activation load a muscle; the others do not, so they are never
    /// offered as substitutes for them (and the reverse).
    pub fn loads(self) -> bool {
        matches!(self, Role::Strengthen | Role::Activate | Role::Control)
    }
}

/// The main direction of force.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Force {
    Push,
    Pull,
    Static,
}

/// Many joints (compound) or one (isolation).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Mechanic {
    Compound,
    Isolation,
}

/// The movement pattern an exercise trains.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum MovementPattern {
    Squat,
    Hinge,
    Lunge,
    Step,
    Bridge,
    Push,
    Pull,
    Carry,
    Rotation,
    AntiRotation,
    AntiExtension,
    AntiLateralFlexion,
    Flexion,
    Extension,
    Abduction,
    Adduction,
    Elevation,
    Raise,
    Gait,
    Balance,
    Jump,
    Breathing,
    Mobility,
    Stretch,
    SoftTissue,
    NerveGlide,
    Grip,
}

/// Whether the hand or foot is fixed (closed chain) or free (open chain).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum KineticChain {
    Open,
    Closed,
}

/// The kind of muscle contraction the exercise is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Contraction {
    Isometric,
    Concentric,
    Eccentric,
    Mixed,
}

/// The rehabilitation phase a routine belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Early,
    Middle,
    Late,
    ReturnToSport,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::Early,
        Phase::Middle,
        Phase::Late,
        Phase::ReturnToSport,
    ];
}

/// An image or a video.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum MediaKind {
    Image,
    Video,
}

/// A picture or video of an exercise, with its terms of use. A video showing several
/// exercises is listed on each, with that exercise's time span when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Media {
    pub kind: MediaKind,
    /// Where the file or the page that shows it is.
    #[schema(example = "https://www.dynamic-pt.com")]
    pub url: String,
    pub caption: String,
    /// The licence or permission under which it is linked or served.
    pub licence: String,
    pub author: String,
    /// For a video: the second this exercise starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_seconds: Option<u32>,
    /// For a video: the second this exercise ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_seconds: Option<u32>,
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
    /// For a muscle the body map does not draw: the drawn muscles it lies under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub map_under: Vec<String>,
    pub description: String,
    /// The Foundational Model of Anatomy id (the number after `FMA:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 22315)]
    pub fma: Option<u32>,
    /// The UBERON id, where one exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "UBERON:0001370")]
    pub uberon: Option<String>,
    /// Ids this entry had before; they redirect to the current id.
    #[serde(default)]
    pub former_ids: Vec<String>,
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
    /// Version 1 only: new content says `contraction: isometric` instead.
    Isometric,
    Strength,
    Balance,
    Plyometric,
    Cardio,
    Breathing,
    NerveGlide,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Mobility,
        Category::SoftTissue,
        Category::Activation,
        Category::Isometric,
        Category::Strength,
        Category::Balance,
        Category::Plyometric,
        Category::Cardio,
        Category::Breathing,
        Category::NerveGlide,
    ];

    /// The role of an exercise's targets when the file gives none.
    pub fn default_role(self) -> Role {
        match self {
            Category::Mobility | Category::NerveGlide => Role::Stretch,
            Category::SoftTissue => Role::Release,
            Category::Activation | Category::Breathing => Role::Activate,
            Category::Balance => Role::Control,
            Category::Isometric | Category::Strength | Category::Plyometric | Category::Cardio => {
                Role::Strengthen
            }
        }
    }
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
    Hanging,
}

impl Position {
    pub const ALL: [Position; 9] = [
        Position::Standing,
        Position::Supine,
        Position::Prone,
        Position::SideLying,
        Position::Seated,
        Position::Kneeling,
        Position::HalfKneeling,
        Position::Quadruped,
        Position::Hanging,
    ];
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

impl Laterality {
    pub const ALL: [Laterality; 3] = [
        Laterality::Unilateral,
        Laterality::Bilateral,
        Laterality::Alternating,
    ];
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

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [
        Difficulty::Beginner,
        Difficulty::Intermediate,
        Difficulty::Advanced,
    ];
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
    /// What the exercise does to its targets; in a file it defaults to the category's usual
    /// role (mobility: stretch, soft tissue: release, activation: activate, balance: control,
    /// the rest: strengthen) and is always served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Targets whose role differs from `role`, by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(example = json!({"hip-flexors": "stretch"}))]
    pub roles: BTreeMap<String, Role>,
}

impl Targets {
    /// The role of target `id` (the override, or the exercise's role).
    pub fn role_of(&self, id: &str, fallback: Role) -> Role {
        self.roles
            .get(id)
            .copied()
            .unwrap_or(self.role.unwrap_or(fallback))
    }
}

/// How much of an exercise to do. At least one of `reps`, `hold_seconds`, `duration_seconds`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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
    /// Sessions a day, 1–10; absent means once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10, example = 2)]
    pub times_per_day: Option<u32>,
    /// Days a week, 1–7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 7, example = 7)]
    pub days_per_week: Option<u32>,
    /// Length of the programme in weeks, 1–52.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 52, example = 12)]
    pub weeks: Option<u32>,
    /// Seconds for each phase of a repetition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tempo: Option<Tempo>,
    /// How hard each set should feel, or the load to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity: Option<Intensity>,
    /// A dose in named parts done one after the other (for example the same exercise with
    /// the knee straight, then bent); the sets, reps, hold and duration are then the parts'.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<DosePart>,
}

/// Seconds for each phase of one repetition, 0–30 each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Tempo {
    /// Lowering (lengthening) phase.
    #[schema(minimum = 0, maximum = 30, example = 3)]
    pub eccentric: u32,
    /// Pause at the bottom.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 30)]
    pub pause_bottom: u32,
    /// Lifting (shortening) phase.
    #[schema(minimum = 0, maximum = 30, example = 1)]
    pub concentric: u32,
    /// Pause at the top.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 30)]
    pub pause_top: u32,
}

impl Tempo {
    /// Seconds one repetition takes.
    pub fn seconds(&self) -> u32 {
        self.eccentric + self.pause_bottom + self.concentric + self.pause_top
    }
}

/// Intensity: a rating of perceived exertion, repetitions in reserve, or a load in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Intensity {
    /// Rating of perceived exertion, 1–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10, example = 7)]
    pub rpe: Option<u32>,
    /// Repetitions left in the tank at the end of a set, 0–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 10, example = 2)]
    pub reps_in_reserve: Option<u32>,
    /// The load in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "body weight; add a backpack with books when 15 reps are easy")]
    pub load: Option<String>,
}

/// One named part of a dose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DosePart {
    #[schema(example = "Straight knee")]
    pub label: String,
    /// Sets, 1–10; absent means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10, example = 3)]
    pub sets: Option<u32>,
    /// Repetitions per set, 1–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 100, example = 15)]
    pub reps: Option<u32>,
    /// Seconds to hold, 1–600.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 600)]
    pub hold_seconds: Option<u32>,
    /// Seconds of timed work per set, 1–1800.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 1800)]
    pub duration_seconds: Option<u32>,
}

/// An exercise, as the catalogue file states it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    #[schema(example = "clamshells")]
    pub id: String,
    /// Ids this exercise had before; they redirect to the current id.
    #[serde(default)]
    pub former_ids: Vec<String>,
    #[schema(example = "Clamshells")]
    pub name: String,
    pub aliases: Vec<String>,
    pub category: Category,
    pub targets: Targets,
    /// Body regions the exercise is for; served with the regions of its targets added.
    #[serde(default)]
    #[schema(example = json!(["hip"]))]
    pub regions: Vec<Region>,
    /// Joints the exercise moves or loads.
    #[serde(default)]
    #[schema(example = json!(["hip"]))]
    pub joints: Vec<Joint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<Force>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanic: Option<Mechanic>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement_pattern: Option<MovementPattern>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinetic_chain: Option<KineticChain>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contraction: Option<Contraction>,
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
    /// Ids of sibling exercises, neither harder nor easier.
    #[serde(default)]
    pub variations: Vec<String>,
    pub cautions: Vec<String>,
    /// When not to do the exercise at all.
    #[serde(default)]
    pub contraindications: Vec<String>,
    /// Pictures and videos.
    #[serde(default)]
    pub media: Vec<Media>,
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
    /// Ids this routine had before; they redirect to the current id.
    #[serde(default)]
    pub former_ids: Vec<String>,
    pub name: String,
    pub purpose: String,
    pub description: String,
    /// Ids of the conditions the routine addresses.
    pub conditions: Vec<String>,
    /// The rehabilitation phase, for phased programmes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    pub items: Vec<RoutineItem>,
    /// This routine's pain rule, when it differs from the catalogue's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pain_monitoring: Option<PainMonitoring>,
    pub source: String,
    /// Which parts come from the source and which were added, when an entry mixes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
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
    /// Stages of the condition or of recovery, in order, where they matter.
    #[serde(default)]
    pub stages: Vec<Stage>,
    /// Ids this condition had before; they redirect to the current id.
    #[serde(default)]
    pub former_ids: Vec<String>,
    pub source: String,
    /// Which parts come from the source and which were added, when an entry mixes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

/// A stage of a condition or of recovery.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    #[schema(example = "Early (0–2 weeks)")]
    pub name: String,
    pub description: String,
}
