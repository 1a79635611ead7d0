//! Writes a large synthetic but valid catalogue, for the scale benchmark (`benches/scale.sh`).
//!
//! ```text
//! cargo run --release --example generate_catalogue -- --exercises 100000 --muscles 500 --out big.json
//! exercise-api check-catalogue big.json
//! ```
//!
//! Deterministic: the same arguments (and `--seed`) always give the same bytes. Randomness is a
//! small PCG generator in this file, so no dependency is added. Text is made of pseudo-words
//! (a vocabulary of syllable words plus real anatomy and exercise words) drawn with a Zipf-like
//! distribution, so the search index has a realistic vocabulary size and word frequencies.
//!
//! What the generated file satisfies (the rules of `src/catalogue/load.rs`): slug ids unique per
//! collection; aliases unique per collection after normalization and never equal to another
//! entry's id; every reference resolves; muscle groups form a DAG (a group only belongs to groups
//! created before it) and every group has a direct member; progressions and regressions only
//! point from an easier (earlier) exercise to a harder (later) one, so they never form a cycle;
//! doses are in range with at least one of reps, hold or duration; `none` equipment stands alone.
//!
//! A few fixed entries make the benchmark queries meaningful on any size: the group `gluteals`
//! (with `gluteus-medius` among its members), the equipment `resistance-band` and `none`, and the
//! condition `knee-pain`.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use exercise_api::catalogue::model::{
    CatalogueDocument, Category, Condition, Difficulty, Dose, Equipment, Exercise, Laterality,
    Muscle, MuscleKind, Position, Region, Routine, RoutineItem, Source, Targets,
};

#[derive(Debug, Parser)]
#[command(name = "generate_catalogue")]
pub struct Args {
    /// Number of exercises.
    #[arg(long, default_value_t = 100_000)]
    exercises: usize,
    /// Number of muscle entries (single muscles and groups together; at least 10).
    #[arg(long, default_value_t = 500)]
    muscles: usize,
    /// Number of routines.
    #[arg(long, default_value_t = 200)]
    routines: usize,
    /// Number of conditions (at least 1).
    #[arg(long, default_value_t = 40)]
    conditions: usize,
    /// Seed of the random generator.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Output file (standard output when absent).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Indent the JSON (bigger file; the default is compact).
    #[arg(long)]
    pretty: bool,
}

/// PCG-XSH-RR 64/32: tiny, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut r = Rng(seed.wrapping_add(0x853c_49e6_748f_ea9b));
        r.next_u32();
        r
    }

    fn next_u32(&mut self) -> u32 {
        let old = self.0;
        self.0 = old
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rot = (old >> 59) as u32;
        xorshifted.rotate_right(rot)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u32() as u64 * n as u64) >> 32) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next_u32() as f64) < p * (u32::MAX as f64 + 1.0)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Real words that appear in exercise text, most frequent first; the start of the vocabulary.
const REAL_WORDS: &[&str] = &[
    "the",
    "your",
    "and",
    "to",
    "of",
    "with",
    "keep",
    "hip",
    "knee",
    "slowly",
    "back",
    "leg",
    "side",
    "hold",
    "lift",
    "lower",
    "foot",
    "feet",
    "hips",
    "band",
    "glute",
    "glutes",
    "core",
    "trunk",
    "stretch",
    "press",
    "step",
    "bridge",
    "squat",
    "lunge",
    "raise",
    "rotation",
    "balance",
    "control",
    "strength",
    "muscle",
    "thigh",
    "calf",
    "ankle",
    "toes",
    "heel",
    "heels",
    "spine",
    "pelvis",
    "floor",
    "wall",
    "chair",
    "mat",
    "breathe",
    "tension",
    "straight",
    "bent",
    "level",
    "stable",
    "steady",
    "weight",
    "standing",
    "lying",
    "seated",
    "kneeling",
    "position",
    "start",
    "return",
    "repeat",
    "pause",
    "top",
    "bottom",
    "front",
    "outer",
    "inner",
    "deep",
    "single",
    "both",
    "arms",
    "shoulders",
    "head",
    "neck",
    "chest",
    "belly",
    "rib",
    "ribs",
    "tight",
    "loose",
    "gentle",
    "firm",
    "pain",
    "sore",
    "ease",
    "range",
    "motion",
    "mobility",
    "activation",
    "walk",
    "run",
    "running",
    "stairs",
    "climb",
    "jump",
    "land",
    "soft",
    "quad",
    "quads",
    "hamstring",
    "hamstrings",
    "adductor",
    "abductor",
    "medius",
    "minimus",
    "maximus",
    "tibialis",
    "peroneal",
    "soleus",
    "gastrocnemius",
    "piriformis",
    "psoas",
    "iliacus",
    "oblique",
    "obliques",
    "transverse",
    "abdominis",
    "rectus",
    "femoris",
    "vastus",
    "medialis",
    "lateralis",
    "clamshell",
    "clamshells",
    "plank",
    "deadlift",
    "hinge",
    "march",
    "kick",
    "circle",
    "circles",
    "roll",
    "foam",
    "roller",
    "towel",
    "dowel",
    "pad",
    "resistance",
    "loop",
    "tendon",
    "joint",
    "stiffness",
    "posture",
    "alignment",
    "form",
    "tempo",
    "reps",
    "sets",
];

