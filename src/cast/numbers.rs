//! Numbers as scripts write ages: ASCII and full-width digits, Chinese numerals with ranges
//! (`七八岁` → 7, `十二三岁` → 12, `五十多岁` → 50) and English number words (`seven`,
//! `twenty-five`). A range reads as its lower bound: the script promises at least that age.

/// The value of one Chinese digit character.
fn zh_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Parse ASCII or full-width digits, or a Chinese numeral (with a trailing range digit ignored).
pub fn parse_num(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let mut n: u32 = 0;
        for c in s.chars() {
            let d = if c.is_ascii_digit() {
                c as u32 - '0' as u32
            } else {
                c as u32 - '０' as u32
            };
            n = n.checked_mul(10)?.checked_add(d)?;
        }
        return Some(n);
    }
    parse_zh(s)
}

/// Chinese numerals up to 199: `五`, `十二`, `二十七`, `一百`, with a range tail (`七八`, `十二三`).
fn parse_zh(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut total = 0u32;
    if chars.first() == Some(&'一') && chars.get(1) == Some(&'百') {
        total = 100;
        i = 2;
        if chars.get(i).is_some_and(|c| *c == '零' || *c == '〇') {
            i += 1;
        }
    }
    // Tens: `十`, `二十`.
    let first = chars.get(i).copied().and_then(zh_digit);
    match (first, chars.get(i).copied(), chars.get(i + 1).copied()) {
        (None, Some('十'), _) => {
            total += 10;
            i += 1;
        }
        (Some(d), _, Some('十')) => {
            total += d * 10;
            i += 2;
        }
        (Some(d), _, _) => {
            // A bare digit, maybe followed by a range digit (`七八`): the first one counts.
            return Some(total + d);
        }
        (None, _, _) => {
            return if total > 0 { Some(total) } else { None };
        }
    }
    // Units after the tens: `十二`, `二十七`; a further digit is a range tail (`十二三`).
    if let Some(d) = chars.get(i).copied().and_then(zh_digit) {
        total += d;
    }
    Some(total)
}

/// English number words up to ninety-nine.
pub fn parse_en_word(s: &str) -> Option<u32> {
    let lower = s.trim().to_ascii_lowercase();
    if let Ok(n) = lower.parse::<u32>() {
        return Some(n);
    }
    let mut total = 0;
    for part in lower.split(['-', ' ']).filter(|p| !p.is_empty()) {
        total += en_unit(part)?;
    }
    if total == 0 { None } else { Some(total) }
}

fn en_unit(w: &str) -> Option<u32> {
    const SMALL: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = SMALL.iter().position(|x| *x == w) {
        return Some(i as u32);
    }
    TENS.iter()
        .position(|x| *x == w)
        .map(|i| (i as u32 + 2) * 10)
}

/// Regex fragment for an English number word (for building patterns).
pub const EN_WORD_RE: &str = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)";

/// Regex fragment for a written number: digits or Chinese numerals.
pub const NUM_RE: &str = r"(?:[0-9０-９]{1,3}|[零〇一二两三四五六七八九十百]{1,4})";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse_num("五"), Some(5));
        assert_eq!(parse_num("十"), Some(10));
        assert_eq!(parse_num("十二"), Some(12));
        assert_eq!(parse_num("十二三"), Some(12));
        assert_eq!(parse_num("七八"), Some(7));
        assert_eq!(parse_num("五十"), Some(50));
        assert_eq!(parse_num("二十七"), Some(27));
        assert_eq!(parse_num("两"), Some(2));
        assert_eq!(parse_num("一百零二"), Some(102));
        assert_eq!(parse_num("６"), Some(6));
        assert_eq!(parse_num("50"), Some(50));
        assert_eq!(parse_num("百"), None);
        assert_eq!(parse_num(""), None);
        assert_eq!(parse_num("999999999999"), None);
    }

    #[test]
    fn english_words() {
        assert_eq!(parse_en_word("seven"), Some(7));
        assert_eq!(parse_en_word("Twenty-five"), Some(25));
        assert_eq!(parse_en_word("12"), Some(12));
        assert_eq!(parse_en_word("lots"), None);
    }
}
