//! Layered catalogues: several documents merged into one before validation. A later layer adds
//! entries, replaces top-level fields of an entry with the same id, or removes entries listed
//! in its `remove` member (`{"exercises": ["id", …], "muscles": […], …}`, accepted only in a
//! layer after the first). The merged document is validated as one; each problem's path is
//! mapped back to the layer that supplied the entry (or the field) it is about:
//! `clinic.json: exercises[3].targets.primary[0]: unknown muscle …`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::index::{Catalogue, EMBEDDED};
use super::load::{COLLECTIONS, CatalogueErrors, Problem};

/// The name that stands for the embedded catalogue in a list of layers.
pub const EMBEDDED_NAME: &str = "embedded";

/// One layer to merge: its name (a file path, or `embedded`) and its bytes.
#[derive(Debug, Clone)]
pub struct Layer {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Layer {
    /// The embedded catalogue as a layer.
    pub fn embedded() -> Self {
        Layer {
            name: EMBEDDED_NAME.into(),
            bytes: EMBEDDED.as_bytes().to_vec(),
        }
    }
}

/// What `/v1/catalogue` says of a layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct LayerInfo {
    /// `embedded`, or the file's path as given.
    #[schema(example = "clinic.json")]
    pub name: String,
    /// The xxh3-128 hash of the layer's bytes, in hex.
    pub version: String,
    /// Entries (of any collection) this layer added.
    pub added: usize,
    /// Entries of earlier layers whose fields this layer replaced.
    pub overridden: usize,
    /// Entries of earlier layers this layer removed.
    pub removed: usize,
}

/// Where a merged entry came from: the layer and position of its first appearance, and the
/// layer that last set each of its fields.
#[derive(Debug, Clone)]
struct Origin {
    layer: usize,
    position: usize,
    fields: BTreeMap<String, (usize, usize)>,
}

/// One collection being merged: entries in order, with their origins; a removed entry leaves
/// an empty slot (so positions stay valid) and is dropped at the end.
#[derive(Default)]
struct Merged {
    entries: Vec<Option<(Value, Origin)>>,
    by_id: HashMap<String, usize>,
}

