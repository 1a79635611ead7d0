//! Routines made to measure: exercises chosen for conditions and muscles within a time budget,
//! ordered as a therapist would (mobility and activation, then strength, then balance).

use std::collections::HashSet;

use super::index::{
    Catalogue, ExerciseFilter, ExerciseSort, ExerciseView, RoutineItemView, RoutineView,
    SECONDS_BETWEEN_ITEMS, dose_seconds,
};
use super::model::{Category, Difficulty};

/// What a generated routine must respect. Ids are already known to exist.
#[derive(Debug, Clone, Default)]
pub struct RoutineRequest {
    pub conditions: Vec<String>,
    pub muscles: Vec<String>,
    pub available_equipment: Option<Vec<String>>,
    pub minutes: u32,
    pub max_difficulty: Option<Difficulty>,
    pub exclude: Vec<String>,
}

/// A generated routine and, for each item, why it was chosen.
#[derive(Debug, Clone)]
pub struct GeneratedRoutine {
    pub routine: RoutineView,
    pub reasons: Vec<String>,
    /// Why the routine ended where it did (and so why it may be shorter than asked).
    pub stop: Stop,
    /// How many exercises matched the request before the time budget.
    pub candidates: usize,
}

/// Why picking stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// [`MAX_ITEMS`] exercises were chosen.
    MaxItems,
    /// Every exercise that matches the request was chosen.
    NoMoreExercises,
    /// Exercises that match are left, but none fits the minutes that remain.
    NothingFits,
}

/// Most items in a generated routine.
pub const MAX_ITEMS: usize = 8;

/// The phase of a session an exercise belongs to: 0 mobility and soft tissue, 1 activation, 2
/// strength, 3 balance and plyometrics.
pub fn session_phase(c: Category) -> usize {
    match c {
        Category::Mobility | Category::SoftTissue | Category::NerveGlide | Category::Breathing => 0,
        Category::Activation | Category::Isometric => 1,
        Category::Strength | Category::Cardio => 2,
        Category::Balance | Category::Plyometric => 3,
    }
}

const PHASE_NAMES: [&str; 4] = [
    "mobility first, before loading",
    "activation before strength work",
    "strength work",
    "balance and control to finish",
];

/// How many items of each phase a well-rounded session aims for.
const PHASE_TARGET: [usize; 4] = [1, 2, 3, 1];

struct Candidate<'a> {
    view: &'a ExerciseView,
    score: u32,
    conditions: Vec<&'a str>,
    muscles: Vec<&'a str>,
    seconds: u32,
}

/// Builds a routine for `req`. The same request always gives the same routine.
pub fn generate(cat: &Catalogue, req: &RoutineRequest) -> GeneratedRoutine {
    let candidates = candidates(cat, req);
    let (chosen, stop) = pick(&candidates, req.minutes * 60);
    describe(cat, req, &chosen, stop, candidates.len())
}

/// Stage 1: the exercises that serve the request's conditions or muscles within its
/// equipment, difficulty and exclusions, best first.
fn candidates<'a>(cat: &'a Catalogue, req: &'a RoutineRequest) -> Vec<Candidate<'a>> {
    let filter = ExerciseFilter {
        available_equipment: req.available_equipment.clone(),
        max_difficulty: req.max_difficulty,
        exclude: req.exclude.clone(),
        ..Default::default()
    };
    let requested_muscles: Vec<(&str, HashSet<&str>)> = req
        .muscles
        .iter()
        .map(|m| {
            (
                m.as_str(),
                cat.members_of(m).iter().map(String::as_str).collect(),
            )
        })
        .collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    for view in cat.find_exercises(&filter, ExerciseSort::Name) {
        let e = &view.exercise;
        let conditions: Vec<&str> = req
            .conditions
            .iter()
            .filter(|c| e.conditions.contains(c))
            .map(String::as_str)
            .collect();
        let weights = cat.target_weights(e);
        let mut muscle_score = 0;
        let mut muscles = Vec::new();
        for (m, members) in &requested_muscles {
            let best = members
                .iter()
                .filter_map(|x| weights.get(x))
                .max()
                .copied()
                .unwrap_or(0);
            if best > 0 {
                muscle_score += best;
                muscles.push(*m);
            }
        }
        if conditions.is_empty() && muscles.is_empty() {
            continue;
        }
        // Gentler exercises first when nothing else separates them.
        let ease = 2 - e.difficulty as u32;
        candidates.push(Candidate {
            view,
            score: 4 * conditions.len() as u32 + 3 * muscle_score + ease,
            conditions,
            muscles,
            seconds: dose_seconds(&e.dose),
        });
    }
    candidates.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.view.exercise.id.cmp(&b.view.exercise.id))
    });
    candidates
}

