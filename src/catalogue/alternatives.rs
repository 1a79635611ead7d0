//! Substitutes: other exercises ranked by how well they hit the same targets.

use std::collections::HashMap;

use super::index::{Catalogue, ExerciseFilter, ExerciseSort, ExerciseView};
use super::model::Role;

/// One substitute for an exercise.
#[derive(Debug, Clone)]
pub struct Alternative<'a> {
    pub exercise: &'a ExerciseView,
    /// Weighted Jaccard similarity of the two exercises' targets, plus a bonus for the same
    /// kind of work; 0–1.
    pub score: f64,
    /// The original's target ids (primary first) that this exercise also works.
    pub shared_targets: Vec<&'a str>,
    /// One line saying why it was chosen.
    pub reason: String,
}

/// Bonus for the same kind of work (strength for strength, stretch for stretch).
const SAME_CATEGORY_BONUS: f64 = 0.05;

/// The roles of an exercise's primary targets.
pub fn primary_roles(e: &super::model::Exercise) -> Vec<Role> {
    let fallback = e.category.default_role();
    let mut roles: Vec<Role> = e
        .targets
        .primary
        .iter()
        .map(|m| e.targets.role_of(m, fallback))
        .collect();
    roles.sort_unstable();
    roles.dedup();
    roles
}

/// The roles a substitute may have when the caller names none: like for like. Work that loads
/// a muscle (strengthen, activate, control) is replaced by loading work; a stretch by a
/// stretch; soft-tissue release by release.
pub fn like_roles(e: &super::model::Exercise) -> Vec<Role> {
    let mut out: Vec<Role> = Vec::new();
    for r in primary_roles(e) {
        let family: &[Role] = if r.loads() {
            &[Role::Strengthen, Role::Activate, Role::Control]
        } else {
            std::slice::from_ref(match r {
                Role::Stretch => &Role::Stretch,
                _ => &Role::Release,
            })
        };
        for f in family {
            if !out.contains(f) {
                out.push(*f);
            }
        }
    }
    out
}

/// Exercises that work the original's targets, best first. Targets are compared through the
/// group graph (a group counts as all its members), primary targets weigh twice secondary
/// ones. `filter` narrows the candidates (equipment at hand, difficulty, roles ...); without
/// roles in it, candidates do the same kind of work as the original (see [`like_roles`]).
pub fn alternatives<'a>(
    cat: &'a Catalogue,
    original: &'a ExerciseView,
    filter: &ExerciseFilter,
    limit: usize,
) -> Vec<Alternative<'a>> {
    let orig = &original.exercise;
    let want = cat.target_weights(orig);
    let total: u32 = want.values().sum();
    if total == 0 {
        return Vec::new();
    }
    let mut out: Vec<Alternative<'a>> = Vec::new();
    let mut filter = filter.clone();
    if filter.roles.is_empty() {
        filter.roles = like_roles(orig);
    }
    for candidate in cat.find_exercises(&filter, ExerciseSort::Name) {
        let e = &candidate.exercise;
        if e.id == orig.id {
            continue;
        }
        let have = cat.target_weights(e);
        let overlap: u32 = want
            .iter()
            .filter_map(|(m, w)| have.get(m).map(|h| (*w).min(*h)))
            .sum();
        if overlap == 0 {
            continue;
        }
        // Weighted Jaccard: shared weight over all weight either exercise puts anywhere, so an
        // exercise that works everything (a whole-body group) does not match everything.
        let theirs: u32 = have.values().sum();
        let mut score = f64::from(overlap) / f64::from(total + theirs - overlap);
        if e.category == orig.category {
            score += SAME_CATEGORY_BONUS;
        }
        let score = (score.min(1.0) * 1000.0).round() / 1000.0;
        let shared = |targets: &'a [String]| -> Vec<&'a str> {
            targets
                .iter()
                .filter(|t| {
                    cat.members_of(t)
                        .iter()
                        .any(|m| have.contains_key(m.as_str()))
                })
                .map(String::as_str)
                .collect()
        };
        let primary = shared(&orig.targets.primary);
        let secondary = shared(&orig.targets.secondary);
        let reason = reason(cat, &primary, &secondary, &e.equipment);
        let mut shared_targets = primary;
        shared_targets.extend(secondary);
        out.push(Alternative {
            exercise: candidate,
            score,
            shared_targets,
            reason,
        });
    }
    let difficulty_gap =
        |a: &Alternative| (a.exercise.exercise.difficulty as i32 - orig.difficulty as i32).abs();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(difficulty_gap(a).cmp(&difficulty_gap(b)))
            .then(a.exercise.exercise.name.cmp(&b.exercise.exercise.name))
    });
    out.truncate(limit);
    out
}

fn names(cat: &Catalogue, ids: &[&str]) -> String {
    ids.iter()
        .map(|id| {
            cat.muscle(id)
                .map_or(id.to_string(), |m| m.muscle.name.to_lowercase())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn reason(cat: &Catalogue, primary: &[&str], secondary: &[&str], equipment: &[String]) -> String {
    let targets = if !primary.is_empty() {
        format!("same primary targets: {}", names(cat, primary))
    } else {
        format!("shares secondary targets: {}", names(cat, secondary))
    };
    let gear: HashMap<&str, &str> = cat
        .equipment()
        .iter()
        .map(|e| (e.equipment.id.as_str(), e.equipment.name.as_str()))
        .collect();
    let needs = if equipment.iter().all(|e| e == "none") {
        "needs no equipment".to_owned()
    } else {
        let list: Vec<String> = equipment
            .iter()
            .map(|e| gear.get(e.as_str()).map_or(e.clone(), |n| n.to_lowercase()))
            .collect();
        format!("needs {}", list.join(" and "))
    };
    format!("{targets}; {needs}")
}
