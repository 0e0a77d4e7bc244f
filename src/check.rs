//! `check`: find the files, lint each one in parallel (a panic becomes that file's error), and
//! return per-file reports in a stable order. Nothing here prints.

use crate::cast::{self, Overrides};
use crate::config::{self, Config, Loaded};
use crate::engine::suppress;
use crate::engine::{Engine, LintOptions};
use crate::rules::compile::PackError;
use crate::rules::{Lang, Prohibition, RuleSet, Severity};
use crate::script::{self, LineIndex, Script, detect::SCRIPT_EXTENSIONS};
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Default largest script read; larger files are refused with a clear error.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

/// One reported problem, resolved for output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule id, message and help are the rule's own, shared by every diagnostic of the
    /// rule in a file: a file with many findings holds one copy of each.
    pub rule: Arc<str>,
    pub prohibition: Option<Prohibition>,
    pub severity: Severity,
    pub message: Arc<str>,
    pub help: Arc<str>,
    pub scene: Option<usize>,
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub character: Option<String>,
    pub excerpt: String,
}

/// The outcome for one file.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    pub path: String,
    pub format: Option<&'static str>,
    pub encoding: Option<&'static str>,
    pub scenes: usize,
    pub children: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub error: Option<String>,
    /// The decoded text, kept for rendering the human report.
    pub source: Option<Arc<String>>,
}

/// What `check` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub rules_dirs: Vec<PathBuf>,
    pub no_default_rules: bool,
    pub lang: Option<config::LangChoice>,
    pub min_severity: Option<Severity>,
    pub stdin_filename: Option<String>,
    pub jobs: Option<usize>,
    pub max_file_size: Option<u64>,
    /// Keep each file's text for rendering (the human report). Other formats drop it as soon
    /// as the file is linted, so memory does not grow with the corpus.
    pub keep_source: bool,
    /// Characters named child or adult on the command line.
    pub children: Vec<String>,
    pub adults: Vec<String>,
}

/// Everything one config file (or none) implies: the rules and how to apply them.
pub struct Setup {
    pub engine: Engine,
    pub config: Config,
    pub ignore: Option<globset::GlobSet>,
    pub base: PathBuf,
}

/// Build the engine for a config: defaults, `--rules`, and the config's pack folders.
pub fn setup(
    opts: &CheckOptions,
    cli_cfg: &Config,
    loaded: &Loaded,
) -> Result<Setup, Box<PackError>> {
    let cfg = config::merge(cli_cfg, &loaded.config);
    let mut set = if opts.no_default_rules || cfg.no_default_rules == Some(true) {
        RuleSet::default()
    } else {
        RuleSet::defaults()?
    };
    for d in &opts.rules_dirs {
        set.add_dir(d)?;
    }
    let base = loaded.dir();
    for p in &loaded.config.packs {
        let dir = base.join(p);
        if !dir.exists() {
            // Point at the config's `packs:` entry, not at the folder that is not there.
            let path = loaded
                .path
                .as_deref()
                .map(|c| c.display().to_string())
                .unwrap_or_default();
            let text = loaded
                .path
                .as_deref()
                .and_then(|c| std::fs::read_to_string(c).ok())
                .unwrap_or_default();
            let needle = p.display().to_string();
            let at = text
                .find(&needle)
                .or_else(|| text.find("packs"))
                .unwrap_or(0);
            return Err(Box::new(PackError::new(
                &path,
                &text,
                at,
                needle.len(),
                format!(
                    "`packs` names a folder that does not exist: {}",
                    dir.display()
                ),
            )));
        }
        set.add_dir(&dir)?;
    }
    let ignore = if loaded.config.ignore.is_empty() {
        None
    } else {
        let mut b = globset::GlobSetBuilder::new();
        for g in &loaded.config.ignore {
            let glob = globset::Glob::new(g).map_err(|e| {
                let path = loaded
                    .path
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let text = std::fs::read_to_string(loaded.path.as_deref().unwrap_or(Path::new("")))
                    .unwrap_or_default();
                let at = text.find(g.as_str()).unwrap_or(0);
                Box::new(PackError::new(
                    &path,
                    &text,
                    at,
                    g.len(),
                    format!("invalid ignore glob: {e}"),
                ))
            })?;
            b.add(glob);
        }
        b.build().ok()
    };
    let engine = Engine::new(set).map_err(|e| Box::new(PackError::new("<rules>", "", 0, 0, e)))?;
    Ok(Setup {
        engine,
        config: cfg,
        ignore,
        base,
    })
}

