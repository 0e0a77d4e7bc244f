//! Command-line interface: argument parsing and the commands. `main.rs` only calls [`main`].

use crate::check::{self, CheckOptions, FileReport};
use crate::config::LangChoice;
use crate::engine::Engine;
use crate::report::Tally;
use crate::report::stream::{Kind, Streamer};
use crate::rules::{RuleSet, Severity};
use crate::{cast, report, script};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "dramalint",
    version,
    about = "Child-protection linter for micro-drama scripts"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint scripts: files and folders (default: the current folder); `-` reads standard input.
    Check(CheckArgs),
    /// Rule packs: list them, explain one, or run their examples.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Print the parsed structure of one script: scenes, elements, characters and children.
    Scenes {
        /// The script (`-` for standard input).
        file: String,
        #[arg(long, value_enum, default_value_t = ScenesFormat::Human)]
        format: ScenesFormat,
        /// File name used to pick the format when reading standard input.
        #[arg(long)]
        stdin_filename: Option<String>,
    },
}

/// Where rules come from.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct PackArgs {
    /// Extra rule pack folder or file (repeatable).
    #[arg(long = "rules", value_name = "DIR", global = true)]
    pub rules: Vec<PathBuf>,
    /// Do not load the packs embedded in the binary.
    #[arg(long, global = true)]
    pub no_default_rules: bool,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files and folders to lint; `-` for standard input.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// A config file, outranking the nearest `.dramalint.yaml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub packs: PackArgs,
    /// Rule packs and messages: zh, en, or auto (by each script's text).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Lowest severity shown.
    #[arg(long, value_enum, default_value_t = SeverityArg::Warning)]
    pub min_severity: SeverityArg,
    /// Lowest severity that makes the exit code 1 (`never`: always 0 unless an error).
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// File name (for the format and config lookup) of standard input.
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// Worker threads (default: one per core). Output is the same for any value.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Write the report here (atomically: a temporary file, then a rename).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Largest script read, in bytes; larger files are reported as errors.
    #[arg(long, default_value_t = check::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Treat this character as a child (repeatable).
    #[arg(long = "child", value_name = "NAME")]
    pub children: Vec<String>,
    /// Treat this character as an adult (repeatable).
    #[arg(long = "adult", value_name = "NAME")]
    pub adults: Vec<String>,
    /// Colour: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// List every loaded rule.
    List,
    /// Print every distinct literal keyword of the loaded rules, one a line (a word list for
    /// other tools, and what `scripts/bench-vs-rg.sh` gives ripgrep).
    Keywords,
    /// Explain one rule: message, help, examples, and the prohibition it enforces.
    Explain { id: String },
    /// Run every rule's examples (those of DIR only, when given) and report noisy and missing cases.
    Test { dir: Option<PathBuf> },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    Jsonl,
    Sarif,
    Github,
    Html,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
    Auto,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SeverityArg {
    Info,
    Warning,
    Error,
}

impl SeverityArg {
    fn severity(self) -> Severity {
        match self {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    Info,
    Warning,
    Error,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ScenesFormat {
    Human,
    Json,
}

/// Exit codes (DESIGN.md).
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(run(cli))
}

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => run_check(args),
        Command::Rules { command, packs } => run_rules(command, &packs),
        Command::Scenes {
            file,
            format,
            stdin_filename,
        } => scenes(&file, format, stdin_filename.as_deref()),
    }
}

/// Read a path, or standard input for `-`.
pub fn read_input(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(path)
    }
}

fn scenes(file: &str, format: ScenesFormat, stdin_name: Option<&str>) -> u8 {
    let bytes = match read_input(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {file}: {e}");
            return EXIT_ERROR;
        }
    };
    let name = if file == "-" {
        stdin_name.unwrap_or("stdin.txt")
    } else {
        file
    };
    let script = match script::parse_bytes(name, &bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {file}: {e}");
            return EXIT_ERROR;
        }
    };
    let cast = cast::build(&script, &cast::Overrides::default());
    let out = match format {
        ScenesFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&report::scenes::to_json(name, &script, &cast))
                    .unwrap_or_default();
            s.push('\n');
            s
        }
        ScenesFormat::Human => report::scenes::to_human(name, &script, &cast),
    };
    write_stdout(out.as_bytes())
}

