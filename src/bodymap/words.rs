//! The fixed words of a body map (view titles, legend keys, notes, the `<desc>` sentences), in
//! each language the catalogue is served in. Muscle and exercise names come from the catalogue,
//! already in the language.

/// One language's words.
#[derive(Debug)]
pub struct Words {
    pub front: &'static str,
    pub back: &'static str,
    /// The figure's right and left, as the view is labelled.
    pub right: &'static str,
    pub left: &'static str,
    pub primary_target: &'static str,
    pub secondary_target: &'static str,
    pub no_muscles: &'static str,
    /// `{}` is the list of muscles a deep muscle lies under.
    pub deep_under: &'static str,
    /// `{}` is a region ("foot").
    pub deep_in: &'static str,
    pub and: &'static str,
    /// `{}` is the number of members.
    pub group_of: &'static str,
    pub not_on_map: &'static str,
    pub views_front: &'static str,
    pub views_back: &'static str,
    pub views_both: &'static str,
    /// `{}` is one of the three views phrases.
    pub body_map_of: &'static str,
    pub none_highlighted: &'static str,
    /// `{}` is the list of primary targets.
    pub primary_sentence: &'static str,
    /// `{}` is the list of secondary targets.
    pub secondary_sentence: &'static str,
    /// The title of a map of any muscles.
    pub muscles_worked: &'static str,
}

const EN: Words = Words {
    front: "Front",
    back: "Back",
    right: "R",
    left: "L",
    primary_target: "Primary target",
    secondary_target: "Secondary target",
    no_muscles: "No muscles highlighted.",
    deep_under: "deep, under {}",
    deep_in: "deep, in the {}",
    and: " and ",
    group_of: "group of {}",
    not_on_map: "not on the map",
    views_front: "the front of the body",
    views_back: "the back of the body",
    views_both: "the front and back of the body",
    body_map_of: "Body map of {}.",
    none_highlighted: " No muscles are highlighted.",
    primary_sentence: " Primary targets, solid fill with a thick outline: {}.",
    secondary_sentence: " Secondary targets, hatched with a dashed outline: {}.",
    muscles_worked: "Muscles worked",
};

const ES: Words = Words {
    front: "Delante",
    back: "Detrás",
    right: "D",
    left: "I",
    primary_target: "Objetivo principal",
    secondary_target: "Objetivo secundario",
    no_muscles: "Ningún músculo resaltado.",
    deep_under: "profundo, bajo {}",
    deep_in: "profundo, en {}",
    and: " y ",
    group_of: "grupo de {}",
    not_on_map: "no aparece en el mapa",
    views_front: "la parte delantera del cuerpo",
    views_back: "la parte trasera del cuerpo",
    views_both: "la parte delantera y trasera del cuerpo",
    body_map_of: "Mapa corporal de {}.",
    none_highlighted: " No hay músculos resaltados.",
    primary_sentence: " Objetivos principales, relleno sólido con contorno grueso: {}.",
    secondary_sentence: " Objetivos secundarios, rayados con contorno discontinuo: {}.",
    muscles_worked: "Músculos trabajados",
};

const DE: Words = Words {
    front: "Vorderseite",
    back: "Rückseite",
    right: "R",
    left: "L",
    primary_target: "Hauptziel",
    secondary_target: "Nebenziel",
    no_muscles: "Keine Muskeln hervorgehoben.",
    deep_under: "tief, unter {}",
    deep_in: "tief, im Bereich {}",
    and: " und ",
    group_of: "Gruppe aus {}",
    not_on_map: "nicht auf der Karte",
    views_front: "der Körpervorderseite",
    views_back: "der Körperrückseite",
    views_both: "der Körpervorder- und -rückseite",
    body_map_of: "Körperkarte {}.",
    none_highlighted: " Keine Muskeln hervorgehoben.",
    primary_sentence: " Hauptziele, volle Füllung mit dicker Kontur: {}.",
    secondary_sentence: " Nebenziele, schraffiert mit gestrichelter Kontur: {}.",
    muscles_worked: "Beanspruchte Muskeln",
};

impl Default for &'static Words {
    fn default() -> Self {
        &EN
    }
}

/// The words for a language tag (English for any other).
pub fn for_language(tag: &str) -> &'static Words {
    match tag.split('-').next().unwrap_or("") {
        "es" => &ES,
        "de" => &DE,
        _ => &EN,
    }
}

/// `pattern` with its `{}` replaced by `value`.
pub fn fill(pattern: &str, value: &str) -> String {
    pattern.replacen("{}", value, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_fills_every_pattern_once() {
        for tag in ["en", "es", "de", "es-MX", "fr"] {
            let w = for_language(tag);
            for p in [
                w.deep_under,
                w.deep_in,
                w.group_of,
                w.body_map_of,
                w.primary_sentence,
                w.secondary_sentence,
            ] {
                assert_eq!(p.matches("{}").count(), 1, "{tag}: {p}");
            }
        }
        assert_eq!(for_language("es-MX").front, "Delante");
        assert_eq!(for_language("fr").front, "Front");
    }
}