/// The outcome of a run.
pub struct Outcome {
    pub files: Vec<FileReport>,
}

/// A fatal problem before any file is linted (exit 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CheckError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Pack(#[from] Box<PackError>),
}

/// Files linted together before their reports are handed on: enough to keep every worker busy,
/// few enough that memory stays flat however many files a run has.
const CHUNK: usize = 256;

/// Lint everything the options name and collect the reports, sorted by path.
pub fn run(opts: &CheckOptions) -> Result<Outcome, CheckError> {
    let mut files = Vec::new();
    run_each(opts, |f| {
        files.push(f);
        ControlFlow::Continue(())
    })?;
    Ok(Outcome { files })
}

/// Lint everything the options name, handing each file's report to `each` in path order as
/// soon as its chunk is done (files of a chunk are linted in parallel). `each` returning
/// `Break` stops the run, e.g. when the reader of the output has gone.
pub fn run_each(
    opts: &CheckOptions,
    mut each: impl FnMut(FileReport) -> ControlFlow<()>,
) -> Result<(), CheckError> {
    let cli_cfg = Config {
        children: opts.children.clone(),
        adults: opts.adults.clone(),
        lang: opts.lang,
        ..Config::default()
    };
    let explicit = match &opts.config {
        Some(p) => Some(config::load(p)?),
        None => None,
    };
    // Every distinct nearest config gets one Setup; files share it.
    let setups: Mutex<HashMap<Option<PathBuf>, Arc<Setup>>> = Mutex::new(HashMap::new());
    let get_setup = |cfg_path: Option<PathBuf>| -> Result<Arc<Setup>, Box<PackError>> {
        if let Some(s) = setups.lock().map_err(|_| poisoned())?.get(&cfg_path) {
            return Ok(s.clone());
        }
        let nearest = match &cfg_path {
            Some(p) => config::load(p)?,
            None => Loaded::default(),
        };
        let loaded = match &explicit {
            // `--config` outranks the nearest file; its packs and ignores apply too.
            Some(x) => Loaded {
                path: x.path.clone(),
                config: Config {
                    packs: [x.config.packs.clone(), Vec::new()].concat(),
                    ignore: x.config.ignore.clone(),
                    ..config::merge(&x.config, &nearest.config)
                },
            },
            None => nearest,
        };
        let s = Arc::new(setup(opts, &cli_cfg, &loaded)?);
        setups
            .lock()
            .map_err(|_| poisoned())?
            .insert(cfg_path, s.clone());
        Ok(s)
    };

    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    for p in &paths {
        collect_inputs(p, &mut inputs, &mut errors);
    }
    inputs.sort();
    inputs.dedup();

    // Resolve setups before the parallel part so config errors stop the run (exit 2).
    let mut jobs: Vec<(PathBuf, Arc<Setup>)> = Vec::with_capacity(inputs.len());
    // Files of one folder share their nearest config: look it up once per folder, not once per
    // file (a catalogue of thousands of scripts would otherwise stat every ancestor each time).
    let mut nearest: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    for p in inputs {
        let cfg_path = if p.as_os_str() == "-" {
            std::env::current_dir()
                .ok()
                .and_then(|d| config::discover(&d))
        } else {
            p.parent().and_then(|d| {
                nearest
                    .entry(d.to_path_buf())
                    .or_insert_with(|| config::discover(&absolute(d)))
                    .clone()
            })
        };
        let s = get_setup(cfg_path)?;
        if let Some(globs) = &s.ignore {
            let rel = absolute(&p);
            let rel = rel
                .strip_prefix(absolute(&s.base))
                .unwrap_or(&rel)
                .to_path_buf();
            if globs.is_match(&rel) {
                continue;
            }
        }
        jobs.push((p, s));
    }
    if jobs.is_empty() && errors.is_empty() && opts.paths.iter().all(|p| p.as_os_str() != "-") {
        // Still check the rules load, so a broken pack is reported even with no scripts.
        get_setup(
            std::env::current_dir()
                .ok()
                .and_then(|d| config::discover(&d)),
        )?;
    }
    // Reports come out sorted by the path they show; a stable sort keeps the walk's order
    // among equal names, and unreadable paths from the walk slot in among them.
    let mut jobs: Vec<(String, PathBuf, Arc<Setup>)> = jobs
        .into_iter()
        .map(|(p, s)| (report_name(&p, opts), p, s))
        .collect();
    jobs.sort_by(|a, b| a.0.cmp(&b.0));
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    let mut errors = errors.into_iter().peekable();
    let pool = opts
        .jobs
        .filter(|&n| n > 0)
        .and_then(|n| rayon::ThreadPoolBuilder::new().num_threads(n).build().ok());
    let threads = pool
        .as_ref()
        .map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let lint_chunk = |chunk: &[(String, PathBuf, Arc<Setup>)]| -> Vec<FileReport> {
        chunk
            .par_iter()
            .map(|(name, p, s)| {
                let mut r = lint_path(name, p, s, opts);
                if !opts.keep_source || r.diagnostics.is_empty() {
                    r.source = None;
                }
                r
            })
            .collect()
    };
    // What every file needs and a run builds once (the rules' triggers, the cast lexicon and
    // regexes) is built on a spare worker while the first files are read and parsed: a one-file
    // run then pays for it in parallel with its work, not before it.
    let engines: Vec<Arc<Setup>> = {
        let mut v: Vec<Arc<Setup>> = Vec::new();
        for (_, _, s) in &jobs {
            if !v.iter().any(|x| Arc::ptr_eq(x, s)) {
                v.push(s.clone());
            }
        }
        v
    };
    if !jobs.is_empty() && threads > 1 {
        // In the order the first file needs them: the lexicon (its cast model), its language's
        // triggers and the patterns it will likely run (compiled on first use otherwise, one
        // after another in the middle of its lint); the cast regexes (a file compiles those
        // its gates need) and the other language's triggers only when more files follow. A
        // one-thread run builds each on first use instead, and nothing it does not need.
        let (first, first_setup) = (jobs[0].1.clone(), jobs[0].2.clone());
        let more = jobs.len() > 1;
        let warm = move || {
            cast::warm_lexicon();
            let text = head(&first, WARM_READ);
            let lang = first_lang(&text, &first_setup);
            for s in &engines {
                s.engine.warm_lang(lang);
            }
            crate::rules::compile::warm_patterns(&first_setup.engine.rules, lang, &text);
            if more {
                cast::warm_regexes();
                for s in &engines {
                    s.engine.warm(lang);
                }
            }
        };
        match &pool {
            Some(pool) => pool.spawn(warm),
            None => rayon::spawn(warm),
        }
    }
    let mut hand_on = || -> ControlFlow<()> {
        for chunk in jobs.chunks(CHUNK) {
            let reports = match &pool {
                Some(pool) => pool.install(|| lint_chunk(chunk)),
                None => lint_chunk(chunk),
            };
            for r in reports {
                while let Some(e) = errors.next_if(|e| e.path < r.path) {
                    each(e)?;
                }
                each(r)?;
            }
        }
        errors.try_for_each(&mut each)
    };
    // A `Break` only means the consumer stopped listening; that is not an error of the run.
    let _ = hand_on();
    // Freeing the rules and their automata takes a millisecond the caller need not wait for
    // (a one-file run ends first).
    let leftovers = (setups, jobs);
    rayon::spawn(move || drop(leftovers));
    Ok(())
}

