//! Every response body that is known at load: each single resource, each vocabulary, the
//! catalogue summary and export, and the first page of each unfiltered list, serialized once.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use utoipa::ToSchema;

use super::query::{Page, Paging};
use super::routines::RoutineDetail;
use crate::catalogue::layers::LayerInfo;
use crate::catalogue::model::Source;
use crate::catalogue::{Catalogue, ExerciseFilter, ExerciseSort};
use crate::http::Prepared;

/// Catalogues with more resources than this serialize each exercise and the export, and
/// compress every body, on first request instead of at start-up.
const EAGER_COMPRESSION_LIMIT: usize = 5_000;

/// How many of each resource the catalogue holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueCounts {
    pub exercises: usize,
    pub muscles: usize,
    pub routines: usize,
    pub conditions: usize,
    pub equipment: usize,
    pub sources: usize,
}

/// What is being served: the catalogue's version, its size and its sources.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueInfo {
    /// Content hash of the loaded catalogue; also sent as the `X-Catalogue-Version` header.
    #[schema(example = "5f0c6a7e9b1d2c3a4f5e6d7c8b9a0f1e")]
    pub version: String,
    /// True when the catalogue is the one compiled into the binary.
    pub embedded: bool,
    pub counts: CatalogueCounts,
    pub sources: Vec<Source>,
    /// The layers merged into the catalogue, in order (one for a single document): each
    /// layer's name (`embedded` or the file), its version and what it changed.
    pub layers: Vec<LayerInfo>,
}

/// Prepared bodies, keyed by id where there are many.
pub struct Store {
    /// One body per exercise, by rank; made at load for small catalogues, on first request
    /// for large ones (either way once).
    exercises: Vec<OnceLock<Arc<Prepared>>>,
    pub muscles: HashMap<String, Arc<Prepared>>,
    pub routines: HashMap<String, Arc<Prepared>>,
    pub routines_expanded: HashMap<String, Arc<Prepared>>,
    pub conditions: HashMap<String, Arc<Prepared>>,
    pub sources: HashMap<String, Arc<Prepared>>,
    pub info: Arc<Prepared>,
    /// The whole document; made at load for small catalogues, on first request for large ones.
    export: OnceLock<Arc<Prepared>>,
    /// First pages of the unfiltered lists, keyed by request target (`/v1/exercises`).
    pub first_pages: Vec<(String, Arc<Prepared>)>,
    /// Each exercise's and muscle's body map in the default view and theme, made on first
    /// request.
    pub maps: super::maps::MapStore,
}

impl Store {
    pub fn build(cat: &Catalogue, embedded: bool) -> Self {
        let store = Self::prepare(cat, embedded);
        if cat.exercises().len() + cat.muscles().len() <= EAGER_COMPRESSION_LIMIT {
            store.fill(cat);
        }
        store
    }

