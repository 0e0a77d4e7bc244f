//! Trigger literals of a rule regex: strings one of which every match contains, so the keyword
//! automaton can find where a pattern may match without running it. Depends on `regex-syntax`
//! only, because `build.rs` includes this file too: it computes the sets of the embedded packs'
//! patterns once at build time, and the binary computes them at run time only for packs loaded
//! from folders. Both therefore run exactly this code.

/// Literals one of which occurs in every match of `source` (a pattern as compiled, see
/// [`ascii_boundaries`]), lowercased: the pattern's prefixes, its suffixes or a required part,
/// whichever set is the most selective. None when none is a short finite set (or the pattern
/// does not parse): then the pattern must run on every text.
pub fn trigger_literals(source: &str) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::ExtractKind;
    // Parsed case-sensitively: the keyword automaton ignores ASCII case anyway, and
    // case-insensitive extraction explodes word alternations into every capitalisation.
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(source)
        .ok()?;
    let pre = literal_set(&hir, ExtractKind::Prefix);
    let suf = literal_set(&hir, ExtractKind::Suffix);
    // Any factor every match must contain will do, not only a prefix or suffix: a
    // class of digits or a lead byte of Chinese text makes a prefix that fires on every
    // line, while the middle of the pattern often holds a rare word. Parsed as compiled
    // (case-insensitive), so every casing a match can take is in the set.
    let needed = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(source)
        .ok()
        .and_then(|h| needed_literals(&h).best())
        // A one-byte literal (a digit, a letter) fires everywhere: not a filter.
        .filter(|l| !l.is_empty() && l.len() <= 500 && l.iter().all(|x| x.len() >= 2));
    [needed, suf, pre]
        .into_iter()
        .flatten()
        .max_by_key(|l| selectivity(l))
}

/// `\b` and `\B` as ASCII word boundaries. Unicode boundaries force the regex crate off its
/// DFAs onto its slowest engine for any non-ASCII text (every Chinese script), and English
/// rules mean English word edges anyway.
pub fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    // Copied a stretch at a time between backslashes (most patterns have few).
    let mut rest = pattern;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let mut chars = rest[i + 1..].chars();
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out
}

fn literal_set(
    hir: &regex_syntax::hir::Hir,
    kind: regex_syntax::hir::literal::ExtractKind,
) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut seq = Extractor::new().kind(kind.clone()).extract(hir);
    match kind {
        ExtractKind::Suffix => seq.optimize_for_suffix_by_preference(),
        _ => seq.optimize_for_prefix_by_preference(),
    }
    let lits = seq.literals()?;
    if lits.is_empty() || lits.len() > 500 {
        return None;
    }
    let mut out: Vec<Vec<u8>> = Vec::with_capacity(lits.len());
    for l in lits {
        let b = l.as_bytes().to_ascii_lowercase();
        // A one-byte ASCII literal fires everywhere in English text: not a filter.
        if b.is_empty() || (b.len() < 2 && b[0].is_ascii()) {
            return None;
        }
        if !out.contains(&b) {
            out.push(b);
        }
    }
    Some(out)
}

/// How rarely a literal set is expected to fire: longer shortest literal first (capped at
/// two Chinese characters, since beyond that every literal is rare), then fewer literals
/// (which also keeps the trigger automaton small and quick to build).
fn selectivity(lits: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = lits.iter().map(Vec::len).min().unwrap_or(0);
    (shortest.min(6), std::cmp::Reverse(lits.len()))
}

/// Most literals a set may hold while it is being built (cross products grow fast).
const NEEDED_LIMIT: usize = 256;
/// Largest exact language a concatenation keeps as such.
const EXACT_LIMIT: usize = 16;
/// Largest character class expanded into one literal per character.
const CLASS_LIMIT: usize = 16;

/// What a regex fragment says about the text it matches.
enum Needed {
    /// It matches exactly one of these strings (ASCII lowercased).
    Exact(Vec<Vec<u8>>),
    /// Every match contains one of these strings (None: nothing known).
    Contains(Option<Vec<Vec<u8>>>),
}

impl Needed {
    /// A set that every match contains, if any (a set holding "" says nothing).
    fn best(self) -> Option<Vec<Vec<u8>>> {
        let set = match self {
            Needed::Exact(v) => Some(v),
            Needed::Contains(v) => v,
        }?;
        (!set.iter().any(Vec::is_empty)).then_some(set)
    }
}

fn push_unique(out: &mut Vec<Vec<u8>>, lit: Vec<u8>) {
    if !out.contains(&lit) {
        out.push(lit);
    }
}

/// Every literal of `a` followed by every literal of `b`, unless that grows too large.
fn cross(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len().saturating_mul(b.len()) > NEEDED_LIMIT {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    // A set of what is already in `out`, so deduplicating a product of up to
    // NEEDED_LIMIT literals is not quadratic; `out` keeps the first-seen order.
    let mut seen = std::collections::HashSet::with_capacity(out.capacity());
    for x in a {
        for y in b {
            let mut l = Vec::with_capacity(x.len() + y.len());
            l.extend_from_slice(x);
            l.extend_from_slice(y);
            if seen.insert(l.clone()) {
                out.push(l);
            }
        }
    }
    Some(out)
}

/// The better of two optional sets.
fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if selectivity(&b) > selectivity(&a) {
            b
        } else {
            a
        }),
        (a, b) => a.or(b),
    }
}