/// Write to stdout; a closed pipe is not an error.
pub fn write_stdout(bytes: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error: writing output: {e}");
            EXIT_ERROR
        }
    }
}

fn print_error(e: &dyn miette::Diagnostic) {
    let handler = miette::GraphicalReportHandler::new_themed(if use_color(ColorArg::Auto, true) {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    });
    let mut s = String::new();
    if handler.render_report(&mut s, e).is_ok() {
        eprint!("{s}");
    }
    eprintln!("error: {e}");
}

/// Colour only on a terminal, never with NO_COLOR set.
fn use_color(choice: ColorArg, stderr: bool) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && if stderr {
                    std::io::stderr().is_terminal()
                } else {
                    std::io::stdout().is_terminal()
                }
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w: &usize| w >= 40)
        .unwrap_or(100)
}

fn run_check(args: CheckArgs) -> u8 {
    let opts = CheckOptions {
        paths: args.paths.clone(),
        config: args.config.clone(),
        rules_dirs: args.packs.rules.clone(),
        no_default_rules: args.packs.no_default_rules,
        lang: args.lang.map(|l| match l {
            LangArg::Zh => LangChoice::Zh,
            LangArg::En => LangChoice::En,
            LangArg::Auto => LangChoice::Auto,
        }),
        min_severity: Some(args.min_severity.severity()),
        stdin_filename: args.stdin_filename.clone(),
        jobs: args.jobs,
        max_file_size: Some(args.max_file_size),
        children: args.children.clone(),
        adults: args.adults.clone(),
        keep_source: args.format == OutputFormat::Human,
    };
    if let Some(out) = &args.output
        && let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        eprintln!(
            "error: --output {}: folder {} does not exist",
            out.display(),
            parent.display()
        );
        return EXIT_ERROR;
    }
    let to_file = args.output.is_some();
    let kind = match args.format {
        OutputFormat::Human => Kind::Human {
            color: !to_file && use_color(args.color, false),
            width: terminal_width(),
        },
        OutputFormat::Json => Kind::Json,
        OutputFormat::Jsonl => Kind::Jsonl,
        OutputFormat::Sarif => Kind::Sarif,
        OutputFormat::Github => Kind::Github,
        OutputFormat::Html => Kind::Html,
    };
    // SARIF describes every default rule, not only those that fired.
    let engine = (kind == Kind::Sarif)
        .then(|| RuleSet::defaults().ok().and_then(|s| Engine::new(s).ok()))
        .flatten();
    let mut streamer = Streamer::new(kind, engine.as_ref());
    let mut sink = match Sink::open(args.output.as_deref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    // Unreadable files are also named on stderr, after the report, so a JSON report on stdout
    // stays machine-readable.
    let mut unreadable: Vec<String> = Vec::new();
    // The report starts with the first file: a broken pack or config stops the run before any
    // file, and then nothing but the error is printed.
    let mut started = false;
    let ran = check::run_each(&opts, |f| {
        if !started {
            started = true;
            sink.write(&streamer.start())?;
        }
        if let Some(e) = &f.error {
            unreadable.push(format!("error: {}: {e}", f.path));
        }
        sink.with(|out| streamer.file(&f, out))
    });
    if let Err(e) = ran {
        sink.abandon();
        print_error(&e);
        return EXIT_ERROR;
    }
    if !started {
        let _ = sink.write(&streamer.start());
    }
    let _ = sink.write(&streamer.finish());
    let write = sink.close();
    if write != EXIT_OK {
        return write;
    }
    if args.format != OutputFormat::Human || to_file {
        for line in &unreadable {
            eprintln!("{line}");
        }
    }
    exit_code_of(streamer.tally(), args.fail_on)
}

/// Where a streamed report goes: standard output, or a temporary file beside `--output` that
/// replaces it only once the report is complete (an interrupted run leaves the old one).
enum Sink {
    Stdout {
        /// Buffered: a report is written in many small pieces, and standard output alone
        /// would write each line as it comes. Flushed after every file.
        out: std::io::BufWriter<std::io::StdoutLock<'static>>,
        failed: Option<std::io::Error>,
    },
    File {
        tmp: std::path::PathBuf,
        path: std::path::PathBuf,
        out: std::io::BufWriter<std::fs::File>,
        failed: Option<std::io::Error>,
    },
}

