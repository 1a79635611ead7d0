//! Where a catalogue muscle appears on the body map: drawn itself, lying under drawn shapes
//! (deep muscles), or through its members (groups); and the catalogue check that every muscle
//! can be placed.

use std::collections::{HashMap, HashSet};

use super::figure;
use crate::catalogue::Catalogue;
use crate::catalogue::load::Problem;
use crate::catalogue::model::{CatalogueDocument, Muscle, MuscleKind};

/// Where a muscle or group is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A shape of its own.
    Drawn,
    /// A deep muscle, shown by the drawn shapes it lies under.
    Under(Vec<&'static str>),
    /// A group, shown by its members (ids of the placed single muscles among its transitive
    /// members).
    Members(Vec<String>),
    /// Nowhere: validation rejects catalogues with such a muscle.
    Unplaced,
}

/// Deep muscles of the catalogue vocabulary and the drawn shapes they lie under, used when an
/// entry gives no `map_under` of its own.
const DEEP: &[(&str, &[&str])] = &[
    // hip
    ("gluteus-minimus", &["gluteus-medius"]),
    ("piriformis", &["gluteus-maximus"]),
    ("quadratus-femoris", &["gluteus-maximus"]),
    ("obturator-internus", &["gluteus-maximus"]),
    ("gemelli", &["gluteus-maximus"]),
    ("pelvic-floor", &["gluteus-maximus"]),
    // thigh
    ("vastus-intermedius", &["rectus-femoris"]),
    ("adductor-brevis", &["adductor-longus", "pectineus"]),
    // lower leg and foot
    ("tibialis-posterior", &["soleus", "gastrocnemius"]),
    ("fibularis-brevis", &["fibularis-longus"]),
    ("popliteus", &["gastrocnemius"]),
    ("abductor-hallucis", &["foot"]),
    ("flexor-digitorum-brevis", &["foot"]),
    // trunk
    (
        "transversus-abdominis",
        &["rectus-abdominis", "external-oblique"],
    ),
    ("internal-oblique", &["external-oblique"]),
    ("multifidus", &["erector-spinae"]),
    ("quadratus-lumborum", &["erector-spinae"]),
    ("diaphragm", &["rectus-abdominis", "external-oblique"]),
    // neck
    ("longus-colli", &["sternocleidomastoid"]),
    ("longus-capitis", &["sternocleidomastoid"]),
    ("suboccipitals", &["splenius-capitis"]),
    // shoulder and chest
    ("supraspinatus", &["upper-trapezius"]),
    ("subscapularis", &["infraspinatus", "serratus-anterior"]),
    ("pectoralis-minor", &["pectoralis-major"]),
    // arm
    ("brachialis", &["biceps-brachii"]),
    ("extensor-carpi-radialis-brevis", &["wrist-extensors"]),
    ("supinator", &["wrist-extensors"]),
    ("flexor-carpi-radialis", &["wrist-flexors"]),
    ("pronator-teres", &["wrist-flexors"]),
    ("flexor-digitorum-superficialis", &["wrist-flexors"]),
];

/// The built-in placement of a deep muscle of the vocabulary.
pub fn built_in_under(id: &str) -> Option<&'static [&'static str]> {
    DEEP.iter().find(|(m, _)| *m == id).map(|(_, under)| *under)
}

/// The drawn shape id equal to `id`, with the figure's lifetime.
fn drawn(id: &str) -> Option<&'static str> {
    figure::drawn_ids().into_iter().find(|d| *d == id)
}

/// The shapes a single muscle lies under: its own `map_under`, else the built-in table. Ids
/// that are not drawn are left out (validation reports them).
fn under(m: &Muscle) -> Vec<&'static str> {
    if m.map_under.is_empty() {
        built_in_under(&m.id).map(<[_]>::to_vec).unwrap_or_default()
    } else {
        m.map_under.iter().filter_map(|u| drawn(u)).collect()
    }
}

/// Where muscle or group `id` of `cat` is shown.
pub fn place(id: &str, cat: &Catalogue) -> Placement {
    let Some(view) = cat.muscle(id) else {
        return Placement::Unplaced;
    };
    let m = &view.muscle;
    if figure::is_drawn(id) {
        return Placement::Drawn;
    }
    // A group shows all its members; its own `map_under` is the fallback for a group none
    // of whose members can be placed.
    if m.kind == MuscleKind::Group {
        let members: Vec<String> = cat
            .members_of(id)
            .iter()
            .filter(|member| member.as_str() != id)
            .filter_map(|member| cat.muscle(member))
            .filter(|v| v.muscle.kind == MuscleKind::Muscle)
            .filter(|v| !matches!(place(&v.muscle.id, cat), Placement::Unplaced))
            .map(|v| v.muscle.id.clone())
            .collect();
        if !members.is_empty() {
            return Placement::Members(members);
        }
    }
    let own = under(m);
    if !own.is_empty() {
        return Placement::Under(own);
    }
    Placement::Unplaced
}

/// The drawn shapes that light up for `id`.
pub fn shapes_of(id: &str, cat: &Catalogue) -> Vec<&'static str> {
    match place(id, cat) {
        Placement::Drawn => drawn(id).into_iter().collect(),
        Placement::Under(shapes) => shapes,
        Placement::Members(members) => {
            let mut out: Vec<&'static str> = Vec::new();
            for m in members {
                for s in shapes_of(&m, cat) {
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
            }
            out
        }
        Placement::Unplaced => Vec::new(),
    }
}

