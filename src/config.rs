//! `.dramalint.yaml`: found by walking up from each file. Unknown keys are errors.
//! Precedence, field by field: command line, then `--config`, then the nearest file.

use crate::rules::compile::PackError;
use crate::rules::{Lang, Prohibition, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The names dramalint looks for, nearest first.
pub const CONFIG_NAMES: &[&str] = &[".dramalint.yaml", ".dramalint.yml"];

/// A severity setting: a severity or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// Language choice for packs and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LangChoice {
    #[default]
    Auto,
    Zh,
    En,
}

impl LangChoice {
    pub fn lang(self) -> Option<Lang> {
        match self {
            LangChoice::Auto => None,
            LangChoice::Zh => Some(Lang::Zh),
            LangChoice::En => Some(Lang::En),
        }
    }
}

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Severity per rule id: `off`, `info`, `warning`, `error`.
    #[serde(default)]
    pub rules: BTreeMap<String, Level>,
    /// Severity per prohibition id (rules of that prohibition without their own setting).
    #[serde(default)]
    pub prohibitions: BTreeMap<Prohibition, Level>,
    /// Extra rule pack folders or files, relative to this file.
    #[serde(default)]
    pub packs: Vec<PathBuf>,
    /// Do not load the embedded default packs.
    #[serde(default)]
    pub no_default_rules: Option<bool>,
    /// Characters that are children, whatever the cues say.
    #[serde(default)]
    pub children: Vec<String>,
    /// Characters that are adults, whatever the cues say.
    #[serde(default)]
    pub adults: Vec<String>,
    /// Globs of files to skip, relative to this file.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// `zh`, `en` or `auto` (by the script's text).
    #[serde(default)]
    pub lang: Option<LangChoice>,
}

/// A loaded config and where it lives.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub config: Config,
}

impl Loaded {
    pub fn dir(&self) -> PathBuf {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

/// Read and check one config file.
pub fn load(path: &Path) -> Result<Loaded, Box<PackError>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Box::new(PackError::new(
            &name,
            "",
            0,
            0,
            format!("cannot read config: {e}"),
        ))
    })?;
    if text.len() > crate::rules::compile::MAX_PACK_BYTES {
        return Err(Box::new(PackError::new(
            &name,
            "",
            0,
            0,
            "config file too large".into(),
        )));
    }
    let config: Config = if text.trim().is_empty() {
        Config::default()
    } else {
        serde_yaml::from_str(&text).map_err(|e| {
            let offset = e.location().map(|l| l.index()).unwrap_or(0);
            let msg = e.to_string();
            let msg = msg
                .split(" at line ")
                .next()
                .unwrap_or(&msg)
                .trim()
                .to_string();
            Box::new(PackError::new(
                &name,
                &text,
                offset,
                1,
                format!("config: {msg}"),
            ))
        })?
    };
    if config.rules.keys().any(|k| k.trim().is_empty()) {
        return Err(Box::new(PackError::new(
            &name,
            &text,
            0,
            0,
            "empty rule id in `rules`".into(),
        )));
    }
    Ok(Loaded {
        path: Some(path.to_path_buf()),
        config,
    })
}

/// The nearest config file at or above `dir`.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        for n in CONFIG_NAMES {
            let p = d.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
        cur = d.parent();
    }
    None
}

/// Two configs merged: `hi` wins field by field, maps merge key by key.
pub fn merge(hi: &Config, lo: &Config) -> Config {
    let mut rules = lo.rules.clone();
    rules.extend(hi.rules.clone());
    let mut prohibitions = lo.prohibitions.clone();
    prohibitions.extend(hi.prohibitions.clone());
    let mut children = hi.children.clone();
    children.extend(lo.children.iter().cloned());
    let mut adults = hi.adults.clone();
    adults.extend(lo.adults.iter().cloned());
    Config {
        rules,
        prohibitions,
        packs: Vec::new(),
        no_default_rules: hi.no_default_rules.or(lo.no_default_rules),
        children,
        adults,
        ignore: Vec::new(),
        lang: hi.lang.or(lo.lang),
    }
}

/// The severity a rule runs at under this config (`None` = off).
pub fn effective_severity(
    cfg: &Config,
    rule: &str,
    prohibition: Option<Prohibition>,
    default: Severity,
) -> Option<Severity> {
    if let Some(l) = cfg.rules.get(rule) {
        return l.severity();
    }
    if let Some(l) = prohibition.and_then(|p| cfg.prohibitions.get(&p)) {
        return l.severity();
    }
    Some(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".dramalint.yaml");
        std::fs::write(&p, "lang: zh\ncolour: red\n").unwrap();
        let e = load(&p).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("colour"));
    }

    #[test]
    fn rule_beats_prohibition() {
        let cfg: Config = serde_yaml::from_str(
            "rules: {zh.extremity.slap: warning}\nprohibitions: {extremity: off}\n",
        )
        .unwrap();
        assert_eq!(
            effective_severity(
                &cfg,
                "zh.extremity.slap",
                Some(Prohibition::Extremity),
                Severity::Error
            ),
            Some(Severity::Warning)
        );
        assert_eq!(
            effective_severity(
                &cfg,
                "zh.extremity.kneel",
                Some(Prohibition::Extremity),
                Severity::Error
            ),
            None
        );
    }
}