impl Merged {
    fn find(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    fn push(&mut self, item: Value, origin: Origin) {
        if let Some(id) = item.get("id").and_then(Value::as_str) {
            self.by_id
                .entry(id.to_owned())
                .or_insert(self.entries.len());
        }
        self.entries.push(Some((item, origin)));
    }

    fn remove(&mut self, id: &str) -> bool {
        match self.by_id.remove(id) {
            Some(at) => self.entries[at].take().is_some(),
            None => false,
        }
    }

    fn into_entries(self) -> impl Iterator<Item = (Value, Origin)> {
        self.entries.into_iter().flatten()
    }
}

/// Merges `layers` in order and loads the result. A single layer loads as a plain document.
pub fn load(layers: &[Layer]) -> Result<Catalogue, CatalogueErrors> {
    if let [only] = layers {
        let mut cat =
            Catalogue::from_bytes(&only.bytes).map_err(|e| name_problems(e, &only.name))?;
        cat.layers = vec![info(only, 0, 0, 0)];
        return Ok(cat);
    }
    let (merged, origins, infos) = merge(layers)?;
    let bytes = serde_json::to_vec(&merged).expect("JSON values serialize");
    let mut cat = Catalogue::from_bytes(&bytes).map_err(|e| map_back(e, layers, &origins))?;
    cat.layers = infos;
    Ok(cat)
}

/// Merges the layers' documents; problems of a layer's own shape (not JSON, bad `remove`)
/// are reported at once.
#[allow(clippy::type_complexity)]
fn merge(
    layers: &[Layer],
) -> Result<(Value, BTreeMap<&'static str, Vec<Origin>>, Vec<LayerInfo>), CatalogueErrors> {
    let mut problems = Vec::new();
    let mut collections: BTreeMap<&'static str, Merged> = BTreeMap::new();
    let mut settings = Map::new();
    let mut infos = Vec::new();
    for (l, layer) in layers.iter().enumerate() {
        let mut top = match parse_layer(layer) {
            Ok(top) => top,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let removed = match top.remove("remove") {
            None => 0,
            Some(_) if l == 0 => {
                problems.push(layer_problem(
                    layer,
                    "remove",
                    "only a layer after the first may remove entries",
                ));
                0
            }
            Some(list) => remove(layer, list, &mut collections, &mut problems),
        };
        let (mut added, mut overridden) = (0, 0);
        for (key, value) in top {
            let Some(name) = COLLECTIONS.iter().find(|c| **c == key) else {
                if key != "$schema" || l == 0 {
                    settings.insert(key, value);
                }
                continue;
            };
            let Value::Array(items) = value else {
                problems.push(layer_problem(layer, &key, "must be an array"));
                continue;
            };
            let merged = collections.entry(name).or_default();
            for (position, item) in items.into_iter().enumerate() {
                if add(merged, item, l, position) {
                    overridden += 1;
                } else {
                    added += 1;
                }
            }
        }
        infos.push(info(layer, added, overridden, removed));
    }
    if !problems.is_empty() {
        return Err(CatalogueErrors(problems));
    }
    let mut doc = settings;
    let mut origins = BTreeMap::new();
    for name in COLLECTIONS {
        let merged = collections.remove(name).unwrap_or_default();
        let (values, o): (Vec<Value>, Vec<Origin>) = merged.into_entries().unzip();
        if !values.is_empty() || layers.len() > 1 {
            doc.insert(name.to_owned(), Value::Array(values));
        }
        origins.insert(name, o);
    }
    Ok((Value::Object(doc), origins, infos))
}

fn parse_layer(layer: &Layer) -> Result<Map<String, Value>, Problem> {
    match serde_json::from_slice::<Value>(&layer.bytes) {
        Ok(Value::Object(top)) => Ok(top),
        Ok(_) => Err(layer_problem(
            layer,
            "",
            "the document must be a JSON object",
        )),
        Err(e) => Err(layer_problem(layer, "", &format!("not valid JSON: {e}"))),
    }
}

/// Adds `item` to `merged`, or replaces the top-level fields of the entry with its id.
/// True when it replaced.
fn add(merged: &mut Merged, item: Value, layer: usize, position: usize) -> bool {
    let id = item.get("id").and_then(Value::as_str).map(str::to_owned);
    let fields = |item: &Value| -> BTreeMap<String, (usize, usize)> {
        item.as_object()
            .map(|o| o.keys().map(|k| (k.clone(), (layer, position))).collect())
            .unwrap_or_default()
    };
    if let Some(at) = id.as_deref().and_then(|id| merged.find(id))
        && let Some((value, origin)) = &mut merged.entries[at]
        && let (Value::Object(old), Value::Object(new)) = (value, &item)
    {
        for (k, v) in new {
            old.insert(k.clone(), v.clone());
            origin.fields.insert(k.clone(), (layer, position));
        }
        return true;
    }
    let origin = Origin {
        layer,
        position,
        fields: fields(&item),
    };
    merged.push(item, origin);
    false
}

/// Applies a layer's `remove` list; unknown collections and ids are problems. Returns how many
/// entries were removed.
fn remove(
    layer: &Layer,
    list: Value,
    collections: &mut BTreeMap<&'static str, Merged>,
    problems: &mut Vec<Problem>,
) -> usize {
    let Value::Object(list) = list else {
        problems.push(layer_problem(
            layer,
            "remove",
            "must be an object of collection names to lists of ids",
        ));
        return 0;
    };
    let mut removed = 0;
    for (key, ids) in list {
        let path = format!("remove.{key}");
        let Some(name) = COLLECTIONS.iter().find(|c| **c == key) else {
            problems.push(layer_problem(
                layer,
                &path,
                &format!(
                    "unknown collection; the collections are {}",
                    COLLECTIONS.join(", ")
                ),
            ));
            continue;
        };
        let Value::Array(ids) = ids else {
            problems.push(layer_problem(layer, &path, "must be an array of ids"));
            continue;
        };
        let merged = collections.entry(name).or_default();
        for (i, id) in ids.iter().enumerate() {
            if id.as_str().is_some_and(|id| merged.remove(id)) {
                removed += 1;
            } else {
                problems.push(layer_problem(
                    layer,
                    &format!("{path}[{i}]"),
                    &format!("no earlier layer has {key} entry {id}"),
                ));
            }
        }
    }
    removed
}

fn info(layer: &Layer, added: usize, overridden: usize, removed: usize) -> LayerInfo {
    LayerInfo {
        name: layer.name.clone(),
        version: format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&layer.bytes)),
        added,
        overridden,
        removed,
    }
}

