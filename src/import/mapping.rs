//! The vocabulary tables of the importers, as data: each source's values and the catalogue
//! ids or enum values they map onto. A value missing from a table is unmappable and reported.

use crate::catalogue::model::{Category, Difficulty, Force, Mechanic};

/// free-exercise-db's 17 muscle names → catalogue muscle or group ids.
pub const FREE_EXERCISE_DB_MUSCLES: &[(&str, &[&str])] = &[
    ("abdominals", &["rectus-abdominis"]),
    ("abductors", &["hip-abductors"]),
    ("adductors", &["adductors"]),
    ("biceps", &["biceps-brachii"]),
    ("calves", &["calf"]),
    ("chest", &["pectoralis-major"]),
    ("forearms", &["wrist-flexors", "wrist-extensors"]),
    ("glutes", &["gluteals"]),
    ("hamstrings", &["hamstrings"]),
    ("lats", &["latissimus-dorsi"]),
    ("lower back", &["erector-spinae"]),
    ("middle back", &["rhomboids", "middle-trapezius"]),
    ("neck", &["neck-flexors", "neck-extensors"]),
    ("quadriceps", &["quadriceps"]),
    ("shoulders", &["deltoids"]),
    ("traps", &["trapezius"]),
    ("triceps", &["triceps-brachii"]),
];

/// free-exercise-db's equipment → catalogue equipment id. `other` and a missing value say
/// nothing about the gear, so they map to `unspecified-equipment` and are reported.
pub const FREE_EXERCISE_DB_EQUIPMENT: &[(&str, &str)] = &[
    ("bands", "resistance-band"),
    ("barbell", "barbell"),
    ("body only", "none"),
    ("cable", "cable"),
    ("dumbbell", "dumbbell"),
    ("e-z curl bar", "ez-curl-bar"),
    ("exercise ball", "exercise-ball"),
    ("foam roll", "foam-roller"),
    ("kettlebells", "kettlebell"),
    ("machine", "machine"),
    ("medicine ball", "medicine-ball"),
];

/// free-exercise-db's level → difficulty.
pub const FREE_EXERCISE_DB_LEVELS: &[(&str, Difficulty)] = &[
    ("beginner", Difficulty::Beginner),
    ("intermediate", Difficulty::Intermediate),
    ("expert", Difficulty::Advanced),
];

/// free-exercise-db's category → catalogue category (the role of the targets follows the
/// category: stretching gives `stretch`).
pub const FREE_EXERCISE_DB_CATEGORIES: &[(&str, Category)] = &[
    ("cardio", Category::Cardio),
    ("olympic weightlifting", Category::Strength),
    ("plyometrics", Category::Plyometric),
    ("powerlifting", Category::Strength),
    ("strength", Category::Strength),
    ("stretching", Category::Mobility),
    ("strongman", Category::Strength),
];

/// Force and mechanic values shared by the sources.
pub const FORCES: &[(&str, Force)] = &[
    ("pull", Force::Pull),
    ("push", Force::Push),
    ("static", Force::Static),
];
pub const MECHANICS: &[(&str, Mechanic)] = &[
    ("compound", Mechanic::Compound),
    ("isolation", Mechanic::Isolation),
];

/// wger's muscles (their Latin `name`, compared case-insensitively) → catalogue ids.
pub const WGER_MUSCLES: &[(&str, &[&str])] = &[
    ("anterior deltoid", &["anterior-deltoid"]),
    ("biceps brachii", &["biceps-brachii"]),
    ("biceps femoris", &["biceps-femoris"]),
    ("brachialis", &["brachialis"]),
    ("gastrocnemius", &["gastrocnemius"]),
    ("gluteus maximus", &["gluteus-maximus"]),
    ("latissimus dorsi", &["latissimus-dorsi"]),
    ("obliquus externus abdominis", &["external-oblique"]),
    ("pectoralis major", &["pectoralis-major"]),
    ("quadriceps femoris", &["quadriceps"]),
    ("rectus abdominis", &["rectus-abdominis"]),
    ("serratus anterior", &["serratus-anterior"]),
    ("soleus", &["soleus"]),
    ("trapezius", &["trapezius"]),
    ("triceps brachii", &["triceps-brachii"]),
];

