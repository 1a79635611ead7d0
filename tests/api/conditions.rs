//! `/v1/conditions`: causes and the exercises and routines related to each condition.

use super::helpers::{all_ids, catalogue, get_ok};

#[actix_web::test]
async fn conditions_list_their_related_exercises_and_routines() {
    let cat = catalogue();
    let doc = cat.document();
    assert_eq!(all_ids("/v1/conditions").await.len(), doc.conditions.len());
    for c in &doc.conditions {
        let r = get_ok(&format!("/v1/conditions/{}", c.id)).await;
        let exercises = all_ids(&format!("/v1/exercises?condition={}", c.id)).await;
        assert_eq!(
            r.body["exercises"],
            serde_json::json!(exercises),
            "{}",
            c.id
        );
        let routines = all_ids(&format!("/v1/routines?condition={}", c.id)).await;
        assert_eq!(r.body["routines"], serde_json::json!(routines), "{}", c.id);
        assert!(!r.body["causes"].as_array().unwrap().is_empty());
    }
}
