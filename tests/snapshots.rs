//! Snapshots of what a writer sees: the human report (wide characters underlined correctly)
//! and the `scenes` outline. Rendered with a frozen pack so rule tuning does not churn them.

use assert_cmd::Command;

fn run(args: &[&str]) -> (String, i32) {
    let out = Command::cargo_bin("dramalint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn human_report_chinese_finding() {
    let (out, code) = run(&[
        "check",
        "--no-default-rules",
        "--rules",
        "fixtures/packs/snapshot",
        "fixtures/snapshot/wide.txt",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn human_report_english_finding() {
    let (out, code) = run(&[
        "check",
        "--no-default-rules",
        "--rules",
        "fixtures/packs/snapshot",
        "fixtures/snapshot/slap.fountain",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn json_report_shape() {
    let (out, code) = run(&[
        "check",
        "--no-default-rules",
        "--rules",
        "fixtures/packs/snapshot",
        "--format",
        "json",
        "fixtures/snapshot/wide.txt",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn scenes_outline() {
    let (out, code) = run(&["scenes", "fixtures/snapshot/wide.txt"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn scenes_json() {
    let (out, code) = run(&[
        "scenes",
        "--format",
        "json",
        "fixtures/snapshot/slap.fountain",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}
