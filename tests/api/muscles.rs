//! `/v1/muscles`: kinds, regions, search, the group graph and each muscle's exercises.

use super::exercises::descendants;
use super::helpers::{all_ids, catalogue, get_ok};

#[actix_web::test]
async fn the_list_filters_by_kind_and_region() {
    let cat = catalogue();
    let doc = cat.document();
    let all = all_ids("/v1/muscles").await;
    assert_eq!(all.len(), doc.muscles.len());
    let groups = all_ids("/v1/muscles?kind=group").await;
    let expected: Vec<String> = doc
        .muscles
        .iter()
        .filter(|m| m.kind == exercise_api::catalogue::model::MuscleKind::Group)
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(groups, expected);
    let hip_or_trunk = all_ids("/v1/muscles?region=hip,trunk&kind=muscle").await;
    assert!(!hip_or_trunk.is_empty());
    for id in &hip_or_trunk {
        let m = cat.muscle(id).unwrap();
        assert!(
            !m.members.is_empty()
                || m.muscle.kind == exercise_api::catalogue::model::MuscleKind::Muscle
        );
        // `trunk` (version 1) means the four regions it was split into.
        let region = serde_json::to_value(m.muscle.region).unwrap();
        assert!(
            [
                "hip",
                "trunk",
                "chest",
                "upper-back",
                "lower-back",
                "abdomen"
            ]
            .contains(&region.as_str().unwrap()),
            "{id} is in {region}"
        );
    }
}

#[actix_web::test]
async fn search_finds_muscles_by_what_people_type() {
    for (q, first) in [
        ("glute+med", "gluteus-medius"),
        ("Gluteus+Medius", "gluteus-medius"),
        ("quads", "quadriceps"),
        ("hamstrings", "hamstrings"),
    ] {
        let r = get_ok(&format!("/v1/muscles?q={q}")).await;
        assert_eq!(
            r.ids().first().map(String::as_str),
            Some(first),
            "q={q}: {:?}",
            r.ids()
        );
    }
}

#[actix_web::test]
async fn a_group_lists_its_members_and_a_member_its_groups() {
    let g = get_ok("/v1/muscles/hip-stabilizers").await;
    assert_eq!(g.body["kind"], "group");
    let members: Vec<&str> = g.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(members.contains(&"gluteus-medius"), "{members:?}");
    for m in members {
        let r = get_ok(&format!("/v1/muscles/{m}")).await;
        assert!(
            r.body["groups"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == "hip-stabilizers")
        );
    }
}

#[actix_web::test]
async fn exercise_counts_match_the_muscle_exercise_lists() {
    let cat = catalogue();
    for m in &cat.document().muscles {
        let detail = get_ok(&format!("/v1/muscles/{}", m.id)).await;
        let list = get_ok(&format!("/v1/muscles/{}/exercises?limit=1", m.id)).await;
        let same = get_ok(&format!("/v1/exercises?muscle={}&limit=1", m.id)).await;
        assert_eq!(detail.body["exercise_count"], list.total(), "{}", m.id);
        assert_eq!(list.total(), same.total(), "{}", m.id);
        if m.kind == exercise_api::catalogue::model::MuscleKind::Group {
            assert!(list.total() > 0, "group {} finds exercises", m.id);
        }
    }
}

#[actix_web::test]
async fn muscle_exercises_take_the_exercise_filters() {
    let ids = all_ids("/v1/muscles/gluteals/exercises?equipment=loop-band").await;
    assert!(!ids.is_empty());
    let mut wanted = descendants("gluteals");
    wanted.extend(super::exercises::ancestors("gluteals"));
    let cat = catalogue();
    for id in &ids {
        let e = &cat.exercise(id).unwrap().exercise;
        assert!(e.equipment.contains(&"loop-band".to_owned()));
        assert!(
            e.targets
                .primary
                .iter()
                .chain(&e.targets.secondary)
                .any(|t| wanted.contains(t))
        );
    }
    // A muscle filter narrows further (AND with the path's muscle).
    let narrowed = all_ids("/v1/muscles/gluteals/exercises?muscle=core").await;
    let core = all_ids("/v1/exercises?muscle=core").await;
    let glutes = all_ids("/v1/exercises?muscle=gluteals").await;
    let mut both: Vec<String> = glutes.into_iter().filter(|id| core.contains(id)).collect();
    let mut narrowed = narrowed;
    narrowed.sort();
    both.sort();
    assert_eq!(narrowed, both);
}
