//! The drawing: an original anatomical figure in the anatomical position (standing, arms a
//! little away from the body, palms forward), seen from the front and from the back.
//!
//! Every shape is drawn once, for the figure's left side, as points measured from the midline
//! (`dx`, 0 at the midline, growing outwards) and down from the top of the head (`y`); the
//! right side is its mirror image. A view is 200 units wide and 430 high, the figure about
//! eight heads tall (a head is 50 units). Points are joined by a closed Catmull-Rom curve
//! (cubic Béziers), except at corners (`c`), where the outline turns sharply (tendons,
//! attachments). This drawing is the project's own work, under the project's licence.

use std::sync::LazyLock;

/// Width of one view, in SVG user units.
pub const VIEW_WIDTH: f32 = 200.0;
/// Height of one view.
pub const VIEW_HEIGHT: f32 = 430.0;
/// The midline of a view.
const MID: f32 = VIEW_WIDTH / 2.0;

/// Which side of the body is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Front,
    Back,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Front => "front",
            View::Back => "back",
        }
    }
}

/// The figure's own side (its left is on the viewer's right in the front view).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

/// One drawn muscle on one side of one view.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The catalogue muscle id this shape is.
    pub id: &'static str,
    /// The muscle's name, for catalogues that do not list it.
    pub name: &'static str,
    pub view: View,
    pub side: Side,
    /// A body region (the foot), not a muscle: deep muscles with no muscle above them lie in it.
    pub region: bool,
    /// SVG path data, in the coordinates of the view.
    pub d: String,
}

/// A point of an outline: smooth, or a corner.
#[derive(Debug, Clone, Copy)]
struct Pt {
    dx: f32,
    y: f32,
    corner: bool,
}

const fn s(dx: f32, y: f32) -> Pt {
    Pt {
        dx,
        y,
        corner: false,
    }
}

const fn c(dx: f32, y: f32) -> Pt {
    Pt {
        dx,
        y,
        corner: true,
    }
}

/// A muscle as drawn on the figure's left side of one view.
struct Def {
    id: &'static str,
    name: &'static str,
    view: View,
    points: &'static [Pt],
}

/// Ids of the drawn regions that are not muscles.
pub const REGIONS: &[&str] = &["foot"];

// ---- silhouette ----------------------------------------------------------------------------

/// Half the body without the arm, from the crown down the left side, round the foot and up
/// the inside of the leg to the crotch; mirrored to close it.
const BODY: &[Pt] = &[
    s(0.0, 10.0),
    s(11.0, 12.0),
    s(17.0, 19.5),
    s(19.5, 31.0),
    s(18.5, 43.0),
    s(15.5, 51.5),
    s(12.0, 57.5),
    s(11.2, 62.5),
    s(12.5, 67.0),
    s(19.0, 70.5),
    s(30.0, 73.5),
    s(38.0, 77.0),
    s(40.5, 84.0),
    s(37.0, 104.0),
    s(35.8, 120.0),
    s(34.0, 140.0),
    s(30.0, 160.0),
    s(30.5, 171.0),
    s(34.5, 183.0),
    s(41.5, 197.0),
    s(46.0, 211.0),
    s(47.0, 228.0),
    s(45.5, 254.0),
    s(41.0, 280.0),
    s(36.5, 299.0),
    s(35.5, 311.0),
    s(37.5, 323.0),
    s(39.0, 339.0),
    s(36.5, 362.0),
    s(32.0, 384.0),
    s(31.0, 393.0),
    s(33.0, 401.0),
    s(36.5, 411.0),
    s(35.0, 418.5),
    s(28.0, 421.0),
    s(20.0, 420.0),
    s(16.5, 415.0),
    s(17.0, 405.0),
    s(18.5, 396.0),
    s(17.5, 386.0),
    s(14.5, 370.0),
    s(11.0, 352.0),
    s(10.3, 335.0),
    s(11.3, 320.0),
    s(12.0, 306.0),
    s(10.0, 290.0),
    s(5.5, 256.0),
    s(2.8, 230.0),
    s(0.0, 217.0),
];

