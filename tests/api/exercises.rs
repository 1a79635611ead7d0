//! `/v1/exercises`: every filter alone and combined, checked against a scan of the document.

use std::collections::HashSet;

use exercise_api::catalogue::model::Exercise;

use super::helpers::{all_ids, catalogue, get_ok};

/// Ids of `id` and everything below it in the group graph, computed from the document.
pub fn descendants(id: &str) -> HashSet<String> {
    let doc = catalogue();
    let doc = doc.document();
    let mut out = HashSet::from([id.to_owned()]);
    loop {
        let before = out.len();
        for m in &doc.muscles {
            if m.groups.iter().any(|g| out.contains(g)) {
                out.insert(m.id.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// Ids of the groups that contain `id`, transitively, computed from the document.
pub fn ancestors(id: &str) -> HashSet<String> {
    let doc = catalogue();
    let doc = doc.document();
    let mut out: HashSet<String> = HashSet::new();
    let mut stack = vec![id.to_owned()];
    while let Some(x) = stack.pop() {
        for m in doc.muscles.iter().filter(|m| m.id == x) {
            for g in &m.groups {
                if out.insert(g.clone()) {
                    stack.push(g.clone());
                }
            }
        }
    }
    out
}

/// How an exercise matches a muscle filter: 0 directly, 1 through a member of a requested
/// group, 2 through a group containing a requested muscle; `None` when it does not.
pub fn tier(e: &Exercise, muscles: &[&str]) -> Option<u8> {
    let targets: Vec<&String> = e
        .targets
        .primary
        .iter()
        .chain(&e.targets.secondary)
        .collect();
    let hits = |set: &HashSet<String>| targets.iter().any(|t| set.contains(*t));
    let direct: HashSet<String> = muscles.iter().map(|m| m.to_string()).collect();
    let below: HashSet<String> = muscles.iter().flat_map(|m| descendants(m)).collect();
    let above: HashSet<String> = muscles.iter().flat_map(|m| ancestors(m)).collect();
    if hits(&direct) {
        Some(0)
    } else if hits(&below) {
        Some(1)
    } else if hits(&above) {
        Some(2)
    } else {
        None
    }
}

/// What a muscle filter returns by a plain scan: direct matches first, then through members,
/// then through groups, each in name order.
pub fn scan_muscles(muscles: &[&str]) -> Vec<String> {
    let doc = catalogue().document();
    let mut hits: Vec<(u8, String, &Exercise)> = doc
        .exercises
        .iter()
        .filter_map(|e| tier(e, muscles).map(|t| (t, e.name.to_lowercase(), e)))
        .collect();
    hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.id.cmp(&b.2.id)));
    hits.into_iter().map(|(_, _, e)| e.id.clone()).collect()
}

/// Ids of exercises satisfying `pred`, in name order, from a plain scan of the document.
fn scan(pred: impl Fn(&Exercise) -> bool) -> Vec<String> {
    let doc = catalogue().document();
    let mut hits: Vec<&Exercise> = doc.exercises.iter().filter(|e| pred(e)).collect();
    hits.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    hits.into_iter().map(|e| e.id.clone()).collect()
}

fn targets_any(e: &Exercise, muscles: &[&str]) -> bool {
    let wanted: HashSet<String> = muscles.iter().flat_map(|m| descendants(m)).collect();
    e.targets
        .primary
        .iter()
        .chain(&e.targets.secondary)
        .any(|t| wanted.contains(t))
}

fn as_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[actix_web::test]
async fn the_unfiltered_list_has_every_exercise_in_name_order() {
    let ids = all_ids("/v1/exercises").await;
    assert_eq!(ids, scan(|_| true));
    let first = get_ok("/v1/exercises").await;
    assert_eq!(
        first.total() as usize,
        catalogue().document().exercises.len()
    );
    assert_eq!(first.ids().len(), 20.min(ids.len()), "default limit is 20");
}

#[actix_web::test]
async fn a_group_matches_exercises_targeting_any_member() {
    for group in [
        "gluteals",
        "hip-abductors",
        "hip-stabilizers",
        "core",
        "quadriceps",
    ] {
        let ids = all_ids(&format!("/v1/exercises?muscle={group}")).await;
        let expected = scan_muscles(&[group]);
        assert!(!expected.is_empty(), "{group} finds exercises");
        assert_eq!(ids, expected, "muscle={group}");
        // Every exercise targeting a member is among them.
        for id in scan(|e| targets_any(e, &[group])) {
            assert!(ids.contains(&id), "muscle={group} finds {id}");
        }
    }
}

#[actix_web::test]
async fn a_single_muscle_matches_primary_and_secondary_targets() {
    let ids = all_ids("/v1/exercises?muscle=gluteus-medius").await;
    assert_eq!(ids, scan_muscles(&["gluteus-medius"]));
    let direct = scan(|e| targets_any(e, &["gluteus-medius"]));
    assert_eq!(
        ids[..direct.len()],
        direct[..],
        "direct matches first, by name"
    );
    assert!(ids.contains(&"clamshells".to_owned()));
    assert!(ids.contains(&"side-steps-with-resistance".to_owned()));
}

#[actix_web::test]
async fn comma_values_mean_any_of() {
    let ids = all_ids("/v1/exercises?equipment=loop-band,foam-roller").await;
    let expected = scan(|e| {
        e.equipment
            .iter()
            .any(|x| x == "loop-band" || x == "foam-roller")
    });
    assert_eq!(ids, expected);
    assert!(
        ids.contains(&"clamshells".to_owned())
            && ids.contains(&"foam-roll-lateral-quad".to_owned())
    );
}

#[actix_web::test]
async fn each_filter_alone_matches_a_scan() {
    let cat = catalogue();
    let doc = cat.document();
    for eq in &doc.equipment {
        let ids = all_ids(&format!("/v1/exercises?equipment={}", eq.id)).await;
        assert_eq!(
            ids,
            scan(|e| e.equipment.contains(&eq.id)),
            "equipment={}",
            eq.id
        );
    }
    for c in &doc.conditions {
        let ids = all_ids(&format!("/v1/exercises?condition={}", c.id)).await;
        assert_eq!(
            ids,
            scan(|e| e.conditions.contains(&c.id)),
            "condition={}",
            c.id
        );
    }
    for d in ["beginner", "intermediate", "advanced"] {
        let ids = all_ids(&format!("/v1/exercises?difficulty={d}")).await;
        assert_eq!(ids, scan(|e| as_str(&e.difficulty) == d), "difficulty={d}");
    }
    for l in ["unilateral", "bilateral", "alternating"] {
        let ids = all_ids(&format!("/v1/exercises?laterality={l}")).await;
        assert_eq!(ids, scan(|e| as_str(&e.laterality) == l), "laterality={l}");
    }
}

#[actix_web::test]
async fn different_filters_combine_with_and() {
    let ids = all_ids(
        "/v1/exercises?muscle=gluteals&equipment=resistance-band&laterality=unilateral,bilateral",
    )
    .await;
    let expected = scan(|e| {
        targets_any(e, &["gluteals"])
            && e.equipment.contains(&"resistance-band".to_owned())
            && ["unilateral", "bilateral"].contains(&as_str(&e.laterality).as_str())
    });
    assert!(!expected.is_empty());
    assert_eq!(ids, expected);

    let ids =
        all_ids("/v1/exercises?condition=knee-pain&difficulty=beginner&muscle=quadriceps").await;
    let expected = scan(|e| {
        e.conditions.contains(&"knee-pain".to_owned())
            && as_str(&e.difficulty) == "beginner"
            && targets_any(e, &["quadriceps"])
    });
    assert_eq!(ids, expected);
}

#[actix_web::test]
async fn sort_orders_by_name_both_ways() {
    let asc = all_ids("/v1/exercises?sort=name").await;
    let mut desc = all_ids("/v1/exercises?sort=-name").await;
    desc.reverse();
    assert_eq!(asc, desc);
    assert_eq!(asc, scan(|_| true));
}

#[actix_web::test]
async fn search_is_case_accent_and_typo_tolerant() {
    for (q, first) in [
        ("clamshells", "clamshells"),
        ("CLAMSHELLS", "clamshells"),
        ("cl%C3%A1mshells", "clamshells"),
        ("clamshel", "clamshells"),
        ("tipping%20bird", "single-leg-deadlift"),
        ("Tipping+Bird", "single-leg-deadlift"),
        ("foam+roll+lateral+quad", "foam-roll-lateral-quad"),
    ] {
        let r = get_ok(&format!("/v1/exercises?q={q}")).await;
        assert_eq!(
            r.ids().first().map(String::as_str),
            Some(first),
            "q={q}: {:?}",
            r.ids()
        );
    }
    let r = get_ok("/v1/exercises?q=glute+med").await;
    assert!(
        r.ids().contains(&"clamshells".to_owned()),
        "muscle aliases are searched"
    );
    let r = get_ok("/v1/exercises?q=zzzzqqqq").await;
    assert_eq!(r.total(), 0);
}

#[actix_web::test]
async fn search_combines_with_filters_and_name_sort() {
    let r = get_ok("/v1/exercises?q=glute&equipment=resistance-band&sort=name&limit=100").await;
    let ids = r.ids();
    assert!(!ids.is_empty());
    let band = scan(|e| e.equipment.contains(&"resistance-band".to_owned()));
    assert!(
        ids.iter().all(|id| band.contains(id)),
        "the filter still applies"
    );
    let order: Vec<&String> = band.iter().filter(|id| ids.contains(id)).collect();
    assert_eq!(
        ids.iter().collect::<Vec<_>>(),
        order,
        "sort=name overrides relevance"
    );
}

#[actix_web::test]
async fn paging_edges() {
    let total = catalogue().document().exercises.len();
    assert!(total > 2);
    let last = get_ok(&format!("/v1/exercises?limit=1&offset={}", total - 1)).await;
    assert_eq!(last.ids().len(), 1);
    assert!(
        last.body["links"]["next"].is_null(),
        "no next on the last page"
    );
    assert_eq!(
        last.body["links"]["prev"],
        format!("/v1/exercises?limit=1&offset={}", total - 2)
    );
    let past = get_ok(&format!("/v1/exercises?limit=5&offset={}", total + 10)).await;
    assert!(past.ids().is_empty());
    assert_eq!(past.total() as usize, total, "total is kept past the end");
    assert!(past.body["links"]["next"].is_null());
    let prev = past.body["links"]["prev"].as_str().unwrap().to_owned();
    let back = get_ok(&prev).await;
    assert!(
        !back.ids().is_empty(),
        "prev past the end leads to a page with items: {prev}"
    );

    let first = get_ok("/v1/exercises?limit=2&muscle=gluteals").await;
    assert!(first.body["links"]["prev"].is_null());
    assert_eq!(
        first.body["links"]["self"],
        "/v1/exercises?muscle=gluteals&limit=2&offset=0"
    );
    assert_eq!(
        first.body["links"]["next"],
        "/v1/exercises?muscle=gluteals&limit=2&offset=2"
    );
    assert_eq!(first.body["meta"]["limit"], 2);
    assert_eq!(first.body["meta"]["offset"], 0);
}

#[actix_web::test]
async fn single_exercises_have_computed_fields() {
    let cat = catalogue();
    for e in &cat.document().exercises {
        let r = get_ok(&format!("/v1/exercises/{}", e.id)).await;
        assert_eq!(r.body["id"], e.id.as_str());
        assert!(
            r.body["regions"].as_array().is_some_and(|a| !a.is_empty()),
            "{} has regions",
            e.id
        );
        // Progressions and regressions are served in both directions.
        for p in &e.progressions {
            let other = get_ok(&format!("/v1/exercises/{p}")).await;
            assert!(
                other.body["regressions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x == e.id.as_str()),
                "{p} lists {} as a regression",
                e.id
            );
        }
    }
}
