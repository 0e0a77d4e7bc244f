//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, and GB18030/GBK when the bytes
//! are not UTF-8. Binary files are refused rather than decoded into noise.

use super::ParseError;

/// Decoded text and the name of the encoding that was assumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decode a script's bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ParseError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match utf8(rest) {
            Ok(t) => text_or_binary(t.to_owned(), "utf-8-bom"),
            Err(valid_up_to) => Err(ParseError::Undecodable(3 + valid_up_to)),
        };
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, encoding_rs::UTF_16LE, "utf-16le");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, encoding_rs::UTF_16BE, "utf-16be");
    }
    if let Some(kind) = binary_signature(bytes) {
        return Err(ParseError::Binary(kind));
    }
    if looks_like_bomless_utf16(bytes) {
        return Err(ParseError::Utf16WithoutBom);
    }
    match utf8(bytes) {
        Ok(t) => text_or_binary(t.to_owned(), "utf-8"),
        Err(valid_up_to) => {
            let (text, had_errors) = encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|t| (t, false))
                .unwrap_or_else(|| (std::borrow::Cow::Borrowed(""), true));
            if had_errors {
                return Err(ParseError::Undecodable(valid_up_to));
            }
            text_or_binary(text.into_owned(), "gb18030")
        }
    }
}

/// Validate UTF-8 once, with encoding_rs's SIMD validator (simdutf8 underneath; several times
/// faster than `std::str::from_utf8` on Chinese text). `Err` holds the length of the valid
/// prefix, as `Utf8Error::valid_up_to` would.
fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    match encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(std::borrow::Cow::Borrowed(t)) => Ok(t),
        // Valid UTF-8 is always borrowed: an owned answer would be a surprise, checked the
        // standard way.
        Some(std::borrow::Cow::Owned(_)) => std::str::from_utf8(bytes).map_err(|e| e.valid_up_to()),
        None => Err(encoding_rs::Encoding::utf8_valid_up_to(bytes)),
    }
}

fn utf16(
    rest: &[u8],
    enc: &'static encoding_rs::Encoding,
    name: &'static str,
) -> Result<Decoded, ParseError> {
    match enc.decode_without_bom_handling_and_without_replacement(rest) {
        Some(t) => text_or_binary(t.into_owned(), name),
        None => Err(ParseError::Undecodable(2)),
    }
}

/// Text with NUL or many control characters is a binary file that happened to decode.
fn text_or_binary(text: String, encoding: &'static str) -> Result<Decoded, ParseError> {
    // Almost every script has no byte that could be part of a control character: skip the
    // counting then (it cannot refuse such a text).
    if !text
        .as_bytes()
        .chunks(64)
        .any(|c| c.iter().fold(false, |acc, &x| acc | suspicious(x)))
    {
        return Ok(Decoded { text, encoding });
    }
    let (controls, chars, nul) = control_stats(text.as_bytes());
    if nul || controls * 20 > chars.max(1) {
        return Err(ParseError::Binary("control characters"));
    }
    Ok(Decoded { text, encoding })
}

/// A byte that may belong to a control character: C0 other than `\n \r \t \x0c` (NUL
/// included), DEL, or `C2` (the lead byte of C1 controls). Branch-free so chunks vectorize.
fn suspicious(x: u8) -> bool {
    ((x < 0x20) & (x != b'\n') & (x != b'\r') & (x != b'\t') & (x != 0x0C))
        | (x == 0x7F)
        | (x == 0xC2)
}

/// Over valid UTF-8: the number of control characters (C0 other than `\n \r \t \x0c`, DEL,
/// and C1 U+0080..U+009F, which is `C2 80..9F`), the number of characters, and whether a NUL
/// occurs. One pass over the bytes instead of three over the chars.
fn control_stats(b: &[u8]) -> (usize, usize, bool) {
    // Branch-free counting loops, so the compiler can vectorize them.
    let chars = b.iter().filter(|&&x| x & 0xC0 != 0x80).count();
    let c0 = b
        .iter()
        .filter(|&&x| (x < 0x20 && !matches!(x, b'\n' | b'\r' | b'\t' | 0x0C)) || x == 0x7F)
        .count();
    let c1 = b
        .windows(2)
        .filter(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]))
        .count();
    (c0 + c1, chars, b.contains(&0))
}

