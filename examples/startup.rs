//! Where a one-file run's start-up time goes: `cargo run --release --example startup`.

use std::time::Instant;

fn main() {
    let t = Instant::now();
    let mut set = dramalint::rules::RuleSet::default();
    for (name, text) in dramalint::rules::DEFAULT_PACKS {
        let t0 = Instant::now();
        let _: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
        let yaml = t0.elapsed();
        let t1 = Instant::now();
        set.add(&format!("<default>/rules/{name}"), text).unwrap();
        println!("{name}: yaml {:?}, yaml+compile {:?}", yaml, t1.elapsed());
    }
    let loaded = t.elapsed();
    let t2 = Instant::now();
    let engine = dramalint::engine::Engine::new(set).unwrap();
    println!(
        "load {loaded:?}, engine {:?}, rules {}",
        t2.elapsed(),
        engine.rules.len()
    );
    if std::env::args().any(|a| a == "--prefixes") {
        for r in &engine.rules {
            for p in &r.patterns {
                match p.prefixes() {
                    None => println!("ALWAYS {} {}", r.id, p.as_str()),
                    Some(l) if l.iter().any(|x| x.len() <= 3) => println!(
                        "SHORT {} {:?}",
                        r.id,
                        l.iter()
                            .map(|x| String::from_utf8_lossy(x).to_string())
                            .collect::<Vec<_>>()
                    ),
                    _ => {}
                }
            }
        }
    }
}
