//! The loaded catalogue: the validated document plus everything derived from it once, at load
//! (views with computed fields, id lookups, filter postings, the search index).

use std::collections::BTreeSet;

// Fast, randomly seeded hashing for the maps built from the catalogue at load.
use foldhash::{HashMap, HashMapExt};

use serde::Serialize;
use utoipa::ToSchema;

use super::load::{self, CatalogueErrors};
use super::model::*;
use super::search::{
    Field, Hit, PreparedText, SearchIndex, SearchIndexBuilder, SuggestIndex, Suggestion, rank,
};

/// An exercise as served: the file's fields plus what is computed from the rest of the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExerciseView {
    #[serde(flatten)]
    pub exercise: Exercise,
    /// Body regions of the exercise's targets.
    pub regions: Vec<Region>,
}

/// A muscle or group as served, with its members and how many exercises target it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MuscleView {
    #[serde(flatten)]
    pub muscle: Muscle,
    /// Ids of the entries that belong to this group directly (empty for a single muscle).
    pub members: Vec<String>,
    /// Number of exercises that target this entry or, for a group, any of its members.
    pub exercise_count: usize,
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
    pub name: String,
    pub purpose: String,
    pub description: String,
    pub conditions: Vec<String>,
    pub items: Vec<RoutineItemView>,
    /// Estimated total duration in seconds, computed from the doses (see the API description).
    pub estimated_duration_seconds: u32,
    /// The same, rounded up to whole minutes.
    pub estimated_duration_minutes: u32,
    pub source: String,
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

/// A sorted list of exercise ranks (positions in name order).
type Postings = Vec<u32>;

/// Seconds assumed per repetition, rest between sets when a dose names none, and the pause
/// between routine items: the inputs of every duration estimate.
pub const SECONDS_PER_REP: u32 = 3;
pub const DEFAULT_REST_SECONDS: u32 = 30;
pub const SECONDS_BETWEEN_ITEMS: u32 = 15;

/// Estimated seconds to do a dose.
pub fn dose_seconds(d: &Dose) -> u32 {
    let sets = d.sets.unwrap_or(1);
    let per_set = match (d.duration_seconds, d.reps, d.hold_seconds) {
        (Some(t), _, _) => t,
        (None, Some(r), h) => r * (SECONDS_PER_REP + h.unwrap_or(0)),
        (None, None, Some(h)) => h,
        (None, None, None) => 0,
    };
    let sides = if d.per_side { 2 } else { 1 };
    sets * sides * per_set + (sets - 1) * d.rest_seconds.unwrap_or(DEFAULT_REST_SECONDS)
}

/// A validated, indexed, immutable catalogue.
pub struct Catalogue {
    /// Exercises in name order; an exercise's rank is its position here.
    exercises: Vec<ExerciseView>,
    exercise_ix: HashMap<String, u32>,
    muscles: Vec<MuscleView>,
    muscle_ix: HashMap<String, usize>,
    routines: Vec<RoutineView>,
    routine_ix: HashMap<String, usize>,
    conditions: Vec<ConditionView>,
    condition_ix: HashMap<String, usize>,
    equipment: Vec<EquipmentView>,
    equipment_ix: HashMap<String, usize>,
    sources: Vec<Source>,
    source_ix: HashMap<String, usize>,
    /// For each muscle id, the exercises targeting it or (for groups) any transitive member.
    by_muscle: HashMap<String, Postings>,
    by_equipment: HashMap<String, Postings>,
    by_condition: HashMap<String, Postings>,
    by_difficulty: HashMap<Difficulty, Postings>,
    by_laterality: HashMap<Laterality, Postings>,
    by_region: HashMap<Region, Postings>,
    by_position: HashMap<Position, Postings>,
    /// Each muscle id with itself and all its transitive members.
    descendants: HashMap<String, Vec<String>>,
    exercise_search: SearchIndex,
    muscle_search: SearchIndex,
    routine_search: SearchIndex,
    condition_search: SearchIndex,
    suggest: SuggestIndex<(ResourceKind, String)>,
    /// The source document without its exercises (they moved into `exercises`), kept for
    /// export; see [`Catalogue::document`].
    document: CatalogueDocument,
    /// By position in the document: the exercise's rank (index into `exercises`) and its
    /// progressions and regressions as the file declares them (the views' lists are merged).
    exercise_sources: Vec<(u32, Vec<String>, Vec<String>)>,
    /// The xxh3-128 hash of the document's bytes, in hex.
    content_hash: String,
}