/// Bytes of the first file the warm-up reads to guess what it will need.
const WARM_READ: u64 = 1 << 20;

/// The first `max` bytes of a file (nothing for stdin or an unreadable file), as UTF-8.
fn head(p: &Path, max: u64) -> String {
    let mut head = Vec::new();
    if p.as_os_str() != "-"
        && let Ok(f) = std::fs::File::open(p)
    {
        let _ = std::io::Read::read_to_end(&mut std::io::Read::take(f, max), &mut head);
    }
    String::from_utf8(head).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The language the first file is most likely in, from its config or its first 8 KB: the
/// warm-up builds that language's triggers first.
fn first_lang(text: &str, s: &Setup) -> Lang {
    if let Some(l) = s.config.lang.and_then(|l| l.lang()) {
        return l;
    }
    let cut = crate::script::lines::floor_char_boundary(text, 8192);
    crate::engine::detect_lang(&text[..cut])
}

/// The path a file's report shows.
fn report_name(p: &Path, opts: &CheckOptions) -> String {
    if p.as_os_str() == "-" {
        opts.stdin_filename.clone().unwrap_or_else(|| "-".into())
    } else {
        display(p)
    }
}

fn poisoned() -> Box<PackError> {
    Box::new(PackError::new(
        "<internal>",
        "",
        0,
        0,
        "lock poisoned".into(),
    ))
}

fn absolute(p: &Path) -> PathBuf {
    // A bare file name's parent is "", which `std::path::absolute` refuses: it is the current
    // folder (else config discovery would start nowhere).
    let p = if p.as_os_str().is_empty() {
        Path::new(".")
    } else {
        p
    };
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn display(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Files under a path: explicit files whatever their extension, folders walked with
/// .gitignore respected and only script extensions kept.
fn collect_inputs(p: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<FileReport>) {
    if p.as_os_str() == "-" {
        out.push(p.to_path_buf());
        return;
    }
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => out.push(p.to_path_buf()),
        Ok(m) if m.is_dir() => {
            let walker = ignore::WalkBuilder::new(p)
                .hidden(true)
                .follow_links(true)
                .require_git(false)
                .build();
            for entry in walker {
                match entry {
                    Ok(e) => {
                        let path = e.path();
                        let is_script =
                            path.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                                SCRIPT_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
                            });
                        if e.file_type().is_some_and(|t| t.is_file()) && is_script {
                            out.push(path.to_path_buf());
                        }
                    }
                    Err(err) => errors.push(error_report(
                        err_path(&err).unwrap_or_else(|| display(p)),
                        walk_error_text(&err),
                    )),
                }
            }
        }
        Ok(_) => errors.push(error_report(
            display(p),
            "not a regular file or folder".into(),
        )),
        Err(e) => {
            let msg = if std::fs::symlink_metadata(p).is_ok() {
                format!("broken symbolic link: {e}")
            } else {
                io_text(&e)
            };
            errors.push(error_report(display(p), msg))
        }
    }
}

