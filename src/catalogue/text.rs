//! Text normalization shared by search, alias checks and "did you mean" suggestions.

/// Lowercases, strips accents, drops apostrophes (so "runner's" and "runners" agree) and turns
/// every other run of non-alphanumeric characters into one space.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into `out` (cleared first), to reuse one buffer for many texts.
pub fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    // Most text is ASCII already: no transliterated copy then.
    let ascii = if s.is_ascii() {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(s))
    };
    let mut space = false;
    // deunicode's output is ASCII too, so bytes are characters here.
    for b in ascii.bytes() {
        if b.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else if b == b'\'' || b == b'`' {
            // dropped: "runner's" -> "runners"
        } else {
            space = true;
        }
    }
}

/// Normalized words of `s`.
pub fn tokens(s: &str) -> Vec<String> {
    normalize(s)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The closest candidate to `input`, if it is close enough to be a plausible typo.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    suggestions(input, candidates.into_iter().map(|c| (c, c)), 1)
        .into_iter()
        .next()
}

/// Longest input, in bytes, for which suggestions are looked for. Ids and names are far
/// shorter; a longer input is no typo, and transliteration can make one 3-byte character
/// about 30 letters, so an uncapped input made every unknown id cost a comparison of
/// thousands of letters against every name (finding h1).
pub const MAX_SUGGEST_INPUT_BYTES: usize = 64;
/// Longest normalized input or key compared (after transliteration), in characters: bounds
/// one comparison to 64 × 64 steps whatever the input.
const MAX_COMPARED_CHARS: usize = 64;

/// Up to `n` distinct ids whose keys (an id, a name or an alias) are close to `input`,
/// closest first. Keys are compared normalized, so "glute-meed" finds the alias "glute med".
pub fn suggestions<'a, 'k>(
    input: &str,
    candidates: impl IntoIterator<Item = (&'k str, &'a str)>,
    n: usize,
) -> Vec<&'a str> {
    if input.len() > MAX_SUGGEST_INPUT_BYTES {
        return Vec::new();
    }
    let needle = normalize(input);
    if needle.is_empty() || needle.len() > MAX_COMPARED_CHARS {
        return Vec::new();
    }
    let max = (needle.len() / 4).clamp(1, 3);
    let mut key = String::new();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|(raw, id)| {
            if raw.len() > 4 * MAX_COMPARED_CHARS {
                return None;
            }
            normalize_into(raw, &mut key);
            // A prefix of the key, or one of its words ("band" for "resistance band",
            // "equipment" for "available equipment").
            let prefix = needle.len() >= 3
                && key.len() > needle.len()
                && (key.starts_with(&needle) || key.split(' ').any(|w| w == needle));
            // The edit distance is at least the difference in length: skip the comparison
            // when that alone is too far (most keys), leaving only the prefix rule.
            if key.len().abs_diff(needle.len()) > max || key.len() > MAX_COMPARED_CHARS {
                return prefix.then_some((max + 1, id));
            }
            // (Both are ASCII after normalizing, so bytes are characters.)
            let d = strsim::levenshtein(&needle, &key);
            if d <= max {
                Some((d, id))
            } else if prefix {
                Some((max + 1, id))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    let mut out: Vec<&str> = Vec::new();
    for (_, id) in scored {
        if !out.contains(&id) {
            out.push(id);
        }
        if out.len() == n {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_accents_and_punctuation() {
        assert_eq!(normalize("Runner’s Knee"), "runners knee");
        assert_eq!(normalize("runner's  knee!"), "runners knee");
        assert_eq!(normalize("Pédale—Écarté"), "pedale ecarte");
        assert_eq!(normalize("  glute-med "), "glute med");
    }

    #[test]
    fn suggestions_find_typos_and_not_strangers() {
        let ids = ["gluteus-medius", "gluteus-minimus", "quadriceps"];
        assert_eq!(suggest("glute-meed", ids), None, "too far from any id");
        let with_alias = [
            ("glute med", "gluteus-medius"),
            ("gluteus-medius", "gluteus-medius"),
        ];
        assert_eq!(
            suggestions("glute-meed", with_alias, 3),
            vec!["gluteus-medius"]
        );
        assert_eq!(suggest("gluteus-medus", ids), Some("gluteus-medius"));
        assert_eq!(suggest("quadricep", ids), Some("quadriceps"));
        assert_eq!(suggest("xyz", ids), None);
    }

    #[test]
    fn long_inputs_get_no_suggestions() {
        let ids = ["gluteus-medius"];
        assert_eq!(suggest(&"gluteus-medius".repeat(5), ids), None);
        // One 3-byte character transliterates to about 30 letters; 21 of them pass the byte
        // limit and are cut by the normalized one.
        assert_eq!(suggest(&"\u{fdfd}".repeat(21), ids), None);
        assert_eq!(suggest("gluteus-medus", ids), Some("gluteus-medius"));
    }
}
