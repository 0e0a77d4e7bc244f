//! Byte offsets to 1-based lines and character columns, computed only for output.
//! CR, LF and CRLF all end a line.

/// Line ranges as (start, end without the line ending), from byte `from` on; LF, CRLF and a
/// lone CR all end a line. The parsers' one line splitter.
pub fn ranges(src: &str, from: usize) -> Vec<(usize, usize)> {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 32 + 1);
    let from = from.min(b.len());
    let mut start = from;
    // Every `\n` and `\r` ends a line, except the `\n` of a CRLF (which ends nothing new).
    for_each_line_break(&b[from..], |i| {
        let i = from + i;
        if b[i] == b'\n' && i > from && b[i - 1] == b'\r' {
            start = i + 1;
            return;
        }
        out.push((start, i));
        start = i + 1;
    });
    if start < b.len() {
        out.push((start, b.len()));
    }
    out
}

/// Call `f` with the offset of every `\n` and `\r`, in order (memchr: the text between is
/// never looked at; measured faster than a SWAR bit-mask loop on 40-byte lines).
fn for_each_line_break(b: &[u8], f: impl FnMut(usize)) {
    memchr::memchr2_iter(b'\n', b'\r', b).for_each(f);
}

/// Line starts of a text, built once per file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 2);
        starts.push(0);
        // A line starts after every `\n`, and after every `\r` not followed by `\n`.
        for_each_line_break(bytes, |i| {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        });
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// 1-based line and 1-based column in Unicode characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let end = floor_char_boundary(text, offset.min(text.len()));
        let col = text.get(start..end).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }

    /// Byte range of a 1-based line, without its line ending.
    pub fn line_span(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self
            .starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or(text.len());
        let mut end = self.starts.get(line).copied().unwrap_or(text.len());
        let b = text.as_bytes();
        while end > start && matches!(b[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte splitter the memchr version replaced.
    fn ranges_naive(src: &str, from: usize) -> Vec<(usize, usize)> {
        let b = src.as_bytes();
        let (mut out, mut start) = (Vec::new(), from.min(b.len()));
        let mut i = start;
        while i < b.len() {
            match b[i] {
                b'\n' => {
                    out.push((start, i));
                    i += 1;
                    start = i;
                }
                b'\r' => {
                    out.push((start, i));
                    i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                    start = i;
                }
                _ => i += 1,
            }
        }
        if start < b.len() {
            out.push((start, b.len()));
        }
        out
    }

    #[test]
    fn ranges_match_a_byte_loop() {
        let long = "a\r\nbc\rdef\n\n小宝：好\r".repeat(20);
        for t in [
            "",
            "\n",
            "\r",
            "\r\n",
            "a",
            "a\nb",
            "a\r\nb\r\n",
            "a\rb\r\r\nc\n\n",
            "\r\r\n\n\r",
            "小宝：你好\r\n△走\r",
            long.as_str(),
        ] {
            for from in 0..=t.len() + 1 {
                assert_eq!(ranges(t, from), ranges_naive(t, from), "{t:?} {from}");
            }
            let b = t.as_bytes();
            let mut starts = vec![0];
            for i in 0..b.len() {
                if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                    starts.push(i + 1);
                }
            }
            assert_eq!(LineIndex::new(t).starts, starts, "{t:?}");
        }
    }

    #[test]
    fn lines_and_columns_count_chars() {
        let t = "ab\r\n小宝：你好\rx\ny";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_count(), 4);
        let off = t.find("你").unwrap();
        assert_eq!(idx.line_col(t, off), (2, 4));
        assert_eq!(idx.line_col(t, t.find('x').unwrap()), (3, 1));
        assert_eq!(&t[idx.line_span(t, 2)], "小宝：你好");
        assert_eq!(&t[idx.line_span(t, 1)], "ab");
    }
}
