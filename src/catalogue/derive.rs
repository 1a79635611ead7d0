//! Building a [`Catalogue`] from a validated document, in named stages: the muscle graph, the
//! exercise views, the filter postings, the other views, the search indexes, autocomplete and
//! the forgiving lookups. Everything here runs once, at load.

use std::collections::BTreeSet;

// Fast, randomly seeded hashing for the maps built from the catalogue at load.
use foldhash::{HashMap, HashMapExt};

use super::index::{
    Catalogue, Collection, ConditionView, EquipmentView, ExerciseView, Lookups, MAX_EXPANDED_GROUP,
    MusclePostings, MuscleView, Postings, ResourceKind, RoutineItemView, RoutineView,
    SECONDS_BETWEEN_ITEMS, dose_seconds, normalize, positions, union,
};
use super::model::*;
use super::search::{
    Field, PreparedText, SearchIndex, SearchIndexBuilder, SuggestIndex, Suggestion,
};

/// The group graph: who is in which group, both ways, transitively.
struct MuscleGraph<'a> {
    /// Direct members of each group.
    members: HashMap<&'a str, Vec<&'a str>>,
    /// Each entry with itself and all its transitive members.
    descendants: HashMap<&'a str, BTreeSet<&'a str>>,
    /// Each entry with every group that contains it, transitively (not itself).
    ancestors: HashMap<&'a str, BTreeSet<&'a str>>,
}

/// Stage 1: the group graph (validation guarantees no cycles).
fn muscle_graph(doc: &CatalogueDocument) -> MuscleGraph<'_> {
    let mut members: HashMap<&str, Vec<&str>> = HashMap::new();
    for m in &doc.muscles {
        for g in &m.groups {
            members.entry(g.as_str()).or_default().push(m.id.as_str());
        }
    }
    let parents: HashMap<&str, Vec<&str>> = doc
        .muscles
        .iter()
        .map(|m| (m.id.as_str(), m.groups.iter().map(String::as_str).collect()))
        .collect();
    let descendants = doc
        .muscles
        .iter()
        .map(|m| {
            let mut set = closure(&m.id, &members);
            set.insert(m.id.as_str());
            (m.id.as_str(), set)
        })
        .collect();
    let ancestors = doc
        .muscles
        .iter()
        .map(|m| (m.id.as_str(), closure(&m.id, &parents)))
        .collect();
    MuscleGraph {
        members,
        descendants,
        ancestors,
    }
}

/// Everything reachable from `start` by following `next` (not `start` itself unless a cycle
/// leads back, which validation rules out).
fn closure<'a>(start: &str, next: &HashMap<&'a str, Vec<&'a str>>) -> BTreeSet<&'a str> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<&'a str> = next.get(start).cloned().unwrap_or_default();
    while let Some(x) = stack.pop() {
        if out.insert(x) {
            stack.extend(next.get(x).into_iter().flatten().copied());
        }
    }
    out
}