fn err_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(display(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(display(child)),
        _ => None,
    }
}

fn walk_error_text(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_text(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop (back to {})", display(ancestor))
        }
        ignore::Error::Io(e) => io_text(e),
        other => other.to_string(),
    }
}

fn io_text(e: &std::io::Error) -> String {
    if e.raw_os_error() == Some(40) {
        return "symbolic link loop".into();
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

pub fn error_report(path: String, error: String) -> FileReport {
    FileReport {
        path,
        error: Some(error),
        ..FileReport::default()
    }
}

/// Read, parse and lint one input; `name` is the path its report shows.
fn lint_path(name: &str, p: &Path, s: &Setup, opts: &CheckOptions) -> FileReport {
    let is_stdin = p.as_os_str() == "-";
    let name = name.to_string();
    let limit = opts.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE);
    let bytes = if is_stdin {
        let mut buf = Vec::new();
        let r = std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin(), limit + 1),
            &mut buf,
        );
        match r {
            Ok(_) if buf.len() as u64 > limit => {
                return error_report(
                    name,
                    script::ParseError::TooLarge {
                        size: buf.len() as u64,
                        limit,
                    }
                    .to_string(),
                );
            }
            Ok(_) => buf,
            Err(e) => return error_report(name, io_text(&e)),
        }
    } else {
        match std::fs::metadata(p) {
            Ok(m) if m.len() > limit => {
                return error_report(
                    name,
                    script::ParseError::TooLarge {
                        size: m.len(),
                        limit,
                    }
                    .to_string(),
                );
            }
            Err(e) => return error_report(name, io_text(&e)),
            _ => {}
        }
        match std::fs::read(p) {
            Ok(b) => b,
            Err(e) => return error_report(name, io_text(&e)),
        }
    };
    let parse_name = if is_stdin {
        opts.stdin_filename
            .clone()
            .unwrap_or_else(|| "stdin.txt".into())
    } else {
        name.clone()
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lint_bytes(&name, &parse_name, &bytes, s, opts.min_severity)
    }));
    match result {
        Ok(r) => r,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            error_report(
                name,
                format!("internal error while linting (please report): {what}"),
            )
        }
    }
}

