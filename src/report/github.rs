//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line a diagnostic.

use crate::check::FileReport;
use crate::rules::Severity;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_prop(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn report(files: &[FileReport]) -> String {
    super::stream::render(super::stream::Kind::Github, files, None)
}

/// One file's commands, written to `out` one by one.
pub fn write_file(f: &FileReport, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if let Some(e) = &f.error {
        writeln!(
            out,
            "::error file={}::{}",
            escape_prop(&f.path),
            escape_data(e)
        )?;
    }
    for d in &f.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let title = match d.prohibition {
            Some(p) => format!("{} ({})", d.rule, p.id()),
            None => d.rule.to_string(),
        };
        writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_prop(&f.path),
            d.line,
            d.column,
            d.end_line,
            d.end_column,
            escape_prop(&title),
            escape_data(&format!("{} — {}", d.message, d.help)),
        )?;
    }
    Ok(())
}