/// Each id with its position in `ids`.
fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
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

    fn build(mut doc: CatalogueDocument) -> Self {
        // Everything derived is owned, so the document moves in afterwards instead of being
        // copied (it is the largest thing held); its exercises move into the views.
        let exercises = std::mem::take(&mut doc.exercises);
        let mut cat = Self::derive(&doc, exercises);
        cat.document = doc;
        cat
    }

    fn derive<'a>(doc: &'a CatalogueDocument, doc_exercises: Vec<Exercise>) -> Self {
        let muscle_pos = positions(doc.muscles.iter().map(|m| m.id.as_str()));
        // Direct members of each group.
        let mut members: HashMap<&str, Vec<&str>> = HashMap::new();
        for m in &doc.muscles {
            for g in &m.groups {
                members.entry(g.as_str()).or_default().push(m.id.as_str());
            }
        }
        // Each entry with all its transitive members (validation guarantees no cycles),
        // computed once per muscle.
        let descendant_sets: HashMap<&'a str, BTreeSet<&'a str>> = doc
            .muscles
            .iter()
            .map(|m| {
                let id = m.id.as_str();
                let mut out = BTreeSet::from([id]);
                let mut stack = vec![id];
                while let Some(x) = stack.pop() {
                    for &m in members.get(x).into_iter().flatten() {
                        if out.insert(m) {
                            stack.push(m);
                        }
                    }
                }
                (id, out)
            })
            .collect();
        let descendants = |id: &str| -> BTreeSet<&'a str> {
            descendant_sets.get(id).cloned().unwrap_or_default()
        };

        // Exercises in name order, with merged progressions and regressions: an exercise's
        // regressions include every exercise that names it as a progression, and the reverse.
        let mut order: Vec<usize> = (0..doc_exercises.len()).collect();
        order.sort_by_cached_key(|&i| {
            (
                doc_exercises[i].name.to_lowercase(),
                doc_exercises[i].id.as_str(),
            )
        });
        let mut implied_progressions: Vec<Vec<String>> = vec![Vec::new(); doc_exercises.len()];
        let mut implied_regressions: Vec<Vec<String>> = vec![Vec::new(); doc_exercises.len()];
        {
            let position = positions(doc_exercises.iter().map(|e| e.id.as_str()));
            for e in &doc_exercises {
                for p in &e.progressions {
                    if let Some(&j) = position.get(p.as_str()) {
                        implied_regressions[j].push(e.id.clone());
                    }
                }
                for r in &e.regressions {
                    if let Some(&j) = position.get(r.as_str()) {
                        implied_progressions[j].push(e.id.clone());
                    }
                }
            }
        }
        let merge = |declared: &[String], implied: &[String]| -> Vec<String> {
            let mut out = declared.to_vec();
            for x in implied {
                if !out.contains(x) {
                    out.push(x.clone());
                }
            }
            out
        };
        let mut rank_of = vec![0u32; doc_exercises.len()];
        for (rank, &i) in order.iter().enumerate() {
            rank_of[i] = rank as u32;
        }
        let mut exercise_sources: Vec<(u32, Vec<String>, Vec<String>)> =
            Vec::with_capacity(doc_exercises.len());
        let mut slots: Vec<Option<ExerciseView>> = Vec::with_capacity(doc_exercises.len());
        for (i, mut exercise) in doc_exercises.into_iter().enumerate() {
            let progressions = std::mem::take(&mut exercise.progressions);
            let regressions = std::mem::take(&mut exercise.regressions);
            exercise.progressions = merge(&progressions, &implied_progressions[i]);
            exercise.regressions = merge(&regressions, &implied_regressions[i]);
            exercise_sources.push((rank_of[i], progressions, regressions));
            let regions: BTreeSet<Region> = exercise
                .targets
                .primary
                .iter()
                .chain(&exercise.targets.secondary)
                .filter_map(|m| muscle_pos.get(m.as_str()).map(|&p| doc.muscles[p].region))
                .collect();
            slots.push(Some(ExerciseView {
                exercise,
                regions: regions.into_iter().collect(),
            }));
        }
        drop((implied_progressions, implied_regressions));
        let exercises: Vec<ExerciseView> = order
            .iter()
            .map(|&i| slots[i].take().expect("each exercise once"))
            .collect();
        let exercise_ix: HashMap<String, u32> = exercises
            .iter()
            .enumerate()
            .map(|(r, e)| (e.exercise.id.clone(), r as u32))
            .collect();

        // Filter postings, built in rank order so each list is sorted.
        let mut direct: HashMap<&str, Postings> = HashMap::new();
        let mut by_equipment: HashMap<String, Postings> = HashMap::new();
        let mut by_condition: HashMap<String, Postings> = HashMap::new();
        let mut by_difficulty: HashMap<Difficulty, Postings> = HashMap::new();
        let mut by_laterality: HashMap<Laterality, Postings> = HashMap::new();
        let mut by_region: HashMap<Region, Postings> = HashMap::new();
        let mut by_position: HashMap<Position, Postings> = HashMap::new();
        for (rank, view) in exercises.iter().enumerate() {
            let e = &view.exercise;
            let rank = rank as u32;
            for m in e.targets.primary.iter().chain(&e.targets.secondary) {
                direct.entry(m.as_str()).or_default().push(rank);
            }
            for x in &e.equipment {
                by_equipment.entry(x.clone()).or_default().push(rank);
            }
            for c in &e.conditions {
                by_condition.entry(c.clone()).or_default().push(rank);
            }
            by_difficulty.entry(e.difficulty).or_default().push(rank);
            by_laterality.entry(e.laterality).or_default().push(rank);
            by_position.entry(e.position).or_default().push(rank);
            for r in &view.regions {
                by_region.entry(*r).or_default().push(rank);
            }
        }
        let by_muscle: HashMap<String, Postings> = doc
            .muscles
            .iter()
            .map(|m| {
                let lists: Vec<&[u32]> = descendants(&m.id)
                    .into_iter()
                    .filter_map(|d| direct.get(d).map(Vec::as_slice))
                    .collect();
                (m.id.clone(), union(&lists))
            })
            .collect();

        let muscles: Vec<MuscleView> = doc
            .muscles
            .iter()
            .map(|m| MuscleView {
                muscle: m.clone(),
                members: members
                    .get(m.id.as_str())
                    .map(|v| v.iter().map(|s| s.to_string()).collect())
                    .unwrap_or_default(),
                exercise_count: by_muscle.get(&m.id).map_or(0, Vec::len),
            })
            .collect();

        let exercise_by_id = |id: &str| &exercises[exercise_ix[id] as usize].exercise;
        let routines: Vec<RoutineView> = doc
            .routines
            .iter()
            .map(|r| {
                let items: Vec<RoutineItemView> = r
                    .items
                    .iter()
                    .enumerate()
                    .map(|(k, item)| {
                        let e = exercise_by_id(&item.exercise);
                        let dose = item.dose.clone().unwrap_or_else(|| e.dose.clone());
                        RoutineItemView {
                            position: k + 1,
                            exercise_id: e.id.clone(),
                            exercise_name: e.name.clone(),
                            estimated_seconds: dose_seconds(&dose),
                            dose,
                            note: item.note.clone(),
                        }
                    })
                    .collect();
                let total = items.iter().map(|i| i.estimated_seconds).sum::<u32>()
                    + SECONDS_BETWEEN_ITEMS * (items.len().saturating_sub(1) as u32);
                RoutineView {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    purpose: r.purpose.clone(),
                    description: r.description.clone(),
                    conditions: r.conditions.clone(),
                    items,
                    estimated_duration_seconds: total,
                    estimated_duration_minutes: total.div_ceil(60),
                    source: r.source.clone(),
                }
            })
            .collect();

        let conditions: Vec<ConditionView> = doc
            .conditions
            .iter()
            .map(|c| ConditionView {
                condition: c.clone(),
                exercises: by_condition
                    .get(&c.id)
                    .map(|p| {
                        p.iter()
                            .map(|&r| exercises[r as usize].exercise.id.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
                routines: doc
                    .routines
                    .iter()
                    .filter(|r| r.conditions.contains(&c.id))
                    .map(|r| r.id.clone())
                    .collect(),
            })
            .collect();
        let equipment: Vec<EquipmentView> = doc
            .equipment
            .iter()
            .map(|e| EquipmentView {
                equipment: e.clone(),
                exercise_count: by_equipment.get(&e.id).map_or(0, Vec::len),
            })
            .collect();

        let f = |name, weight| Field { name, weight };
        let mut search = SearchIndexBuilder::default();
        // The texts many exercises share (a muscle's names, with those of a small group's
        // members; a condition's names), normalized and numbered once.
        let muscle_texts: Vec<Vec<PreparedText>> = doc
            .muscles
            .iter()
            .map(|m| {
                [&m.name, &m.common_name]
                    .into_iter()
                    .chain(&m.aliases)
                    .map(|t| search.prepare(t))
                    .collect()
            })
            .collect();
        let member_texts: Vec<Vec<PreparedText>> = doc
            .muscles
            .iter()
            .map(|m| {
                // A group target also answers to its members' names, with less weight; only
                // for groups small enough that this stays specific.
                let members = &descendant_sets[m.id.as_str()];
                if members.len() > MAX_EXPANDED_GROUP + 1 {
                    return Vec::new();
                }
                members
                    .iter()
                    .filter(|d| **d != m.id)
                    .flat_map(|d| muscle_texts[muscle_pos[d]].iter().cloned())
                    .collect()
            })
            .collect();
        let condition_pos = positions(doc.conditions.iter().map(|c| c.id.as_str()));
        let condition_texts: Vec<Vec<PreparedText>> = doc
            .conditions
            .iter()
            .map(|c| {
                std::iter::once(&c.name)
                    .chain(&c.aliases)
                    .map(|t| search.prepare(t))
                    .collect()
            })
            .collect();
        for (rank, view) in exercises.iter().enumerate() {
            let e = &view.exercise;
            let rank = rank as u32;
            let mut fields: Vec<(Field, &str)> = vec![(f("name", 10.0), e.name.as_str())];
            fields.extend(e.aliases.iter().map(|a| (f("aliases", 8.0), a.as_str())));
            fields.push((f("targets", 5.0), e.targets.summary.as_str()));
            fields.push((f("description", 1.0), e.purpose.as_str()));
            fields.push((f("description", 1.0), e.description.as_str()));
            search.add(rank, fields);
            let primary = e.targets.primary.iter().map(|m| (m, 5.0));
            for (m, weight) in primary.chain(e.targets.secondary.iter().map(|m| (m, 3.0))) {
                if let Some(&p) = muscle_pos.get(m.as_str()) {
                    for text in &muscle_texts[p] {
                        search.add_prepared(rank, f("targets", weight), text);
                    }
                    for text in &member_texts[p] {
                        search.add_prepared(rank, f("targets", 2.0), text);
                    }
                }
            }
            for c in &e.conditions {
                if let Some(&p) = condition_pos.get(c.as_str()) {
                    for text in &condition_texts[p] {
                        search.add_prepared(rank, f("conditions", 3.0), text);
                    }
                }
            }
        }
        let exercise_search = search.build();
        let mut search = SearchIndexBuilder::default();
        for (i, m) in doc.muscles.iter().enumerate() {
            let mut fields: Vec<(Field, &str)> = vec![
                (f("name", 10.0), m.name.as_str()),
                (f("name", 10.0), m.common_name.as_str()),
            ];
            fields.push((f("aliases", 8.0), m.id.as_str()));
            fields.extend(m.aliases.iter().map(|a| (f("aliases", 8.0), a.as_str())));
            fields.push((f("description", 1.0), m.description.as_str()));
            search.add(i as u32, fields);
        }
        let muscle_search = search.build();
        let mut search = SearchIndexBuilder::default();
        for (i, r) in doc.routines.iter().enumerate() {
            let mut fields: Vec<(Field, &str)> = vec![(f("name", 10.0), r.name.as_str())];
            for c in &r.conditions {
                if let Some(c) = doc.conditions.iter().find(|x| &x.id == c) {
                    fields.push((f("conditions", 5.0), c.name.as_str()));
                    fields.extend(c.aliases.iter().map(|a| (f("conditions", 5.0), a.as_str())));
                }
            }
            fields.push((f("description", 1.0), r.purpose.as_str()));
            fields.push((f("description", 1.0), r.description.as_str()));
            search.add(i as u32, fields);
        }
        let routine_search = search.build();
        let mut search = SearchIndexBuilder::default();
        for (i, c) in doc.conditions.iter().enumerate() {
            let mut fields: Vec<(Field, &str)> = vec![(f("name", 10.0), c.name.as_str())];
            fields.extend(c.aliases.iter().map(|a| (f("aliases", 8.0), a.as_str())));
            fields.push((f("description", 1.0), c.description.as_str()));
            fields.extend(c.causes.iter().map(|a| (f("description", 1.0), a.as_str())));
            search.add(i as u32, fields);
        }
        let condition_search = search.build();

        let mut keys: Vec<Suggestion<(ResourceKind, String)>> = Vec::new();
        let mut key = |text: &str, kind, id: &str, primary| {
            keys.push(Suggestion {
                text: text.to_owned(),
                target: (kind, id.to_owned()),
                primary,
            })
        };
        for &(rank, ..) in &exercise_sources {
            let e = &exercises[rank as usize].exercise;
            key(&e.name, ResourceKind::Exercise, &e.id, true);
            e.aliases
                .iter()
                .for_each(|a| key(a, ResourceKind::Exercise, &e.id, false));
        }
        for m in &doc.muscles {
            key(&m.name, ResourceKind::Muscle, &m.id, true);
            key(&m.common_name, ResourceKind::Muscle, &m.id, true);
            m.aliases
                .iter()
                .for_each(|a| key(a, ResourceKind::Muscle, &m.id, false));
        }
        for r in &doc.routines {
            key(&r.name, ResourceKind::Routine, &r.id, true);
        }
        for c in &doc.conditions {
            key(&c.name, ResourceKind::Condition, &c.id, true);
            c.aliases
                .iter()
                .for_each(|a| key(a, ResourceKind::Condition, &c.id, false));
        }
        let suggest = SuggestIndex::new(keys);

        let ix = |ids: Vec<&String>| -> HashMap<String, usize> {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id.clone(), i))
                .collect()
        };
        Catalogue {
            muscle_ix: ix(muscles.iter().map(|m| &m.muscle.id).collect()),
            routine_ix: ix(routines.iter().map(|r| &r.id).collect()),
            condition_ix: ix(conditions.iter().map(|c| &c.condition.id).collect()),
            equipment_ix: ix(equipment.iter().map(|e| &e.equipment.id).collect()),
            source_ix: ix(doc.sources.iter().map(|s| &s.id).collect()),
            sources: doc.sources.clone(),
            exercises,
            exercise_ix,
            muscles,
            routines,
            conditions,
            equipment,
            by_muscle,
            by_equipment,
            by_condition,
            by_difficulty,
            by_laterality,
            by_region,
            by_position,
            descendants: doc
                .muscles
                .iter()
                .map(|m| {
                    (
                        m.id.clone(),
                        descendants(&m.id).into_iter().map(str::to_owned).collect(),
                    )
                })
                .collect(),
            exercise_search,
            muscle_search,
            routine_search,
            condition_search,
            suggest,
            document: CatalogueDocument::default(),
            exercise_sources,
            content_hash: String::new(),
        }
    }

    /// The document as loaded (for export): exercises in their file order, with the
    /// progressions and regressions the file declares. Built on each call.
    pub fn document(&self) -> CatalogueDocument {
        let mut doc = self.document.clone();
        doc.exercises = self
            .exercise_sources
            .iter()
            .map(|(rank, progressions, regressions)| {
                let mut e = self.exercises[*rank as usize].exercise.clone();
                e.progressions = progressions.clone();
                e.regressions = regressions.clone();
                e
            })
            .collect();
        doc
    }

    /// The xxh3-128 hash of the catalogue file's bytes, in hex: the catalogue's version.
    pub fn content_hash(&self) -> &str {
        &self.content_hash
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
            sets.push(any(
                &self.by_muscle,
                filter.muscles.iter().map(String::as_str),
            ));
        }
        if let Some(m) = &filter.scope_muscle {
            sets.push(any(&self.by_muscle, std::iter::once(m.as_str())));
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
            sets.push(any(&self.by_region, filter.regions.iter()));
        }
        if !filter.positions.is_empty() {
            sets.push(any(&self.by_position, filter.positions.iter()));
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
        };
        let mut hits: Vec<Hit> = match (ranks, scored) {
            (None, None) => (0..self.exercises.len() as u32).map(plain).collect(),
            (Some(ranks), None) => ranks.into_iter().map(plain).collect(),
            (ranks, Some(mut scored)) => {
                if let Some(ranks) = ranks {
                    scored.retain(|h| ranks.binary_search(&h.doc).is_ok());
                }
                scored.sort_unstable_by_key(|h| h.doc);
                scored
            }
        };
        match sort {
            ExerciseSort::Name => {}
            ExerciseSort::NameDesc => hits.reverse(),
            ExerciseSort::Relevance => rank(&mut hits),
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
        let keep = |m: &MuscleView| {
            kind.is_none_or(|k| m.muscle.kind == k)
                && (regions.is_empty() || regions.contains(&m.muscle.region))
        };
        match q.map(|q| self.muscle_search.search(q)) {
            None => self.muscles.iter().filter(|m| keep(m)).collect(),
            Some(mut hits) => {
                rank(&mut hits);
                hits.into_iter()
                    .map(|h| &self.muscles[h.doc as usize])
                    .filter(|m| keep(m))
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
        q: Option<&str>,
    ) -> Vec<&RoutineView> {
        let targeting: Option<Postings> = (!muscles.is_empty()).then(|| {
            let lists: Vec<&[u32]> = muscles
                .iter()
                .filter_map(|m| self.by_muscle.get(m).map(Vec::as_slice))
                .collect();
            union(&lists)
        });
        let keep = |r: &RoutineView| {
            (conditions.is_empty() || r.conditions.iter().any(|c| conditions.contains(c)))
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
                rank(&mut hits);
                hits.into_iter()
                    .map(|h| &self.routines[h.doc as usize])
                    .filter(|r| keep(r))
                    .collect()
            }
        }
    }

    /// Conditions matching `q`, by relevance; all of them in catalogue order without `q`.
    pub fn find_conditions(&self, q: Option<&str>) -> Vec<&ConditionView> {
        match q.map(|q| self.condition_search.search(q)) {
            None => self.conditions.iter().collect(),
            Some(mut hits) => {
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
fn union(lists: &[&[u32]]) -> Postings {
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
            note: None,
        };
        // 2 min each side, one set: 240 s.
        assert_eq!(
            dose_seconds(&d(None, None, None, Some(120), true, None)),
            240
        );
        // 3 × 15 reps per side: 3 sets × 2 sides × 45 s + 2 rests × 30 s.
        assert_eq!(
            dose_seconds(&d(Some(3), Some(15), None, None, true, None)),
            330
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
    }
}
