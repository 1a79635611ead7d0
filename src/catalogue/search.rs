//! Text search: an inverted index over normalized words, with named, weighted fields, prefix
//! matches and typo tolerance; and a prefix index for autocomplete. Built once at load; a query
//! touches only the words it matches.

use std::collections::{BTreeMap, HashMap};

use super::text::{normalize, normalize_into, tokens};

/// A field of a document and how much a match in it counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub weight: f32,
}

/// How well a query word matched an indexed word.
const EXACT: f32 = 1.0;
const PREFIX: f32 = 0.7;
const TYPO: f32 = 0.5;
/// Added when the whole query appears in, or equals, a document's first field (its name).
const PHRASE_BONUS: f32 = 5.0;
const EQUALS_BONUS: f32 = 10.0;

/// A matching document: its number, score, and the field of its best-scoring match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    pub field: &'static str,
    /// Words in the document's name: between equal scores, the more specific (shorter) wins.
    pub name_words: u16,
    /// How it matched: the best tier present is the result.
    pub tier: Tier,
}

/// How a document matched a query, best last: by the number of query words it matched, or,
/// best, for a query of several words, by holding the whole query as a name, an alias, a
/// direct target's or a condition's name, or in its name, or by matching every word in its
/// name or aliases. Callers keep only the best tier present ([`keep_best_tier`]), after their
/// filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Tier {
    #[default]
    None,
    Words(u16),
    Meant,
}

/// A whole field value equal to the query puts a document in [`Tier::Meant`] only from a field
/// this heavy (a group's member names, at 2, do not: an exercise for a group of hip muscles
/// does not necessarily work the one named).
const MEANT_VALUE_WEIGHT: f32 = 3.0;
/// Every query word matched in fields this heavy (names and aliases) is also [`Tier::Meant`].
const MEANT_WORD_WEIGHT: f32 = 8.0;

/// Keeps only the hits of the best tier among them.
pub fn keep_best_tier(hits: &mut Vec<Hit>) {
    if let Some(best) = hits.iter().map(|h| h.tier).max() {
        hits.retain(|h| h.tier == best);
    }
}

/// One document's matches for a query's words.
#[derive(Debug, Clone, Copy)]
struct WordMatches {
    sum: f32,
    best: f32,
    field: u8,
    words: u16,
    /// The lightest field weight among the words' best matches.
    weakest: f32,
}

/// A whole field value (an alias, a muscle's name) equal to the whole query counts this many
/// times its field's weight on top of the word matches.
const WHOLE_VALUE_BONUS: f32 = 3.0;
/// Distinct query words scored; later ones are ignored.
pub const MAX_QUERY_WORDS: usize = 8;
/// Field values up to this many words are indexed as phrases.
const MAX_PHRASE_WORDS: usize = 6;

/// Builds a [`SearchIndex`]: add documents in order, each as (field, text) pairs. Words and
/// phrases are numbered as they are first seen, so a text added to many documents (a muscle's
/// names on every exercise that targets it) can be normalized and looked up once, with
/// [`prepare`](Self::prepare) and [`add_prepared`](Self::add_prepared).
#[derive(Default)]
pub struct SearchIndexBuilder {
    fields: Vec<Field>,
    /// Words of up to 16 bytes (nearly all), packed into a number → the word's number: one
    /// probe, no string comparison.
    short_words: FastMap<u128, u32>,
    /// Longer words → their numbers.
    long_words: FastMap<String, u32>,
    /// By word number: the word.
    word_texts: Vec<String>,
    /// Every (word, document, field index) as added, in document order; grouped by word at
    /// `build` (a counting sort), which is cheaper than appending to one list per word as
    /// words come (each append touching a different list).
    occurrences: Vec<(u32, u32, u8)>,
    /// whole normalized short field value → its number.
    phrase_ids: FastMap<String, u32>,
    /// By phrase number: (document, field index).
    phrases: Vec<Vec<(u32, u8)>>,
    names: Vec<String>,
    /// Reused for each text's normalized form, and for its word numbers.
    scratch: String,
    scratch_words: Vec<u32>,
}

/// A text normalized and numbered once, to be added to many documents.
#[derive(Debug, Clone, Default)]
pub struct PreparedText {
    words: Vec<u32>,
    phrase: Option<u32>,
}

