//! The embedded catalogue's content: counts, completeness, and the relationships a therapist
//! relies on (every group and condition leads somewhere, routines in a sensible order).

use exercise_api::catalogue::generate::session_phase;
use exercise_api::catalogue::model::{Category, MuscleKind};

use super::exercises::descendants;
use super::helpers::{catalogue, get_ok};

#[actix_web::test]
async fn the_list_endpoints_report_the_catalogue_size() {
    for (uri, min) in [
        ("/v1/exercises?limit=1", 40),
        ("/v1/muscles?limit=1", 30),
        ("/v1/routines?limit=1", 8),
        ("/v1/conditions?limit=1", 8),
    ] {
        let total = get_ok(uri).await.total();
        assert!(total >= min, "{uri}: meta.total {total} < {min}");
    }
}

#[test]
fn every_exercise_has_every_field_filled() {
    let cat = catalogue();
    for view in cat.exercises() {
        let e = &view.exercise;
        let id = &e.id;
        let seed = e.source == "dynamic-pt-chicago";
        assert!(!e.targets.primary.is_empty(), "{id} primary targets");
        assert!(e.targets.role.is_some(), "{id} has a role");
        assert!(e.steps.len() >= 3 || seed, "{id}: at least three steps");
        assert!(e.common_mistakes.len() >= 2, "{id}: two common mistakes");
        assert!(
            e.cautions.len() + e.contraindications.len() >= 2,
            "{id}: two cautions or contraindications"
        );
        assert!(!e.equipment.is_empty(), "{id} equipment");
        assert!(!e.regions.is_empty(), "{id} regions");
        // Only work that moves no joint (breathing, rolling, pelvic-floor contractions) lists
        // none, and only such work has no movement pattern.
        assert!(
            !e.joints.is_empty()
                || matches!(
                    e.category,
                    Category::Breathing | Category::SoftTissue | Category::Activation
                ),
            "{id} joints"
        );
        assert!(
            e.movement_pattern.is_some() || e.joints.is_empty(),
            "{id} movement pattern"
        );
        assert_ne!(
            e.category,
            Category::Isometric,
            "{id}: isometric is a contraction now"
        );
        for text in [&e.purpose, &e.description, &e.feel, &e.targets.summary] {
            assert!(!text.trim().is_empty(), "{id} text");
        }
        // A feel that says where and what, not "The calf."
        assert!(
            e.feel.split_whitespace().count() >= 5 || seed,
            "{id} feel: {}",
            e.feel
        );
    }
    let four = cat
        .exercises()
        .iter()
        .filter(|e| e.exercise.steps.len() == 4)
        .count();
    assert!(
        four * 2 < cat.exercises().len(),
        "steps fit the movement: {four} exercises have exactly four"
    );
}

#[test]
fn no_sentence_is_pasted_across_many_exercises() {
    // Repeated rules are data (pain monitoring, doses); text is written for each exercise.
    let cat = catalogue();
    let mut seen: std::collections::HashMap<String, Vec<&str>> = Default::default();
    for view in cat.exercises() {
        let e = &view.exercise;
        let texts = [&e.purpose, &e.description, &e.feel]
            .into_iter()
            .chain(&e.steps)
            .chain(&e.common_mistakes)
            .chain(&e.cautions)
            .chain(&e.contraindications);
        let mut mine: std::collections::HashSet<String> = Default::default();
        for t in texts {
            for sentence in t.split_inclusive(['.', '!', '?']) {
                let sentence = sentence.trim();
                if sentence.len() > 25 && mine.insert(sentence.to_owned()) {
                    seen.entry(sentence.to_owned()).or_default().push(&e.id);
                }
            }
        }
    }
    let pasted: Vec<(&String, &Vec<&str>)> = seen.iter().filter(|(_, ids)| ids.len() > 3).collect();
    assert!(
        pasted.is_empty(),
        "sentences in more than three exercises: {pasted:?}"
    );
}

#[test]
fn the_whole_body_is_covered() {
    use exercise_api::catalogue::model::Region;
    let cat = catalogue();
    assert!(
        cat.exercises().len() >= 200,
        "{} exercises",
        cat.exercises().len()
    );
    assert!(cat.muscles().len() >= 90, "{} muscles", cat.muscles().len());
    assert!(
        cat.conditions().len() >= 30,
        "{} conditions",
        cat.conditions().len()
    );
    assert!(
        cat.routines().len() >= 30,
        "{} routines",
        cat.routines().len()
    );
    for region in Region::ALL.into_iter().filter(|r| *r != Region::Trunk) {
        let n = cat
            .exercises()
            .iter()
            .filter(|e| e.exercise.regions.contains(&region))
            .count();
        assert!(n >= 8, "{region:?}: {n} exercises");
        assert!(
            cat.muscles()
                .iter()
                .all(|m| m.muscle.region != Region::Trunk),
            "new content uses the split trunk regions"
        );
    }
    for m in cat.muscles() {
        assert!(m.exercise_count > 0, "{} finds no exercise", m.muscle.id);
    }
    for c in cat.conditions() {
        assert!(
            c.exercises.len() >= 5,
            "{}: {} exercises",
            c.condition.id,
            c.exercises.len()
        );
        assert!(!c.routines.is_empty(), "{} has a routine", c.condition.id);
    }
    for (condition, phases) in [
        ("acl-reconstruction", 3),
        ("knee-replacement", 3),
        ("hip-replacement", 3),
        ("ankle-sprain-recovery", 3),
        ("achilles-tendinopathy", 3),
    ] {
        let phased: std::collections::BTreeSet<_> = cat
            .routines()
            .iter()
            .filter(|r| r.conditions.iter().any(|c| c == condition))
            .filter_map(|r| r.phase)
            .collect();
        assert!(phased.len() >= phases, "{condition}: phases {phased:?}");
    }
}

