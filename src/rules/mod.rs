//! Rule packs: the YAML schema ([`schema`]), compilation into checked rules ([`compile`]), the
//! packs embedded in the binary, and loading packs from folders.

pub mod compile;
pub mod docs;
mod literals;
pub mod schema;
pub mod verify;

pub use compile::{PackError, Rule};
pub use schema::{Lang, Prohibition, ScopeKind, Severity, Who};

use std::path::Path;

/// One embedded default pack: its YAML (quoted by messages) and the JSON `build.rs` made from it
/// (what is parsed: ten times faster than YAML on every cold start).
macro_rules! pack {
    ($lang:literal, $name:literal) => {
        (
            concat!($lang, "/", $name, ".yaml"),
            include_str!(concat!("../../rules/", $lang, "/", $name, ".yaml")),
            include_str!(concat!(env!("OUT_DIR"), "/", $lang, "-", $name, ".json")),
        )
    };
}

/// The default packs as (name, YAML, JSON), embedded so `check` works with no files beside the
/// binary.
const EMBEDDED: &[(&str, &str, &str)] = &[
    pack!("zh", "adultification"),
    pack!("zh", "materialism"),
    pack!("zh", "vulgarity"),
    pack!("zh", "extremity"),
    pack!("zh", "instrumentalization"),
    pack!("en", "adultification"),
    pack!("en", "materialism"),
    pack!("en", "vulgarity"),
    pack!("en", "extremity"),
    pack!("en", "instrumentalization"),
];

/// The default packs' names and YAML texts.
pub const DEFAULT_PACKS: [(&str, &str); 10] = {
    let mut out = [("", ""); 10];
    let mut i = 0;
    while i < EMBEDDED.len() {
        out[i] = (EMBEDDED[i].0, EMBEDDED[i].1);
        i += 1;
    }
    out
};

/// Every loaded rule, ids unique.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The embedded default packs.
    pub fn defaults() -> Result<RuleSet, Box<PackError>> {
        use rayon::prelude::*;
        // Packs compile independently; only the id check needs them together.
        type Compiled<'a> = (String, &'a str, Result<Vec<Rule>, Box<PackError>>);
        let compiled: Vec<Compiled> = EMBEDDED
            .par_iter()
            .map(|(name, text, json)| {
                let path = format!("<default>/rules/{name}");
                let rules = match serde_json::from_str(json) {
                    Ok(pack) => compile::compile_parsed(&path, text, pack),
                    // The YAML parser says what is wrong, with the line.
                    Err(_) => compile::compile_pack(&path, text),
                };
                (path, *text, rules)
            })
            .collect();
        let mut set = RuleSet::default();
        for (path, text, rules) in compiled {
            set.insert(&path, text, rules?)?;
        }
        Ok(set)
    }

    /// Compile one pack's text and add its rules; a duplicate id is an error.
    pub fn add(&mut self, path: &str, text: &str) -> Result<(), Box<PackError>> {
        let rules = compile::compile_pack(path, text)?;
        self.insert(path, text, rules)
    }

    fn insert(&mut self, path: &str, text: &str, rules: Vec<Rule>) -> Result<(), Box<PackError>> {
        for r in rules {
            if let Some(prev) = self.rules.iter().find(|p| p.id == r.id) {
                let at = text.find(&r.id).unwrap_or(0);
                return Err(Box::new(PackError::new(
                    path,
                    text,
                    at,
                    r.id.len(),
                    format!(
                        "duplicate rule id `{}` (already defined in {})",
                        r.id, prev.origin
                    ),
                )));
            }
            self.rules.push(r);
        }
        Ok(())
    }

    /// Load every `*.yaml`/`*.yml` file under a folder (sorted, recursive).
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), Box<PackError>> {
        let display = dir.display().to_string();
        let meta = std::fs::metadata(dir).map_err(|e| {
            Box::new(PackError::new(
                &display,
                "",
                0,
                0,
                format!("rule pack folder cannot be read: {e}"),
            ))
        })?;
        if meta.is_file() {
            return self.add_file(dir);
        }
        let mut files = Vec::new();
        collect_yaml(dir, &mut files, 0);
        files.sort();
        for f in files {
            self.add_file(&f)?;
        }
        Ok(())
    }

    fn add_file(&mut self, f: &Path) -> Result<(), Box<PackError>> {
        let name = f.display().to_string();
        let bytes = std::fs::read(f).map_err(|e| {
            Box::new(PackError::new(
                &name,
                "",
                0,
                0,
                format!("cannot read rule pack: {e}"),
            ))
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Box::new(PackError::new(
                &name,
                "",
                0,
                0,
                format!(
                    "rule pack is not UTF-8 (byte {})",
                    e.utf8_error().valid_up_to()
                ),
            ))
        })?;
        self.add(&name, &text)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

fn collect_yaml(dir: &Path, out: &mut Vec<std::path::PathBuf>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => collect_yaml(&p, out, depth + 1),
            Ok(_) if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) => {
                out.push(p)
            }
            _ => {}
        }
    }
}
