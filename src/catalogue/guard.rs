//! What a catalogue file must not be, beyond its schema (findings h9, h10): a file that is not
//! a regular file or is too large, a byte-order mark, a key repeated in an object (JSON
//! parsers keep the last one silently: a second `sources` array replaced the licences), ids
//! that are also route segments, names with nothing visible in them, and aliases equal to
//! another entry's name. Pure functions returning problems with their paths.

use std::io::Read;
use std::path::Path;

use super::load::{CatalogueErrors, Problem};
use super::model::CatalogueDocument;
use super::text::normalize;

/// Largest catalogue file accepted, in bytes. A generated catalogue of 100,000 exercises is
/// 142 MiB; this leaves room while refusing `/dev/zero`-like inputs early.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Literal path segments of the API's routes. An id equal to one would be shadowed by, or
/// shadow, a route: a routine `generate` was listed but its URL answered 405.
pub const RESERVED_IDS: [&str; 5] = ["generate", "alternatives", "exercises", "suggest", "export"];

/// Reads a catalogue file: it must be a regular file (a FIFO would block start-up, a device
/// could be endless) of at most [`MAX_FILE_BYTES`]. The error is a sentence for the user.
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    // `metadata` does not open the file, so a FIFO without a writer cannot block here.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file (a catalogue must be a JSON file)".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow after `metadata`: read one byte past the limit to notice.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(bytes: u64) -> String {
    format!(
        "the file is {bytes} bytes; at most {} MiB are accepted",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// [`raw`] as the loader's error: these problems stop loading before the parse.
pub fn check_raw(bytes: &[u8]) -> Result<(), CatalogueErrors> {
    let problems = raw(bytes);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CatalogueErrors(problems))
    }
}

/// Problems visible in the raw bytes: a byte-order mark, and keys repeated in an object (each
/// with the path of the object). Malformed JSON is left to the parser.
pub fn raw(bytes: &[u8]) -> Vec<Problem> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return vec![Problem {
            path: String::new(),
            message: "the file starts with a byte-order mark (BOM); save it as UTF-8 without one"
                .into(),
        }];
    }
    let mut scan = Scan {
        bytes,
        at: 0,
        stack: Vec::new(),
        problems: Vec::new(),
    };
    scan.skip_ws();
    let _ = scan.value();
    scan.problems
}

/// One level of nesting: an object (its keys so far, and the current one) or an array (the
/// current index).
enum Level<'a> {
    Object {
        keys: Vec<&'a [u8]>,
        current: &'a [u8],
    },
    Array(usize),
}

