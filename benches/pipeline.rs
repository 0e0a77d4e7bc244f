//! Criterion benchmarks of each pipeline phase on generated ~50 KB scripts: parse per format,
//! cast model, rule loading and engine compilation, the scan of one scene and of a whole file,
//! and the full per-file path `check::lint_bytes`. Inputs come from the corpus generator so the
//! numbers line up with `scripts/bench-vs-rg.sh`.
//!
//! Sample sizes are small on purpose: `cargo bench` should finish in a few minutes on 2 cores.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dramalint::cast::{self, Overrides};
use dramalint::check::{self, CheckOptions};
use dramalint::config::{Config, Loaded};
use dramalint::engine::{Engine, LintOptions};
use dramalint::rules::RuleSet;
use dramalint::script::{self, Format, Script};
use std::hint::black_box;
use std::time::Duration;

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

use gen_corpus::{Rng, fountain_script, markdown_script, zh_script};

const SCRIPT_BYTES: usize = 50_000;

/// The three generated 50 KB scripts, with the file names `parse_bytes` detects them by.
fn inputs() -> Vec<(&'static str, &'static str, String)> {
    let mut rng = Rng(0x5EED_BE4C);
    vec![
        ("zh", "ep.txt", zh_script(&mut rng, 1, SCRIPT_BYTES)),
        (
            "fountain",
            "ep.fountain",
            fountain_script(&mut rng, 2, SCRIPT_BYTES),
        ),
        (
            "markdown",
            "ep.md",
            markdown_script(&mut rng, 3, SCRIPT_BYTES),
        ),
    ]
}

fn parsed(name: &str, text: &str) -> Script {
    match script::parse_bytes(name, text.as_bytes()) {
        Ok(s) => s,
        Err(e) => panic!("generated script {name} does not parse: {e}"),
    }
}

fn engine() -> Engine {
    let set = match RuleSet::defaults() {
        Ok(s) => s,
        Err(e) => panic!("default packs do not load: {e:?}"),
    };
    match Engine::new(set) {
        Ok(e) => e,
        Err(e) => panic!("default packs do not compile: {e}"),
    }
}

fn quick<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    g
}

fn parse(c: &mut Criterion) {
    let mut g = quick(c, "parse");
    for (fmt, name, text) in inputs() {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(fmt), &text, |b, t| {
            b.iter(|| script::parse_bytes(name, black_box(t.as_bytes())))
        });
    }
    g.finish();
}

fn cast_model(c: &mut Criterion) {
    let mut g = quick(c, "cast");
    let none = Overrides::default();
    for (fmt, name, text) in inputs() {
        let s = parsed(name, &text);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(fmt), &s, |b, s| {
            b.iter(|| cast::build(black_box(s), &none))
        });
    }
    g.finish();
}

fn rules(c: &mut Criterion) {
    let mut g = quick(c, "rules");
    g.bench_function("defaults", |b| b.iter(RuleSet::defaults));
    let set = match RuleSet::defaults() {
        Ok(s) => s,
        Err(e) => panic!("default packs do not load: {e:?}"),
    };
    g.bench_function("engine_new", |b| {
        b.iter_batched(
            || set.clone(),
            Engine::new,
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn lint(c: &mut Criterion) {
    let eng = engine();
    let none = Overrides::default();
    let opts = LintOptions::default();
    let mut g = quick(c, "lint");

    // One scene: the first headed scene of the zh script, on its own.
    let (_, name, text) = &inputs()[0];
    let full = parsed(name, text);
    if let Some(sc) = full.scenes.get(1) {
        let scene_text = text[sc.span.clone()].to_string();
        let s = script::parse_text(scene_text.clone(), Format::Zh);
        let cast = cast::build(&s, &none);
        g.throughput(Throughput::Bytes(scene_text.len() as u64));
        g.bench_function("scene_zh", |b| {
            b.iter(|| eng.lint(black_box(&s), &cast, &opts))
        });
    }

    for (fmt, name, text) in inputs() {
        let s = parsed(name, &text);
        let cast = cast::build(&s, &none);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("file", fmt), &s, |b, s| {
            b.iter(|| eng.lint(black_box(s), &cast, &opts))
        });
    }
    g.finish();
}

/// What `check` sets up with no options, configuration or extra packs.
fn default_setup() -> check::Setup {
    match check::setup(
        &CheckOptions::default(),
        &Config::default(),
        &Loaded::default(),
    ) {
        Ok(s) => s,
        Err(e) => panic!("default setup fails: {e:?}"),
    }
}

fn whole_file(c: &mut Criterion) {
    let setup = default_setup();
    let mut g = quick(c, "lint_bytes");
    for (fmt, name, text) in inputs() {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(fmt), &text, |b, t| {
            b.iter(|| check::lint_bytes(name, name, black_box(t.as_bytes()), &setup, None))
        });
    }
    g.finish();
}

/// Scripts shaped to find quadratic paths, each at two sizes four times apart: a linear path
/// shows the same MB/s at both. Thousands of distinct speakers (the cast model compared each
/// new name with every known one), one scene of a child's dialogue hit line after line (the
/// engine walked the scene per hit), and a whole script on one line (each cue walked the
/// element's names).
fn adversarial(c: &mut Criterion) {
    let setup = default_setup();
    let speakers = |n: usize| {
        let mut s = String::from("人物：小宝（6岁）\n");
        for i in 0..n {
            let name = format!(
                "小{}{}",
                char::from_u32(0x4E00 + i as u32 % 9000).unwrap_or('甲'),
                i
            );
            s.push_str(&format!("{name}：小宝，你好。{name}看着他。\n"));
        }
        s
    };
    let scene = |n: usize| {
        let mut s = String::from("1-1 日 内 客厅\n人物：小宝（6岁）、王强（35岁）\n");
        for _ in 0..n {
            s.push_str("小宝：你给我跪下！\n王强：不。\n");
        }
        s
    };
    let line = |n: usize| "小宝（6岁）被打了一巴掌，哭着说妈妈我错了。".repeat(n);
    type Make<'a> = &'a dyn Fn(usize) -> String;
    let cases: [(&str, Make, usize); 3] = [
        ("speakers", &speakers, 2_000),
        ("one-scene", &scene, 6_000),
        ("one-line", &line, 4_000),
    ];
    let mut g = quick(c, "adversarial");
    for (name, make, n) in cases {
        for k in [1, 4] {
            let text = make(n * k);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, k), &text, |b, t| {
                b.iter(|| {
                    check::lint_bytes("ep.txt", "ep.txt", black_box(t.as_bytes()), &setup, None)
                })
            });
        }
    }
    g.finish();
}

criterion_group!(
    benches,
    parse,
    cast_model,
    rules,
    lint,
    whole_file,
    adversarial
);
criterion_main!(benches);
