//! A self-contained HTML page: summary by prohibition, then each file's findings.

use crate::check::FileReport;
use crate::rules::Prohibition;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn report(files: &[FileReport]) -> String {
    let mut s = String::from(
        "<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>dramalint report</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}.error{color:#b00}.warning{color:#a60}.info{color:#06a}</style></head><body>\n<h1>dramalint report</h1>\n<table><tr><th>prohibition</th><th>findings</th></tr>\n",
    );
    for p in Prohibition::ALL {
        let n = files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.prohibition == Some(p))
            .count();
        s.push_str(&format!(
            "<tr><td>{} {}</td><td>{n}</td></tr>\n",
            p.id(),
            esc(p.zh())
        ));
    }
    s.push_str("</table>\n");
    for f in files {
        s.push_str(&format!("<h2>{}</h2>\n", esc(&f.path)));
        if let Some(e) = &f.error {
            s.push_str(&format!("<p class=\"error\">error: {}</p>\n", esc(e)));
            continue;
        }
        if f.diagnostics.is_empty() {
            s.push_str("<p>no problems</p>\n");
            continue;
        }
        s.push_str("<table><tr><th>line</th><th>scene</th><th>severity</th><th>rule</th><th>message</th><th>excerpt</th><th>help</th></tr>\n");
        for d in &f.diagnostics {
            s.push_str(&format!(
                "<tr><td>{}:{}</td><td>{}</td><td class=\"{sev}\">{sev}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                d.line,
                d.column,
                d.scene.map(|x| x.to_string()).unwrap_or_default(),
                esc(&d.rule),
                esc(&d.message),
                esc(&d.excerpt),
                esc(&d.help),
                sev = d.severity.as_str(),
            ));
        }
        s.push_str("</table>\n");
    }
    s.push_str("</body></html>\n");
    s
}