/// Stage 2: exercise views in name order, with merged progressions and regressions (an
/// exercise's regressions include every exercise that names it as a progression, and the
/// reverse), a role on the targets, and the regions of the targets added. Returns the views
/// and, by file position, each exercise's rank and what the file declared (for export).
fn exercise_views(
    doc: &CatalogueDocument,
    doc_exercises: Vec<Exercise>,
) -> (Vec<ExerciseView>, Vec<super::index::DeclaredExercise>) {
    let muscle_pos = positions(doc.muscles.iter().map(|m| m.id.as_str()));
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
    let mut declared = Vec::with_capacity(doc_exercises.len());
    let mut slots: Vec<Option<ExerciseView>> = Vec::with_capacity(doc_exercises.len());
    for (i, mut exercise) in doc_exercises.into_iter().enumerate() {
        let progressions = std::mem::take(&mut exercise.progressions);
        let regressions = std::mem::take(&mut exercise.regressions);
        exercise.progressions = merge(&progressions, &implied_progressions[i]);
        exercise.regressions = merge(&regressions, &implied_regressions[i]);
        let regions = exercise.regions.clone();
        let role = exercise.targets.role;
        let mut all: BTreeSet<Region> = exercise.regions.iter().copied().collect();
        all.extend(
            exercise
                .targets
                .primary
                .iter()
                .chain(&exercise.targets.secondary)
                .filter_map(|m| muscle_pos.get(m.as_str()).map(|&p| doc.muscles[p].region)),
        );
        exercise.regions = all.into_iter().collect();
        exercise.targets.role = Some(role.unwrap_or(exercise.category.default_role()));
        declared.push(super::index::DeclaredExercise {
            rank: rank_of[i],
            progressions,
            regressions,
            regions,
            role,
        });
        slots.push(Some(ExerciseView {
            map: format!("/v1/exercises/{}/map", exercise.id),
            exercise,
            untranslated: Vec::new(),
        }));
    }
    let exercises = order
        .iter()
        .map(|&i| slots[i].take().expect("each exercise once"))
        .collect();
    (exercises, declared)
}

/// The filter postings of the exercise list.
#[derive(Default)]
struct FilterPostings {
    by_muscle: MusclePostings,
    by_equipment: HashMap<String, Postings>,
    by_condition: HashMap<String, Postings>,
    by_difficulty: HashMap<Difficulty, Postings>,
    by_laterality: HashMap<Laterality, Postings>,
    by_region: HashMap<Region, Postings>,
    by_position: HashMap<Position, Postings>,
    by_joint: HashMap<Joint, Postings>,
    by_role: HashMap<Role, Postings>,
}

/// Stage 3: postings, built in rank order so each list is sorted.
fn filter_postings(
    doc: &CatalogueDocument,
    exercises: &[ExerciseView],
    graph: &MuscleGraph,
) -> FilterPostings {
    let mut p = FilterPostings::default();
    let mut direct: HashMap<&str, Postings> = HashMap::new();
    for (rank, view) in exercises.iter().enumerate() {
        let e = &view.exercise;
        let rank = rank as u32;
        for m in e.targets.primary.iter().chain(&e.targets.secondary) {
            direct.entry(m.as_str()).or_default().push(rank);
        }
        for x in &e.equipment {
            p.by_equipment.entry(x.clone()).or_default().push(rank);
        }
        for c in &e.conditions {
            p.by_condition.entry(c.clone()).or_default().push(rank);
        }
        p.by_difficulty.entry(e.difficulty).or_default().push(rank);
        p.by_laterality.entry(e.laterality).or_default().push(rank);
        p.by_position.entry(e.position).or_default().push(rank);
        for r in &e.regions {
            p.by_region.entry(*r).or_default().push(rank);
        }
        for j in e.joints.iter().collect::<BTreeSet<_>>() {
            p.by_joint.entry(*j).or_default().push(rank);
        }
        let fallback = e.category.default_role();
        let roles: BTreeSet<Role> = e
            .targets
            .primary
            .iter()
            .map(|m| e.targets.role_of(m, fallback))
            .collect();
        for r in roles {
            p.by_role.entry(r).or_default().push(rank);
        }
    }
    let gather = |ids: &BTreeSet<&str>| -> Postings {
        let lists: Vec<&[u32]> = ids
            .iter()
            .filter_map(|d| direct.get(d).map(Vec::as_slice))
            .collect();
        union(&lists)
    };
    for m in &doc.muscles {
        let id = m.id.as_str();
        p.by_muscle
            .below
            .insert(m.id.clone(), gather(&graph.descendants[id]));
        p.by_muscle
            .above
            .insert(m.id.clone(), gather(&graph.ancestors[id]));
        p.by_muscle
            .direct
            .insert(m.id.clone(), direct.get(id).cloned().unwrap_or_default());
    }
    p
}

