//! The loaded catalogue: the validated document plus everything derived from it once, at load
//! (views with computed fields, id lookups, filter postings, the search index).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use utoipa::ToSchema;

use super::load::{self, CatalogueErrors};
use super::model::*;
use super::search::{Field, SearchIndex, SearchIndexBuilder};

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
    pub conditions: Vec<String>,
    pub difficulties: Vec<Difficulty>,
    pub lateralities: Vec<Laterality>,
    pub q: Option<String>,
    /// A muscle or group every result must target (AND with `muscles`).
    pub scope_muscle: Option<String>,
}

/// Orders for exercise lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExerciseSort {
    Name,
    NameDesc,
    Relevance,
}

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
    exercise_search: SearchIndex,
    muscle_search: SearchIndex,
    /// The source document, kept for export.
    document: CatalogueDocument,
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
        Ok(Self::build(load::parse(bytes)?))
    }

    fn build(doc: CatalogueDocument) -> Self {
        Self::build_from(&doc, doc.clone())
    }

    fn build_from<'a>(doc: &'a CatalogueDocument, document: CatalogueDocument) -> Self {
        let muscle_pos: HashMap<&str, usize> = doc
            .muscles
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        // Direct members of each group.
        let mut members: HashMap<&str, Vec<&str>> = HashMap::new();
        for m in &doc.muscles {
            for g in &m.groups {
                members.entry(g.as_str()).or_default().push(m.id.as_str());
            }
        }
        // Each entry with all its transitive members (validation guarantees no cycles).
        let descendants = |id: &'a str| -> BTreeSet<&'a str> {
            let mut out = BTreeSet::from([id]);
            let mut stack = vec![id];
            while let Some(x) = stack.pop() {
                for &m in members.get(x).into_iter().flatten() {
                    if out.insert(m) {
                        stack.push(m);
                    }
                }
            }
            out
        };

        // Exercises in name order, with merged progressions and regressions.
        let mut order: Vec<usize> = (0..doc.exercises.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&doc.exercises[a], &doc.exercises[b]);
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut progressions: HashMap<&str, Vec<String>> = HashMap::new();
        let mut regressions: HashMap<&str, Vec<String>> = HashMap::new();
        for e in &doc.exercises {
            for p in &e.progressions {
                regressions
                    .entry(p.as_str())
                    .or_default()
                    .push(e.id.clone());
            }
            for r in &e.regressions {
                progressions
                    .entry(r.as_str())
                    .or_default()
                    .push(e.id.clone());
            }
        }
        let merge = |declared: &[String], implied: Option<&Vec<String>>| -> Vec<String> {
            let mut out = declared.to_vec();
            for x in implied.into_iter().flatten() {
                if !out.contains(x) {
                    out.push(x.clone());
                }
            }
            out
        };
        let exercises: Vec<ExerciseView> = order
            .iter()
            .map(|&i| {
                let e = &doc.exercises[i];
                let mut exercise = e.clone();
                exercise.progressions = merge(&e.progressions, progressions.get(e.id.as_str()));
                exercise.regressions = merge(&e.regressions, regressions.get(e.id.as_str()));
                let regions: BTreeSet<Region> = e
                    .targets
                    .primary
                    .iter()
                    .chain(&e.targets.secondary)
                    .filter_map(|m| muscle_pos.get(m.as_str()).map(|&p| doc.muscles[p].region))
                    .collect();
                ExerciseView {
                    exercise,
                    regions: regions.into_iter().collect(),
                }
            })
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

        let w = |weight| Field { weight };
        let mut search = SearchIndexBuilder::default();
        for (rank, view) in exercises.iter().enumerate() {
            let e = &view.exercise;
            let mut fields: Vec<(Field, &str)> = vec![(w(10.0), e.name.as_str())];
            fields.extend(e.aliases.iter().map(|a| (w(8.0), a.as_str())));
            for m in e.targets.primary.iter().chain(&e.targets.secondary) {
                if let Some(&p) = muscle_pos.get(m.as_str()) {
                    let m = &doc.muscles[p];
                    fields.push((w(5.0), m.name.as_str()));
                    fields.push((w(5.0), m.common_name.as_str()));
                    fields.extend(m.aliases.iter().map(|a| (w(5.0), a.as_str())));
                }
            }
            fields.push((w(3.0), e.targets.summary.as_str()));
            for c in &e.conditions {
                if let Some(c) = doc.conditions.iter().find(|x| &x.id == c) {
                    fields.push((w(3.0), c.name.as_str()));
                    fields.extend(c.aliases.iter().map(|a| (w(3.0), a.as_str())));
                }
            }
            fields.push((w(1.0), e.purpose.as_str()));
            fields.push((w(1.0), e.description.as_str()));
            search.add(rank as u32, fields);
        }
        let exercise_search = search.build();
        let mut search = SearchIndexBuilder::default();
        for (i, m) in doc.muscles.iter().enumerate() {
            let mut fields: Vec<(Field, &str)> = vec![
                (w(10.0), m.name.as_str()),
                (w(10.0), m.common_name.as_str()),
            ];
            fields.push((w(8.0), m.id.as_str()));
            fields.extend(m.aliases.iter().map(|a| (w(8.0), a.as_str())));
            fields.push((w(1.0), m.description.as_str()));
            search.add(i as u32, fields);
        }
        let muscle_search = search.build();

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
            exercise_search,
            muscle_search,
            document,
        }
    }

    pub fn document(&self) -> &CatalogueDocument {
        &self.document
    }

    pub fn exercises(&self) -> &[ExerciseView] {
        &self.exercises
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

    /// Exercises matching `filter`, in `sort` order (relevance falls back to name order when
    /// there is no text query).
    pub fn find_exercises(
        &self,
        filter: &ExerciseFilter,
        sort: ExerciseSort,
    ) -> Vec<&ExerciseView> {
        let mut sets: Vec<Postings> = Vec::new();
        let mut any_of = |lists: Vec<Option<&Postings>>| {
            let lists: Vec<&[u32]> = lists.into_iter().flatten().map(Vec::as_slice).collect();
            sets.push(union(&lists));
        };
        if !filter.muscles.is_empty() {
            any_of(
                filter
                    .muscles
                    .iter()
                    .map(|m| self.by_muscle.get(m))
                    .collect(),
            );
        }
        if !filter.equipment.is_empty() {
            any_of(
                filter
                    .equipment
                    .iter()
                    .map(|m| self.by_equipment.get(m))
                    .collect(),
            );
        }
        if !filter.conditions.is_empty() {
            any_of(
                filter
                    .conditions
                    .iter()
                    .map(|m| self.by_condition.get(m))
                    .collect(),
            );
        }
        if !filter.difficulties.is_empty() {
            any_of(
                filter
                    .difficulties
                    .iter()
                    .map(|m| self.by_difficulty.get(m))
                    .collect(),
            );
        }
        if !filter.lateralities.is_empty() {
            any_of(
                filter
                    .lateralities
                    .iter()
                    .map(|m| self.by_laterality.get(m))
                    .collect(),
            );
        }
        if let Some(m) = &filter.scope_muscle {
            any_of(vec![self.by_muscle.get(m)]);
        }
        let ranks: Option<Postings> = sets.into_iter().reduce(|a, b| intersect(&a, &b));
        let scored = filter
            .q
            .as_deref()
            .and_then(|q| self.exercise_search.search(q));
        let mut hits: Vec<(u32, f32)> = match (ranks, scored) {
            (None, None) => (0..self.exercises.len() as u32).map(|r| (r, 0.0)).collect(),
            (Some(ranks), None) => ranks.into_iter().map(|r| (r, 0.0)).collect(),
            (ranks, Some(mut scored)) => {
                if let Some(ranks) = ranks {
                    scored.retain(|(r, _)| ranks.binary_search(r).is_ok());
                }
                scored.sort_unstable_by_key(|&(r, _)| r);
                scored
            }
        };
        match sort {
            ExerciseSort::Name => {}
            ExerciseSort::NameDesc => hits.reverse(),
            ExerciseSort::Relevance => hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))),
        }
        hits.into_iter()
            .map(|(r, _)| &self.exercises[r as usize])
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
        match q.and_then(|q| self.muscle_search.search(q)) {
            None => self.muscles.iter().filter(|m| keep(m)).collect(),
            Some(mut hits) => {
                hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                hits.into_iter()
                    .map(|(i, _)| &self.muscles[i as usize])
                    .filter(|m| keep(m))
                    .collect()
            }
        }
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
