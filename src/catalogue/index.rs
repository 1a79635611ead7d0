//! The loaded catalogue: the validated document plus everything derived from it once, at load
//! (views with computed fields, id lookups, filter postings, the search index).

// Fast, randomly seeded hashing for the maps built from the catalogue at load.
use foldhash::{HashMap, HashMapExt};

use serde::Serialize;
use utoipa::ToSchema;

use super::load::{self, CatalogueErrors};
use super::model::*;
use super::search::{Hit, SearchIndex, SuggestIndex, Tier, keep_best_tier, rank};
pub(super) use super::text::normalize;

/// An exercise as served: the file's fields with what is computed from the rest of the
/// catalogue filled in (the regions of its targets added to `regions`, the role of its
/// targets, progressions and regressions merged both ways).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExerciseView {
    #[serde(flatten)]
    pub exercise: Exercise,
    /// The exercise's body map (SVG; `.png` for a picture): its targets drawn on the body.
    #[schema(example = "/v1/exercises/clamshells/map")]
    pub map: String,
    /// In a language other than English: the texts not translated yet, served in English.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub untranslated: Vec<String>,
}

/// How an exercise matched a muscle filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// The exercise targets the muscle asked for.
    Direct,
    /// It targets a member of the group asked for.
    Member,
    /// It targets a group that contains the muscle asked for.
    Group,
}

/// Which requested muscle an exercise matched, through which of its targets, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MuscleMatch {
    /// The requested muscle or group id.
    #[schema(example = "vastus-medialis")]
    pub muscle: String,
    /// The exercise's target that matched it.
    #[schema(example = "quadriceps")]
    pub target: String,
    pub how: MatchKind,
}

/// A muscle or group as served, with its members and how many exercises target it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MuscleView {
    #[serde(flatten)]
    pub muscle: Muscle,
    /// Ids of the entries that belong to this group directly (empty for a single muscle).
    pub members: Vec<String>,
    /// The muscle's body map (SVG; `.png` for a picture); a group shows all its members.
    #[schema(example = "/v1/muscles/gluteus-medius/map")]
    pub map: String,
    /// Number of exercises `?muscle={id}` finds: those targeting this entry, any of its members
    /// (for a group) or any group that contains it.
    pub exercise_count: usize,
    /// In a language other than English: the texts not translated yet, served in English.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub untranslated: Vec<String>,
}

/// One item of a routine as served: the dose is always resolved.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoutineItemView {
    /// 1-based position in the routine.
    pub position: usize,
    #[schema(example = "clamshells")]
    pub exercise_id: String,
    pub exercise_name: String,
    pub dose: Dose,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Estimated seconds for this item, from its dose.
    pub estimated_seconds: u32,
}

/// A routine as served.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoutineView {
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
    pub items: Vec<RoutineItemView>,
    /// The pain rule that applies: the routine's own, or the catalogue's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pain_monitoring: Option<PainMonitoring>,
    /// Estimated total duration in seconds, computed from the doses (see the API description).
    pub estimated_duration_seconds: u32,
    /// The same, rounded up to whole minutes.
    pub estimated_duration_minutes: u32,
    pub source: String,
    /// Which parts come from the source and which were added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// In a language other than English: the texts not translated yet, served in English.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub untranslated: Vec<String>,
}

/// A condition as served, with the exercises and routines that address it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConditionView {
    #[serde(flatten)]
    pub condition: Condition,
    /// Ids of exercises used for this condition.
    pub exercises: Vec<String>,
    /// Ids of routines that address this condition.
    pub routines: Vec<String>,
    /// In a language other than English: the texts not translated yet, served in English.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub untranslated: Vec<String>,
}

/// A piece of equipment as served.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EquipmentView {
    #[serde(flatten)]
    pub equipment: Equipment,
    /// Number of exercises that use it.
    pub exercise_count: usize,
}

/// Exercise filters: values within a filter are alternatives (any of), filters combine with AND.
#[derive(Debug, Clone, Default)]
pub struct ExerciseFilter {
    pub muscles: Vec<String>,
    pub equipment: Vec<String>,
    /// Only exercises doable with this gear (exercises needing none always qualify).
    pub available_equipment: Option<Vec<String>>,
    pub conditions: Vec<String>,
    pub difficulties: Vec<Difficulty>,
    /// Only exercises at most this hard.
    pub max_difficulty: Option<Difficulty>,
    pub lateralities: Vec<Laterality>,
    pub regions: Vec<Region>,
    pub positions: Vec<Position>,
    pub joints: Vec<Joint>,
    /// Roles of the primary targets (any of).
    pub roles: Vec<Role>,
    /// Exercise ids to leave out.
    pub exclude: Vec<String>,
    pub q: Option<String>,
    /// A muscle or group every result must target (AND with `muscles`).
    pub scope_muscle: Option<String>,
}

