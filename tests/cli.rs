//! CLI behaviour pins, run on the real binary: exit codes, standard input, determinism across
//! thread counts, suppression comments, and config discovery.
//!
//! Tests marked `pending: cast` need the real cast model (a child recognised from `小宝（5岁）`);
//! with the stub in src/cast.rs no child is found, so no child rule fires.

use serde_json::Value;
use std::path::Path;

mod common;
use common::check_stdin;

/// A clean script: a child, nothing harmful.
const CLEAN: &str = "1-1 日 内 客厅\n△小宝（5岁）在画画。\n";
/// A script with one clear child finding (zh.extremity.slap on line 3).
const SLAP: &str = "1-1 日 内 客厅\n人物：小宝（5岁）、继母\n△继母一巴掌扇在小宝（5岁）脸上。\n";
/// The same without a cast line: the age is only written inline in the action.
const SLAP_INLINE: &str = "1-1 日 内 客厅\n△继母一巴掌扇在小宝（5岁）脸上。\n";

/// Run `args` in `dir`; the exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let r = common::run(dir, args);
    (r.code, r.stdout, r.stderr)
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
}

/// Rule ids reported for one file, in report order.
fn rules_of(report: &Value, path: &str) -> Vec<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in {report:#}"))["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = d.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    d
}