/// Parse and lint one file's bytes: the whole pure pipeline for one file.
pub fn lint_bytes(
    display_name: &str,
    parse_name: &str,
    bytes: &[u8],
    s: &Setup,
    min_severity: Option<Severity>,
) -> FileReport {
    let script = match script::parse_bytes(parse_name, bytes) {
        Ok(sc) => sc,
        Err(e) => return error_report(display_name.to_string(), e.to_string()),
    };
    let overrides = Overrides {
        children: s.config.children.clone(),
        adults: s.config.adults.clone(),
    };
    let cast = cast::build(&script, &overrides);
    let lang = s.config.lang.and_then(|l| l.lang());
    let diagnostics = diagnose(&script, &cast, &s.engine, &s.config, lang, min_severity);
    FileReport {
        path: display_name.to_string(),
        format: Some(script.format.as_str()),
        encoding: Some(script.encoding),
        scenes: script.headed_scenes(),
        children: cast.children().map(|c| c.name.clone()).collect(),
        diagnostics,
        error: None,
        source: Some(Arc::new(script.source)),
    }
}

/// Findings to diagnostics: config severities, suppressions, and line/column for output.
pub fn diagnose(
    script: &Script,
    cast: &cast::Cast,
    engine: &Engine,
    cfg: &Config,
    lang: Option<Lang>,
    min_severity: Option<Severity>,
) -> Vec<Diagnostic> {
    let findings = engine.lint(script, cast, &LintOptions { lang });
    let lines = LineIndex::new(&script.source);
    let mut sups = suppress::collect(script, &lines);
    let mut out = Vec::new();
    let mut cols = Columns::default();
    // Per rule reported in this file: its id, message and help, shared by its diagnostics.
    let mut texts: HashMap<usize, RuleTexts> = HashMap::new();
    for f in findings {
        let rule = &engine.rules[f.rule];
        let Some(sev) = config::effective_severity(cfg, &rule.id, rule.prohibition, rule.severity)
        else {
            continue;
        };
        let sev = if f.adults_only {
            f.severity
        } else {
            crate::engine::apply_shift(sev, f.shift)
        };
        let line = lines.line(f.span.start);
        let proh = rule.prohibition.map(|p| p.id());
        if let Some(s) = sups.iter_mut().find(|s| s.covers(&rule.id, proh, line)) {
            s.used = true;
            continue;
        }
        let shared = texts.entry(f.rule).or_insert_with(|| RuleTexts {
            rule: Arc::from(rule.id.as_str()),
            message: Arc::from(rule.message.as_str()),
            help: Arc::from(rule.help.as_str()),
        });
        out.push(make_diag(
            script,
            &lines,
            &mut cols,
            shared,
            rule.prohibition,
            sev,
            Some(f.scene),
            f.span,
            f.character,
        ));
    }
    let zh = lang.unwrap_or_else(|| crate::engine::detect_lang(&script.source)) == Lang::Zh;
    for s in &sups {
        let scene = scene_of(script, s.span.start);
        if s.reason.is_none() {
            let (m, h) = if zh {
                (
                    "抑制注释缺少理由",
                    "在规则名后写 `-- 理由`，说明为什么这里可以例外。",
                )
            } else {
                (
                    "suppression without a reason",
                    "add `-- reason` after the rule id, saying why this place is an exception",
                )
            };
            out.push(make_diag(
                script,
                &lines,
                &mut cols,
                &RuleTexts::new("dramalint.suppression.no-reason", m, h),
                None,
                Severity::Warning,
                scene,
                s.span.clone(),
                None,
            ));
        }
        if !s.used {
            let (m, h) = if zh {
                (
                    "抑制注释没有抑制任何问题",
                    "删除这条注释，或检查规则名是否写对。",
                )
            } else {
                (
                    "suppression suppresses nothing",
                    "remove the comment, or check the rule id",
                )
            };
            out.push(make_diag(
                script,
                &lines,
                &mut cols,
                &RuleTexts::new("dramalint.suppression.unused", m, h),
                None,
                Severity::Warning,
                scene,
                s.span.clone(),
                None,
            ));
        }
    }
    if let Some(min) = min_severity {
        out.retain(|d| d.severity >= min);
    }
    out.sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
    out
}

