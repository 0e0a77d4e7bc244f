//! Byte offsets to 1-based lines and character columns, computed only for output.
//! CR, LF and CRLF all end a line.

/// Line ranges as (start, end without the line ending), from byte `from` on; LF, CRLF and a
/// lone CR all end a line. The parsers' one line splitter.
pub fn ranges(src: &str, from: usize) -> Vec<(usize, usize)> {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 32 + 1);
    let mut start = from.min(b.len());
    if !b.contains(&b'\r') {
        // LF only (almost every file): `str::find` on a char searches with memchr.
        while let Some(i) = src.get(start..).and_then(|rest| rest.find('\n')) {
            out.push((start, start + i));
            start += i + 1;
        }
        if start < b.len() {
            out.push((start, b.len()));
        }
        return out;
    }
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

/// Line starts of a text, built once per file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
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