#[test]
fn clean_script_exits_0() {
    let d = dir_with(&[("a.txt", CLEAN)]);
    let (code, out, err) = run(d.path(), &["check", "a.txt"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("no problems found in 1 file"), "{out}");
    let (code, out, _) = run(d.path(), &["check", "a.txt", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(rules_of(&json(&out), "a.txt").is_empty());
}

#[test]
fn child_finding_exits_1() {
    let d = dir_with(&[("a.txt", SLAP)]);
    let (code, out, err) = run(d.path(), &["check", "a.txt", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    let v = json(&out);
    assert_eq!(rules_of(&v, "a.txt"), ["zh.extremity.slap"]);
    let diag = &v["files"][0]["diagnostics"][0];
    assert_eq!(diag["line"], 3);
    assert_eq!(diag["prohibition"], "extremity");
    assert_eq!(v["files"][0]["children"][0], "小宝");
    // --fail-on never keeps the finding but exits 0.
    let (code, _, _) = run(d.path(), &["check", "a.txt", "--fail-on", "never"]);
    assert_eq!(code, 0);
}

#[test]
fn stdin_with_stdin_filename() {
    let d = tempfile::tempdir().unwrap();
    let out = check_stdin(d.path(), "ep01.txt", CLEAN, &[]);
    assert_eq!(out.code, 0);
    let v = out.json();
    let f = &v["files"][0];
    assert_eq!(f["path"], "ep01.txt");
    assert_eq!(f["format"], "zh");
    assert_eq!(f["scenes"], 1);
    // The name picks the format: the same text as Fountain is read as Fountain.
    let out = check_stdin(
        d.path(),
        "ep01.fountain",
        "INT. KITCHEN - DAY\n\nMary sits.\n",
        &[],
    );
    assert_eq!(out.code, 0);
    let v = out.json();
    assert_eq!(v["files"][0]["format"], "fountain");
    assert_eq!(v["files"][0]["path"], "ep01.fountain");
}

#[test]
fn child_finding_with_inline_age_exits_1() {
    let d = dir_with(&[("a.txt", SLAP_INLINE)]);
    let (code, out, err) = run(d.path(), &["check", "a.txt", "--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(rules_of(&json(&out), "a.txt"), ["zh.extremity.slap"]);
}

#[test]
fn stdin_finding_exits_1() {
    let d = tempfile::tempdir().unwrap();
    let out = check_stdin(d.path(), "ep01.txt", SLAP, &[]);
    assert_eq!(out.code, 1);
    let v = out.json();
    assert_eq!(rules_of(&v, "ep01.txt"), ["zh.extremity.slap"]);
}

/// ~20 scripts of every kind, some with findings, one unreadable.
fn mixed_folder() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let texts = [
        SLAP,
        CLEAN,
        "1-1 日 内 客厅\n小宝（6岁）：我要买最贵的皮肤，不给我就不上学！\n",
        "1-1 夜 外 街道\n△妞妞（7岁）被绑在椅子上，哭喊。\n",
    ];
    for i in 0..16 {
        let sub = if i % 3 == 0 { "a/" } else { "" };
        std::fs::create_dir_all(d.path().join("a")).unwrap();
        std::fs::write(
            d.path().join(format!("{sub}ep{i:02}.txt")),
            texts[i % texts.len()],
        )
        .unwrap();
    }
    std::fs::write(
        d.path().join("b.fountain"),
        "INT. KITCHEN - DAY\n\nLILY (6) cries.\n\nMOM\nShut up, you brat!\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("c.md"),
        "# 第1集\n\n## 1-1 日 内 客厅\n\n△继母一巴掌扇在小宝（5岁）脸上。\n",
    )
    .unwrap();
    std::fs::write(d.path().join("d.txt"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(d.path().join("e.txt"), "").unwrap();
    d
}

#[test]
fn jobs_1_and_2_give_byte_identical_reports() {
    let d = mixed_folder();
    for format in ["json", "jsonl", "sarif", "github"] {
        let (c1, o1, _) = run(d.path(), &["check", ".", "--format", format, "--jobs", "1"]);
        let (c2, o2, _) = run(d.path(), &["check", ".", "--format", format, "--jobs", "2"]);
        let (c4, o4, _) = run(d.path(), &["check", ".", "--format", format, "--jobs", "4"]);
        assert_eq!((c1, c2, c4), (2, 2, 2), "d.txt is unreadable as a script");
        assert_eq!(o1, o2, "{format}: --jobs 1 and --jobs 2 differ");
        assert_eq!(o1, o4, "{format}: --jobs 1 and --jobs 4 differ");
    }
    let (_, out, _) = run(d.path(), &["check", ".", "--format", "json", "--jobs", "2"]);
    let v = json(&out);
    assert_eq!(v["files"].as_array().unwrap().len(), 20);
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "files are reported in path order");
}

#[test]
fn suppression_with_reason_suppresses_the_next_line() {
    let text = "1-1 日 内 客厅\n人物：小宝（5岁）、继母\n【注：dramalint-disable-next-line zh.extremity.slap -- 剧情需要】\n△继母一巴掌扇在小宝（5岁）脸上。\n";
    let d = dir_with(&[("a.txt", text), ("b.txt", SLAP)]);
    let (code, out, err) = run(d.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code, 1, "b.txt still has its finding: {err}");
    let v = json(&out);
    assert!(rules_of(&v, "a.txt").is_empty(), "{v:#}");
    assert_eq!(rules_of(&v, "b.txt"), ["zh.extremity.slap"]);
    let (code, _, _) = run(d.path(), &["check", "a.txt"]);
    assert_eq!(code, 0);
}

#[test]
fn suppression_without_a_reason_is_reported() {
    let text = "1-1 日 内 客厅\n人物：小宝（5岁）、继母\n【注：dramalint-disable-next-line zh.extremity.slap】\n△继母一巴掌扇在小宝（5岁）脸上。\n";
    let d = dir_with(&[("a.txt", text)]);
    let (code, out, _) = run(d.path(), &["check", "a.txt", "--format", "json"]);
    assert_eq!(code, 1);
    let v = json(&out);
    let rules = rules_of(&v, "a.txt");
    assert!(
        rules.contains(&"dramalint.suppression.no-reason".to_string()),
        "{rules:?}"
    );
    let d0 = &v["files"][0]["diagnostics"][0];
    assert_eq!(d0["line"], 3, "{d0}");
}

#[test]
fn suppression_without_a_reason_still_suppresses() {
    let text = "1-1 日 内 客厅\n人物：小宝（5岁）、继母\n【注：dramalint-disable-next-line zh.extremity.slap】\n△继母一巴掌扇在小宝（5岁）脸上。\n";
    let d = dir_with(&[("a.txt", text)]);
    let (_, out, _) = run(d.path(), &["check", "a.txt", "--format", "json"]);
    assert_eq!(
        rules_of(&json(&out), "a.txt"),
        ["dramalint.suppression.no-reason"]
    );
}

#[test]
fn unused_suppression_is_reported() {
    let text = "1-1 日 内 客厅\n【注：dramalint-disable-next-line zh.extremity.slap -- 剧情需要】\n△小宝（5岁）在画画。\n";
    let d = dir_with(&[("a.txt", text)]);
    let (code, out, _) = run(d.path(), &["check", "a.txt", "--format", "json"]);
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(rules_of(&v, "a.txt"), ["dramalint.suppression.unused"]);
    assert_eq!(v["files"][0]["diagnostics"][0]["line"], 2);
}

#[test]
fn config_discovered_upward_silences_a_prohibition() {
    let d = dir_with(&[
        (".dramalint.yaml", "prohibitions: {extremity: off}\n"),
        ("season1/ep/a.txt", SLAP),
    ]);
    let (code, out, err) = run(d.path(), &["check", "season1", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(rules_of(&json(&out), "season1/ep/a.txt").is_empty());
    // Run from inside the subfolder too: discovery starts at the file, not the working folder.
    let (code, _, _) = run(&d.path().join("season1/ep"), &["check", "a.txt"]);
    assert_eq!(code, 0);
}

#[test]
fn config_discovered_upward_silences_only_below_it() {
    let d = dir_with(&[
        ("quiet/.dramalint.yaml", "prohibitions: {extremity: off}\n"),
        ("quiet/sub/a.txt", SLAP),
        ("loud/a.txt", SLAP),
    ]);
    let (code, out, _) = run(d.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code, 1);
    let v = json(&out);
    assert!(rules_of(&v, "quiet/sub/a.txt").is_empty());
    assert_eq!(rules_of(&v, "loud/a.txt"), ["zh.extremity.slap"]);
}

#[test]
fn unknown_key_in_a_discovered_config_exits_2() {
    let d = dir_with(&[
        (
            ".dramalint.yaml",
            "prohibitions: {extremity: off}\ncolour: red\n",
        ),
        ("sub/a.txt", CLEAN),
    ]);
    let (code, out, err) = run(d.path(), &["check", "sub"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains(".dramalint.yaml:2:1"), "{err}");
    assert!(err.contains("unknown field `colour`"), "{err}");
    // A bare file name in a subfolder: discovery still starts at the file's folder and goes up.
    let (code, _, err) = run(&d.path().join("sub"), &["check", "a.txt"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown field `colour`"), "{err}");
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let d = tempfile::tempdir().unwrap();
    let (code, _, err) = run(d.path(), &["check", "--format", "xml"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(d.path(), &["frobnicate"]);
    assert_eq!(code, 2);
    let (code, out, _) = run(d.path(), &["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("check"));
    let (code, out, _) = run(d.path(), &["--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("dramalint "));
}

#[test]
fn rules_keywords_prints_each_literal_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let packs = root.join("fixtures/packs/snapshot");
    let packs = packs.to_string_lossy();
    let (code, out, err) = run(
        root,
        &["rules", "keywords", "--no-default-rules", "--rules", &packs],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "一巴掌\nslaps\n");
    // The default packs: every keyword once, none blank.
    let (code, out, _) = run(root, &["rules", "keywords"]);
    assert_eq!(code, 0);
    let words: Vec<&str> = out.lines().collect();
    let distinct: std::collections::HashSet<&&str> = words.iter().collect();
    assert!(words.len() > 1000, "{}", words.len());
    assert_eq!(distinct.len(), words.len());
    assert!(words.iter().all(|w| !w.trim().is_empty()));
}

#[test]
fn reports_stream_in_path_order_across_chunks() {
    // More files than one parallel chunk (256), a finding near the end, and an unreadable
    // path whose name sorts among them: one report, sorted, with totals over every file.
    let d = tempfile::tempdir().unwrap();
    for i in 0..300 {
        let text = if i == 290 { SLAP } else { CLEAN };
        std::fs::write(d.path().join(format!("s{i:03}.txt")), text).unwrap();
    }
    let (code, out, err) = run(
        d.path(),
        &["check", "s150.missing", ".", "--format", "json", "-j", "2"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("s150.missing"), "{err}");
    let r = json(&out);
    let paths: Vec<&str> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 301);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths[150], "s150.missing");
    assert_eq!(r["summary"]["files"], 301);
    assert_eq!(r["summary"]["errors"], 1);
    assert_eq!(r["summary"]["by_prohibition"]["extremity"], 1);
    assert_eq!(rules_of(&r, "s290.txt"), vec!["zh.extremity.slap"]);
}

/// A whole script on one line, longer than miette can pad (65,535 columns): the human report
/// shows a window of the line around each finding, at the right line and column, and does not
/// panic; the same findings as the JSON report.
#[test]
fn one_line_script_renders_windows_of_its_line() {
    let sentence = "小宝（6岁）被打了一巴掌，哭着说妈妈我错了。";
    let text = sentence.repeat(4_000);
    let d = dir_with(&[("long.txt", &text)]);
    let (code, out, err) = run(d.path(), &["check", "long.txt"]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let (_, json_out, _) = run(d.path(), &["check", "long.txt", "--format", "json"]);
    let v = json(&json_out);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert!(diags.len() > 1000);
    // Every finding's header, in order, and the last one far past 65,535 columns.
    let headers: Vec<String> = diags
        .iter()
        .map(|d| format!("[long.txt:{}:{}]", d["line"], d["column"]))
        .collect();
    let mut from = 0;
    for h in &headers {
        let at = out[from..]
            .find(h.as_str())
            .unwrap_or_else(|| panic!("{h} missing"));
        from += at + h.len();
    }
    assert!(diags.last().unwrap()["column"].as_u64().unwrap() > 65_535);
    // No shown line is the whole script.
    assert!(out.lines().all(|l| l.len() < 2_000));
}

/// The SARIF rule a result points at through `ruleIndex`.
fn sarif_rule_of<'a>(run: &'a Value, result: &Value) -> &'a Value {
    let i = result["ruleIndex"].as_u64().unwrap() as usize;
    &run["tool"]["driver"]["rules"][i]
}

#[test]
fn sarif_report_indexes_every_rule_and_names_unreadable_files() {
    // Written as files finish: the results come before the rule list, which also gains the
    // rules of a `--rules` pack as they are first met.
    let d = mixed_folder();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let packs = root.join("fixtures/packs/snapshot");
    let (code, out, _) = run(d.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code, 2);
    let plain = json(&out);
    let (code, out, err) = run(
        d.path(),
        &[
            "check",
            ".",
            "--format",
            "sarif",
            "--rules",
            &packs.to_string_lossy(),
        ],
    );
    assert_eq!(code, 2, "{err}");
    let sarif = json(&out);
    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    let results = run0["results"].as_array().unwrap();
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() > 100, "every default rule is described");
    // The default packs' findings, plus the demo pack's slap on c.md.
    let plain_count = plain["summary"]["diagnostics"].as_u64().unwrap() as usize;
    assert!(plain_count > 0);
    let demo: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "demo.zh.slap")
        .collect();
    assert_eq!(results.len(), plain_count + demo.len());
    assert!(!demo.is_empty(), "{out}");
    for r in results {
        assert_eq!(sarif_rule_of(run0, r)["id"], r["ruleId"], "{r:#}");
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(d.path().join(uri).is_file(), "{uri}");
    }
    let ids: std::collections::HashSet<&str> =
        rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), rules.len(), "each rule is listed once");
    let notes = run0["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("d.txt: ")
    );
    // No files at all: still a complete SARIF document.
    let empty = tempfile::tempdir().unwrap();
    let (code, out, _) = run(empty.path(), &["check", ".", "--format", "sarif"]);
    assert_eq!(code, 0);
    let sarif = json(&out);
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    assert!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            > 100
    );
}

#[test]
fn html_report_lists_each_file_and_totals_matching_json() {
    let d = mixed_folder();
    let (_, out, _) = run(d.path(), &["check", ".", "--format", "json"]);
    let plain = json(&out);
    let (code, page, err) = run(d.path(), &["check", ".", "--format", "html"]);
    assert_eq!(code, 2, "{err}");
    assert!(page.starts_with("<!doctype html>"), "{page}");
    assert!(page.ends_with("</body></html>\n"), "{page}");
    let files = plain["files"].as_array().unwrap();
    assert_eq!(page.matches("<section><h2>").count(), files.len());
    for f in files {
        let path = f["path"].as_str().unwrap();
        assert!(page.contains(&format!("<h2>{path}</h2>")), "{path}");
    }
    let s = &plain["summary"];
    for (id, n) in s["by_prohibition"].as_object().unwrap() {
        let row = format!("<tr><td>{id} ");
        let at = page.find(&row).unwrap_or_else(|| panic!("{id} row"));
        let cells = &page[at..page[at..].find("</tr>").unwrap() + at];
        assert!(cells.ends_with(&format!("<td>{n}</td>")), "{cells}");
    }
    let totals = format!(
        "<p>{} files, {} with findings, {} findings, {} unreadable</p>",
        s["files"],
        plain["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| !f["diagnostics"].as_array().unwrap().is_empty())
            .count(),
        s["diagnostics"],
        s["errors"]
    );
    assert!(page.contains(&totals), "{totals}\n{page}");
}

#[test]
fn whole_report_functions_print_what_the_cli_streams() {
    // The library's whole-report functions join the same pieces the CLI writes file by file.
    use dramalint::check::{CheckOptions, FileReport, run_each};
    use dramalint::report::{github, html, human, json, sarif};
    let d = mixed_folder();
    let root = d.path().to_string_lossy().into_owned();
    let opts = CheckOptions {
        paths: vec![d.path().to_path_buf()],
        min_severity: Some(dramalint::rules::Severity::Warning),
        max_file_size: Some(dramalint::check::DEFAULT_MAX_FILE_SIZE),
        keep_source: true,
        ..CheckOptions::default()
    };
    let mut files: Vec<FileReport> = Vec::new();
    run_each(&opts, |f| {
        files.push(f);
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    assert!(files.iter().any(|f| !f.diagnostics.is_empty()));
    let engine =
        dramalint::engine::Engine::new(dramalint::rules::RuleSet::defaults().unwrap()).unwrap();
    let cases: [(&str, String); 6] = [
        ("json", json::report(&files)),
        ("jsonl", json::lines(&files)),
        ("sarif", sarif::report(&files, Some(&engine))),
        ("github", github::report(&files)),
        ("html", html::report(&files)),
        // The test binary runs with NO_COLOR and COLUMNS=200 (tests/common).
        ("human", human::render(&files, false, 200)),
    ];
    for (format, text) in cases {
        let r = common::run(d.path(), &["check", &root, "--format", format]);
        assert_eq!(r.code, 2, "{format}: d.txt is unreadable");
        assert_eq!(text, r.stdout, "{format}");
    }
}