const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bo", "bu", "ca", "ce", "co", "da", "de", "di", "do", "fa", "fe", "fi", "fo",
    "ga", "ge", "go", "ha", "he", "hi", "ho", "ka", "ke", "ki", "ko", "la", "le", "li", "lo", "lu",
    "ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri",
    "ro", "ru", "sa", "se", "si", "so", "ta", "te", "ti", "to", "tu", "va", "ve", "vi", "vo", "za",
    "ze", "zo", "tra", "tre", "tri", "tro", "pla", "ple", "pli", "stra", "ste", "sti", "sto",
    "bra", "bre", "bri", "cla", "cle", "cli", "dra", "dre", "dri", "fla", "fle", "fli", "gra",
    "gre", "gri", "pra", "pre", "pri", "sha", "she", "shi", "sho", "tha", "the", "thi", "tho",
    "ner", "lan", "mor", "tus", "rix", "nal", "ric", "dus", "tor", "ven",
];

/// A vocabulary with Zipf-like word frequencies.
struct Vocabulary {
    words: Vec<String>,
    /// Cumulative weights, for drawing a word by binary search.
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(rng: &mut Rng, size: usize) -> Self {
        let mut seen: HashSet<String> = HashSet::new();
        let mut words: Vec<String> = Vec::with_capacity(size);
        for w in REAL_WORDS {
            if seen.insert((*w).to_owned()) {
                words.push((*w).to_owned());
            }
        }
        while words.len() < size {
            let n = 1 + rng.below(4);
            let mut w = String::new();
            for _ in 0..n {
                w.push_str(rng.pick::<&str>(SYLLABLES));
            }
            if w.len() >= 3 && seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (0..words.len())
            .map(|rank| {
                total += 1.0 / (rank as f64 + 2.0);
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().expect("non-empty vocabulary");
        let x = rng.next_u32() as f64 / (u32::MAX as f64 + 1.0) * total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        &self.words[i.min(self.words.len() - 1)]
    }

    /// A word of the rarer part of the vocabulary (for names and ids, which should vary).
    fn rare_word(&self, rng: &mut Rng) -> &str {
        let start = REAL_WORDS.len().min(self.words.len() - 1);
        &self.words[start + rng.below(self.words.len() - start)]
    }

    /// A sentence of `lo..=hi` words, capitalized, ending with a full stop.
    fn sentence(&self, rng: &mut Rng, lo: u32, hi: u32) -> String {
        let n = rng.range(lo, hi);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(if rng.chance(0.06) { ',' } else { ' ' });
                if s.ends_with(',') {
                    s.push(' ');
                }
            }
            let w = self.word(rng);
            if i == 0 {
                s.push_str(&capitalize(w));
            } else {
                s.push_str(w);
            }
        }
        s.push('.');
        s
    }

    /// Sentences until the text is at least `min_bytes` long.
    fn paragraph(&self, rng: &mut Rng, min_bytes: usize) -> String {
        let mut s = self.sentence(rng, 6, 16);
        while s.len() < min_bytes {
            s.push(' ');
            s.push_str(&self.sentence(rng, 6, 16));
        }
        s
    }
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The key the service compares aliases and ids by (lowercase words joined by one space).
fn norm(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tracks the ids and normalized alias keys of one collection.
#[derive(Default)]
struct Names {
    ids: HashSet<String>,
    keys: HashSet<String>,
}

impl Names {
    /// A unique slug id from `words`, suffixed with a number when taken; at most 64 bytes.
    fn id(&mut self, words: &[&str]) -> String {
        let mut base = words.join("-");
        base.truncate(48);
        let base = base.trim_end_matches('-').to_owned();
        let mut id = base.clone();
        let mut n = 2;
        while id.len() < 2 || self.ids.contains(&id) || self.keys.contains(&norm(&id)) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        self.keys.insert(norm(&id));
        id
    }

    /// `alias` if its normalized key is free (then reserved), else None.
    fn alias(&mut self, alias: String) -> Option<String> {
        let key = norm(&alias);
        if key.is_empty() || !self.keys.insert(key) {
            return None;
        }
        Some(alias)
    }
}

const REGIONS: [Region; 5] = [
    Region::Hip,
    Region::Thigh,
    Region::LowerLeg,
    Region::Foot,
    Region::Trunk,
];
const CATEGORIES: [Category; 6] = [
    Category::Mobility,
    Category::SoftTissue,
    Category::Activation,
    Category::Isometric,
    Category::Strength,
    Category::Balance,
];
const POSITIONS: [Position; 8] = [
    Position::Standing,
    Position::Supine,
    Position::Prone,
    Position::SideLying,
    Position::Seated,
    Position::Kneeling,
    Position::HalfKneeling,
    Position::Quadruped,
];
const LATERALITIES: [Laterality; 3] = [
    Laterality::Unilateral,
    Laterality::Bilateral,
    Laterality::Alternating,
];
const DIFFICULTIES: [Difficulty; 3] = [
    Difficulty::Beginner,
    Difficulty::Intermediate,
    Difficulty::Advanced,
];
const EQUIPMENT: [(&str, &str); 10] = [
    ("none", "No equipment"),
    ("resistance-band", "Resistance band"),
    ("foam-roller", "Foam roller"),
    ("step", "Step"),
    ("wall", "Wall"),
    ("chair", "Chair"),
    ("mat", "Mat"),
    ("dumbbell", "Dumbbell"),
    ("kettlebell", "Kettlebell"),
    ("balance-pad", "Balance pad"),
];
const SOURCE: &str = "synthetic";

fn dose(rng: &mut Rng) -> Dose {
    let mut d = Dose {
        times_per_day: None,
        days_per_week: None,
        weeks: None,
        tempo: None,
        intensity: None,
        parts: Vec::new(),
        sets: rng.chance(0.8).then(|| rng.range(1, 5)),
        reps: None,
        hold_seconds: None,
        duration_seconds: None,
        per_side: rng.chance(0.5),
        rest_seconds: rng.chance(0.6).then(|| rng.range(0, 90)),
        note: rng
            .chance(0.1)
            .then(|| "Build up over two weeks.".to_owned()),
    };
    match rng.below(4) {
        0 => d.reps = Some(rng.range(5, 20)),
        1 => {
            d.reps = Some(rng.range(5, 12));
            d.hold_seconds = Some(rng.range(2, 10));
        }
        2 => d.hold_seconds = Some(rng.range(10, 60)),
        _ => d.duration_seconds = Some(rng.range(30, 300)),
    }
    d
}

/// `min + below(extra)` distinct indices below `len` (fewer when `len` is smaller).
fn distinct(rng: &mut Rng, min: usize, extra: usize, len: usize) -> Vec<usize> {
    let n = min + rng.below(extra);
    let mut out: Vec<usize> = Vec::with_capacity(n);
    while out.len() < n.min(len) {
        let i = rng.below(len);
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

fn muscles(rng: &mut Rng, vocab: &Vocabulary, count: usize) -> Vec<Muscle> {
    let count = count.max(10);
    // About one entry in eight is a group, in two levels like an anatomy atlas: a few top-level
    // groups (regions), the rest each belonging to one or two of them; every muscle belongs to
    // one or two second-level groups (rarely a top-level one directly). A group only belongs to
    // groups created before it, so membership is a DAG, and no group is enormous (a top-level
    // group holds about a seventh of the muscles).
    let n_groups = (count / 8).max(2);
    let top = (n_groups / 8).max(1);
    let second = |rng: &mut Rng| {
        if n_groups > top {
            top + rng.below(n_groups - top)
        } else {
            rng.below(n_groups)
        }
    };
    let mut names = Names::default();
    let mut out: Vec<Muscle> = Vec::with_capacity(count);
    let text = |rng: &mut Rng| vocab.paragraph(rng, 120);
    for k in 0..n_groups {
        let (id, name, common) = if k == 0 {
            (
                names.id(&["gluteals"]),
                "Gluteal muscles".to_owned(),
                "Glutes".to_owned(),
            )
        } else {
            let w = vocab.rare_word(rng).to_owned();
            (
                names.id(&[&w, "group"]),
                format!("{} muscles", capitalize(&w)),
                format!("{} group", capitalize(&w)),
            )
        };
        let groups = if k < top {
            Vec::new()
        } else {
            let parents = if rng.chance(0.3) { 2 } else { 1 };
            distinct(rng, parents, 1, top)
                .into_iter()
                .map(|g| out[g].id.clone())
                .collect()
        };
        let aliases = names
            .alias(format!("{} set", norm(&common)))
            .into_iter()
            .collect();
        out.push(Muscle {
            fma: None,
            uberon: None,
            former_ids: Vec::new(),
            id,
            kind: MuscleKind::Group,
            name,
            common_name: common,
            aliases,
            region: *rng.pick(&REGIONS),
            groups,
            map_under: Vec::new(),
            description: text(rng),
            source: SOURCE.to_owned(),
        });
    }
    for k in 0..count - n_groups {
        let (w1, w2) = (
            vocab.rare_word(rng).to_owned(),
            vocab.rare_word(rng).to_owned(),
        );
        let id = if k == 0 {
            names.id(&["gluteus", "medius"])
        } else {
            names.id(&[&w1, &w2])
        };
        let name = if k == 0 {
            "Gluteus medius".to_owned()
        } else {
            format!("{} {}", capitalize(&w1), w2)
        };
        // Muscle k is a direct member of group k (so every group has one); the others join a
        // second-level group (one in ten a top-level one), and three in ten a second group.
        let mut groups: Vec<usize> = Vec::new();
        if k < n_groups {
            groups.push(k);
        } else if rng.chance(0.1) {
            groups.push(rng.below(top));
        } else {
            groups.push(second(rng));
        }
        if rng.chance(0.3) {
            let g = second(rng);
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        let groups: Vec<String> = groups.into_iter().map(|g| out[g].id.clone()).collect();
        let mut aliases = Vec::new();
        for _ in 0..rng.below(3) {
            let a = format!("{} {}", vocab.rare_word(rng), vocab.word(rng));
            if let Some(a) = names.alias(a) {
                aliases.push(a);
            }
        }
        out.push(Muscle {
            fma: None,
            uberon: None,
            former_ids: Vec::new(),
            id,
            kind: MuscleKind::Muscle,
            common_name: if k == 0 {
                "Glute med".to_owned()
            } else {
                format!("{} muscle", capitalize(&w1))
            },
            name,
            aliases,
            region: *rng.pick(&REGIONS),
            groups,
            // Invented muscles are placed on the body map under a drawn one: gluteus medius,
            // muscle 0, which the figure draws.
            map_under: if k == 0 {
                Vec::new()
            } else {
                vec!["gluteus-medius".to_owned()]
            },
            description: text(rng),
            source: SOURCE.to_owned(),
        });
    }
    out
}

fn conditions(rng: &mut Rng, vocab: &Vocabulary, count: usize) -> Vec<Condition> {
    let mut names = Names::default();
    (0..count.max(1))
        .map(|k| {
            let (id, name) = if k == 0 {
                (names.id(&["knee", "pain"]), "Knee pain".to_owned())
            } else {
                let w = vocab.rare_word(rng).to_owned();
                (names.id(&[&w, "pain"]), format!("{} pain", capitalize(&w)))
            };
            let aliases = (0..rng.below(4))
                .filter_map(|_| names.alias(format!("sore {}", vocab.rare_word(rng))))
                .collect();
            Condition {
                attribution: None,
                former_ids: Vec::new(),
                stages: Vec::new(),
                id,
                name,
                aliases,
                description: vocab.paragraph(rng, 200),
                causes: (0..1 + rng.below(3))
                    .map(|_| vocab.sentence(rng, 3, 8))
                    .collect(),
                see_a_professional: (0..1 + rng.below(4))
                    .map(|_| vocab.sentence(rng, 6, 14))
                    .collect(),
                source: SOURCE.to_owned(),
            }
        })
        .collect()
}

/// Every group each muscle belongs to, directly or through other groups, by index.
fn ancestors(muscles: &[Muscle]) -> Vec<HashSet<usize>> {
    let index: HashMap<&str, usize> = muscles
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    (0..muscles.len())
        .map(|i| {
            let mut seen = HashSet::new();
            let mut stack = vec![i];
            while let Some(j) = stack.pop() {
                for g in &muscles[j].groups {
                    if let Some(&gi) = index.get(g.as_str())
                        && seen.insert(gi)
                    {
                        stack.push(gi);
                    }
                }
            }
            seen
        })
        .collect()
}

fn exercises(
    rng: &mut Rng,
    vocab: &Vocabulary,
    count: usize,
    muscles: &[Muscle],
    conditions: &[Condition],
) -> Vec<Exercise> {
    let mut names = Names::default();
    let mut out: Vec<Exercise> = Vec::with_capacity(count);
    let ancestors = ancestors(muscles);
    for i in 0..count {
        let n_words = 2 + rng.below(3);
        let words: Vec<String> = (0..n_words)
            .map(|k| {
                if k + 1 == n_words {
                    (*rng.pick(&[
                        "bridge", "squat", "lunge", "raise", "stretch", "press", "march", "plank",
                        "hold", "kick", "circle", "roll", "step", "hinge", "walk",
                    ]))
                    .to_owned()
                } else {
                    vocab.rare_word(rng).to_owned()
                }
            })
            .collect();
        let word_refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let id = names.id(&word_refs);
        let name = capitalize(&words.join(" "));
        let aliases = (0..rng.below(3))
            .filter_map(|_| {
                names.alias(format!(
                    "{} {}",
                    vocab.rare_word(rng),
                    words.last().expect("a name has words")
                ))
            })
            .collect();
        // A muscle and a group containing it are never both targets (the loader refuses it).
        let mut targets: Vec<usize> = Vec::new();
        for m in distinct(rng, 1, 4, muscles.len()) {
            if targets
                .iter()
                .all(|&t| !ancestors[m].contains(&t) && !ancestors[t].contains(&m))
            {
                targets.push(m);
            }
        }
        let n_primary = 1 + rng.below(targets.len().min(2));
        let primary: Vec<String> = targets[..n_primary]
            .iter()
            .map(|&m| muscles[m].id.clone())
            .collect();
        let secondary: Vec<String> = targets[n_primary..]
            .iter()
            .map(|&m| muscles[m].id.clone())
            .collect();
        let summary = targets[..n_primary]
            .iter()
            .map(|&m| muscles[m].common_name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let equipment: Vec<String> = if rng.chance(0.35) {
            vec!["none".to_owned()]
        } else {
            distinct(rng, 1, 2, EQUIPMENT.len() - 1)
                .into_iter()
                .map(|e| EQUIPMENT[e + 1].0.to_owned())
                .collect()
        };
        let conds: Vec<String> = distinct(rng, 0, 4, conditions.len())
            .into_iter()
            .map(|c| conditions[c].id.clone())
            .collect();
        // Edges only go from an earlier (easier) exercise to a later (harder) one.
        let progressions: Vec<String> = if i + 1 < count && rng.chance(0.4) {
            let j = i + 1 + rng.below((count - i - 1).min(50));
            vec![format!("{PLACEHOLDER}{j}")]
        } else {
            Vec::new()
        };
        let regressions: Vec<String> = if i > 0 && rng.chance(0.2) {
            vec![out[i - 1 - rng.below(i.min(50))].id.clone()]
        } else {
            Vec::new()
        };
        out.push(Exercise {
            former_ids: Vec::new(),
            regions: Vec::new(),
            joints: Vec::new(),
            force: None,
            mechanic: None,
            movement_pattern: None,
            kinetic_chain: None,
            contraction: None,
            variations: Vec::new(),
            contraindications: Vec::new(),
            media: Vec::new(),
            id,
            name,
            aliases,
            category: *rng.pick(&CATEGORIES),
            targets: Targets {
                role: None,
                roles: Default::default(),
                summary,
                primary,
                secondary,
            },
            purpose: vocab.sentence(rng, 5, 12),
            description: vocab.paragraph(rng, 150),
            steps: (0..2 + rng.below(4))
                .map(|_| vocab.sentence(rng, 8, 18))
                .collect(),
            feel: vocab.sentence(rng, 3, 7),
            common_mistakes: (0..1 + rng.below(3))
                .map(|_| vocab.sentence(rng, 6, 14))
                .collect(),
            equipment,
            position: *rng.pick(&POSITIONS),
            laterality: *rng.pick(&LATERALITIES),
            difficulty: *rng.pick(&DIFFICULTIES),
            dose: dose(rng),
            conditions: conds,
            progressions,
            regressions,
            cautions: (0..1 + rng.below(2))
                .map(|_| vocab.sentence(rng, 8, 16))
                .collect(),
            source: SOURCE.to_owned(),
            attribution: None,
        });
    }
    // Progressions were written as placeholders naming a later position; resolve them now
    // that every id is known.
    let ids: Vec<String> = out.iter().map(|e| e.id.clone()).collect();
    for e in &mut out {
        for p in &mut e.progressions {
            let j: usize = p
                .strip_prefix(PLACEHOLDER)
                .and_then(|n| n.parse().ok())
                .expect("a placeholder");
            *p = ids[j].clone();
        }
    }
    // An alias may not be another exercise's name (the service refuses that: a lookup by the
    // text would be ambiguous). Names are only known once all are made, so drop those here.
    let names: HashSet<String> = out.iter().map(|e| norm(&e.name)).collect();
    for e in &mut out {
        e.aliases.retain(|a| !names.contains(&norm(a)));
    }
    out
}

/// Stands for "the id of the exercise at this position" until that exercise exists.
const PLACEHOLDER: &str = "@exercise-";

fn routines(
    rng: &mut Rng,
    vocab: &Vocabulary,
    count: usize,
    exercises: &[Exercise],
    conditions: &[Condition],
) -> Vec<Routine> {
    let mut names = Names::default();
    (0..count)
        .map(|_| {
            let w = vocab.rare_word(rng).to_owned();
            let id = names.id(&[&w, "routine"]);
            let items = distinct(rng, 3, 6, exercises.len())
                .into_iter()
                .map(|e| RoutineItem {
                    exercise: exercises[e].id.clone(),
                    dose: rng.chance(0.5).then(|| dose(rng)),
                    note: rng.chance(0.2).then(|| vocab.sentence(rng, 4, 10)),
                })
                .collect();
            Routine {
                attribution: None,
                former_ids: Vec::new(),
                pain_monitoring: None,
                phase: None,
                id,
                name: format!("{} routine", capitalize(&w)),
                purpose: vocab.sentence(rng, 5, 12),
                description: vocab.paragraph(rng, 150),
                conditions: distinct(rng, 0, 3, conditions.len())
                    .into_iter()
                    .map(|c| conditions[c].id.clone())
                    .collect(),
                items,
                source: SOURCE.to_owned(),
            }
        })
        .collect()
}

/// The synthetic catalogue `args` describes (the same for the same arguments).
pub fn generate(args: &Args) -> CatalogueDocument {
    let mut rng = Rng::new(args.seed);
    let vocab = Vocabulary::new(&mut rng, 30_000);
    let muscles = muscles(&mut rng, &vocab, args.muscles);
    let conditions = conditions(&mut rng, &vocab, args.conditions);
    let exercises = exercises(&mut rng, &vocab, args.exercises, &muscles, &conditions);
    let routines = if exercises.is_empty() {
        Vec::new()
    } else {
        routines(&mut rng, &vocab, args.routines, &exercises, &conditions)
    };
    CatalogueDocument {
        pain_monitoring: None,
        schema: None,
        sources: vec![Source {
            id: SOURCE.to_owned(),
            name: "Synthetic benchmark data".to_owned(),
            url: "https://example.org/synthetic".to_owned(),
            usage: "Generated by examples/generate_catalogue.rs for benchmarks; not real advice."
                .to_owned(),
        }],
        equipment: EQUIPMENT
            .iter()
            .map(|(id, name)| Equipment {
                former_ids: Vec::new(),
                id: (*id).to_owned(),
                name: (*name).to_owned(),
                description: format!("{name}, as used in the synthetic exercises."),
            })
            .collect(),
        muscles,
        exercises,
        routines,
        conditions,
    }
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let doc = generate(&args);
    let bytes = if args.pretty {
        serde_json::to_vec_pretty(&doc)
    } else {
        serde_json::to_vec(&doc)
    }
    .map_err(std::io::Error::other)?;
    match &args.out {
        Some(path) => std::fs::write(path, &bytes)?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    eprintln!(
        "generate_catalogue: {} exercises, {} muscles, {} routines, {} conditions, {} bytes{}",
        doc.exercises.len(),
        doc.muscles.len(),
        doc.routines.len(),
        doc.conditions.len(),
        bytes.len(),
        args.out
            .as_ref()
            .map(|p| format!(" -> {}", p.display()))
            .unwrap_or_default()
    );
    Ok(())
}