/// UTF-16 saved without a BOM: ASCII characters (digits, spaces, newlines) leave a NUL in every
/// other byte, all on one side. Binary files have NULs scattered on both sides.
fn looks_like_bomless_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return false;
    }
    let pairs = sample.len() / 2;
    let (mut even, mut odd) = (0, 0);
    for p in sample.chunks_exact(2) {
        even += usize::from(p[0] == 0);
        odd += usize::from(p[1] == 0);
    }
    let (many, few) = if even > odd { (even, odd) } else { (odd, even) };
    // Several ASCII characters, at least a fifth of all, and NULs on the other side rare (a CJK
    // character such as 一, U+4E00, puts one there).
    many >= 4
        && many * 5 >= pairs
        && few * 10 <= many
        && sample.chunks_exact(2).all(|p| p != [0, 0])
}

/// Well-known binary headers, named in the error message.
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGS: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"\x7FELF", "ELF executable"),
        (b"MZ", "Windows executable"),
        (b"PK\x03\x04", "zip archive"),
        (b"\x1F\x8B", "gzip archive"),
        (b"\xD0\xCF\x11\xE0", "legacy Office document"),
    ];
    SIGS.iter()
        .find(|(sig, _)| bytes.starts_with(sig))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain_and_bom() {
        assert_eq!(decode("小宝：你好".as_bytes()).unwrap().encoding, "utf-8");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("小宝".as_bytes());
        let d = decode(&b).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("小宝", "utf-8-bom"));
    }

    #[test]
    fn utf16_both_orders() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in "小宝：好".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, "小宝：好");
        assert_eq!(decode(&le).unwrap().encoding, "utf-16le");
        assert_eq!(decode(&be).unwrap().text, "小宝：好");
        assert_eq!(decode(&be).unwrap().encoding, "utf-16be");
    }

    #[test]
    fn gbk_bytes() {
        let (bytes, _, _) = encoding_rs::GBK.encode("1-1 日 内 客厅\n小宝：爹地！");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.text, "1-1 日 内 客厅\n小宝：爹地！");
    }

    #[test]
    fn binary_refused() {
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0"),
            Err(ParseError::Binary("PNG image"))
        ));
        assert!(matches!(decode(b"abc\0def"), Err(ParseError::Binary(_))));
        assert!(matches!(
            decode(&[0x80, 0xFF, 0xFF, 0x30]),
            Err(ParseError::Undecodable(0))
        ));
    }

    #[test]
    fn utf16_without_bom_named() {
        let le: Vec<u8> = "1-1 日 内 客厅\n小宝：好\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&le), Err(ParseError::Utf16WithoutBom));
        let be: Vec<u8> = "INT. ROOM\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&be), Err(ParseError::Utf16WithoutBom));
        assert!(matches!(decode(b"ab\0\0cd\0e"), Err(ParseError::Binary(_))));
    }

    #[test]
    fn control_stats_match_char_counts() {
        for t in [
            "",
            "abc",
            "a\0b",
            "小宝\u{85}\u{9f}\u{a0}\x7f\x01\n\r\t\x0c",
            "\u{80}é",
        ] {
            let controls = t
                .chars()
                .filter(|&c| {
                    c == '\0' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c'))
                })
                .count();
            let want = (controls, t.chars().count(), t.contains('\0'));
            assert_eq!(control_stats(t.as_bytes()), want, "{t:?}");
        }
    }

    #[test]
    fn undecodable_offset_is_the_valid_prefix() {
        // Neither UTF-8 nor GB18030: the offset is where UTF-8 stops being valid, as the
        // standard library counts it.
        for b in [
            &[0x80, 0xFF, 0xFF, 0x30][..],
            &[b'a', b'b', 0xE4, 0xB8, 0xFF, 0xFF][..],
            &[0xE5, 0xB0, 0x8F, 0xFF, 0x80, 0x80, 0x80][..],
        ] {
            let want = std::str::from_utf8(b).unwrap_err().valid_up_to();
            assert_eq!(decode(b), Err(ParseError::Undecodable(want)), "{b:?}");
            assert_eq!(utf8(b), Err(want), "{b:?}");
        }
        let long = "小宝：你好\n".repeat(40);
        assert_eq!(utf8(long.as_bytes()), Ok(long.as_str()));
        let mut bad = long.clone().into_bytes();
        bad.insert(100, 0xFF);
        let want = std::str::from_utf8(&bad).unwrap_err().valid_up_to();
        assert_eq!(utf8(&bad), Err(want));
    }

    #[test]
    fn empty_and_bom_only() {
        assert_eq!(decode(b"").unwrap().text, "");
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF]).unwrap().text, "");
    }
}