/// Stage 2: fill the phases in turns, each time taking the best candidate of the phase
/// furthest below its target that still fits the time budget; ordered by phase.
fn pick<'c, 'a>(candidates: &'c [Candidate<'a>], budget: u32) -> (Vec<&'c Candidate<'a>>, Stop) {
    let mut used = 0u32;
    let mut chosen: Vec<&Candidate> = Vec::new();
    let mut taken: HashSet<&str> = HashSet::new();
    let mut counts = [0usize; 4];
    while chosen.len() < MAX_ITEMS {
        let gap = if chosen.is_empty() {
            0
        } else {
            SECONDS_BETWEEN_ITEMS
        };
        let fits = |c: &&Candidate| {
            !taken.contains(c.view.exercise.id.as_str()) && used + gap + c.seconds <= budget
        };
        let mut order: Vec<usize> = (0..4).collect();
        order.sort_by_key(|&p| {
            (
                counts[p] * 10 / PHASE_TARGET[p],
                std::cmp::Reverse(PHASE_TARGET[p]),
            )
        });
        let pick = order.iter().find_map(|&p| {
            candidates
                .iter()
                .filter(fits)
                .find(|c| session_phase(c.view.exercise.category) == p)
        });
        let Some(pick) = pick else {
            let stop = if chosen.len() == candidates.len() {
                Stop::NoMoreExercises
            } else {
                Stop::NothingFits
            };
            return (by_phase(chosen), stop);
        };
        used += gap + pick.seconds;
        counts[session_phase(pick.view.exercise.category)] += 1;
        taken.insert(pick.view.exercise.id.as_str());
        chosen.push(pick);
    }
    (by_phase(chosen), Stop::MaxItems)
}

fn by_phase<'c, 'a>(mut chosen: Vec<&'c Candidate<'a>>) -> Vec<&'c Candidate<'a>> {
    chosen.sort_by(|a, b| {
        session_phase(a.view.exercise.category)
            .cmp(&session_phase(b.view.exercise.category))
            .then(b.score.cmp(&a.score))
            .then(a.view.exercise.id.cmp(&b.view.exercise.id))
    });
    chosen
}