/// Literals one of which every match of `hir` contains: exact strings where the fragment is
/// a small finite language, else the most selective set any required part gives.
fn needed_literals(hir: &regex_syntax::hir::Hir) -> Needed {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Needed::Exact(vec![Vec::new()]),
        HirKind::Literal(l) => Needed::Exact(vec![l.0.to_ascii_lowercase()]),
        HirKind::Class(Class::Unicode(c)) => {
            let n: usize = c
                .ranges()
                .iter()
                .map(|r| (r.end() as usize).saturating_sub(r.start() as usize) + 1)
                .sum();
            if n == 0 || n > CLASS_LIMIT {
                return Needed::Contains(None);
            }
            let mut out = Vec::new();
            for ch in c.ranges().iter().flat_map(|r| r.start()..=r.end()) {
                let mut buf = [0u8; 4];
                push_unique(
                    &mut out,
                    ch.encode_utf8(&mut buf).as_bytes().to_ascii_lowercase(),
                );
            }
            Needed::Exact(out)
        }
        HirKind::Class(Class::Bytes(c)) => {
            let n: usize = c
                .ranges()
                .iter()
                .map(|r| usize::from(r.end() - r.start()) + 1)
                .sum();
            if n == 0 || n > CLASS_LIMIT {
                return Needed::Contains(None);
            }
            let mut out = Vec::new();
            for b in c.ranges().iter().flat_map(|r| r.start()..=r.end()) {
                push_unique(&mut out, vec![b.to_ascii_lowercase()]);
            }
            Needed::Exact(out)
        }
        HirKind::Capture(c) => needed_literals(&c.sub),
        HirKind::Repetition(r) => {
            let sub = needed_literals(&r.sub);
            match (r.min, r.max, sub) {
                (0, Some(1), Needed::Exact(mut v)) => {
                    push_unique(&mut v, Vec::new());
                    Needed::Exact(v)
                }
                (0, _, _) => Needed::Contains(None),
                (1, Some(1), sub) => sub,
                // At least one copy of the fragment lies inside every match.
                (_, _, sub) => Needed::Contains(sub.best()),
            }
        }
        HirKind::Alternation(alts) => {
            let parts: Vec<Needed> = alts.iter().map(needed_literals).collect();
            if parts.iter().all(|p| matches!(p, Needed::Exact(_))) {
                let mut out = Vec::new();
                for p in parts {
                    if let Needed::Exact(v) = p {
                        for l in v {
                            push_unique(&mut out, l);
                        }
                    }
                }
                if out.len() <= NEEDED_LIMIT {
                    return Needed::Exact(out);
                }
                return Needed::Contains(None);
            }
            let mut out = Vec::new();
            for p in parts {
                let Some(v) = p.best() else {
                    return Needed::Contains(None);
                };
                for l in v {
                    push_unique(&mut out, l);
                }
            }
            Needed::Contains((out.len() <= NEEDED_LIMIT).then_some(out))
        }
        HirKind::Concat(items) => {
            let parts: Vec<Needed> = items.iter().map(needed_literals).collect();
            let mut best: Option<Vec<Vec<u8>>> = None;
            let mut whole_exact = true;
            for (i, p) in parts.iter().enumerate() {
                match p {
                    Needed::Contains(c) => {
                        whole_exact = false;
                        if let Some(c) = c {
                            best = better(best, Some(c.clone()));
                        }
                    }
                    Needed::Exact(first) => {
                        // Every run of exact parts starting here spells a required string.
                        let mut acc = first.clone();
                        if !acc.iter().any(Vec::is_empty) {
                            best = better(best, Some(acc.clone()));
                        }
                        for q in &parts[i + 1..] {
                            let Needed::Exact(next) = q else {
                                break;
                            };
                            let Some(joined) = cross(&acc, next) else {
                                break;
                            };
                            acc = joined;
                            if !acc.iter().any(Vec::is_empty) {
                                best = better(best, Some(acc.clone()));
                            }
                        }
                    }
                }
            }
            if whole_exact {
                let mut acc = vec![Vec::new()];
                for p in &parts {
                    let Needed::Exact(v) = p else {
                        return Needed::Contains(best);
                    };
                    match cross(&acc, v) {
                        Some(j) => acc = j,
                        None => return Needed::Contains(best),
                    }
                }
                // A large exact language is worth less than one rare required part.
                if acc.len() <= EXACT_LIMIT {
                    return Needed::Exact(acc);
                }
                let whole = (!acc.iter().any(Vec::is_empty)).then_some(acc);
                return Needed::Contains(better(best, whole));
            }
            Needed::Contains(best)
        }
    }
}

/// Largest required-part set worth checking before a pattern runs.
const FACTOR_LIMIT: usize = 16;

/// Literal sets such that every match of `source` contains a literal of EACH set (lowercased;
/// compare ignoring ASCII case): the required parts of the pattern, apart from `trigger` (the
/// set that made it run, so known present). A text lacking any one of them cannot match, so
/// the pattern need not be compiled or run on it. Empty when nothing is known.
pub fn required_factors(source: &str, trigger: Option<&[Vec<u8>]>) -> Vec<Vec<Vec<u8>>> {
    // Parsed as compiled (case-insensitive), so every casing a match can take is in the sets.
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(source)
    else {
        return Vec::new();
    };
    let mut all = Vec::new();
    factors(&hir, &mut all);
    let mut out: Vec<Vec<Vec<u8>>> = Vec::new();
    for set in all {
        if set.len() <= FACTOR_LIMIT && Some(set.as_slice()) != trigger && !out.contains(&set) {
            out.push(set);
        }
    }
    out
}

/// Push the required parts of `hir`: each item of a concatenation is required, so are the
/// parts of a group and of a fragment repeated at least once.
fn factors(hir: &regex_syntax::hir::Hir, out: &mut Vec<Vec<Vec<u8>>>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Concat(items) => items.iter().for_each(|h| factors(h, out)),
        HirKind::Capture(c) => factors(&c.sub, out),
        HirKind::Repetition(r) if r.min >= 1 => factors(&r.sub, out),
        _ => out.extend(needed_literals(hir).best()),
    }
}