/// A minimal JSON scanner that only looks at object keys. It stops at the first thing it
/// does not understand (`None`), leaving the error to the real parser.
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
    stack: Vec<Level<'a>>,
    problems: Vec<Problem>,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string().map(|_| ()),
            _ => {
                // A number, true, false or null: up to the next delimiter.
                while !matches!(
                    self.peek()?,
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                ) {
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    /// The raw bytes of a string (escapes left as written), the cursor after its quote.
    fn string(&mut self) -> Option<&'a [u8]> {
        self.at += 1;
        let start = self.at;
        loop {
            match self.bytes.get(self.at)? {
                b'"' => break,
                b'\\' => self.at += 2,
                _ => self.at += 1,
            }
        }
        let s = &self.bytes[start..self.at];
        self.at += 1;
        Some(s)
    }

    fn object(&mut self) -> Option<()> {
        self.at += 1;
        self.stack.push(Level::Object {
            keys: Vec::new(),
            current: b"",
        });
        self.skip_ws();
        if self.peek()? == b'}' {
            self.at += 1;
            self.stack.pop();
            return Some(());
        }
        loop {
            self.skip_ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.key(key);
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            self.skip_ws();
            self.value()?;
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    self.stack.pop();
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Records `key` in the current object, reporting it if it is there already.
    fn key(&mut self, key: &'a [u8]) {
        let Some(Level::Object { keys, current }) = self.stack.last_mut() else {
            return;
        };
        *current = key;
        if keys.contains(&key) {
            let path = self.path();
            self.problems.push(Problem {
                path,
                message: format!(
                    "the key \"{}\" appears more than once in this object (only one may be given)",
                    String::from_utf8_lossy(key)
                ),
            });
        } else if let Some(Level::Object { keys, .. }) = self.stack.last_mut() {
            keys.push(key);
        }
    }

    fn array(&mut self) -> Option<()> {
        self.at += 1;
        self.stack.push(Level::Array(0));
        self.skip_ws();
        if self.peek()? == b']' {
            self.at += 1;
            self.stack.pop();
            return Some(());
        }
        loop {
            self.skip_ws();
            self.value()?;
            self.skip_ws();
            match self.peek()? {
                b',' => {
                    self.at += 1;
                    if let Some(Level::Array(i)) = self.stack.last_mut() {
                        *i += 1;
                    }
                }
                b']' => {
                    self.at += 1;
                    self.stack.pop();
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The path of the current key, e.g. `exercises[3].targets.primary` (made only for a
    /// problem).
    fn path(&self) -> String {
        let mut path = String::new();
        for level in &self.stack {
            match level {
                Level::Object { current, .. } => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&String::from_utf8_lossy(current));
                }
                Level::Array(i) => path.push_str(&format!("[{i}]")),
            }
        }
        path
    }
}

/// Problems of the parsed document that its schema cannot express: reserved ids, names
/// without a visible character, aliases equal to another entry's name.
pub fn document(doc: &CatalogueDocument) -> Vec<Problem> {
    let mut problems = Vec::new();
    let collections: [(&str, Vec<Entry<'_>>); 6] = [
        (
            "sources",
            doc.sources
                .iter()
                .map(|s| entry(&s.id, &s.name, &[]))
                .collect(),
        ),
        (
            "equipment",
            doc.equipment
                .iter()
                .map(|e| entry(&e.id, &e.name, &[]))
                .collect(),
        ),
        (
            "muscles",
            doc.muscles
                .iter()
                .map(|m| entry(&m.id, &m.name, &m.aliases))
                .collect(),
        ),
        (
            "exercises",
            doc.exercises
                .iter()
                .map(|e| entry(&e.id, &e.name, &e.aliases))
                .collect(),
        ),
        (
            "routines",
            doc.routines
                .iter()
                .map(|r| entry(&r.id, &r.name, &[]))
                .collect(),
        ),
        (
            "conditions",
            doc.conditions
                .iter()
                .map(|c| entry(&c.id, &c.name, &c.aliases))
                .collect(),
        ),
    ];
    for (name, entries) in &collections {
        reserved_ids(name, entries, &mut problems);
        visible_names(name, entries, &mut problems);
        aliases_not_names(name, entries, &mut problems);
    }
    problems
}

struct Entry<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [String],
}

fn entry<'a>(id: &'a str, name: &'a str, aliases: &'a [String]) -> Entry<'a> {
    Entry { id, name, aliases }
}

fn reserved_ids(collection: &str, entries: &[Entry<'_>], problems: &mut Vec<Problem>) {
    for (i, e) in entries.iter().enumerate() {
        if RESERVED_IDS.contains(&e.id) {
            problems.push(Problem {
                path: format!("{collection}[{i}].id"),
                message: format!(
                    "\"{}\" is reserved: it is a segment of the API's routes (reserved: {})",
                    e.id,
                    RESERVED_IDS.join(", ")
                ),
            });
        }
    }
}

/// A name must contain a letter or digit: one of only zero-width or other invisible
/// characters passes "non-empty" but shows nothing.
fn visible_names(collection: &str, entries: &[Entry<'_>], problems: &mut Vec<Problem>) {
    for (i, e) in entries.iter().enumerate() {
        if !e.name.is_empty() && !e.name.chars().any(char::is_alphanumeric) {
            problems.push(Problem {
                path: format!("{collection}[{i}].name"),
                message: "must contain a visible letter or digit".into(),
            });
        }
    }
}

/// An alias equal (normalized) to another entry's name would make a search or a lookup by
/// that text ambiguous.
fn aliases_not_names(collection: &str, entries: &[Entry<'_>], problems: &mut Vec<Problem>) {
    if entries.iter().all(|e| e.aliases.is_empty()) {
        return;
    }
    let names: std::collections::HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (normalize(e.name), i))
        .collect();
    for (i, e) in entries.iter().enumerate() {
        for (k, alias) in e.aliases.iter().enumerate() {
            if let Some(&j) = names.get(&normalize(alias))
                && j != i
            {
                problems.push(Problem {
                    path: format!("{collection}[{i}].aliases[{k}]"),
                    message: format!(
                        "alias \"{alias}\" is the name of {collection}[{j}] (\"{}\")",
                        entries[j].name
                    ),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_found_anywhere_with_their_path() {
        let doc = br#"{"sources": [], "a": {"x": [1, {"k": 1, "k": "\"}"}]}, "sources": []}"#;
        let found: Vec<String> = raw(doc).iter().map(|p| p.to_string()).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("a.x[1].k: the key \"k\""), "{found:?}");
        assert!(
            found[1].starts_with("sources: the key \"sources\""),
            "{found:?}"
        );
        assert!(raw(br#"{"a": {"b": 1}, "b": {"a": [{"a": 1}, {"a": 2}]}}"#).is_empty());
    }

    #[test]
    fn a_bom_is_named() {
        let problems = raw(b"\xEF\xBB\xBF{}");
        assert!(problems[0].message.contains("byte-order mark"));
    }

    #[test]
    fn malformed_json_is_left_to_the_parser() {
        assert!(raw(br#"{"a": [1, 2"#).is_empty());
        assert!(raw(b"").is_empty());
    }
}