impl SearchIndexBuilder {
    fn field_index(&mut self, field: Field) -> u8 {
        match self.fields.iter().position(|f| *f == field) {
            Some(i) => i as u8,
            None => {
                self.fields.push(field);
                (self.fields.len() - 1) as u8
            }
        }
    }

    /// Normalizes `text` and numbers its words (and the whole value, when short enough to be
    /// a phrase).
    pub fn prepare(&mut self, text: &str) -> PreparedText {
        let mut whole = std::mem::take(&mut self.scratch);
        normalize_into(text, &mut whole);
        let mut words = Vec::new();
        let phrase = self.number(&whole, &mut words);
        self.scratch = whole;
        PreparedText { words, phrase }
    }

    /// Numbers the words of normalized text `whole` into `words` (cleared first), and returns
    /// the number of the whole value when it is short enough to be a phrase.
    fn number(&mut self, whole: &str, words: &mut Vec<u32>) -> Option<u32> {
        words.clear();
        for token in whole.split(' ').filter(|t| !t.is_empty()) {
            words.push(self.word_id(token));
        }
        (1..=MAX_PHRASE_WORDS)
            .contains(&words.len())
            .then(|| self.phrase_id(whole))
    }

    fn word_id(&mut self, word: &str) -> u32 {
        let next = self.word_texts.len() as u32;
        let id = match pack(word) {
            Some(key) => *self.short_words.entry(key).or_insert(next),
            // Look up by &str: most words are already known, so no allocation.
            None => match self.long_words.get(word) {
                Some(&id) => id,
                None => *self.long_words.entry(word.to_owned()).or_insert(next),
            },
        };
        if id == next {
            self.word_texts.push(word.to_owned());
        }
        id
    }

    fn phrase_id(&mut self, phrase: &str) -> u32 {
        if let Some(&id) = self.phrase_ids.get(phrase) {
            return id;
        }
        let id = self.phrases.len() as u32;
        self.phrases.push(Vec::new());
        self.phrase_ids.insert(phrase.to_owned(), id);
        id
    }

