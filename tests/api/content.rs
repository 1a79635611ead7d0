//! The embedded catalogue's content: counts, completeness, and the relationships a therapist
//! relies on (every group and condition leads somewhere, routines in a sensible order).

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
    for e in &cat.document().exercises {
        let id = &e.id;
        assert!(!e.targets.primary.is_empty(), "{id} primary targets");
        assert!(
            e.steps.len() >= 2 || e.source == "dynamic-pt-chicago",
            "{id} steps"
        );
        assert!(!e.common_mistakes.is_empty(), "{id} common mistakes");
        assert!(!e.cautions.is_empty(), "{id} cautions");
        assert!(!e.conditions.is_empty(), "{id} conditions");
        assert!(!e.equipment.is_empty(), "{id} equipment");
        for text in [&e.purpose, &e.description, &e.feel, &e.targets.summary] {
            assert!(!text.trim().is_empty(), "{id} text");
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
fn routines_put_mobility_and_activation_before_loading() {
    let cat = catalogue();
    let rank = |c: Category| match c {
        Category::Mobility | Category::SoftTissue => 0,
        Category::Activation | Category::Isometric => 1,
        Category::Strength => 2,
        Category::Balance => 3,
    };
    for r in cat.routines() {
        // The seed's routine keeps the clinic's order.
        if r.source == "dynamic-pt-chicago" {
            continue;
        }
        let ranks: Vec<u8> = r
            .items
            .iter()
            .map(|i| rank(cat.exercise(&i.exercise_id).unwrap().exercise.category))
            .collect();
        assert!(
            ranks.windows(2).all(|w| w[0] <= w[1]),
            "{} is ordered: {ranks:?}",
            r.id
        );
        let minutes = r.estimated_duration_minutes;
        assert!((5..=45).contains(&minutes), "{} lasts {minutes} min", r.id);
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
