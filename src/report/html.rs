//! A self-contained HTML page: the summary by prohibition, then each file's findings.
//!
//! The page is written file by file as results arrive. The summary needs every file, so it is
//! written last and shown first: the body is a flex column and the summary's `order` puts it
//! under the title.

use super::Tally;
use crate::check::FileReport;
use crate::rules::Prohibition;
use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What comes before the first file.
pub const HEAD: &str = "<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>dramalint report</title>\n<style>body{font-family:sans-serif;margin:2em;display:flex;flex-direction:column;align-items:flex-start}h1{order:-2}#summary{order:-1}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}.error{color:#b00}.warning{color:#a60}.info{color:#06a}</style></head><body>\n<h1>dramalint report</h1>\n";

/// One file's section, written to `out` row by row.
pub fn write_file(f: &FileReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(out, "<section><h2>{}</h2>", esc(&f.path))?;
    if let Some(e) = &f.error {
        writeln!(out, "<p class=\"error\">error: {}</p>", esc(e))?;
    } else if f.diagnostics.is_empty() {
        writeln!(out, "<p>no problems</p>")?;
    } else {
        writeln!(
            out,
            "<table><tr><th>line</th><th>scene</th><th>severity</th><th>rule</th><th>message</th><th>excerpt</th><th>help</th></tr>"
        )?;
        for d in &f.diagnostics {
            writeln!(
                out,
                "<tr><td>{}:{}</td><td>{}</td><td class=\"{sev}\">{sev}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                d.line,
                d.column,
                d.scene.map(|x| x.to_string()).unwrap_or_default(),
                esc(&d.rule),
                esc(&d.message),
                esc(&d.excerpt),
                esc(&d.help),
                sev = d.severity.as_str(),
            )?;
        }
        writeln!(out, "</table>")?;
    }
    writeln!(out, "</section>")
}

/// The summary, then the end of the page.
pub fn finish(t: &Tally) -> String {
    let mut s = String::from(
        "<section id=\"summary\"><table><tr><th>prohibition</th><th>findings</th></tr>\n",
    );
    for (p, n) in Prohibition::ALL.iter().zip(t.by_prohibition) {
        let _ = writeln!(
            s,
            "<tr><td>{} {}</td><td>{n}</td></tr>",
            p.id(),
            esc(p.zh())
        );
    }
    let _ = writeln!(
        s,
        "</table>\n<p>{} files, {} with findings, {} findings, {} unreadable</p></section>",
        t.files, t.with_findings, t.diagnostics, t.errors
    );
    s.push_str("</body></html>\n");
    s
}

/// The whole page at once: the streamed pieces joined.
pub fn report(files: &[FileReport]) -> String {
    super::stream::render(super::stream::Kind::Html, files, None)
}