/// A unified search hit.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult<'a> {
    pub kind: ResourceKind,
    pub id: &'a str,
    pub name: &'a str,
    pub score: f32,
    /// The field of the best match.
    pub field: &'static str,
    /// How it matched; only the best tier across kinds is returned.
    pub tier: Tier,
}

/// The kinds of resource search covers.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    Exercise,
    Muscle,
    Routine,
    Condition,
}

/// Orders for exercise lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExerciseSort {
    Name,
    NameDesc,
    Relevance,
}

/// Groups with more members than this do not lend their members' names to the exercises that
/// target them in search (a big group would make those exercises match almost anything).
pub const MAX_EXPANDED_GROUP: usize = 12;

/// `https://…`, `http://…`, `file://…`: a `$schema` that resolves wherever the file is.
fn is_absolute_url(s: &str) -> bool {
    s.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+')
    })
}

/// A sorted list of exercise ranks (positions in name order).
pub(super) type Postings = Vec<u32>;

/// The exercises each muscle id finds, by how they match it.
#[derive(Default)]
pub(super) struct MusclePostings {
    /// Exercises that target the id itself.
    pub direct: HashMap<String, Postings>,
    /// Exercises that target the id or any of its transitive members.
    pub below: HashMap<String, Postings>,
    /// Exercises that target a group containing the id (transitively).
    pub above: HashMap<String, Postings>,
}

/// The kinds of entry a path or filter value can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    Exercises,
    Muscles,
    Routines,
    Conditions,
    Equipment,
}

/// Normalized lookup keys (ids, former ids, aliases, names) → canonical id, per collection.
#[derive(Default)]
pub(super) struct Lookups {
    pub keys: HashMap<(Collection, String), String>,
}

/// Longest key a forgiving lookup normalizes; longer input is nobody's id.
pub const MAX_LOOKUP_KEY: usize = 200;

/// Seconds assumed per repetition without a tempo, rest between sets when a dose names none,
/// the pause between routine items (moving and setting up), and the time to switch sides:
/// the inputs of every duration estimate.
pub const SECONDS_PER_REP: u32 = 3;
pub const DEFAULT_REST_SECONDS: u32 = 30;
pub const SECONDS_BETWEEN_ITEMS: u32 = 15;
pub const SECONDS_TO_SWITCH_SIDES: u32 = 5;

/// Estimated seconds to do a dose once (one session; `times_per_day` does not count).
pub fn dose_seconds(d: &Dose) -> u32 {
    let rep = d
        .tempo
        .as_ref()
        .map(Tempo::seconds)
        .filter(|&s| s > 0)
        .unwrap_or(SECONDS_PER_REP);
    let work = |reps: Option<u32>, hold: Option<u32>, duration: Option<u32>| match (
        duration, reps, hold,
    ) {
        (Some(t), _, _) => t,
        (None, Some(r), h) => r * (rep + h.unwrap_or(0)),
        (None, None, Some(h)) => h,
        (None, None, None) => 0,
    };
    // (sets, seconds of work per set and side) for each block of the dose.
    let blocks: Vec<(u32, u32)> = if d.parts.is_empty() {
        vec![(
            d.sets.unwrap_or(1),
            work(d.reps, d.hold_seconds, d.duration_seconds),
        )]
    } else {
        d.parts
            .iter()
            .map(|p| {
                (
                    p.sets.unwrap_or(1),
                    work(p.reps, p.hold_seconds, p.duration_seconds),
                )
            })
            .collect()
    };
    let sets: u32 = blocks.iter().map(|(s, _)| s).sum();
    let (sides, switches) = if d.per_side {
        (2, sets * SECONDS_TO_SWITCH_SIDES)
    } else {
        (1, 0)
    };
    let working: u32 = blocks.iter().map(|(s, w)| s * sides * w).sum();
    working + switches + sets.saturating_sub(1) * d.rest_seconds.unwrap_or(DEFAULT_REST_SECONDS)
}

