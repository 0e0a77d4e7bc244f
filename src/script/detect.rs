//! Which parser reads a file: by extension first, then by content.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Fountain,
    Markdown,
    /// The Chinese plain-text layout (`1-1 日 内 客厅`, `小宝：台词`, `△动作`).
    Zh,
    /// Final Draft XML.
    Fdx,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Fountain => "fountain",
            Format::Markdown => "markdown",
            Format::Zh => "zh",
            Format::Fdx => "fdx",
        }
    }
}

fn extension(name: &str) -> String {
    std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Extensions dramalint reads when walking a folder.
pub const SCRIPT_EXTENSIONS: &[&str] = &[
    "fountain", "spmd", "md", "markdown", "txt", "text", "fdx", "docx",
];

pub fn is_docx_name(name: &str) -> bool {
    extension(name) == "docx"
}

/// Pick the format for decoded text.
pub fn detect_format(name: &str, text: &str) -> Format {
    match extension(name).as_str() {
        "fountain" | "spmd" => Format::Fountain,
        "md" | "markdown" => Format::Markdown,
        "fdx" => Format::Fdx,
        _ if looks_like_fdx(text) => Format::Fdx,
        _ => detect_plain(text),
    }
}

fn looks_like_fdx(text: &str) -> bool {
    // The first 512 characters, without copying them.
    let end = text.char_indices().nth(512).map_or(text.len(), |(i, _)| i);
    text[..end].contains("<FinalDraft")
}

/// Plain text: the Chinese layout when enough lines look Chinese, else Fountain.
pub fn detect_plain(text: &str) -> Format {
    let mut han_lines = 0usize;
    let mut lines = 0usize;
    // Split on CR too: files saved with lone-CR line endings are one "line" to str::lines().
    // Pieces are found on bytes (`\n` and `\r` never occur inside a UTF-8 sequence).
    let b = text.as_bytes();
    let mut start = 0;
    while lines < 400 {
        let end = memchr::memchr2(b'\n', b'\r', &b[start..]).map_or(b.len(), |i| start + i);
        let line = &b[start..end];
        if !is_blank(&text[start..end]) {
            lines += 1;
            // The colon test first: it is a memchr-speed search, and most Chinese lines (cues,
            // labels) have one, so their characters need no counting.
            if has_fullwidth_colon(line) || {
                let (han, chars) = han_and_chars(line);
                han * 3 >= chars.max(1)
            } {
                han_lines += 1;
            }
        }
        // At most 400 lines are read: with a third of 400 already Chinese, the answer is Zh
        // whatever follows.
        if end == b.len() || han_lines * 3 >= 400 {
            break;
        }
        start = end + 1;
    }
    if lines > 0 && han_lines * 3 >= lines {
        Format::Zh
    } else {
        Format::Fountain
    }
}

/// `line.trim().is_empty()`, answered from the first byte when it is ASCII.
fn is_blank(line: &str) -> bool {
    match line.as_bytes().first() {
        None => true,
        // ASCII other than whitespace, or a lead byte no whitespace character starts with
        // (those are `C2`, `E1`, `E2`, `E3` and `EF`).
        Some(&x) if !matches!(x, b'\t'..=b'\r' | b' ' | 0x80..=0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF) => {
            false
        }
        Some(_) => line.trim().is_empty(),
    }
}

/// Whether `：` (`EF BC 9A`) occurs in the line.
fn has_fullwidth_colon(b: &[u8]) -> bool {
    // Its last byte with memchr (a continuation byte, rare in other characters), then the two
    // before it.
    memchr::memchr_iter(0x9A, b).any(|i| i >= 2 && b[i - 2] == 0xEF && b[i - 1] == 0xBC)
}

/// Characters in U+4E00..=U+9FFF and all characters of valid UTF-8, counted on bytes: those
/// ideographs are the three-byte sequences led by `E4 B8..` up to `E9 ..`.
fn han_and_chars(b: &[u8]) -> (usize, usize) {
    // One branch-free pass for both counts (it vectorizes).
    let (mut chars, mut leads) = (0usize, 0usize);
    for &x in b {
        chars += usize::from(x & 0xC0 != 0x80);
        leads += usize::from(x.wrapping_sub(0xE4) < 6);
    }
    // `E4` also leads U+4000..U+4DFF (second byte below `B8`), rare: look only when present.
    let below = if b.contains(&0xE4) {
        b.iter()
            .zip(&b[1..])
            .filter(|&(&x, &y)| (x == 0xE4) & (y < 0xB8))
            .count()
    } else {
        0
    };
    (leads - below, chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_count_on_bytes() {
        for t in [
            "",
            "abc",
            "一丁鿿㐀䷿𠀀小宝：你好",
            "\u{4dff}\u{4e00}\u{9fff}\u{a000}",
        ] {
            let han = t
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count();
            assert_eq!(han_and_chars(t.as_bytes()), (han, t.chars().count()), "{t}");
        }
    }

    #[test]
    fn by_extension_then_content() {
        assert_eq!(detect_format("a.fountain", "你好"), Format::Fountain);
        assert_eq!(detect_format("a.md", ""), Format::Markdown);
        assert_eq!(detect_format("a.FDX", ""), Format::Fdx);
        assert_eq!(
            detect_format("a.txt", "1-1 日 内 客厅\n小宝：爹地！\n"),
            Format::Zh
        );
        assert_eq!(
            detect_format("a.txt", "INT. HOUSE - DAY\n\nBOB\nHi.\n"),
            Format::Fountain
        );
        assert_eq!(
            detect_format("a.txt", "INT. HOUSE - DAY\r\rBOB\rHi.\r\rALICE\rBye.\r"),
            Format::Fountain
        );
        assert_eq!(
            detect_format("a.txt", "1-1 日 内 客厅\r小宝：爹地！\r"),
            Format::Zh
        );
        assert_eq!(
            detect_format("x", "<?xml version=\"1.0\"?><FinalDraft>"),
            Format::Fdx
        );
    }
}