#[test]
fn pain_monitoring_is_data_not_pasted_text() {
    let cat = catalogue();
    let rule = cat.pain_monitoring().expect("a catalogue-wide pain rule");
    assert!(rule.max_pain_during <= 5 && rule.settles_within_hours == 24);
    for r in cat.routines() {
        assert!(r.pain_monitoring.is_some(), "{} carries the rule", r.id);
    }
    for e in cat.exercises() {
        for c in &e.exercise.cautions {
            assert!(
                !c.to_lowercase().contains("settles within a day"),
                "{}: the pain rule is pasted into a caution",
                e.exercise.id
            );
        }
    }
}

#[test]
fn every_muscle_group_finds_an_exercise() {
    let cat = catalogue();
    let doc = cat.document();
    for g in doc.muscles.iter().filter(|m| m.kind == MuscleKind::Group) {
        let members = descendants(&g.id);
        let found = doc.exercises.iter().any(|e| {
            e.targets
                .primary
                .iter()
                .chain(&e.targets.secondary)
                .any(|t| members.contains(t))
        });
        assert!(found, "group {} finds no exercise", g.id);
    }
    // The required groups exist, anatomical and functional.
    for id in [
        "gluteals",
        "quadriceps",
        "hamstrings",
        "adductors",
        "calf",
        "core",
        "hip-abductors",
        "hip-stabilizers",
        "ankle-stabilizers",
        "knee-extensors",
    ] {
        assert_eq!(
            cat.muscle(id).map(|m| m.muscle.kind),
            Some(MuscleKind::Group),
            "{id}"
        );
    }
}

#[test]
fn every_condition_has_an_exercise_and_a_routine() {
    let cat = catalogue();
    for c in cat.conditions() {
        assert!(!c.exercises.is_empty(), "{} has exercises", c.condition.id);
        assert!(!c.routines.is_empty(), "{} has routines", c.condition.id);
        assert!(
            !c.condition.aliases.is_empty(),
            "{} has aliases",
            c.condition.id
        );
        assert!(
            !c.condition.see_a_professional.is_empty(),
            "{} says when to see a clinician",
            c.condition.id
        );
    }
}

#[test]
fn routines_warm_up_before_loading() {
    // Therapists group by position and interleave range work in post-operative sessions, so
    // the order is not a strict sort; but soft-tissue work comes before any loading, and no
    // session opens with hopping.
    let cat = catalogue();
    for r in cat.routines() {
        // The seed's routine keeps the clinic's order.
        if r.source == "dynamic-pt-chicago" {
            continue;
        }
        let categories: Vec<Category> = r
            .items
            .iter()
            .map(|i| cat.exercise(&i.exercise_id).unwrap().exercise.category)
            .collect();
        let first_load = categories.iter().position(|c| session_phase(*c) >= 1);
        let last_release = categories.iter().rposition(|c| *c == Category::SoftTissue);
        if let (Some(load), Some(release)) = (first_load, last_release) {
            assert!(
                release < load,
                "{}: soft tissue after loading: {categories:?}",
                r.id
            );
        }
        assert_ne!(
            categories[0],
            Category::Plyometric,
            "{} opens with hopping",
            r.id
        );
        let minutes = r.estimated_duration_minutes;
        // Short routines are repeated through the day (nerve glides, desk breaks).
        assert!((2..=45).contains(&minutes), "{} lasts {minutes} min", r.id);
    }
}

#[test]
fn progressions_link_the_expected_chains() {
    let cat = catalogue();
    let has = |from: &str, to: &str| {
        cat.exercise(from)
            .unwrap()
            .exercise
            .progressions
            .iter()
            .any(|p| p == to)
    };
    assert!(has("glute-bridge", "single-leg-glute-bridge"));
    let wall = &cat.exercise("wall-sit").unwrap().exercise;
    assert!(!wall.progressions.is_empty(), "wall sit progresses");
    for e in cat.exercises() {
        for r in &e.exercise.regressions {
            assert!(has(r, &e.exercise.id), "{r} → {} both ways", e.exercise.id);
        }
    }
}

#[test]
fn the_catalogue_schema_is_committed_and_current() {
    let generated =
        serde_json::to_string_pretty(&exercise_api::catalogue::schema::catalogue_schema()).unwrap()
            + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/catalogue.schema.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/catalogue.schema.json is out of date; regenerate it with `cargo run -- catalogue-schema > openapi/catalogue.schema.json`"
    );
}