/// A validated, indexed, immutable catalogue.
pub struct Catalogue {
    /// Exercises in name order; an exercise's rank is its position here.
    pub(super) exercises: Vec<ExerciseView>,
    pub(super) exercise_ix: HashMap<String, u32>,
    pub(super) muscles: Vec<MuscleView>,
    pub(super) muscle_ix: HashMap<String, usize>,
    pub(super) routines: Vec<RoutineView>,
    pub(super) routine_ix: HashMap<String, usize>,
    pub(super) conditions: Vec<ConditionView>,
    pub(super) condition_ix: HashMap<String, usize>,
    pub(super) equipment: Vec<EquipmentView>,
    pub(super) equipment_ix: HashMap<String, usize>,
    pub(super) sources: Vec<Source>,
    pub(super) source_ix: HashMap<String, usize>,
    /// Muscle filter postings: exercises targeting each id itself, it or any transitive
    /// member (a group's exercises), and any group that contains it.
    pub(super) by_muscle: MusclePostings,
    pub(super) by_equipment: HashMap<String, Postings>,
    pub(super) by_condition: HashMap<String, Postings>,
    pub(super) by_difficulty: HashMap<Difficulty, Postings>,
    pub(super) by_laterality: HashMap<Laterality, Postings>,
    pub(super) by_region: HashMap<Region, Postings>,
    pub(super) by_position: HashMap<Position, Postings>,
    pub(super) by_joint: HashMap<Joint, Postings>,
    /// By role of the exercise's primary targets.
    pub(super) by_role: HashMap<Role, Postings>,
    /// Each muscle id with itself and all its transitive members.
    pub(super) descendants: HashMap<String, Vec<String>>,
    /// Each muscle id with every group that contains it, transitively.
    pub(super) ancestors: HashMap<String, Vec<String>>,
    /// Forgiving lookups: normalized ids, aliases, former ids and names → id.
    pub(super) lookups: Lookups,
    pub(super) exercise_search: SearchIndex,
    pub(super) muscle_search: SearchIndex,
    pub(super) routine_search: SearchIndex,
    pub(super) condition_search: SearchIndex,
    pub(super) suggest: SuggestIndex<(ResourceKind, String)>,
    /// The source document without its exercises (they moved into `exercises`), kept for
    /// export; see [`Catalogue::document`].
    pub(super) document: CatalogueDocument,
    /// By position in the document: each exercise's rank and what the file declared where
    /// the view fills in more.
    pub(super) declared: Vec<DeclaredExercise>,
    /// The xxh3-128 hash of the document's bytes, in hex.
    pub(super) content_hash: String,
    /// The language of the texts.
    pub(super) language: String,
    /// The layers it was merged from; empty when it was loaded from one document.
    pub(super) layers: Vec<super::layers::LayerInfo>,
}

/// Each id with its position in `ids`.
/// What the file said of an exercise where its view says more (for export).
pub(super) struct DeclaredExercise {
    /// Index into `exercises`.
    pub rank: u32,
    pub progressions: Vec<String>,
    pub regressions: Vec<String>,
    pub regions: Vec<Region>,
    pub role: Option<Role>,
}

pub(super) fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    ids.enumerate().map(|(i, id)| (id, i)).collect()
}

/// The catalogue compiled into the binary.
pub const EMBEDDED: &str = include_str!("data/catalogue.json");

impl Catalogue {
    /// Loads the embedded catalogue.
    pub fn embedded() -> Result<Self, CatalogueErrors> {
        Self::from_bytes(EMBEDDED.as_bytes())
    }