    /// Adds document number `doc` (documents must be added in increasing order, from 0). The
    /// first field's text is the document's name, used for phrase bonuses.
    pub fn add<'a>(&mut self, doc: u32, fields: impl IntoIterator<Item = (Field, &'a str)>) {
        let mut name = None;
        let mut whole = std::mem::take(&mut self.scratch);
        let mut words = std::mem::take(&mut self.scratch_words);
        for (field, text) in fields {
            normalize_into(text, &mut whole);
            let phrase = self.number(&whole, &mut words);
            let f = self.field_index(field);
            self.post(doc, f, &words, phrase);
            if name.is_none() {
                name = Some(whole.clone());
            }
        }
        self.scratch = whole;
        self.scratch_words = words;
        debug_assert_eq!(self.names.len(), doc as usize);
        self.names.push(name.unwrap_or_default());
    }

    /// Adds one more field to document `doc`, the last one added with [`add`](Self::add).
    pub fn add_prepared(&mut self, doc: u32, field: Field, text: &PreparedText) {
        let f = self.field_index(field);
        self.post(doc, f, &text.words, text.phrase);
    }

    /// Field `f` of `doc` has these words and, when short, is phrase `phrase`.
    fn post(&mut self, doc: u32, f: u8, words: &[u32], phrase: Option<u32>) {
        self.occurrences.extend(words.iter().map(|&w| (w, doc, f)));
        if let Some(p) = phrase {
            self.post_phrase(p, doc, f);
        }
    }

    /// Phrase `p` is the whole of field `f` of `doc`.
    fn post_phrase(&mut self, p: u32, doc: u32, f: u8) {
        let list = &mut self.phrases[p as usize];
        // Documents arrive in order, so a repeat can only be among this document's.
        if !list
            .iter()
            .rev()
            .take_while(|&&(d, _)| d == doc)
            .any(|&(_, g)| g == f)
        {
            list.push((doc, f));
        }
    }

    pub fn build(self) -> SearchIndex {
        // Counting sort of the occurrences by word, keeping document order within a word.
        let mut starts = vec![0usize; self.word_texts.len() + 1];
        for &(w, ..) in &self.occurrences {
            starts[w as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut grouped = vec![(0u32, 0u8); self.occurrences.len()];
        for &(w, doc, f) in &self.occurrences {
            grouped[next[w as usize]] = (doc, f);
            next[w as usize] += 1;
        }
        drop(self.occurrences);
        let mut by_len: HashMap<usize, Vec<String>> = HashMap::new();
        let mut sorted = BTreeMap::new();
        for (id, w) in self.word_texts.into_iter().enumerate() {
            // One entry per document: its best field (the first of the highest weight).
            let mut list: Vec<(u32, u8)> = Vec::new();
            for &(doc, f) in &grouped[starts[id]..starts[id + 1]] {
                match list.last_mut() {
                    Some((d, best)) if *d == doc => {
                        if self.fields[f as usize].weight > self.fields[*best as usize].weight {
                            *best = f;
                        }
                    }
                    _ => list.push((doc, f)),
                }
            }
            by_len.entry(w.chars().count()).or_default().push(w.clone());
            sorted.insert(w, list);
        }
        SearchIndex {
            fields: self.fields,
            postings: sorted,
            phrase_ids: self.phrase_ids,
            phrases: self.phrases,
            by_len,
            names: self.names,
        }
    }
}

/// `word` packed into a number when it has 1 to 16 bytes (normalized words never contain a
/// zero byte, so the zero padding cannot collide).
fn pack(word: &str) -> Option<u128> {
    if word.is_empty() || word.len() > 16 {
        return None;
    }
    let mut b = [0u8; 16];
    b[..word.len()].copy_from_slice(word.as_bytes());
    Some(u128::from_le_bytes(b))
}

/// A hash map with a fast (non-cryptographic, randomly seeded) hasher, for build-time maps
/// keyed by catalogue text.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The inverted index.
pub struct SearchIndex {
    fields: Vec<Field>,
    postings: BTreeMap<String, Vec<(u32, u8)>>,
    /// Whole short field values → their numbers; by number, (document, field index).
    phrase_ids: FastMap<String, u32>,
    phrases: Vec<Vec<(u32, u8)>>,
    by_len: HashMap<usize, Vec<String>>,
    names: Vec<String>,
}

/// How many edits a query word of this length may be away from an indexed word: none up to
/// 3 letters, one from 4, two from 8.
pub fn allowed_typos(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

impl SearchIndex {
    /// Documents matching any word of `query`, unordered, each with its [`Tier`]; callers keep
    /// the best tier ([`keep_best_tier`]): when a multi-word query names something (an alias
    /// such as "glute med", a muscle or condition name, a name's words), only the documents
    /// holding it; otherwise those matching every word; and when no document matches every
    /// word, those matching the most words (a word no document knows, such as "exercises",
    /// does not empty the result). A query with no words (only punctuation) matches nothing
    /// rather than everything.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let mut words = tokens(query);
        if words.is_empty() {
            return Vec::new();
        }
        // Every word is looked up (no early exit once a word matches nothing, as when all
        // words were required), so the count is bounded: a long query of unknown words must
        // not cost a typo scan of the vocabulary per word.
        let mut seen = std::collections::HashSet::new();
        words.retain(|w| seen.insert(w.clone()));
        words.truncate(MAX_QUERY_WORDS);
        let phrase = normalize(query);
        let found = self.word_matches(&words);
        let whole = self.whole_value_weights(&phrase);
        found
            .into_iter()
            .map(|(doc, m)| self.scored(doc, m, &phrase, words.len(), &whole))
            .collect()
    }

    /// Stage 1: per document, the sum of each query word's best match, the best single
    /// match's field, and how many of the words it matched.
    fn word_matches(&self, words: &[String]) -> HashMap<u32, WordMatches> {
        let mut found: HashMap<u32, WordMatches> = HashMap::new();
        for word in words {
            for (doc, (s, f)) in self.word_hits(word) {
                let m = found.entry(doc).or_insert(WordMatches {
                    sum: 0.0,
                    best: s,
                    field: f,
                    words: 0,
                    weakest: f32::INFINITY,
                });
                m.sum += s;
                m.words += 1;
                m.weakest = m.weakest.min(self.fields[f as usize].weight);
                if s > m.best {
                    (m.best, m.field) = (s, f);
                }
            }
        }
        found
    }

    /// Stage 2: documents with a whole field value equal to the whole query, and the weight of
    /// the heaviest such field.
    fn whole_value_weights(&self, phrase: &str) -> HashMap<u32, f32> {
        let mut whole: HashMap<u32, f32> = HashMap::new();
        let matching = self
            .phrase_ids
            .get(phrase)
            .map(|&p| &self.phrases[p as usize]);
        for &(doc, f) in matching.into_iter().flatten() {
            let b = self.fields[f as usize].weight;
            let e = whole.entry(doc).or_insert(0.0);
            *e = e.max(b);
        }
        whole
    }

    /// Stage 3: a document's tier and hit: the word matches plus the name and whole-value
    /// bonuses.
    fn scored(
        &self,
        doc: u32,
        m: WordMatches,
        phrase: &str,
        query_words: usize,
        whole: &HashMap<u32, f32>,
    ) -> Hit {
        let name = &self.names[doc as usize];
        let bonus = if *name == phrase {
            EQUALS_BONUS
        } else if name.contains(phrase) {
            PHRASE_BONUS
        } else {
            0.0
        };
        let whole_value = whole.get(&doc).copied().unwrap_or(0.0);
        let all_words = m.words as usize >= query_words;
        let meant = bonus > 0.0
            || whole_value >= MEANT_VALUE_WEIGHT
            || (all_words && m.weakest >= MEANT_WORD_WEIGHT);
        let tier = if query_words > 1 && meant {
            Tier::Meant
        } else {
            Tier::Words(m.words)
        };
        Hit {
            doc,
            score: m.sum + bonus + whole_value * WHOLE_VALUE_BONUS,
            field: self.fields[m.field as usize].name,
            name_words: name.split(' ').count().min(u16::MAX as usize) as u16,
            tier,
        }
    }

    /// Best (score, field) per document for one query word: exact, prefix, or within the typo
    /// budget.
    fn word_hits(&self, word: &str) -> HashMap<u32, (f32, u8)> {
        let mut hits: HashMap<u32, (f32, u8)> = HashMap::new();
        let add = |hits: &mut HashMap<u32, (f32, u8)>, list: &[(u32, u8)], quality: f32| {
            for &(doc, f) in list {
                let s = self.fields[f as usize].weight * quality;
                let e = hits.entry(doc).or_insert((0.0, f));
                if s > e.0 {
                    *e = (s, f);
                }
            }
        };
        if let Some(list) = self.postings.get(word) {
            add(&mut hits, list, EXACT);
        }
        // A plural finds its singular as written ("tucks" → "tuck", "stretches" → "stretch").
        for singular in singulars(word) {
            if let Some(list) = self.postings.get(singular) {
                add(&mut hits, list, EXACT);
            }
        }
        if word.len() >= 2 {
            for (w, list) in self.postings.range(word.to_owned()..) {
                if !w.starts_with(word) {
                    break;
                }
                if w != word {
                    add(&mut hits, list, PREFIX);
                }
            }
        }
        let len = word.chars().count();
        let budget = allowed_typos(len);
        // A word found as written (or as a prefix) needs no typo pass: that scan of the
        // vocabulary is most of a query's cost, and spelled words should not drift.
        if budget > 0 && hits.is_empty() {
            for l in len.saturating_sub(budget)..=len + budget {
                for w in self.by_len.get(&l).into_iter().flatten() {
                    if w != word && strsim::osa_distance(word, w) <= budget {
                        add(&mut hits, &self.postings[w], TYPO);
                    }
                }
            }
        }
        hits
    }
}

/// The singular forms a plural query word may stand for: without a final "s" (not "ss"),
/// and without a final "es"; only for words of 4 letters or more.
fn singulars(word: &str) -> impl Iterator<Item = &str> {
    let plural = word.len() >= 4 && word.ends_with('s') && !word.ends_with("ss");
    let s = plural.then(|| &word[..word.len() - 1]);
    let es = (plural && word.ends_with("es")).then(|| &word[..word.len() - 2]);
    s.into_iter().chain(es)
}

/// Sorts hits best first; between equal scores the shorter name, then the document number
/// (which callers make meaningful).
pub fn rank(hits: &mut [Hit]) {
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.name_words.cmp(&b.name_words))
            .then(a.doc.cmp(&b.doc))
    });
}