/// The left arm, closed: over the shoulder, down the outside to the thumb and fingers, and up
/// the inside to the armpit.
const ARM: &[Pt] = &[
    s(27.0, 75.5),
    s(36.5, 76.2),
    s(44.5, 79.5),
    s(50.0, 86.0),
    s(54.5, 97.5),
    s(56.3, 110.0),
    s(57.6, 125.0),
    s(59.3, 142.0),
    s(62.0, 157.0),
    s(66.0, 170.0),
    s(68.8, 188.0),
    s(71.0, 204.0),
    s(72.3, 212.0),
    s(74.8, 218.0),
    s(78.2, 224.0),
    s(80.6, 231.0),
    c(80.0, 236.5),
    s(77.6, 234.6),
    c(76.0, 231.0),
    s(77.6, 242.0),
    s(77.6, 251.0),
    s(74.6, 257.5),
    s(70.0, 256.0),
    s(66.3, 249.0),
    s(64.0, 238.0),
    s(63.0, 226.0),
    s(62.2, 213.0),
    s(58.0, 195.0),
    s(52.5, 177.0),
    s(47.5, 160.0),
    s(43.8, 145.0),
    s(41.0, 125.0),
    s(37.5, 108.0),
    s(33.0, 92.0),
];

// ---- details (lines, not muscles) -----------------------------------------------------------

/// Open strokes for landmarks, per view: each a list of points joined smoothly.
const FRONT_DETAILS: &[&[Pt]] = &[
    // clavicle
    &[s(3.0, 74.0), s(14.0, 75.5), s(26.0, 74.5), s(36.0, 76.5)],
    // patella
    &[
        s(24.0, 299.0),
        s(29.5, 303.0),
        s(29.5, 311.0),
        s(24.0, 315.5),
        s(18.5, 311.0),
        s(18.5, 303.0),
        s(24.0, 299.0),
    ],
    // shin (tibia) edge
    &[
        s(22.0, 318.0),
        s(21.0, 345.0),
        s(22.0, 375.0),
        s(20.5, 392.0),
    ],
    // ear
    &[s(18.6, 30.0), s(21.0, 31.5), s(21.5, 38.0), s(19.0, 43.0)],
    // inguinal ligament
    &[s(33.5, 186.0), s(22.0, 198.0), s(6.0, 208.0)],
    // toes
    &[s(28.0, 421.0), s(28.5, 416.0)],
    &[s(23.5, 420.8), s(23.5, 415.5)],
];

const BACK_DETAILS: &[&[Pt]] = &[
    // spine of the scapula and its medial border
    &[s(16.5, 92.5), s(27.0, 87.0), s(38.0, 80.5)],
    &[s(16.0, 80.0), s(16.5, 95.0), s(18.5, 113.0), s(22.5, 126.5)],
    // popliteal crease
    &[s(15.0, 306.0), s(24.0, 308.5), s(33.0, 306.0)],
    // Achilles tendon
    &[s(22.0, 378.0), s(22.5, 392.0)],
    &[s(26.5, 378.0), s(26.0, 392.0)],
    // ear
    &[s(18.6, 30.0), s(21.0, 31.5), s(21.5, 38.0), s(19.0, 43.0)],
];

// ---- the muscles ----------------------------------------------------------------------------

const F: View = View::Front;
const B: View = View::Back;