fn scene_of(script: &Script, offset: usize) -> Option<usize> {
    script
        .scenes
        .iter()
        .rev()
        .find(|s| {
            s.span.start <= offset
                && (s.index == 0 || s.span.end > offset || s.span.start == offset)
        })
        .map(|s| s.index)
        .or(Some(0))
}

/// Line and character column of offsets that mostly come in increasing order: counting
/// resumes from the previous offset on the same line, so many findings on one long line cost
/// one pass over it, not one each.
#[derive(Default)]
struct Columns {
    line: usize,
    offset: usize,
    col: usize,
}

impl Columns {
    fn at(&mut self, src: &str, lines: &LineIndex, offset: usize) -> (usize, usize) {
        let offset = crate::script::lines::floor_char_boundary(src, offset);
        let line = lines.line(offset);
        if line != self.line || offset < self.offset {
            let (l, c) = lines.line_col(src, offset);
            *self = Columns {
                line: l,
                offset,
                col: c,
            };
            return (l, c);
        }
        self.col += src
            .get(self.offset..offset)
            .map_or(0, |t| t.chars().count());
        self.offset = offset;
        (line, self.col)
    }
}

/// The span's line; for a very long line, up to 100 characters either side of the span.
fn excerpt(src: &str, line: std::ops::Range<usize>, span: &Range<usize>) -> String {
    if line.len() <= 1200 {
        return src.get(line).unwrap_or("").trim().to_string();
    }
    let start = span.start.clamp(line.start, line.end);
    let end = span.end.clamp(start, line.end.max(start));
    let before: Vec<(usize, char)> = src
        .get(line.start..start)
        .unwrap_or("")
        .char_indices()
        .rev()
        .take(100)
        .collect();
    let from = before.last().map_or(start, |&(i, _)| line.start + i);
    let to = src
        .get(end..line.end)
        .unwrap_or("")
        .char_indices()
        .nth(100)
        .map_or(line.end, |(i, _)| end + i);
    src.get(from..to).unwrap_or("").trim().to_string()
}

/// A rule's id, message and help, as its diagnostics share them.
struct RuleTexts {
    rule: Arc<str>,
    message: Arc<str>,
    help: Arc<str>,
}

impl RuleTexts {
    fn new(rule: &str, message: &str, help: &str) -> RuleTexts {
        RuleTexts {
            rule: Arc::from(rule),
            message: Arc::from(message),
            help: Arc::from(help),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn make_diag(
    script: &Script,
    lines: &LineIndex,
    cols: &mut Columns,
    texts: &RuleTexts,
    prohibition: Option<Prohibition>,
    severity: Severity,
    scene: Option<usize>,
    span: Range<usize>,
    character: Option<String>,
) -> Diagnostic {
    let src = &script.source;
    let (line, column) = cols.at(src, lines, span.start);
    let (end_line, end_column) = if lines.line(span.end) == line {
        (
            line,
            column + src.get(span.clone()).map_or(0, |t| t.chars().count()),
        )
    } else {
        lines.line_col(src, span.end)
    };
    let excerpt = excerpt(src, lines.line_span(src, line), &span);
    Diagnostic {
        rule: texts.rule.clone(),
        prohibition,
        severity,
        message: texts.message.clone(),
        help: texts.help.clone(),
        scene,
        span,
        line,
        column,
        end_line,
        end_column,
        character,
        excerpt,
    }
}