impl Sink {
    fn open(output: Option<&std::path::Path>) -> Result<Sink, u8> {
        let Some(path) = output else {
            return Ok(Sink::Stdout {
                out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
                failed: None,
            });
        };
        let tmp = temp_beside(path);
        match std::fs::File::create(&tmp) {
            Ok(f) => Ok(Sink::File {
                tmp,
                path: path.to_path_buf(),
                out: std::io::BufWriter::new(f),
                failed: None,
            }),
            Err(e) => {
                eprintln!("error: --output {}: {e}", path.display());
                Err(EXIT_ERROR)
            }
        }
    }

    /// Write one piece; `Break` once writing has failed (a closed pipe, a full disk).
    fn write(&mut self, text: &str) -> ControlFlow<()> {
        self.with(|out| out.write_all(text.as_bytes()))
    }

    /// Let `write` write one file's part; `Break` once writing has failed. Standard output
    /// is flushed after each part, so a reader sees each file as soon as it is done.
    fn with(
        &mut self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> ControlFlow<()> {
        let (out, failed, flush): (&mut dyn Write, _, _) = match self {
            Sink::Stdout { out, failed } => (out, failed, true),
            Sink::File { out, failed, .. } => (out, failed, false),
        };
        if failed.is_some() {
            return ControlFlow::Break(());
        }
        let done = write(&mut *out).and_then(|()| if flush { out.flush() } else { Ok(()) });
        match done {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                *failed = Some(e);
                ControlFlow::Break(())
            }
        }
    }