/// Every drawn muscle, in drawing order (deeper-lying first where shapes touch).
const DEFS: &[Def] = &[
    // -- regions
    Def {
        id: "foot",
        name: "Foot",
        view: F,
        points: &[
            c(20.0, 399.0),
            s(31.5, 399.0),
            s(34.5, 410.0),
            s(33.5, 417.0),
            s(27.0, 419.5),
            s(20.0, 418.5),
            s(18.2, 412.0),
            s(18.8, 404.0),
        ],
    },
    Def {
        id: "foot",
        name: "Foot",
        view: B,
        points: &[
            c(19.5, 401.0),
            s(30.5, 401.0),
            s(33.8, 410.0),
            s(31.0, 417.5),
            s(24.5, 419.5),
            s(18.5, 416.5),
            s(17.5, 409.0),
        ],
    },
    // -- front: neck and shoulders
    Def {
        id: "scalenes",
        name: "Scalenes",
        view: F,
        points: &[
            c(13.0, 64.0),
            s(18.0, 69.0),
            c(24.0, 73.2),
            c(13.5, 73.2),
            s(11.8, 69.0),
        ],
    },
    Def {
        id: "sternocleidomastoid",
        name: "Sternocleidomastoid",
        view: F,
        points: &[
            c(12.0, 55.0),
            s(14.0, 58.0),
            s(11.0, 64.0),
            s(6.0, 71.0),
            c(4.0, 74.0),
            c(1.2, 73.5),
            s(4.0, 66.0),
            s(9.5, 58.0),
        ],
    },
    Def {
        id: "upper-trapezius",
        name: "Upper trapezius",
        view: F,
        points: &[
            c(11.0, 63.0),
            s(19.0, 69.0),
            s(29.0, 72.2),
            c(37.5, 75.6),
            s(28.0, 74.0),
            s(19.0, 71.6),
            s(12.6, 69.0),
        ],
    },
    Def {
        id: "pectoralis-major",
        name: "Pectoralis major",
        view: F,
        points: &[
            c(1.5, 76.5),
            s(14.0, 77.5),
            s(27.0, 79.5),
            s(34.0, 83.5),
            s(36.6, 92.0),
            c(39.6, 100.5),
            s(36.0, 108.0),
            s(29.0, 116.0),
            s(19.0, 121.0),
            s(8.0, 121.5),
            c(1.5, 119.0),
        ],
    },
    Def {
        id: "anterior-deltoid",
        name: "Anterior deltoid",
        view: F,
        points: &[
            c(30.0, 76.5),
            s(38.0, 77.8),
            c(45.5, 82.0),
            s(49.6, 97.0),
            c(53.5, 117.5),
            s(44.5, 110.0),
            s(38.8, 97.0),
            s(34.5, 84.5),
        ],
    },
    Def {
        id: "lateral-deltoid",
        name: "Lateral deltoid",
        view: F,
        points: &[
            c(45.5, 82.0),
            s(50.3, 87.5),
            s(54.0, 97.5),
            s(55.6, 108.5),
            c(53.5, 117.5),
            s(49.6, 97.0),
        ],
    },
    Def {
        id: "serratus-anterior",
        name: "Serratus anterior",
        view: F,
        points: &[
            c(33.0, 111.0),
            s(35.5, 112.0),
            s(35.6, 125.0),
            c(34.3, 138.0),
            c(29.5, 135.5),
            c(32.0, 131.0),
            c(27.5, 127.5),
            c(30.5, 122.5),
            c(27.0, 119.0),
            c(30.0, 115.5),
        ],
    },
    // -- front: trunk
    Def {
        id: "rectus-abdominis",
        name: "Rectus abdominis",
        view: F,
        points: &[
            c(1.5, 120.5),
            s(10.5, 120.0),
            s(14.0, 131.0),
            s(14.5, 158.0),
            s(12.5, 183.0),
            s(7.0, 203.0),
            c(1.5, 207.0),
        ],
    },
    Def {
        id: "external-oblique",
        name: "External oblique",
        view: F,
        points: &[
            c(16.0, 124.0),
            c(27.0, 121.5),
            c(26.0, 125.0),
            c(29.0, 128.5),
            c(28.8, 132.5),
            c(33.9, 140.0),
            s(31.0, 160.0),
            s(31.2, 171.0),
            c(33.0, 180.0),
            s(23.0, 179.0),
            s(16.0, 168.0),
            s(16.2, 145.0),
        ],
    },
    // -- front: hip and thigh
    Def {
        id: "iliopsoas",
        name: "Iliopsoas",
        view: F,
        points: &[
            c(17.0, 203.5),
            c(27.5, 195.5),
            s(28.5, 206.0),
            s(24.0, 216.0),
            c(18.5, 219.0),
        ],
    },
    Def {
        id: "pectineus",
        name: "Pectineus",
        view: F,
        points: &[
            c(8.5, 208.0),
            c(16.5, 204.0),
            s(18.0, 218.0),
            c(14.5, 224.0),
            s(10.0, 216.0),
        ],
    },
    Def {
        id: "gracilis",
        name: "Gracilis",
        view: F,
        points: &[
            c(2.5, 218.0),
            s(5.0, 214.0),
            s(8.0, 240.0),
            s(10.0, 262.0),
            c(10.6, 278.0),
            s(8.8, 276.0),
            s(6.8, 262.0),
            s(4.3, 240.0),
        ],
    },
    Def {
        id: "adductor-longus",
        name: "Adductor longus",
        view: F,
        points: &[
            c(4.5, 211.0),
            c(9.0, 209.5),
            s(14.0, 222.0),
            s(15.5, 237.0),
            c(12.5, 257.0),
            s(8.5, 242.0),
            s(5.5, 224.0),
        ],
    },
    Def {
        id: "tensor-fasciae-latae",
        name: "Tensor fasciae latae",
        view: F,
        points: &[
            c(36.0, 189.0),
            s(41.0, 194.0),
            s(44.8, 205.0),
            s(44.6, 215.0),
            c(42.0, 224.0),
            s(39.0, 213.0),
            s(37.0, 200.0),
        ],
    },
    Def {
        id: "rectus-femoris",
        name: "Rectus femoris",
        view: F,
        points: &[
            s(27.3, 205.5),
            s(31.5, 216.0),
            s(33.5, 235.0),
            s(33.2, 255.0),
            s(30.6, 276.0),
            c(27.5, 296.0),
            c(22.5, 296.0),
            s(22.2, 275.0),
            s(21.2, 250.0),
            s(22.5, 225.0),
        ],
    },
    Def {
        id: "vastus-lateralis",
        name: "Vastus lateralis",
        view: F,
        points: &[
            s(40.4, 218.5),
            s(45.3, 232.0),
            s(44.6, 256.0),
            s(40.6, 280.0),
            c(35.3, 298.0),
            c(29.0, 297.5),
            s(31.6, 279.0),
            s(34.1, 256.0),
            s(34.4, 235.0),
        ],
    },
    Def {
        id: "vastus-medialis",
        name: "Vastus medialis",
        view: F,
        points: &[
            s(19.0, 254.0),
            s(21.6, 268.0),
            s(22.2, 285.0),
            c(21.8, 298.0),
            s(16.0, 298.5),
            s(14.2, 290.0),
            s(15.2, 272.0),
        ],
    },
    Def {
        id: "sartorius",
        name: "Sartorius",
        view: F,
        points: &[
            c(34.0, 187.0),
            s(37.2, 193.0),
            s(32.5, 216.0),
            s(25.5, 241.0),
            s(18.0, 262.0),
            s(13.8, 286.0),
            c(13.0, 303.0),
            s(10.3, 288.0),
            s(13.0, 262.0),
            s(19.5, 238.0),
            s(26.3, 212.0),
            s(32.0, 194.0),
        ],
    },
    // -- front: lower leg
    Def {
        id: "gastrocnemius",
        name: "Gastrocnemius",
        view: F,
        points: &[
            c(12.5, 316.0),
            s(16.5, 323.0),
            s(18.3, 337.0),
            c(16.0, 352.0),
            s(11.6, 343.0),
            s(11.2, 328.0),
        ],
    },
    Def {
        id: "soleus",
        name: "Soleus",
        view: F,
        points: &[
            c(18.5, 332.0),
            s(19.6, 352.0),
            s(19.0, 370.0),
            c(17.5, 381.0),
            s(14.6, 369.0),
            s(12.4, 357.0),
            c(16.0, 352.5),
            s(18.6, 341.0),
        ],
    },
    Def {
        id: "tibialis-anterior",
        name: "Tibialis anterior",
        view: F,
        points: &[
            c(25.5, 316.0),
            s(31.0, 320.0),
            s(33.0, 336.0),
            s(31.2, 356.0),
            s(27.0, 375.0),
            c(22.5, 390.0),
            s(23.6, 372.0),
            s(25.5, 352.0),
            s(25.8, 332.0),
        ],
    },
    Def {
        id: "fibularis-longus",
        name: "Fibularis longus",
        view: F,
        points: &[
            c(32.5, 314.0),
            s(36.2, 322.0),
            s(37.8, 336.0),
            s(36.8, 352.0),
            c(34.0, 368.0),
            s(33.2, 352.0),
            s(34.0, 333.0),
        ],
    },
    // -- front: arm
    Def {
        id: "biceps-brachii",
        name: "Biceps brachii",
        view: F,
        points: &[
            c(42.5, 108.0),
            s(50.0, 116.5),
            s(55.2, 130.0),
            s(56.0, 146.0),
            c(53.5, 159.5),
            s(48.5, 155.5),
            s(45.0, 141.0),
            s(43.0, 124.0),
        ],
    },
    Def {
        id: "brachioradialis",
        name: "Brachioradialis",
        view: F,
        points: &[
            c(56.5, 138.0),
            s(60.5, 150.0),
            s(63.8, 166.0),
            s(67.8, 185.0),
            c(70.8, 206.0),
            s(67.0, 193.0),
            s(61.0, 174.0),
            s(56.0, 156.0),
        ],
    },
    Def {
        id: "wrist-flexors",
        name: "Wrist flexors",
        view: F,
        points: &[
            c(48.5, 160.0),
            s(55.0, 163.0),
            s(60.5, 173.0),
            s(65.0, 190.0),
            c(68.5, 210.0),
            c(64.0, 212.0),
            s(60.8, 200.0),
            s(55.5, 184.0),
            s(51.0, 171.0),
        ],
    },
    Def {
        id: "thenar-muscles",
        name: "Thenar muscles",
        view: F,
        points: &[
            c(70.5, 216.0),
            s(75.0, 221.0),
            s(77.0, 229.5),
            c(74.5, 234.0),
            s(70.5, 228.0),
        ],
    },
    // -- back: neck and shoulders
    Def {
        id: "splenius-capitis",
        name: "Splenius capitis",
        view: B,
        points: &[
            s(5.6, 46.2),
            s(10.2, 44.8),
            s(14.4, 46.0),
            s(13.0, 50.5),
            s(10.0, 54.8),
            c(7.6, 57.8),
            s(6.4, 52.0),
        ],
    },
    Def {
        id: "levator-scapulae",
        name: "Levator scapulae",
        view: B,
        points: &[
            c(10.2, 55.8),
            s(11.1, 60.0),
            c(11.8, 67.2),
            s(9.6, 63.5),
            s(9.0, 59.5),
        ],
    },
    Def {
        id: "upper-trapezius",
        name: "Upper trapezius",
        view: B,
        points: &[
            c(0.8, 44.0),
            s(4.6, 46.5),
            s(6.3, 53.0),
            s(7.8, 60.0),
            s(12.0, 66.0),
            s(22.0, 69.5),
            s(32.0, 73.0),
            c(38.5, 77.5),
            s(30.0, 79.0),
            s(19.0, 78.5),
            c(0.8, 76.0),
        ],
    },
    Def {
        id: "middle-trapezius",
        name: "Middle trapezius",
        view: B,
        points: &[
            c(0.8, 76.0),
            s(19.0, 78.5),
            c(37.0, 80.0),
            s(27.0, 86.0),
            c(16.5, 92.5),
            c(0.8, 99.0),
        ],
    },
    Def {
        id: "lower-trapezius",
        name: "Lower trapezius",
        view: B,
        points: &[
            c(0.8, 99.0),
            c(16.5, 92.5),
            s(13.0, 110.0),
            s(7.0, 135.0),
            c(0.8, 162.0),
        ],
    },
    Def {
        id: "rhomboids",
        name: "Rhomboids",
        view: B,
        points: &[
            c(16.2, 94.5),
            s(17.5, 110.0),
            c(21.5, 125.0),
            c(9.6, 126.0),
            s(12.8, 110.0),
        ],
    },
    Def {
        id: "infraspinatus",
        name: "Infraspinatus",
        view: B,
        points: &[
            c(18.0, 94.0),
            s(28.0, 88.5),
            c(37.0, 84.5),
            s(37.0, 97.0),
            c(31.0, 106.5),
            s(23.5, 114.0),
            s(19.5, 105.0),
        ],
    },
    Def {
        id: "teres-minor",
        name: "Teres minor",
        view: B,
        points: &[
            c(31.0, 107.0),
            c(37.2, 98.0),
            s(39.0, 104.0),
            c(33.5, 112.0),
        ],
    },
    Def {
        id: "teres-major",
        name: "Teres major",
        view: B,
        points: &[
            c(23.5, 115.5),
            c(33.0, 112.5),
            s(39.5, 106.5),
            s(40.0, 113.0),
            s(33.0, 121.0),
            c(23.0, 125.5),
        ],
    },
    Def {
        id: "latissimus-dorsi",
        name: "Latissimus dorsi",
        view: B,
        points: &[
            c(22.0, 127.0),
            s(33.0, 121.5),
            c(40.0, 114.5),
            s(34.5, 126.0),
            s(31.0, 142.0),
            s(27.5, 158.0),
            c(25.5, 172.0),
            s(19.0, 171.0),
            s(13.0, 163.0),
            c(9.5, 149.0),
            s(15.0, 136.0),
        ],
    },
    Def {
        id: "external-oblique",
        name: "External oblique",
        view: B,
        points: &[
            c(33.0, 134.0),
            s(33.4, 146.0),
            s(30.5, 160.0),
            s(31.0, 172.0),
            c(33.0, 180.0),
            c(26.0, 175.0),
            s(28.0, 158.0),
            s(31.2, 143.0),
        ],
    },
    Def {
        id: "erector-spinae",
        name: "Erector spinae",
        view: B,
        points: &[
            c(2.0, 150.0),
            s(6.0, 146.0),
            s(10.0, 151.0),
            s(12.8, 166.0),
            s(12.3, 182.0),
            s(9.0, 195.0),
            c(4.0, 199.0),
            s(2.2, 186.0),
        ],
    },
    // -- back: hip and thigh
    Def {
        id: "gluteus-medius",
        name: "Gluteus medius",
        view: B,
        points: &[
            c(14.0, 186.0),
            s(23.0, 181.5),
            s(33.0, 182.5),
            s(39.5, 191.0),
            s(44.0, 201.0),
            c(45.5, 212.0),
            s(38.0, 203.5),
            s(28.0, 196.0),
            s(17.0, 191.0),
        ],
    },
    Def {
        id: "gluteus-maximus",
        name: "Gluteus maximus",
        view: B,
        points: &[
            c(5.0, 189.0),
            s(17.0, 191.0),
            s(28.0, 196.0),
            s(38.0, 204.0),
            s(45.5, 213.0),
            s(46.0, 223.0),
            s(42.0, 231.0),
            s(31.0, 236.0),
            s(18.0, 238.0),
            s(7.0, 236.0),
            c(1.5, 230.0),
            s(1.5, 210.0),
            s(3.5, 197.0),
        ],
    },
    Def {
        id: "adductor-magnus",
        name: "Adductor magnus",
        view: B,
        points: &[
            c(6.0, 239.0),
            s(11.0, 239.5),
            c(15.0, 241.0),
            s(15.5, 252.0),
            c(13.5, 262.0),
            s(10.0, 259.0),
            s(7.2, 250.0),
        ],
    },
    Def {
        id: "gracilis",
        name: "Gracilis",
        view: B,
        points: &[
            c(4.5, 243.0),
            s(7.0, 251.0),
            s(10.0, 268.0),
            s(12.0, 288.0),
            c(13.5, 302.0),
            s(11.0, 299.0),
            s(8.5, 282.0),
            s(6.0, 264.0),
        ],
    },
    Def {
        id: "semimembranosus",
        name: "Semimembranosus",
        view: B,
        points: &[
            c(12.5, 263.0),
            s(15.5, 264.0),
            s(16.2, 280.0),
            s(17.5, 296.0),
            c(15.5, 304.0),
            s(13.0, 296.0),
            s(12.0, 280.0),
        ],
    },
    Def {
        id: "semitendinosus",
        name: "Semitendinosus",
        view: B,
        points: &[
            c(16.0, 240.0),
            s(21.0, 243.0),
            s(23.0, 260.0),
            s(21.2, 278.0),
            c(18.0, 296.0),
            s(16.3, 280.0),
            s(15.6, 262.0),
        ],
    },
    Def {
        id: "biceps-femoris",
        name: "Biceps femoris",
        view: B,
        points: &[
            c(21.5, 238.5),
            s(30.0, 245.0),
            s(37.0, 262.0),
            s(37.5, 283.0),
            c(34.0, 303.0),
            s(29.0, 296.0),
            s(25.0, 280.0),
            s(23.4, 260.0),
        ],
    },
    // -- back: lower leg
    Def {
        id: "soleus",
        name: "Soleus",
        view: B,
        points: &[
            c(12.0, 336.0),
            s(14.0, 352.0),
            s(20.0, 360.0),
            s(24.0, 357.5),
            s(28.0, 354.0),
            s(33.0, 350.0),
            c(35.8, 340.0),
            s(35.6, 353.0),
            s(32.0, 367.0),
            c(27.0, 380.0),
            c(21.5, 380.0),
            s(15.5, 368.0),
            s(12.5, 352.0),
        ],
    },
    Def {
        id: "gastrocnemius",
        name: "Gastrocnemius",
        view: B,
        points: &[
            c(13.5, 312.0),
            s(19.5, 314.0),
            s(23.0, 325.0),
            s(23.2, 345.0),
            c(20.0, 358.0),
            s(14.5, 351.0),
            s(11.5, 336.0),
            s(11.8, 322.0),
        ],
    },
    Def {
        id: "gastrocnemius",
        name: "Gastrocnemius",
        view: B,
        points: &[
            c(25.0, 313.0),
            s(31.0, 313.0),
            s(35.5, 322.0),
            s(36.0, 338.0),
            c(32.5, 350.0),
            s(27.5, 352.0),
            s(24.8, 340.0),
            s(24.5, 325.0),
        ],
    },
    Def {
        id: "fibularis-longus",
        name: "Fibularis longus",
        view: B,
        points: &[
            c(37.0, 322.0),
            s(38.6, 335.0),
            s(37.8, 350.0),
            c(35.0, 366.0),
            s(35.4, 350.0),
            s(36.4, 335.0),
        ],
    },
    // -- back: arm
    Def {
        id: "triceps-brachii",
        name: "Triceps brachii",
        view: B,
        points: &[
            c(42.0, 110.0),
            s(51.0, 113.5),
            s(56.8, 123.5),
            s(58.2, 140.0),
            c(56.0, 155.5),
            c(49.0, 152.0),
            s(44.0, 140.0),
            s(41.8, 125.0),
        ],
    },
    Def {
        id: "posterior-deltoid",
        name: "Posterior deltoid",
        view: B,
        points: &[
            c(33.0, 82.0),
            s(40.0, 80.8),
            c(45.0, 83.5),
            s(48.6, 96.0),
            c(53.2, 117.0),
            s(45.0, 108.0),
            s(40.0, 98.0),
            s(35.0, 90.0),
        ],
    },
    Def {
        id: "lateral-deltoid",
        name: "Lateral deltoid",
        view: B,
        points: &[
            c(45.0, 83.5),
            s(50.0, 87.0),
            s(54.0, 97.5),
            s(55.6, 108.5),
            c(53.2, 117.0),
            s(48.6, 96.0),
        ],
    },
    Def {
        id: "wrist-extensors",
        name: "Wrist extensors",
        view: B,
        points: &[
            c(56.0, 158.0),
            s(62.0, 163.0),
            s(66.0, 178.0),
            s(69.0, 195.0),
            c(70.0, 208.0),
            c(65.0, 210.0),
            s(60.0, 195.0),
            s(55.0, 180.0),
            s(52.0, 168.0),
        ],
    },
];

