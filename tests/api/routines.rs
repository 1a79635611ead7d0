//! `/v1/routines`: filters, ordered items, doses, durations and expansion.

use exercise_api::catalogue::index::dose_seconds;

use super::helpers::{all_ids, catalogue, get_ok};

#[actix_web::test]
async fn routines_filter_by_condition_and_muscle() {
    let cat = catalogue();
    let doc = cat.document();
    assert_eq!(all_ids("/v1/routines").await.len(), doc.routines.len());
    for c in &doc.conditions {
        let ids = all_ids(&format!("/v1/routines?condition={}", c.id)).await;
        let expected: Vec<String> = doc
            .routines
            .iter()
            .filter(|r| r.conditions.contains(&c.id))
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(ids, expected, "condition={}", c.id);
    }
    let ids = all_ids("/v1/routines?muscle=gluteus-medius").await;
    let targeting = all_ids("/v1/exercises?muscle=gluteus-medius").await;
    let expected: Vec<String> = doc
        .routines
        .iter()
        .filter(|r| r.items.iter().any(|i| targeting.contains(&i.exercise)))
        .map(|r| r.id.clone())
        .collect();
    assert!(ids.contains(&"knee-pain-5-best-exercises".to_owned()));
    assert_eq!(ids, expected);
}

#[actix_web::test]
async fn items_resolve_doses_and_durations_add_up() {
    let cat = catalogue();
    for r in &cat.document().routines {
        let body = get_ok(&format!("/v1/routines/{}", r.id)).await.body;
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), r.items.len());
        let mut total = 0;
        for (k, (item, declared)) in items.iter().zip(&r.items).enumerate() {
            assert_eq!(item["position"], k + 1);
            assert_eq!(item["exercise_id"], declared.exercise.as_str());
            let dose = declared.dose.clone().unwrap_or_else(|| {
                cat.exercise(&declared.exercise)
                    .unwrap()
                    .exercise
                    .dose
                    .clone()
            });
            assert_eq!(
                item["dose"],
                serde_json::to_value(&dose).unwrap(),
                "{} item {k}",
                r.id
            );
            assert_eq!(item["estimated_seconds"], dose_seconds(&dose));
            total += dose_seconds(&dose);
            assert!(item.get("exercise").is_none(), "not expanded by default");
        }
        total += 15 * (items.len() as u32 - 1);
        assert_eq!(body["estimated_duration_seconds"], total, "{}", r.id);
        assert_eq!(body["estimated_duration_minutes"], total.div_ceil(60));
    }
}

#[actix_web::test]
async fn expand_embeds_the_full_exercises() {
    let r = get_ok("/v1/routines/knee-pain-5-best-exercises?expand=exercises").await;
    for item in r.body["items"].as_array().unwrap() {
        let id = item["exercise_id"].as_str().unwrap();
        let full = get_ok(&format!("/v1/exercises/{id}")).await;
        assert_eq!(item["exercise"], full.body, "{id} is embedded whole");
    }
}