fn layer_problem(layer: &Layer, path: &str, message: &str) -> Problem {
    Problem {
        path: if path.is_empty() {
            layer.name.clone()
        } else {
            format!("{}: {path}", layer.name)
        },
        message: message.to_owned(),
    }
}

/// Every problem of a single-layer load, named by the layer.
fn name_problems(errors: CatalogueErrors, name: &str) -> CatalogueErrors {
    CatalogueErrors(
        errors
            .0
            .into_iter()
            .map(|p| Problem {
                path: if p.path.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}: {}", p.path)
                },
                message: p.message,
            })
            .collect(),
    )
}

/// Rewrites each problem's merged path (`exercises[250].name`) into the path in the layer
/// that supplied that field of the entry (`clinic.json: exercises[3].name`); problems of the
/// whole document are named `merged catalogue`.
fn map_back(
    errors: CatalogueErrors,
    layers: &[Layer],
    origins: &BTreeMap<&'static str, Vec<Origin>>,
) -> CatalogueErrors {
    let map = |p: Problem| -> Problem {
        let located = COLLECTIONS.iter().find_map(|name| {
            let rest = p.path.strip_prefix(name)?.strip_prefix('[')?;
            let close = rest.find(']')?;
            let index: usize = rest[..close].parse().ok()?;
            let after = &rest[close + 1..];
            let origin = origins.get(name)?.get(index)?;
            let field = after
                .strip_prefix('.')
                .map(|f| f.split(['.', '[']).next().unwrap_or(f));
            let (layer, position) = field
                .and_then(|f| origin.fields.get(f).copied())
                .unwrap_or((origin.layer, origin.position));
            Some(format!("{}: {name}[{position}]{after}", layers[layer].name))
        });
        Problem {
            path: located.unwrap_or_else(|| {
                if p.path.is_empty() {
                    "merged catalogue".to_owned()
                } else {
                    format!("merged catalogue: {}", p.path)
                }
            }),
            message: p.message,
        }
    };
    CatalogueErrors(errors.0.into_iter().map(map).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(name: &str, doc: Value) -> Layer {
        Layer {
            name: name.into(),
            bytes: serde_json::to_vec(&doc).unwrap(),
        }
    }

    #[test]
    fn a_later_layer_overrides_fields_and_removes_entries() {
        let clinic = layer(
            "clinic.json",
            serde_json::json!({
                "exercises": [{"id": "clamshells", "name": "Clams (clinic)"}],
                "remove": {"exercises": ["hip-thrust"]}
            }),
        );
        let cat = load(&[Layer::embedded(), clinic]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            cat.exercise("clamshells").unwrap().exercise.name,
            "Clams (clinic)"
        );
        assert!(cat.exercise("hip-thrust").is_none());
        assert_eq!(cat.layers().len(), 2);
        assert_eq!(cat.layers()[1].overridden, 1);
        assert_eq!(cat.layers()[1].removed, 1);
    }

    #[test]
    fn problems_name_the_layer_and_its_own_position() {
        let clinic = layer(
            "clinic.json",
            serde_json::json!({
                "exercises": [{"id": "clamshells", "name": "Clams"},
                              {"id": "bird-dog", "targets": {"summary": "x", "primary": ["glute-meed"], "secondary": []}}],
                "remove": {"exercises": ["no-such-exercise"]}
            }),
        );
        let err = load(&[Layer::embedded(), clinic.clone()]).err().unwrap();
        assert_eq!(
            err.0[0].to_string(),
            "clinic.json: remove.exercises[0]: no earlier layer has exercises entry \"no-such-exercise\""
        );
        let mut fixed: Value = serde_json::from_slice(&clinic.bytes).unwrap();
        fixed.as_object_mut().unwrap().remove("remove");
        let err = load(&[Layer::embedded(), layer("clinic.json", fixed)])
            .err()
            .unwrap();
        assert!(
            err.to_string().contains(
                "clinic.json: exercises[1].targets.primary[0]: unknown muscle \"glute-meed\""
            ),
            "{err}"
        );
    }
}