// ---- geometry -------------------------------------------------------------------------------

/// The x of a point of the figure's `side` in `view`.
fn x_of(dx: f32, view: View, side: Side) -> f32 {
    // Front view: the figure's left is on the viewer's right; back view: on the viewer's left.
    let towards_right = matches!(
        (view, side),
        (View::Front, Side::Left) | (View::Back, Side::Right)
    );
    if towards_right { MID + dx } else { MID - dx }
}

fn fmt(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A closed smooth path through `pts` (absolute x, y), with cusps at corners.
fn closed_path(pts: &[(f32, f32, bool)]) -> String {
    let n = pts.len();
    let mut d = format!("M{} {}", fmt(pts[0].0), fmt(pts[0].1));
    let tangent = |i: usize| -> (f32, f32) {
        let (prev, cur, next) = (pts[(i + n - 1) % n], pts[i], pts[(i + 1) % n]);
        if cur.2 {
            (0.0, 0.0)
        } else {
            ((next.0 - prev.0) / 6.0, (next.1 - prev.1) / 6.0)
        }
    };
    for i in 0..n {
        let j = (i + 1) % n;
        let (a, b) = (pts[i], pts[j]);
        let (ta, tb) = (tangent(i), tangent(j));
        d.push_str(&format!(
            "C{} {} {} {} {} {}",
            fmt(a.0 + ta.0),
            fmt(a.1 + ta.1),
            fmt(b.0 - tb.0),
            fmt(b.1 - tb.1),
            fmt(b.0),
            fmt(b.1)
        ));
    }
    d.push('Z');
    d
}

/// An open smooth path through `pts`.
fn open_path(pts: &[(f32, f32)]) -> String {
    let n = pts.len();
    let mut d = format!("M{} {}", fmt(pts[0].0), fmt(pts[0].1));
    let tangent = |i: usize| -> (f32, f32) {
        let prev = pts[i.saturating_sub(1)];
        let next = pts[(i + 1).min(n - 1)];
        ((next.0 - prev.0) / 6.0, (next.1 - prev.1) / 6.0)
    };
    for i in 0..n - 1 {
        let (a, b) = (pts[i], pts[i + 1]);
        let (ta, tb) = (tangent(i), tangent(i + 1));
        d.push_str(&format!(
            "C{} {} {} {} {} {}",
            fmt(a.0 + ta.0),
            fmt(a.1 + ta.1),
            fmt(b.0 - tb.0),
            fmt(b.1 - tb.1),
            fmt(b.0),
            fmt(b.1)
        ));
    }
    d
}

fn placed(points: &[Pt], view: View, side: Side) -> Vec<(f32, f32, bool)> {
    points
        .iter()
        .map(|p| (x_of(p.dx, view, side), p.y, p.corner))
        .collect()
}

/// The body without the arms, as one closed path (both halves).
fn body_path(view: View) -> String {
    let mut pts = placed(BODY, view, Side::Left);
    // The other half, back up from the crotch to the crown, without repeating the midline ends.
    let other = placed(&BODY[1..BODY.len() - 1], view, Side::Right);
    pts.extend(other.into_iter().rev());
    closed_path(&pts)
}

/// Everything drawn for one view that is not a muscle.
#[derive(Debug, Clone)]
pub struct Outline {
    /// The body and both arms: closed paths, filled as skin.
    pub silhouette: Vec<String>,
    /// Landmark strokes (clavicles, kneecaps, ...).
    pub details: Vec<String>,
}

fn outline(view: View) -> Outline {
    let arms = [Side::Left, Side::Right].map(|side| closed_path(&placed(ARM, view, side)));
    let details = match view {
        View::Front => FRONT_DETAILS,
        View::Back => BACK_DETAILS,
    };
    Outline {
        silhouette: std::iter::once(body_path(view)).chain(arms).collect(),
        details: details
            .iter()
            .flat_map(|pts| {
                [Side::Left, Side::Right].map(|side| {
                    let p: Vec<(f32, f32)> =
                        pts.iter().map(|p| (x_of(p.dx, view, side), p.y)).collect();
                    open_path(&p)
                })
            })
            .collect(),
    }
}

static SHAPES: LazyLock<Vec<Shape>> = LazyLock::new(|| {
    DEFS.iter()
        .flat_map(|def| {
            [Side::Left, Side::Right].map(|side| Shape {
                id: def.id,
                name: def.name,
                view: def.view,
                side,
                region: REGIONS.contains(&def.id),
                d: closed_path(&placed(def.points, def.view, side)),
            })
        })
        .collect()
});

static OUTLINES: LazyLock<[Outline; 2]> =
    LazyLock::new(|| [outline(View::Front), outline(View::Back)]);

/// Every drawn shape, both sides, both views, in drawing order.
pub fn shapes() -> &'static [Shape] {
    &SHAPES
}

/// The silhouette and landmarks of a view.
pub fn outline_of(view: View) -> &'static Outline {
    &OUTLINES[match view {
        View::Front => 0,
        View::Back => 1,
    }]
}

/// True when `id` is drawn on the figure.
pub fn is_drawn(id: &str) -> bool {
    DEFS.iter().any(|d| d.id == id)
}

/// The built-in name of a drawn muscle.
pub fn drawn_name(id: &str) -> Option<&'static str> {
    DEFS.iter().find(|d| d.id == id).map(|d| d.name)
}

/// The ids of the drawn muscles and regions, each once, in drawing order.
pub fn drawn_ids() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for d in DEFS {
        if !out.contains(&d.id) {
            out.push(d.id);
        }
    }
    out
}
