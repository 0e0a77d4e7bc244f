//! Command-line interface: argument parsing and the commands. `main.rs` only calls [`main`].

use crate::{cast, report, script};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "dramalint", version, about = "Child-protection linter for micro-drama scripts")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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
            let mut s = serde_json::to_string_pretty(&report::scenes::to_json(name, &script, &cast))
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