    /// Parses, validates and indexes a catalogue document.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CatalogueErrors> {
        let start = std::time::Instant::now();
        let doc = load::parse(bytes)?;
        let parsed = start.elapsed();
        let mut cat = Self::build(doc);
        cat.content_hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes));
        tracing::debug!(
            parse_and_validate_ms = parsed.as_millis() as u64,
            index_ms = (start.elapsed() - parsed).as_millis() as u64,
            "catalogue loaded"
        );
        Ok(cat)
    }

    /// This catalogue in another language: the same entries, ids and order of filters, with
    /// texts, names and aliases (followed by the English ones) from `t`, English where `t`
    /// has no text, and search, autocomplete and lookups over the translated texts.
    pub fn localized(&self, t: &super::i18n::Translation) -> Self {
        let (doc, mut fallbacks) = super::i18n::localize_document(&self.document(), t);
        let mut cat = Self::build(doc);
        cat.content_hash = format!(
            "{:032x}",
            xxhash_rust::xxh3::xxh3_128(format!("{}/{}", self.content_hash, t.language).as_bytes())
        );
        cat.language = t.language.clone();
        let mut take = |collection: &str, id: &str| {
            fallbacks
                .remove(&(collection.to_owned(), id.to_owned()))
                .unwrap_or_default()
        };
        for v in &mut cat.exercises {
            v.untranslated = take("exercises", &v.exercise.id);
        }
        for v in &mut cat.muscles {
            v.untranslated = take("muscles", &v.muscle.id);
        }
        for v in &mut cat.routines {
            v.untranslated = take("routines", &v.id);
        }
        for v in &mut cat.conditions {
            v.untranslated = take("conditions", &v.condition.id);
        }
        cat
    }

    /// The language of the catalogue's texts (BCP 47; `en` unless [`Self::localized`]).
    pub fn language(&self) -> &str {
        &self.language
    }

    fn build(mut doc: CatalogueDocument) -> Self {
        // Everything derived is owned, so the document moves in afterwards instead of being
        // copied (it is the largest thing held); its exercises move into the views.
        let exercises = std::mem::take(&mut doc.exercises);
        let mut cat = Self::derive(&doc, exercises);
        cat.document = doc;
        cat
    }

    /// The document as loaded (for export): exercises in their file order, with the
    /// progressions and regressions the file declares. Built on each call. A relative
    /// `$schema` (relative to the file it was read from, such as the embedded catalogue's
    /// `../../../openapi/catalogue.schema.json`) would not resolve next to an exported file,
    /// so only an absolute URL is kept.
    pub fn document(&self) -> CatalogueDocument {
        let mut doc = self.document.clone();
        doc.schema = doc.schema.filter(|s| is_absolute_url(s));
        doc.exercises = self
            .declared
            .iter()
            .map(|d| {
                let mut e = self.exercises[d.rank as usize].exercise.clone();
                e.progressions = d.progressions.clone();
                e.regressions = d.regressions.clone();
                e.regions = d.regions.clone();
                e.targets.role = d.role;
                e
            })
            .collect();
        doc
    }

    /// The catalogue-wide pain-monitoring rule, when the file gives one.
    pub fn pain_monitoring(&self) -> Option<&PainMonitoring> {
        self.document.pain_monitoring.as_ref()
    }

    /// The xxh3-128 hash of the catalogue file's bytes, in hex: the catalogue's version.
    pub fn content_hash(&self) -> &str {
        &self.content_hash
    }

    /// The layers the catalogue was merged from, in order; empty for a single document.
    pub fn layers(&self) -> &[super::layers::LayerInfo] {
        &self.layers
    }

    pub fn exercises(&self) -> &[ExerciseView] {
        &self.exercises
    }
    /// The position of exercise `id` in name order.
    pub fn exercise_rank(&self, id: &str) -> Option<usize> {
        self.exercise_ix.get(id).map(|&r| r as usize)
    }
    pub fn exercise(&self, id: &str) -> Option<&ExerciseView> {
        self.exercise_ix
            .get(id)
            .map(|&r| &self.exercises[r as usize])
    }
    pub fn muscles(&self) -> &[MuscleView] {
        &self.muscles
    }
    pub fn muscle(&self, id: &str) -> Option<&MuscleView> {
        self.muscle_ix.get(id).map(|&i| &self.muscles[i])
    }
    pub fn routines(&self) -> &[RoutineView] {
        &self.routines
    }
    pub fn routine(&self, id: &str) -> Option<&RoutineView> {
        self.routine_ix.get(id).map(|&i| &self.routines[i])
    }
    pub fn conditions(&self) -> &[ConditionView] {
        &self.conditions
    }
    pub fn condition(&self, id: &str) -> Option<&ConditionView> {
        self.condition_ix.get(id).map(|&i| &self.conditions[i])
    }
    pub fn equipment(&self) -> &[EquipmentView] {
        &self.equipment
    }
    pub fn equipment_item(&self, id: &str) -> Option<&EquipmentView> {
        self.equipment_ix.get(id).map(|&i| &self.equipment[i])
    }
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_ix.get(id).map(|&i| &self.sources[i])
    }

    /// Exercise ranks matching every filter but `q`, or None when no filter applies.
    fn filtered_ranks(&self, filter: &ExerciseFilter) -> Option<Postings> {
        fn any<'k, K, Q>(map: &HashMap<K, Postings>, keys: impl Iterator<Item = &'k Q>) -> Postings
        where
            K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
            Q: std::hash::Hash + Eq + ?Sized + 'k,
        {
            let lists: Vec<&[u32]> = keys.filter_map(|k| map.get(k).map(Vec::as_slice)).collect();
            union(&lists)
        }
        let mut sets: Vec<Postings> = Vec::new();
        if !filter.muscles.is_empty() {
            sets.push(self.climbing(&filter.muscles));
        }
        if let Some(m) = &filter.scope_muscle {
            sets.push(self.climbing(std::slice::from_ref(m)));
        }
        if !filter.equipment.is_empty() {
            sets.push(any(
                &self.by_equipment,
                filter.equipment.iter().map(String::as_str),
            ));
        }
        if !filter.conditions.is_empty() {
            sets.push(any(
                &self.by_condition,
                filter.conditions.iter().map(String::as_str),
            ));
        }
        if !filter.difficulties.is_empty() {
            sets.push(any(&self.by_difficulty, filter.difficulties.iter()));
        }
        if let Some(max) = filter.max_difficulty {
            let allowed: Vec<Difficulty> = [
                Difficulty::Beginner,
                Difficulty::Intermediate,
                Difficulty::Advanced,
            ]
            .into_iter()
            .filter(|d| *d <= max)
            .collect();
            sets.push(any(&self.by_difficulty, allowed.iter()));
        }
        if !filter.lateralities.is_empty() {
            sets.push(any(&self.by_laterality, filter.lateralities.iter()));
        }
        if !filter.regions.is_empty() {
            let regions: Vec<Region> = filter.regions.iter().flat_map(|r| r.covers()).collect();
            sets.push(any(&self.by_region, regions.iter()));
        }
        if !filter.positions.is_empty() {
            sets.push(any(&self.by_position, filter.positions.iter()));
        }
        if !filter.joints.is_empty() {
            sets.push(any(&self.by_joint, filter.joints.iter()));
        }
        if !filter.roles.is_empty() {
            sets.push(any(&self.by_role, filter.roles.iter()));
        }
        let mut excluded: Vec<Postings> = Vec::new();
        if let Some(available) = &filter.available_equipment {
            // Anything needing gear outside the available set (and "none") is out.
            let missing = self
                .equipment
                .iter()
                .map(|e| e.equipment.id.as_str())
                .filter(|id| *id != "none" && !available.iter().any(|a| a == id));
            excluded.push(any(&self.by_equipment, missing));
        }
        if !filter.exclude.is_empty() {
            let mut ranks: Postings = filter
                .exclude
                .iter()
                .filter_map(|id| self.exercise_ix.get(id).copied())
                .collect();
            ranks.sort_unstable();
            excluded.push(ranks);
        }
        let mut ranks = sets.into_iter().reduce(|a, b| intersect(&a, &b));
        let excluded = union(&excluded.iter().map(Vec::as_slice).collect::<Vec<_>>());
        if !excluded.is_empty() {
            let base = ranks.unwrap_or_else(|| (0..self.exercises.len() as u32).collect());
            ranks = Some(
                base.into_iter()
                    .filter(|r| excluded.binary_search(r).is_err())
                    .collect(),
            );
        }
        ranks
    }

    /// Exercises matching `filter` with their search hits (score 0 and no field without `q`),
    /// in `sort` order (relevance falls back to name order when there is no text query).
    pub fn search_exercises(
        &self,
        filter: &ExerciseFilter,
        sort: ExerciseSort,
    ) -> Vec<(&ExerciseView, Hit)> {
        let ranks = self.filtered_ranks(filter);
        let scored = filter.q.as_deref().map(|q| self.exercise_search.search(q));
        let plain = |doc| Hit {
            doc,
            score: 0.0,
            field: "",
            name_words: 0,
            tier: Tier::None,
        };
        let mut hits: Vec<Hit> = match (ranks, scored) {
            (None, None) => (0..self.exercises.len() as u32).map(plain).collect(),
            (Some(ranks), None) => ranks.into_iter().map(plain).collect(),
            (ranks, Some(mut scored)) => {
                if let Some(ranks) = ranks {
                    scored.retain(|h| ranks.binary_search(&h.doc).is_ok());
                }
                keep_best_tier(&mut scored);
                scored.sort_unstable_by_key(|h| h.doc);
                scored
            }
        };
        match sort {
            ExerciseSort::Name => {}
            ExerciseSort::NameDesc => hits.reverse(),
            ExerciseSort::Relevance => rank(&mut hits),
        }
        let muscles = self.requested_muscles(filter);
        if !muscles.is_empty() && sort != ExerciseSort::Relevance {
            // Direct matches first, then through a member, then through a group.
            let tiers = self.tiers(&muscles);
            hits.sort_by_key(|h| {
                tiers
                    .iter()
                    .position(|t| t.binary_search(&h.doc).is_ok())
                    .unwrap_or(tiers.len())
            });
        }
        hits.into_iter()
            .map(|h| (&self.exercises[h.doc as usize], h))
            .collect()
    }

    /// Exercises matching `filter`, in `sort` order.
    pub fn find_exercises(
        &self,
        filter: &ExerciseFilter,
        sort: ExerciseSort,
    ) -> Vec<&ExerciseView> {
        self.search_exercises(filter, sort)
            .into_iter()
            .map(|(e, _)| e)
            .collect()
    }

    /// Muscles matching the filters, in catalogue order, or by relevance when `q` is given.
    pub fn find_muscles(
        &self,
        kind: Option<MuscleKind>,
        regions: &[Region],
        q: Option<&str>,
    ) -> Vec<&MuscleView> {
        let regions: Vec<Region> = regions.iter().flat_map(|r| r.covers()).collect();
        let keep = |m: &MuscleView| {
            kind.is_none_or(|k| m.muscle.kind == k)
                && (regions.is_empty() || regions.contains(&m.muscle.region))
        };
        match q.map(|q| self.muscle_search.search(q)) {
            None => self.muscles.iter().filter(|m| keep(m)).collect(),
            Some(mut hits) => {
                hits.retain(|h| keep(&self.muscles[h.doc as usize]));
                keep_best_tier(&mut hits);
                rank(&mut hits);
                hits.into_iter()
                    .map(|h| &self.muscles[h.doc as usize])
                    .collect()
            }
        }
    }

    /// Routines addressing any of `conditions`, with an exercise targeting any of `muscles`,
    /// matching `q`; catalogue order, or by relevance with `q`.
    pub fn find_routines(
        &self,
        conditions: &[String],
        muscles: &[String],
        phases: &[Phase],
        q: Option<&str>,
    ) -> Vec<&RoutineView> {
        let targeting: Option<Postings> = (!muscles.is_empty()).then(|| self.climbing(muscles));
        let keep = |r: &RoutineView| {
            (conditions.is_empty() || r.conditions.iter().any(|c| conditions.contains(c)))
                && (phases.is_empty() || r.phase.is_some_and(|p| phases.contains(&p)))
                && targeting.as_ref().is_none_or(|t| {
                    r.items.iter().any(|i| {
                        self.exercise_ix
                            .get(&i.exercise_id)
                            .is_some_and(|r| t.binary_search(r).is_ok())
                    })
                })
        };
        match q.map(|q| self.routine_search.search(q)) {
            None => self.routines.iter().filter(|r| keep(r)).collect(),
            Some(mut hits) => {
                hits.retain(|h| keep(&self.routines[h.doc as usize]));
                keep_best_tier(&mut hits);
                rank(&mut hits);
                hits.into_iter()
                    .map(|h| &self.routines[h.doc as usize])
                    .collect()
            }
        }
    }

    /// Conditions matching `q`, by relevance; all of them in catalogue order without `q`.
    pub fn find_conditions(&self, q: Option<&str>) -> Vec<&ConditionView> {
        match q.map(|q| self.condition_search.search(q)) {
            None => self.conditions.iter().collect(),
            Some(mut hits) => {
                keep_best_tier(&mut hits);
                rank(&mut hits);
                hits.into_iter()
                    .map(|h| &self.conditions[h.doc as usize])
                    .collect()
            }
        }
    }

    /// Search across resource kinds (all when `kinds` is empty), best first.
    pub fn search(&self, q: &str, kinds: &[ResourceKind]) -> Vec<SearchResult<'_>> {
        let wanted = |k| kinds.is_empty() || kinds.contains(&k);
        let mut out: Vec<SearchResult<'_>> = Vec::new();
        fn add<'a>(
            out: &mut Vec<SearchResult<'a>>,
            kind: ResourceKind,
            hits: Vec<Hit>,
            name_id: impl Fn(u32) -> (&'a str, &'a str),
        ) {
            for h in hits {
                let (id, name) = name_id(h.doc);
                out.push(SearchResult {
                    kind,
                    id,
                    name,
                    score: h.score,
                    field: h.field,
                    tier: h.tier,
                });
            }
        }
        if wanted(ResourceKind::Exercise) {
            add(
                &mut out,
                ResourceKind::Exercise,
                self.exercise_search.search(q),
                |d| {
                    let e = &self.exercises[d as usize].exercise;
                    (e.id.as_str(), e.name.as_str())
                },
            );
        }
        if wanted(ResourceKind::Muscle) {
            add(
                &mut out,
                ResourceKind::Muscle,
                self.muscle_search.search(q),
                |d| {
                    let m = &self.muscles[d as usize].muscle;
                    (m.id.as_str(), m.name.as_str())
                },
            );
        }
        if wanted(ResourceKind::Routine) {
            add(
                &mut out,
                ResourceKind::Routine,
                self.routine_search.search(q),
                |d| {
                    let r = &self.routines[d as usize];
                    (r.id.as_str(), r.name.as_str())
                },
            );
        }
        if wanted(ResourceKind::Condition) {
            add(
                &mut out,
                ResourceKind::Condition,
                self.condition_search.search(q),
                |d| {
                    let c = &self.conditions[d as usize].condition;
                    (c.id.as_str(), c.name.as_str())
                },
            );
        }
        if let Some(best) = out.iter().map(|r| r.tier).max() {
            out.retain(|r| r.tier == best);
        }
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.name.split(' ').count().cmp(&b.name.split(' ').count()))
                .then(a.kind.cmp(&b.kind))
                .then(a.name.cmp(b.name))
        });
        out
    }

    /// Autocomplete: up to `limit` names and aliases starting (or with a word starting) with `prefix`.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<(&str, ResourceKind, &str)> {
        self.suggest
            .suggest(prefix, limit)
            .into_iter()
            .map(|s| (s.text.as_str(), s.target.0, s.target.1.as_str()))
            .collect()
    }

    /// Exercises a muscle filter finds: those targeting the muscles, their members, or the
    /// groups that contain them.
    fn climbing(&self, muscles: &[String]) -> Postings {
        let m = &self.by_muscle;
        let lists: Vec<&[u32]> = muscles
            .iter()
            .flat_map(|id| [m.below.get(id), m.above.get(id)])
            .flatten()
            .map(Vec::as_slice)
            .collect();
        union(&lists)
    }

    /// The muscles of a filter (its list and its scope), which results are matched against.
    fn requested_muscles<'f>(&self, filter: &'f ExerciseFilter) -> Vec<&'f String> {
        filter.muscles.iter().chain(&filter.scope_muscle).collect()
    }

    /// Ranks matching `muscles` directly, through a member only, and through a group only.
    fn tiers(&self, muscles: &[&String]) -> [Postings; 3] {
        let m = &self.by_muscle;
        let gather = |map: &HashMap<String, Postings>| -> Postings {
            let lists: Vec<&[u32]> = muscles
                .iter()
                .filter_map(|id| map.get(id.as_str()).map(Vec::as_slice))
                .collect();
            union(&lists)
        };
        let direct = gather(&m.direct);
        let below = gather(&m.below);
        let member: Postings = below
            .iter()
            .copied()
            .filter(|r| direct.binary_search(r).is_err())
            .collect();
        let group: Postings = gather(&m.above)
            .into_iter()
            .filter(|r| below.binary_search(r).is_err())
            .collect();
        [direct, member, group]
    }

    /// How `e` matches the muscles of `filter`, the closest match first: directly, through a
    /// member of a requested group, or through a group containing a requested muscle.
    pub fn muscle_match(&self, e: &Exercise, filter: &ExerciseFilter) -> Option<MuscleMatch> {
        let targets = || e.targets.primary.iter().chain(&e.targets.secondary);
        let mut best: Option<MuscleMatch> = None;
        for wanted in self.requested_muscles(filter) {
            for t in targets() {
                let how = if t == wanted {
                    MatchKind::Direct
                } else if self.members_of(wanted).contains(t) {
                    MatchKind::Member
                } else if self
                    .ancestors
                    .get(wanted.as_str())
                    .is_some_and(|a| a.contains(t))
                {
                    MatchKind::Group
                } else {
                    continue;
                };
                if best.as_ref().is_none_or(|b| how < b.how) {
                    best = Some(MuscleMatch {
                        muscle: wanted.clone(),
                        target: t.clone(),
                        how,
                    });
                }
            }
        }
        best
    }

    /// The canonical id that `key` names in `collection`: the id itself, or any case or
    /// spelling of an id, former id, alias or name (compared normalized).
    pub fn resolve(&self, collection: Collection, key: &str) -> Option<&str> {
        // Control characters are nobody's spelling of an id: "clamshells\0" names nothing.
        if key.len() > MAX_LOOKUP_KEY || key.chars().any(char::is_control) {
            return None;
        }
        self.lookups
            .keys
            .get(&(collection, normalize(key)))
            .map(String::as_str)
    }

    /// Each muscle id an exercise works, with weight 2 when through a primary target and 1
    /// through a secondary one; groups count through all their members.
    pub fn target_weights(&self, e: &Exercise) -> HashMap<&str, u32> {
        let mut out: HashMap<&str, u32> = HashMap::new();
        for (list, w) in [(&e.targets.primary, 2), (&e.targets.secondary, 1)] {
            for t in list {
                for m in self.descendants.get(t.as_str()).into_iter().flatten() {
                    let e = out.entry(m.as_str()).or_insert(0);
                    *e = (*e).max(w);
                }
            }
        }
        out
    }

    /// An entry and all its transitive members.
    pub fn members_of(&self, id: &str) -> &[String] {
        self.descendants
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// Sorted union of sorted lists.
pub(super) fn union(lists: &[&[u32]]) -> Postings {
    let mut out: Postings = lists.iter().flat_map(|l| l.iter().copied()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Sorted intersection of two sorted lists.
fn intersect(a: &[u32], b: &[u32]) -> Postings {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .copied()
        .filter(|x| large.binary_search(x).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        assert_eq!(union(&[&[1, 3, 5], &[2, 3, 9]]), vec![1, 2, 3, 5, 9]);
        assert_eq!(intersect(&[1, 3, 5, 7], &[3, 4, 7]), vec![3, 7]);
        assert!(intersect(&[1], &[]).is_empty());
    }

    #[test]
    fn dose_durations() {
        let d = |sets, reps, hold, dur, per_side, rest| Dose {
            sets,
            reps,
            hold_seconds: hold,
            duration_seconds: dur,
            per_side,
            rest_seconds: rest,
            ..Dose::default()
        };
        // 2 min each side, one set: 240 s and one switch of sides.
        assert_eq!(
            dose_seconds(&d(None, None, None, Some(120), true, None)),
            245
        );
        // 3 × 15 reps per side: 3 sets × 2 sides × 45 s + 2 rests × 30 s + 3 switches.
        assert_eq!(
            dose_seconds(&d(Some(3), Some(15), None, None, true, None)),
            345
        );
        // 10 reps with 5 s holds, 1 set: 10 × 8 s.
        assert_eq!(
            dose_seconds(&d(None, Some(10), Some(5), None, false, Some(0))),
            80
        );
        // 3 × 30 s holds, 15 s rest: 90 + 30.
        assert_eq!(
            dose_seconds(&d(Some(3), None, Some(30), None, false, Some(15))),
            120
        );
        // A 3-1-3-0 tempo makes each of 10 reps 7 s.
        let slow = Dose {
            reps: Some(10),
            tempo: Some(Tempo {
                eccentric: 3,
                pause_bottom: 1,
                concentric: 3,
                pause_top: 0,
            }),
            ..Dose::default()
        };
        assert_eq!(dose_seconds(&slow), 70);
        // Alfredson: 3 × 15 straight knee, then 3 × 15 bent knee, 60 s rests: 6 sets.
        let part = |label: &str| DosePart {
            label: label.into(),
            sets: Some(3),
            reps: Some(15),
            hold_seconds: None,
            duration_seconds: None,
        };
        let alfredson = Dose {
            parts: vec![part("straight"), part("bent")],
            rest_seconds: Some(60),
            times_per_day: Some(2),
            ..Dose::default()
        };
        assert_eq!(dose_seconds(&alfredson), 6 * 45 + 5 * 60);
    }
}