/// Stage 3: the routine, described as it is: its real duration, and why it is shorter than
/// asked when it is.
fn describe(
    cat: &Catalogue,
    req: &RoutineRequest,
    chosen: &[&Candidate],
    stop: Stop,
    matched: usize,
) -> GeneratedRoutine {
    let items: Vec<RoutineItemView> = chosen
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let e = &c.view.exercise;
            RoutineItemView {
                position: k + 1,
                exercise_id: e.id.clone(),
                exercise_name: e.name.clone(),
                dose: e.dose.clone(),
                note: None,
                estimated_seconds: c.seconds,
            }
        })
        .collect();
    let reasons: Vec<String> = chosen.iter().map(|c| reason(cat, c)).collect();
    let total = items.iter().map(|i| i.estimated_seconds).sum::<u32>()
        + SECONDS_BETWEEN_ITEMS * (items.len().saturating_sub(1) as u32);
    let mut about: Vec<String> = req
        .conditions
        .iter()
        .map(|c| name_of_condition(cat, c))
        .collect();
    about.extend(req.muscles.iter().map(|m| name_of_muscle(cat, m)));
    let routine = RoutineView {
        id: format!("generated-{}", fingerprint(req)),
        name: format!("Routine for {}", about.join(", ")),
        purpose: purpose(req, &about.join(", "), total, stop, matched),
        description: if chosen.is_empty() {
            "No exercise in the catalogue fits these constraints: allow more equipment, a higher difficulty, \
             more minutes or fewer exclusions."
                .to_owned()
        } else {
            "Generated on request, not stored: mobility and activation first, then strength, then balance and \
             control. Doses are the catalogue defaults. Educational content, not medical advice."
                .to_owned()
        },
        conditions: req.conditions.clone(),
        former_ids: Vec::new(),
        phase: None,
        pain_monitoring: cat.pain_monitoring().cloned(),
        attribution: None,
        untranslated: Vec::new(),
        items,
        estimated_duration_seconds: total,
        estimated_duration_minutes: total.div_ceil(60),
        source: "exercise-api".to_owned(),
    };
    GeneratedRoutine {
        routine,
        reasons,
        stop,
        candidates: matched,
    }
}

/// "A 31-minute session for knee pain, generated from the catalogue (90 minutes were asked
/// for: …)." The shortfall is explained when the estimate is more than a minute short.
fn purpose(req: &RoutineRequest, about: &str, total: u32, stop: Stop, matched: usize) -> String {
    let minutes = total.div_ceil(60);
    let mut text = format!("A {minutes}-minute session for {about}, generated from the catalogue");
    if minutes + 1 < req.minutes {
        let why = match stop {
            Stop::MaxItems => format!("a generated routine has at most {MAX_ITEMS} exercises"),
            Stop::NoMoreExercises => format!(
                "only {matched} exercise{} in the catalogue match{} these conditions, muscles, \
                 equipment, difficulty and exclusions",
                if matched == 1 { "" } else { "s" },
                if matched == 1 { "es" } else { "" },
            ),
            Stop::NothingFits => format!(
                "no other matching exercise fits in the {} minutes left",
                (req.minutes * 60).saturating_sub(total) / 60
            ),
        };
        text.push_str(&format!(" ({} minutes were asked for: {why})", req.minutes));
    }
    text.push('.');
    text
}

fn name_of_condition(cat: &Catalogue, id: &str) -> String {
    cat.condition(id)
        .map_or(id.to_owned(), |c| c.condition.name.to_lowercase())
}

fn name_of_muscle(cat: &Catalogue, id: &str) -> String {
    cat.muscle(id)
        .map_or(id.to_owned(), |m| m.muscle.name.to_lowercase())
}

fn reason(cat: &Catalogue, c: &Candidate) -> String {
    let mut parts = Vec::new();
    if !c.conditions.is_empty() {
        let names: Vec<String> = c
            .conditions
            .iter()
            .map(|x| name_of_condition(cat, x))
            .collect();
        parts.push(format!("used for {}", names.join(", ")));
    }
    if !c.muscles.is_empty() {
        let names: Vec<String> = c.muscles.iter().map(|x| name_of_muscle(cat, x)).collect();
        parts.push(format!("works {}", names.join(", ")));
    }
    parts.push(PHASE_NAMES[session_phase(c.view.exercise.category)].to_owned());
    parts.join("; ")
}

/// A short stable hash of the request, so the same request names the same routine.
fn fingerprint(req: &RoutineRequest) -> String {
    let text = format!(
        "{:?}|{:?}|{:?}|{}|{:?}|{:?}",
        req.conditions,
        req.muscles,
        req.available_equipment,
        req.minutes,
        req.max_difficulty,
        req.exclude
    );
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}