/// Stage 4: muscle views, with members and how many exercises find each entry.
fn muscle_views(
    doc: &CatalogueDocument,
    graph: &MuscleGraph,
    by_muscle: &MusclePostings,
) -> Vec<MuscleView> {
    doc.muscles
        .iter()
        .map(|m| {
            let found = union(&[
                by_muscle.below.get(&m.id).map_or(&[][..], Vec::as_slice),
                by_muscle.above.get(&m.id).map_or(&[][..], Vec::as_slice),
            ]);
            MuscleView {
                map: format!("/v1/muscles/{}/map", m.id),
                muscle: m.clone(),
                members: graph
                    .members
                    .get(m.id.as_str())
                    .map(|v| v.iter().map(|s| s.to_string()).collect())
                    .unwrap_or_default(),
                exercise_count: found.len(),
                untranslated: Vec::new(),
            }
        })
        .collect()
}

/// Stage 5: routine views with resolved doses, durations and the pain rule that applies.
fn routine_views(
    doc: &CatalogueDocument,
    exercises: &[ExerciseView],
    exercise_ix: &HashMap<String, u32>,
) -> Vec<RoutineView> {
    let exercise_by_id = |id: &str| &exercises[exercise_ix[id] as usize].exercise;
    doc.routines
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
                former_ids: r.former_ids.clone(),
                name: r.name.clone(),
                purpose: r.purpose.clone(),
                description: r.description.clone(),
                conditions: r.conditions.clone(),
                phase: r.phase,
                items,
                pain_monitoring: r
                    .pain_monitoring
                    .clone()
                    .or_else(|| doc.pain_monitoring.clone()),
                estimated_duration_seconds: total,
                estimated_duration_minutes: total.div_ceil(60),
                source: r.source.clone(),
                attribution: r.attribution.clone(),
                untranslated: Vec::new(),
            }
        })
        .collect()
}

/// Stage 6: condition views, with their exercises and routines.
fn condition_views(
    doc: &CatalogueDocument,
    exercises: &[ExerciseView],
    by_condition: &HashMap<String, Postings>,
) -> Vec<ConditionView> {
    doc.conditions
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
            untranslated: Vec::new(),
        })
        .collect()
}

fn equipment_views(
    doc: &CatalogueDocument,
    by_equipment: &HashMap<String, Postings>,
) -> Vec<EquipmentView> {
    doc.equipment
        .iter()
        .map(|e| EquipmentView {
            equipment: e.clone(),
            exercise_count: by_equipment.get(&e.id).map_or(0, Vec::len),
        })
        .collect()
}

fn field(name: &'static str, weight: f32) -> Field {
    Field { name, weight }
}

/// Stage 7a: the exercise search index. An exercise also answers to its targets' names (and,
/// for a small group, its members' names) and its conditions' names.
fn exercise_search(
    doc: &CatalogueDocument,
    exercises: &[ExerciseView],
    graph: &MuscleGraph,
) -> SearchIndex {
    let muscle_pos = positions(doc.muscles.iter().map(|m| m.id.as_str()));
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
            let members = &graph.descendants[m.id.as_str()];
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
        let mut fields: Vec<(Field, &str)> = vec![(field("name", 10.0), e.name.as_str())];
        fields.extend(
            e.aliases
                .iter()
                .map(|a| (field("aliases", 8.0), a.as_str())),
        );
        fields.push((field("targets", 5.0), e.targets.summary.as_str()));
        fields.push((field("description", 1.0), e.purpose.as_str()));
        fields.push((field("description", 1.0), e.description.as_str()));
        search.add(rank, fields);
        let primary = e.targets.primary.iter().map(|m| (m, 5.0));
        for (m, weight) in primary.chain(e.targets.secondary.iter().map(|m| (m, 3.0))) {
            if let Some(&p) = muscle_pos.get(m.as_str()) {
                for text in &muscle_texts[p] {
                    search.add_prepared(rank, field("targets", weight), text);
                }
                for text in &member_texts[p] {
                    search.add_prepared(rank, field("targets", 2.0), text);
                }
            }
        }
        for c in &e.conditions {
            if let Some(&p) = condition_pos.get(c.as_str()) {
                for text in &condition_texts[p] {
                    search.add_prepared(rank, field("conditions", 3.0), text);
                }
            }
        }
    }
    search.build()
}