// ---- validation -----------------------------------------------------------------------------

/// Problems with the body-map placement of a catalogue's muscles: a `map_under` id that is
/// not a drawn shape, and a muscle (or a group none of whose members) the map cannot place.
pub fn problems(doc: &CatalogueDocument) -> Vec<Problem> {
    let mut out = Vec::new();
    let shapes = figure::drawn_ids();
    for (i, m) in doc.muscles.iter().enumerate() {
        for (k, u) in m.map_under.iter().enumerate() {
            if !figure::is_drawn(u) {
                out.push(Problem {
                    path: format!("muscles[{i}].map_under[{k}]"),
                    message: format!(
                        "\"{u}\" is not drawn on the body map; the drawn shapes are: {}",
                        shapes.join(", ")
                    ),
                });
            }
        }
    }
    let members = direct_members(doc);
    let by_id: HashMap<&str, &Muscle> = doc.muscles.iter().map(|m| (m.id.as_str(), m)).collect();
    for (i, m) in doc.muscles.iter().enumerate() {
        if !placeable(m, &by_id, &members, &mut HashSet::new()) {
            let what = match m.kind {
                MuscleKind::Muscle => "this muscle is not drawn on the body map",
                MuscleKind::Group => "no member of this group can be placed on the body map",
            };
            out.push(Problem {
                path: format!("muscles[{i}].map_under"),
                message: format!(
                    "{what}: list the drawn shapes \"{}\" lies under (any of: {})",
                    m.id,
                    shapes.join(", ")
                ),
            });
        }
    }
    out
}

fn direct_members(doc: &CatalogueDocument) -> HashMap<&str, Vec<&str>> {
    let mut members: HashMap<&str, Vec<&str>> = HashMap::new();
    for m in &doc.muscles {
        for g in &m.groups {
            members.entry(g.as_str()).or_default().push(m.id.as_str());
        }
    }
    members
}

/// True when `m` is drawn, lies under drawn shapes, or (a group) has a placeable member.
fn placeable<'a>(
    m: &'a Muscle,
    by_id: &HashMap<&str, &'a Muscle>,
    members: &HashMap<&str, Vec<&'a str>>,
    seen: &mut HashSet<&'a str>,
) -> bool {
    if figure::is_drawn(&m.id) || !under(m).is_empty() {
        return true;
    }
    if m.kind != MuscleKind::Group || !seen.insert(m.id.as_str()) {
        return false;
    }
    members
        .get(m.id.as_str())
        .into_iter()
        .flatten()
        .filter_map(|id| by_id.get(id))
        .any(|member| placeable(member, by_id, members, seen))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every single muscle of the catalogue v2 vocabulary (groups are placed by members).
    const VOCABULARY: &[&str] = &[
        "gluteus-maximus",
        "gluteus-medius",
        "gluteus-minimus",
        "tensor-fasciae-latae",
        "piriformis",
        "quadratus-femoris",
        "iliopsoas",
        "sartorius",
        "rectus-femoris",
        "vastus-lateralis",
        "vastus-medialis",
        "vastus-intermedius",
        "biceps-femoris",
        "semitendinosus",
        "semimembranosus",
        "adductor-magnus",
        "adductor-longus",
        "gracilis",
        "gastrocnemius",
        "soleus",
        "tibialis-anterior",
        "tibialis-posterior",
        "fibularis-longus",
        "fibularis-brevis",
        "abductor-hallucis",
        "flexor-digitorum-brevis",
        "rectus-abdominis",
        "transversus-abdominis",
        "external-oblique",
        "internal-oblique",
        "multifidus",
        "erector-spinae",
        "quadratus-lumborum",
        "longus-colli",
        "longus-capitis",
        "sternocleidomastoid",
        "scalenes",
        "splenius-capitis",
        "suboccipitals",
        "levator-scapulae",
        "supraspinatus",
        "infraspinatus",
        "teres-minor",
        "subscapularis",
        "anterior-deltoid",
        "lateral-deltoid",
        "posterior-deltoid",
        "upper-trapezius",
        "middle-trapezius",
        "lower-trapezius",
        "rhomboids",
        "serratus-anterior",
        "latissimus-dorsi",
        "teres-major",
        "pectoralis-major",
        "pectoralis-minor",
        "biceps-brachii",
        "brachialis",
        "brachioradialis",
        "triceps-brachii",
        "extensor-carpi-radialis-brevis",
        "flexor-carpi-radialis",
        "pronator-teres",
        "supinator",
        "flexor-digitorum-superficialis",
        "thenar-muscles",
        "diaphragm",
        "pelvic-floor",
        "obturator-internus",
        "gemelli",
        "adductor-brevis",
        "pectineus",
        "popliteus",
    ];

    #[test]
    fn every_muscle_of_the_v2_vocabulary_is_drawn_or_has_a_built_in_placement() {
        for id in VOCABULARY {
            assert!(
                figure::is_drawn(id) || built_in_under(id).is_some(),
                "{id} cannot be placed"
            );
        }
    }

    #[test]
    fn built_in_placements_name_drawn_shapes_only() {
        for (id, under) in DEEP {
            assert!(!figure::is_drawn(id), "{id} is drawn and also placed");
            for u in *under {
                assert!(figure::is_drawn(u), "{id} is placed under {u}, not drawn");
            }
        }
    }
}
