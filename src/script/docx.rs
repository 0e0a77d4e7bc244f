//! Word (`.docx`) files: the paragraphs of `word/document.xml` as plain text, one paragraph a
//! line, which the caller then reads as the plain layout it is written in (Chinese or Fountain).
//!
//! A `.docx` is a zip archive from an untrusted source, so the decompressed size read is capped:
//! a zip bomb is an error, not an out-of-memory crash.

use super::ParseError;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// The most `word/document.xml` may decompress to.
pub const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// The paragraphs of a .docx file as plain text, one paragraph a line.
pub fn extract_text(bytes: &[u8]) -> Result<String, ParseError> {
    extract_text_limited(bytes, MAX_DOCUMENT_XML)
}

/// [`extract_text`] with a chosen cap on the decompressed document size.
pub fn extract_text_limited(bytes: &[u8], limit: u64) -> Result<String, ParseError> {
    let xml = read_document_xml(bytes, limit)?;
    paragraphs(xml.strip_prefix('\u{feff}').unwrap_or(&xml))
}

fn read_document_xml(bytes: &[u8], limit: u64) -> Result<String, ParseError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ParseError::Docx(format!("not a zip archive ({e})")))?;
    let file = archive
        .by_name("word/document.xml")
        .map_err(|e| ParseError::Docx(format!("no word/document.xml ({e})")))?;
    let mut raw = Vec::new();
    // Read one byte past the limit to tell "exactly at the limit" from "over it"; the size in
    // the zip header is not trusted.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(|e| ParseError::Docx(format!("word/document.xml is damaged ({e})")))?;
    if raw.len() as u64 > limit {
        return Err(ParseError::Docx(format!(
            "word/document.xml decompresses to more than {limit} bytes"
        )));
    }
    String::from_utf8(raw)
        .map_err(|e| ParseError::Docx(format!("word/document.xml is not UTF-8 ({e})")))
}

/// One line per `<w:p>`: `<w:t>` texts joined, `<w:tab/>` a tab, `<w:br/>`/`<w:cr/>` a newline.
fn paragraphs(xml: &str) -> Result<String, ParseError> {
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    let mut out = String::new();
    // Inside `<w:t>`: only those texts are document words (not field codes or deleted text).
    let mut in_t = false;
    let mut in_paragraph = false;
    // Inside `<mc:Fallback>`: a copy of the text box content just read from `<mc:Choice>`.
    let mut fallback = 0usize;
    loop {
        let event = reader.read_event();
        if fallback > 0 {
            match &event {
                Ok(Event::Start(e)) if e.local_name().as_ref() == b"Fallback" => fallback += 1,
                Ok(Event::End(e)) if e.local_name().as_ref() == b"Fallback" => fallback -= 1,
                _ => {}
            }
            // The end of input (or an error) is handled below, whatever the nesting.
            if !matches!(event, Ok(Event::Eof) | Err(_)) {
                continue;
            }
        }
        match event {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"t" => in_t = true,
                b"p" => in_paragraph = true,
                b"Fallback" => fallback = 1,
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"tab" => out.push('\t'),
                b"br" | b"cr" => out.push('\n'),
                b"noBreakHyphen" => out.push('-'),
                b"p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"t" => in_t = false,
                b"p" => {
                    in_paragraph = false;
                    in_t = false;
                    out.push('\n');
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_t => {
                if let Ok(s) = t.decode() {
                    out.push_str(&s);
                }
            }
            Ok(Event::CData(t)) if in_t => {
                if let Ok(s) = t.decode() {
                    out.push_str(&s);
                }
            }
            Ok(Event::GeneralRef(r)) if in_t => push_entity(&mut out, &r),
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(ParseError::Docx(format!(
                    "word/document.xml is not well-formed XML ({e})"
                )));
            }
            Ok(_) => {}
        }
    }
    if in_paragraph {
        out.push('\n');
    }
    Ok(out)
}

/// `&amp;`, `&#x4E00;`: the character they stand for; unknown entities are kept as written.
fn push_entity(out: &mut String, r: &quick_xml::events::BytesRef) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
        return;
    }
    let Ok(name) = r.decode() else {
        return;
    };
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => out.push_str(s),
        None => {
            out.push('&');
            out.push_str(&name);
            out.push(';');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(document: &[u8]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("word/document.xml", opts).unwrap();
        w.write_all(document).unwrap();
        w.finish().unwrap();
        buf.into_inner()
    }

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>1-1 日 内 客厅</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">小宝：</w:t></w:r><w:r><w:t>爹地 &amp; 妈咪&#x4E00;</w:t></w:r></w:p>
<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>
<w:p/>
<w:p><w:r><w:instrText>PAGE</w:instrText><w:delText>gone</w:delText></w:r></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>
</w:body></w:document>"#;

    #[test]
    fn paragraphs_are_lines() {
        let text = extract_text(&docx(DOC.as_bytes())).unwrap();
        assert_eq!(
            text,
            "1-1 日 内 客厅\n小宝：爹地 & 妈咪一\na\tb\nc\n\n\nbox\n\n"
        );
    }

    #[test]
    fn errors_are_docx_errors() {
        assert!(matches!(
            extract_text(b"not a zip"),
            Err(ParseError::Docx(_))
        ));
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        w.start_file("other.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.finish().unwrap();
        let err = extract_text(&buf.into_inner()).unwrap_err();
        assert!(err.to_string().contains("document.xml"), "{err}");
        let broken = docx(b"<w:p><w:t>a</w:t></w:p><<<");
        assert!(matches!(extract_text(&broken), Err(ParseError::Docx(_))));
        // Input ending inside a fallback block ends the reading.
        let open = docx(b"<w:p><w:t>a</w:t></w:p><mc:Fallback><w:p><w:t>b");
        assert_eq!(extract_text(&open).unwrap(), "a\n");
    }

    #[test]
    fn decompressed_size_is_capped() {
        let big = format!("<w:p><w:t>{}</w:t></w:p>", "a".repeat(10_000));
        let bytes = docx(big.as_bytes());
        assert!(extract_text_limited(&bytes, 1_000).is_err());
        assert!(extract_text_limited(&bytes, 20_000).is_ok());
    }
}