    /// Drop a half-written temporary file.
    fn abandon(self) {
        if let Sink::File { tmp, out, .. } = self {
            drop(out);
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Flush, and move a finished file into place.
    fn close(self) -> u8 {
        match self {
            Sink::Stdout { mut out, failed } => {
                match failed.map_or_else(|| out.flush(), Err) {
                    Ok(()) => EXIT_OK,
                    // The reader has gone (`| head`): not an error of ours.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
                    Err(e) => {
                        eprintln!("error: writing output: {e}");
                        EXIT_ERROR
                    }
                }
            }
            Sink::File {
                tmp,
                path,
                out,
                failed,
            } => {
                let done = match failed {
                    Some(e) => Err(e),
                    None => out
                        .into_inner()
                        .map_err(|e| e.into_error())
                        .and_then(|f| f.sync_all())
                        .and_then(|_| std::fs::rename(&tmp, &path)),
                };
                match done {
                    Ok(()) => EXIT_OK,
                    Err(e) => {
                        let _ = std::fs::remove_file(&tmp);
                        eprintln!("error: --output {}: {e}", path.display());
                        EXIT_ERROR
                    }
                }
            }
        }
    }
}

fn temp_beside(path: &std::path::Path) -> std::path::PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    dir.join(format!(".{name}.dramalint-{}.tmp", std::process::id()))
}

/// 2 when a file could not be read, else 1 when a finding reaches `--fail-on`, else 0.
pub fn exit_code(files: &[FileReport], fail_on: FailOn) -> u8 {
    exit_code_of(&Tally::of(files), fail_on)
}

/// [`exit_code`] from a run's totals.
pub fn exit_code_of(t: &Tally, fail_on: FailOn) -> u8 {
    if t.errors > 0 {
        return EXIT_ERROR;
    }
    let reached = match fail_on {
        FailOn::Never => return EXIT_OK,
        FailOn::Info => t.diagnostics,
        FailOn::Warning => t.severity(Severity::Error) + t.severity(Severity::Warning),
        FailOn::Error => t.severity(Severity::Error),
    };
    if reached > 0 { EXIT_FINDINGS } else { EXIT_OK }
}

fn load_rules(packs: &PackArgs) -> Result<RuleSet, Box<crate::rules::PackError>> {
    let mut set = if packs.no_default_rules {
        RuleSet::default()
    } else {
        RuleSet::defaults()?
    };
    for d in &packs.rules {
        set.add_dir(d)?;
    }
    Ok(set)
}

fn run_rules(cmd: RulesCommand, packs: &PackArgs) -> u8 {
    let set = match &cmd {
        RulesCommand::Test { dir: Some(d) } => {
            // Only the given folder's packs are loaded and tested.
            let mut own = RuleSet::default();
            if let Err(e) = own.add_dir(d) {
                print_error(&*e);
                return EXIT_ERROR;
            }
            own
        }
        _ => match load_rules(packs) {
            Ok(s) => s,
            Err(e) => {
                print_error(&*e);
                return EXIT_ERROR;
            }
        },
    };
    match cmd {
        RulesCommand::List => {
            let mut out = String::new();
            for r in &set.rules {
                out.push_str(&format!(
                    "{:<44} {:<20} {:<8} {}\n",
                    r.id,
                    r.prohibition.map_or("-", |p| p.id()),
                    r.severity.as_str(),
                    r.message
                ));
            }
            out.push_str(&format!("{} rules\n", set.rules.len()));
            write_stdout(out.as_bytes())
        }
        RulesCommand::Keywords => {
            let mut seen = std::collections::HashSet::new();
            let mut out = String::new();
            for k in set.rules.iter().flat_map(|r| &r.keywords) {
                let k = k.trim();
                if !k.is_empty() && seen.insert(k) {
                    out.push_str(k);
                    out.push('\n');
                }
            }
            write_stdout(out.as_bytes())
        }
        RulesCommand::Explain { id } => match set.get(&id) {
            Some(r) => write_stdout(explain(r).as_bytes()),
            None => {
                eprintln!("error: no rule `{id}` (see `dramalint rules list`)");
                EXIT_ERROR
            }
        },
        RulesCommand::Test { .. } => {
            let engine = match Engine::new(set) {
                Ok(e) => e,
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_ERROR;
                }
            };
            let (failures, count) = crate::rules::verify::run(&engine);
            let mut out = String::new();
            for f in &failures {
                out.push_str(&format!(
                    "{} {} ({}): {}\n",
                    f.kind,
                    f.rule,
                    f.origin,
                    f.example.replace('\n', "⏎")
                ));
            }
            out.push_str(&format!(
                "{} passed, {} failed\n",
                count - failures.len(),
                failures.len()
            ));
            let code = write_stdout(out.as_bytes());
            if failures.is_empty() {
                code
            } else {
                EXIT_FINDINGS
            }
        }
    }
}

/// `rules explain`: everything a writer needs to understand one rule.
pub fn explain(r: &crate::rules::Rule) -> String {
    let mut s = format!("{}\n", r.id);
    if let Some(p) = r.prohibition {
        s.push_str(&format!(
            "prohibition: {} · {} · {}\n  {}\n",
            p.id(),
            p.zh(),
            p.en(),
            p.text()
        ));
    }
    s.push_str(&format!(
        "severity: {}\npack: {} ({})\n\nmessage: {}\nhelp: {}\n",
        r.severity.as_str(),
        r.pack,
        r.origin,
        r.message,
        r.help
    ));
    if let Some(d) = &r.description {
        s.push_str(&format!("\n{d}\n"));
    }
    if !r.sources.is_empty() {
        s.push_str("\nsources:\n");
        for src in &r.sources {
            s.push_str(&format!("  - {src}\n"));
        }
    }
    let who: Vec<&str> = r.who.iter().map(|w| w.as_str()).collect();
    s.push_str(&format!(
        "\nwho: {}\nkeywords: {}\n",
        who.join(", "),
        r.keywords.join(", ")
    ));
    if !r.patterns.is_empty() {
        s.push_str(&format!(
            "patterns: {}\n",
            r.patterns
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join("  ")
        ));
    }
    s.push_str("\nfires on:\n");
    for e in &r.examples.invalid {
        s.push_str(&format!("  ✗ {}\n", e.replace('\n', "\n    ")));
    }
    s.push_str("does not fire on:\n");
    for e in &r.examples.valid {
        s.push_str(&format!("  ✓ {}\n", e.replace('\n', "\n    ")));
    }
    s
}