/// Stage 7b: the muscle search index.
fn muscle_search(doc: &CatalogueDocument) -> SearchIndex {
    let mut search = SearchIndexBuilder::default();
    for (i, m) in doc.muscles.iter().enumerate() {
        let mut fields: Vec<(Field, &str)> = vec![
            (field("name", 10.0), m.name.as_str()),
            (field("name", 10.0), m.common_name.as_str()),
        ];
        fields.push((field("aliases", 8.0), m.id.as_str()));
        fields.extend(
            m.aliases
                .iter()
                .map(|a| (field("aliases", 8.0), a.as_str())),
        );
        fields.push((field("description", 1.0), m.description.as_str()));
        search.add(i as u32, fields);
    }
    search.build()
}

/// Stage 7c: the routine search index (a routine answers to its conditions' names).
fn routine_search(doc: &CatalogueDocument) -> SearchIndex {
    let condition_pos = positions(doc.conditions.iter().map(|c| c.id.as_str()));
    let mut search = SearchIndexBuilder::default();
    for (i, r) in doc.routines.iter().enumerate() {
        let mut fields: Vec<(Field, &str)> = vec![(field("name", 10.0), r.name.as_str())];
        for c in &r.conditions {
            if let Some(&p) = condition_pos.get(c.as_str()) {
                let c = &doc.conditions[p];
                fields.push((field("conditions", 5.0), c.name.as_str()));
                fields.extend(
                    c.aliases
                        .iter()
                        .map(|a| (field("conditions", 5.0), a.as_str())),
                );
            }
        }
        fields.push((field("description", 1.0), r.purpose.as_str()));
        fields.push((field("description", 1.0), r.description.as_str()));
        search.add(i as u32, fields);
    }
    search.build()
}

/// Stage 7d: the condition search index.
fn condition_search(doc: &CatalogueDocument) -> SearchIndex {
    let mut search = SearchIndexBuilder::default();
    for (i, c) in doc.conditions.iter().enumerate() {
        let mut fields: Vec<(Field, &str)> = vec![(field("name", 10.0), c.name.as_str())];
        fields.extend(
            c.aliases
                .iter()
                .map(|a| (field("aliases", 8.0), a.as_str())),
        );
        fields.push((field("description", 1.0), c.description.as_str()));
        fields.extend(
            c.causes
                .iter()
                .map(|a| (field("description", 1.0), a.as_str())),
        );
        search.add(i as u32, fields);
    }
    search.build()
}