/// wger's equipment names (case-insensitive) → catalogue equipment ids.
pub const WGER_EQUIPMENT: &[(&str, &str)] = &[
    ("barbell", "barbell"),
    ("bench", "bench"),
    ("dumbbell", "dumbbell"),
    ("gym mat", "mat"),
    ("incline bench", "bench"),
    ("kettlebell", "kettlebell"),
    ("none (bodyweight exercise)", "none"),
    ("pull-up bar", "pull-up-bar"),
    ("resistance band", "resistance-band"),
    ("swiss ball", "exercise-ball"),
    ("sz-bar", "ez-curl-bar"),
];

/// wger's categories are body parts; only `Cardio` says what kind of work it is.
pub const WGER_CATEGORIES: &[(&str, Category)] = &[
    ("abs", Category::Strength),
    ("arms", Category::Strength),
    ("back", Category::Strength),
    ("calves", Category::Strength),
    ("cardio", Category::Cardio),
    ("chest", Category::Strength),
    ("legs", Category::Strength),
    ("shoulders", Category::Strength),
];

/// Equipment the sources need that the embedded catalogue lacks: (id, name, description).
pub const NEW_EQUIPMENT: &[(&str, &str, &str)] = &[
    (
        "barbell",
        "Barbell",
        "A long bar loaded with weight plates.",
    ),
    (
        "cable",
        "Cable machine",
        "A weight stack pulled through a cable and pulley.",
    ),
    (
        "machine",
        "Weight machine",
        "A fixed-path resistance machine.",
    ),
    (
        "ez-curl-bar",
        "E-Z curl bar",
        "A short barbell with angled grips.",
    ),
    ("medicine-ball", "Medicine ball", "A weighted ball."),
    (
        "exercise-ball",
        "Exercise ball",
        "A large inflatable ball (Swiss ball).",
    ),
    ("pull-up-bar", "Pull-up bar", "A bar to hang from."),
    (
        "unspecified-equipment",
        "Unspecified equipment",
        "The source says equipment is used but not which.",
    ),
];

/// Looks `key` up in a table (exact match).
pub fn lookup<T: Copy>(table: &[(&str, T)], key: &str) -> Option<T> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

use crate::catalogue::model::{Laterality, Position};

/// Words in an exercise's name or first step that say its starting position, checked in this
/// order against the normalized text; none found means standing (and is reported).
pub const POSITION_KEYWORDS: &[(&str, Position)] = &[
    ("side lying", Position::SideLying),
    ("lie on your side", Position::SideLying),
    ("hands and knees", Position::Quadruped),
    ("all fours", Position::Quadruped),
    ("quadruped", Position::Quadruped),
    ("half kneeling", Position::HalfKneeling),
    ("kneel", Position::Kneeling),
    ("on your back", Position::Supine),
    ("supine", Position::Supine),
    ("lying", Position::Supine),
    ("lie down", Position::Supine),
    ("face down", Position::Prone),
    ("on your stomach", Position::Prone),
    ("prone", Position::Prone),
    ("hang", Position::Hanging),
    ("seated", Position::Seated),
    ("sit on", Position::Seated),
    ("sitting", Position::Seated),
    ("stand", Position::Standing),
];

/// Words in an exercise's name that say it is done one side at a time or sides in turn;
/// none found means bilateral.
pub const LATERALITY_KEYWORDS: &[(&str, Laterality)] = &[
    ("alternat", Laterality::Alternating),
    ("single leg", Laterality::Unilateral),
    ("single arm", Laterality::Unilateral),
    ("one leg", Laterality::Unilateral),
    ("one arm", Laterality::Unilateral),
    ("unilateral", Laterality::Unilateral),
];

/// The first keyword of `table` found in `text` (normalized), with its value.
pub fn keyword<T: Copy>(table: &[(&str, T)], text: &str) -> Option<T> {
    let text = crate::catalogue::text::normalize(text);
    table
        .iter()
        .find(|(k, _)| text.contains(k))
        .map(|(_, v)| *v)
}