    fn prepare(cat: &Catalogue, embedded: bool) -> Self {
        let by_id =
            |items: Vec<(String, Arc<Prepared>)>| items.into_iter().collect::<HashMap<_, _>>();
        let first = Paging::new(None, None);
        let page = |path: &str, body: Arc<Prepared>| (path.to_owned(), body);
        let first_pages = vec![
            page(
                "/v1/exercises",
                Prepared::json(&Page::new(
                    cat.find_exercises(&ExerciseFilter::default(), ExerciseSort::Name),
                    first,
                    "/v1/exercises",
                    "",
                )),
            ),
            page(
                "/v1/muscles",
                Prepared::json(&Page::new(
                    cat.muscles().iter().collect(),
                    first,
                    "/v1/muscles",
                    "",
                )),
            ),
            page(
                "/v1/routines",
                Prepared::json(&Page::new(
                    cat.routines()
                        .iter()
                        .map(|r| RoutineDetail::new(r, None))
                        .collect(),
                    first,
                    "/v1/routines",
                    "",
                )),
            ),
            page(
                "/v1/equipment",
                Prepared::json(&Page::new(
                    cat.equipment().iter().collect(),
                    first,
                    "/v1/equipment",
                    "",
                )),
            ),
            page(
                "/v1/sources",
                Prepared::json(&Page::new(
                    cat.sources().iter().collect(),
                    first,
                    "/v1/sources",
                    "",
                )),
            ),
            page(
                "/v1/conditions",
                Prepared::json(&Page::new(
                    cat.conditions().iter().collect(),
                    first,
                    "/v1/conditions",
                    "",
                )),
            ),
        ];
        Store {
            exercises: (0..cat.exercises().len())
                .map(|_| OnceLock::new())
                .collect(),
            muscles: by_id(
                cat.muscles()
                    .iter()
                    .map(|m| (m.muscle.id.clone(), Prepared::json(m)))
                    .collect(),
            ),
            routines: by_id(
                cat.routines()
                    .iter()
                    .map(|r| {
                        (
                            r.id.clone(),
                            Prepared::json_or_fhir(&RoutineDetail::new(r, None)),
                        )
                    })
                    .collect(),
            ),
            routines_expanded: by_id(
                cat.routines()
                    .iter()
                    .map(|r| {
                        (
                            r.id.clone(),
                            Prepared::json_or_fhir(&RoutineDetail::new(r, Some(cat))),
                        )
                    })
                    .collect(),
            ),
            conditions: by_id(
                cat.conditions()
                    .iter()
                    .map(|c| (c.condition.id.clone(), Prepared::json(c)))
                    .collect(),
            ),
            sources: by_id(
                cat.sources()
                    .iter()
                    .map(|s| (s.id.clone(), Prepared::json(s)))
                    .collect(),
            ),
            info: Prepared::json(&CatalogueInfo {
                version: cat.content_hash().to_owned(),
                embedded,
                counts: CatalogueCounts {
                    exercises: cat.exercises().len(),
                    muscles: cat.muscles().len(),
                    routines: cat.routines().len(),
                    conditions: cat.conditions().len(),
                    equipment: cat.equipment().len(),
                    sources: cat.sources().len(),
                },
                sources: cat.sources().to_vec(),
                layers: if cat.layers().is_empty() {
                    vec![LayerInfo {
                        name: if embedded { "embedded" } else { "catalogue" }.to_owned(),
                        version: cat.content_hash().to_owned(),
                        added: cat.exercises().len()
                            + cat.muscles().len()
                            + cat.routines().len()
                            + cat.conditions().len()
                            + cat.equipment().len()
                            + cat.sources().len(),
                        overridden: 0,
                        removed: 0,
                    }]
                } else {
                    cat.layers().to_vec()
                },
            }),
            export: OnceLock::new(),
            first_pages,
            maps: super::maps::MapStore::new(cat),
        }
    }

    /// The body of exercise `id`, made now if it was not made at load.
    pub fn exercise(&self, cat: &Catalogue, id: &str) -> Option<Arc<Prepared>> {
        let rank = cat.exercise_rank(id)?;
        Some(
            self.exercises[rank]
                .get_or_init(|| Prepared::json_or_fhir(&cat.exercises()[rank]))
                .clone(),
        )
    }

    /// The whole catalogue document, made now if it was not made at load.
    pub fn export(&self, cat: &Catalogue) -> Arc<Prepared> {
        self.export
            .get_or_init(|| Prepared::json(&cat.document()))
            .clone()
    }

    /// Makes the lazily made bodies now: for catalogues small enough that this is cheap.
    fn fill(&self, cat: &Catalogue) {
        for e in cat.exercises() {
            let _ = self.exercise(cat, &e.exercise.id);
        }
        let _ = self.export(cat);
    }

    /// Every prepared body made so far.
    fn all(&self) -> Vec<Arc<Prepared>> {
        let maps = [
            &self.muscles,
            &self.routines,
            &self.routines_expanded,
            &self.conditions,
            &self.sources,
        ];
        maps.iter()
            .flat_map(|m| m.values().cloned())
            .chain(self.exercises.iter().filter_map(|e| e.get().cloned()))
            .chain(self.export.get().cloned())
            .chain([self.info.clone()])
            .chain(self.first_pages.iter().map(|(_, p)| p.clone()))
            .collect()
    }

    /// Compresses every body made so far (called from the background thread after start-up);
    /// large catalogues compress each body on its first request instead.
    pub fn precompress(&self) {
        let all = self.all();
        if all.len() <= EAGER_COMPRESSION_LIMIT {
            all.iter().for_each(|p| p.precompress());
        }
    }
}
