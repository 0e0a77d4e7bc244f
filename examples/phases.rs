//! Where a batch's time goes, phase by phase, on one thread:
//! `cargo run --release --example phases -- CORPUS_DIR`.
//! Prints rule loading, then decode+parse, cast model and engine time summed over every file.

use dramalint::cast::{self, Overrides};
use dramalint::engine::{Engine, LintOptions};
use dramalint::rules::RuleSet;
use dramalint::script;
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: phases CORPUS_DIR")?;
    let mut files = Vec::new();
    for e in ignore::WalkBuilder::new(&dir).build() {
        let e = e?;
        if e.file_type().is_some_and(|t| t.is_file()) {
            files.push((
                e.path().to_string_lossy().into_owned(),
                std::fs::read(e.path())?,
            ));
        }
    }
    let t = Instant::now();
    let engine = Engine::new(RuleSet::defaults().map_err(|e| format!("{e:?}"))?)?;
    println!("rules loaded in {:?}", t.elapsed());
    let (mut parse, mut cast_t, mut lint) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut bytes, mut findings) = (0usize, 0usize);
    for (name, b) in &files {
        bytes += b.len();
        let t = Instant::now();
        let Ok(s) = script::parse_bytes(name, b) else {
            continue;
        };
        parse += t.elapsed();
        let t = Instant::now();
        let c = cast::build(&s, &Overrides::default());
        cast_t += t.elapsed();
        let t = Instant::now();
        findings += engine.lint(&s, &c, &LintOptions::default()).len();
        lint += t.elapsed();
    }
    let mb = bytes as f64 / 1e6;
    let rate = |d: Duration| mb / d.as_secs_f64().max(1e-9);
    println!("{} files, {mb:.1} MB, {findings} findings", files.len());
    println!("parse {parse:?} ({:.0} MB/s)", rate(parse));
    println!("cast  {cast_t:?} ({:.0} MB/s)", rate(cast_t));
    println!("lint  {lint:?} ({:.0} MB/s)", rate(lint));
    Ok(())
}