/// An autocomplete entry: the text shown and what it points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion<T> {
    pub text: String,
    pub target: T,
    /// A name rather than an alias: shown in preference when both match.
    pub primary: bool,
}

/// The first 8 bytes of `s` as a big-endian number (zero-padded): ordering these orders the
/// strings, except between strings that share the first 8 bytes.
fn head(s: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = s.len().min(8);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// Prefix index for autocomplete: every word-start suffix of every key ("single leg glute
/// bridge", "leg glute bridge", "glute bridge", "bridge") points to its key.
pub struct SuggestIndex<T> {
    keys: Vec<Suggestion<T>>,
    /// Each key's normalized text.
    norms: Vec<String>,
    /// Every word-start suffix of every key, as (its first 8 bytes, big-endian, zero-padded;
    /// key number; byte offset in the key), sorted by suffix, then key. The suffixes are not
    /// copied: they are slices of `norms`.
    starts: Vec<(u64, u32, u32)>,
}

impl<T: Clone + PartialEq> SuggestIndex<T> {
    pub fn new(keys: Vec<Suggestion<T>>) -> Self {
        let norms: Vec<String> = keys.iter().map(|k| normalize(&k.text)).collect();
        let mut starts: Vec<(u64, u32, u32)> = Vec::new();
        for (i, norm) in norms.iter().enumerate() {
            let mut pos = 0;
            for word in norm.split(' ') {
                starts.push((head(&norm[pos..]), i as u32, pos as u32));
                pos += word.len() + 1;
            }
        }
        // The heads decide most comparisons without reading the strings.
        starts.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| {
                    norms[a.1 as usize][a.2 as usize..].cmp(&norms[b.1 as usize][b.2 as usize..])
                })
                .then(a.1.cmp(&b.1))
        });
        SuggestIndex {
            keys,
            norms,
            starts,
        }
    }

    fn suffix(&self, &(_, key, at): &(u64, u32, u32)) -> &str {
        &self.norms[key as usize][at as usize..]
    }

    /// Up to `limit` suggestions whose key, or a word of it, starts with `prefix`: whole-key
    /// prefix matches first, names before aliases, then shorter keys, then alphabetical; one
    /// per target.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Vec<&Suggestion<T>> {
        let p = normalize(prefix);
        if p.is_empty() {
            return Vec::new();
        }
        // Bounded scan: enough candidates to rank (whole groups of equal suffixes), never the
        // whole index.
        let mut found: Vec<(bool, bool, usize, &str, u32)> = Vec::new();
        let from = self.starts.partition_point(|e| self.suffix(e) < p.as_str());
        let mut previous = None;
        for e in &self.starts[from..] {
            let suffix = self.suffix(e);
            if !suffix.starts_with(&p) || (found.len() >= 500 && previous != Some(suffix)) {
                break;
            }
            previous = Some(suffix);
            let (k, whole) = (e.1, e.2 == 0);
            let key = &self.keys[k as usize];
            found.push((!whole, !key.primary, key.text.len(), key.text.as_str(), k));
        }
        found.sort();
        let mut out: Vec<&Suggestion<T>> = Vec::new();
        for (_, _, _, _, k) in found {
            let s = &self.keys[k as usize];
            if !out.iter().any(|o| o.target == s.target) {
                out.push(s);
                if out.len() == limit {
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: Field = Field {
        name: "name",
        weight: 10.0,
    };
    const BODY: Field = Field {
        name: "description",
        weight: 1.0,
    };

    fn index() -> SearchIndex {
        let mut b = SearchIndexBuilder::default();
        b.add(
            0,
            [
                (NAME, "Clamshells"),
                (BODY, "Side-lying hip rotation with a band"),
            ],
        );
        b.add(
            1,
            [
                (NAME, "Hamstring stretch"),
                (BODY, "Lengthens the back of the thigh"),
            ],
        );
        b.add(
            2,
            [
                (NAME, "Side steps"),
                (BODY, "Band around the shins; step to the side"),
            ],
        );
        b.build()
    }

    fn ids(mut hits: Vec<Hit>) -> Vec<u32> {
        keep_best_tier(&mut hits);
        rank(&mut hits);
        hits.into_iter().map(|h| h.doc).collect()
    }

    #[test]
    fn exact_prefix_and_typo_matches() {
        let i = index();
        assert_eq!(ids(i.search("clamshells")), vec![0]);
        assert_eq!(ids(i.search("clam")), vec![0]);
        assert_eq!(ids(i.search("clamshel")), vec![0]);
        assert_eq!(ids(i.search("hamstirng")), vec![1]);
        assert_eq!(ids(i.search("CLAMSHELLS!")), vec![0]);
    }

    #[test]
    fn all_words_must_match_names_outrank_bodies_and_the_field_is_reported() {
        let i = index();
        let hits = i.search("side band");
        assert_eq!(ids(hits.clone()), vec![2, 0]);
        let side_steps = hits.iter().find(|h| h.doc == 2).unwrap();
        assert_eq!(side_steps.field, "name");
        let clam = hits.iter().find(|h| h.doc == 0).unwrap();
        assert_eq!(clam.field, "description");
        assert!(i.search("  !!! ").is_empty(), "punctuation matches nothing");
    }

    #[test]
    fn every_word_beats_some_words_and_unknown_words_do_not_empty_the_result() {
        let i = index();
        // Doc 0 has both words; doc 2 only "band": only doc 0 is kept.
        assert_eq!(ids(i.search("clamshells band")), vec![0]);
        // No document has both: the best partial matches, best first.
        assert_eq!(ids(i.search("clamshells hamstring")), vec![0, 1]);
        assert_eq!(ids(i.search("clamshells zzzzzz")), vec![0]);
        // A plural finds its singular.
        assert_eq!(ids(i.search("side step")), vec![2]);
        assert_eq!(ids(i.search("rotations")), vec![0]);
    }

    #[test]
    fn repeated_and_surplus_query_words_are_not_scored() {
        let i = index();
        let once = i.search("clamshells");
        let twice = i.search("clamshells clamshells");
        assert_eq!(once[0].tier, twice[0].tier, "a repeat is one word");
        assert!(twice[0].score <= once[0].score, "a repeat adds nothing");
        let many = format!("clamshells {}", "zzzzz ".repeat(50));
        assert_eq!(ids(i.search(&many)), vec![0]);
    }

    #[test]
    fn a_multi_word_query_held_whole_by_a_name_keeps_only_those_documents() {
        let mut b = SearchIndexBuilder::default();
        b.add(0, [(NAME, "Glute bridge"), (BODY, "Lift the hips")]);
        b.add(1, [(NAME, "Wall sit"), (BODY, "Glute and bridge work")]);
        let i = b.build();
        let hits = i.search("glute bridge");
        assert!(hits.iter().all(|h| h.doc == 1 || h.tier == Tier::Meant));
        assert_eq!(ids(hits), vec![0]);
    }

    #[test]
    fn short_words_get_no_typo_budget() {
        assert_eq!(allowed_typos(3), 0);
        assert_eq!(allowed_typos(4), 1);
        assert_eq!(allowed_typos(8), 2);
        assert!(index().search("bnd").is_empty());
    }

    #[test]
    fn suggestions_prefer_whole_key_prefixes_and_dedupe_targets() {
        let keys = vec![
            Suggestion {
                text: "Single leg glute bridge".into(),
                target: 1,
                primary: true,
            },
            Suggestion {
                text: "Glute bridge".into(),
                target: 2,
                primary: true,
            },
            Suggestion {
                text: "Gluteals".into(),
                target: 3,
                primary: true,
            },
            Suggestion {
                text: "glutes".into(),
                target: 3,
                primary: false,
            },
            Suggestion {
                text: "Calf raise".into(),
                target: 4,
                primary: true,
            },
        ];
        let idx = SuggestIndex::new(keys);
        let got: Vec<i32> = idx.suggest("glute", 10).iter().map(|s| s.target).collect();
        assert_eq!(got, vec![3, 2, 1]);
        assert_eq!(idx.suggest("glute", 1).len(), 1);
        assert!(idx.suggest("zz", 10).is_empty());
        assert!(idx.suggest("  ", 10).is_empty());
        assert_eq!(idx.suggest("BRI", 10).len(), 2);
    }
}