/// Stage 8: autocomplete over names and aliases (muscles' common names count as names).
fn suggest_index(
    doc: &CatalogueDocument,
    exercises: &[ExerciseView],
    declared: &[super::index::DeclaredExercise],
) -> SuggestIndex<(ResourceKind, String)> {
    let mut keys: Vec<Suggestion<(ResourceKind, String)>> = Vec::new();
    let mut key = |text: &str, kind, id: &str, primary| {
        keys.push(Suggestion {
            text: text.to_owned(),
            target: (kind, id.to_owned()),
            primary,
        })
    };
    for d in declared {
        let e = &exercises[d.rank as usize].exercise;
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
    SuggestIndex::new(keys)
}

/// Stage 9: forgiving lookups. Ids, former ids and aliases (validation keeps them unique per
/// collection) win over names, which only fill keys nobody else holds.
fn lookups(doc: &CatalogueDocument, exercises: &[ExerciseView]) -> Lookups {
    let mut out = Lookups::default();
    let mut strong = |c: Collection, id: &str, keys: &mut dyn Iterator<Item = &String>| {
        out.keys.insert((c, normalize(id)), id.to_owned());
        for k in keys {
            out.keys
                .entry((c, normalize(k)))
                .or_insert_with(|| id.to_owned());
        }
    };
    for v in exercises {
        let e = &v.exercise;
        strong(
            Collection::Exercises,
            &e.id,
            &mut e.former_ids.iter().chain(&e.aliases),
        );
    }
    for m in &doc.muscles {
        strong(
            Collection::Muscles,
            &m.id,
            &mut m.former_ids.iter().chain(&m.aliases),
        );
    }
    for r in &doc.routines {
        strong(Collection::Routines, &r.id, &mut r.former_ids.iter());
    }
    for c in &doc.conditions {
        strong(
            Collection::Conditions,
            &c.id,
            &mut c.former_ids.iter().chain(&c.aliases),
        );
    }
    for e in &doc.equipment {
        strong(Collection::Equipment, &e.id, &mut e.former_ids.iter());
    }
    let names = exercises
        .iter()
        .map(|v| {
            (
                Collection::Exercises,
                &v.exercise.id,
                vec![&v.exercise.name],
            )
        })
        .chain(
            doc.muscles
                .iter()
                .map(|m| (Collection::Muscles, &m.id, vec![&m.name, &m.common_name])),
        )
        .chain(
            doc.routines
                .iter()
                .map(|r| (Collection::Routines, &r.id, vec![&r.name])),
        )
        .chain(
            doc.conditions
                .iter()
                .map(|c| (Collection::Conditions, &c.id, vec![&c.name])),
        )
        .chain(
            doc.equipment
                .iter()
                .map(|e| (Collection::Equipment, &e.id, vec![&e.name])),
        );
    for (c, id, texts) in names {
        for t in texts {
            out.keys
                .entry((c, normalize(t)))
                .or_insert_with(|| id.clone());
        }
    }
    out
}

impl Catalogue {
    /// Derives every view and index from a validated document whose exercises were taken out
    /// (they move into the views).
    pub(super) fn derive(doc: &CatalogueDocument, doc_exercises: Vec<Exercise>) -> Self {
        let graph = muscle_graph(doc);
        let (exercises, declared) = exercise_views(doc, doc_exercises);
        let exercise_ix: HashMap<String, u32> = exercises
            .iter()
            .enumerate()
            .map(|(r, e)| (e.exercise.id.clone(), r as u32))
            .collect();
        let postings = filter_postings(doc, &exercises, &graph);
        let muscles = muscle_views(doc, &graph, &postings.by_muscle);
        let routines = routine_views(doc, &exercises, &exercise_ix);
        let conditions = condition_views(doc, &exercises, &postings.by_condition);
        let equipment = equipment_views(doc, &postings.by_equipment);
        let owned = |sets: &HashMap<&str, BTreeSet<&str>>| -> HashMap<String, Vec<String>> {
            sets.iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect()
        };
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
            exercise_search: exercise_search(doc, &exercises, &graph),
            muscle_search: muscle_search(doc),
            routine_search: routine_search(doc),
            condition_search: condition_search(doc),
            suggest: suggest_index(doc, &exercises, &declared),
            lookups: lookups(doc, &exercises),
            descendants: owned(&graph.descendants),
            ancestors: owned(&graph.ancestors),
            by_muscle: postings.by_muscle,
            by_equipment: postings.by_equipment,
            by_condition: postings.by_condition,
            by_difficulty: postings.by_difficulty,
            by_laterality: postings.by_laterality,
            by_region: postings.by_region,
            by_position: postings.by_position,
            by_joint: postings.by_joint,
            by_role: postings.by_role,
            exercises,
            exercise_ix,
            muscles,
            routines,
            conditions,
            equipment,
            document: CatalogueDocument::default(),
            declared,
            content_hash: String::new(),
            language: "en".to_owned(),
            layers: Vec::new(),
        }
    }
}
