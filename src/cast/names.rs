//! Character names: which strings are names, how a cast list entry splits into a name and a
//! descriptor, and what a name's form says (`小宝`, `X宝`, `豆豆` lean child; `王老师`,
//! `MS. GREEN` are adults). See TAXONOMY.md §D.1 #7.

/// CJK ideographs (the characters Chinese names are written in).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Whether a name is written in Chinese (compared by suffix, no word boundaries).
pub fn is_zh(name: &str) -> bool {
    name.chars().any(is_cjk)
}

/// `str::trim`, answered from the end bytes when neither end can be whitespace (names from
/// the parsers are already trimmed): the zh parser's trim, which its tests check against
/// `str::trim` for every character.
pub(crate) use crate::script::zh::std_trim as trim;

/// Key for looking a name up: ASCII names ignore case (`ZOE` = `Zoe`).
pub fn key(name: &str) -> String {
    key_cow(name).into_owned()
}

/// [`key`] without allocating when upper-casing changes nothing (Chinese names, CAPS names):
/// ideographs, `·` and ASCII other than lowercase letters have no case mapping.
pub fn key_cow(name: &str) -> std::borrow::Cow<'_, str> {
    let t = trim(name);
    let caseless = |c: char| (c.is_ascii() && !c.is_ascii_lowercase()) || is_cjk(c) || c == '·';
    if t.chars().all(caseless) {
        std::borrow::Cow::Borrowed(t)
    } else {
        std::borrow::Cow::Owned(t.to_uppercase())
    }
}

/// `ZOE STERLING` → `Zoe Sterling`, `MS. GREEN` → `Ms. Green`, `O'BRIEN` → `O'Brien`.
pub fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = matches!(c, ' ' | '-' | '\'' | '’');
        }
    }
    out
}

/// Speaker-like labels (see [`is_label`]).
const LABELS: &[&str] = &[
    "年龄",
    "年纪",
    "性别",
    "身份",
    "职业",
    "简介",
    "性格",
    "外貌",
    "人物",
    "人物小传",
    "人物介绍",
    "备注",
    "编剧",
    "导演",
    "出品",
    "剧名",
    "片名",
    "类型",
    "集数",
    "时长",
    "字幕",
    "注",
    "场景",
    "地点",
    "时间",
    "提示",
    "画面",
    "镜头",
    "特写",
    "音效",
    "背景",
    "主题",
    "梗概",
    "故事梗概",
    "角色",
    "出场人物",
    "出场",
    "TITLE",
    "CREDIT",
    "AUTHOR",
    "AUTHORS",
    "SOURCE",
    "NOTES",
    "NOTE",
    "DRAFT DATE",
    "CONTACT",
    "CAST",
    "SUPER",
    "INSERT",
    "CHARACTERS",
    "EPISODE",
    "FORMAT",
];

/// The first character of every label in [`is_label`] (a unit test keeps them in step).
const LABEL_FIRST: &str = "年性身职简外人备编导出剧片类集时字注场地提画镜特音背主梗故角TCASNDIEF";

/// Speaker-like labels that are bio fields or title keys, not characters.
pub fn is_label(name: &str) -> bool {
    let k = key_cow(name);
    // Most names share no first character with any label: skip the list for them.
    let Some(first) = k.chars().next() else {
        return false;
    };
    if !LABEL_FIRST.contains(first) {
        return false;
    }
    LABELS.contains(&k.as_ref())
}

/// Whether a string can be a character's name.
pub fn valid_name(name: &str) -> bool {
    let n = trim(name);
    if n.is_empty() || n.len() > 48 || n.chars().any(|c| c.is_ascii_digit()) || is_label(n) {
        return false;
    }
    if is_zh(n) {
        let count = n.chars().count();
        return (1..=8).contains(&count) && n.chars().all(|c| is_cjk(c) || c == '·' || c == '•');
    }
    let words: Vec<&str> = n.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
        })
}

/// Split a cast list into items (byte ranges of `text`): `、，,；;` and spaces outside brackets
/// for Chinese, `;` (or `,` between names) for English.
pub fn split_items(text: &str) -> Vec<std::ops::Range<usize>> {
    let zh = is_zh(text);
    let semicolons = text.contains(';') || text.contains('；');
    let mut items = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' | '【' | '[' => depth += 1,
            '）' | ')' | '】' | ']' => depth = (depth - 1).max(0),
            _ => {}
        }
        let sep = depth == 0
            && if zh {
                matches!(c, '、' | '，' | ',' | '；' | ';' | '/' | '／') || c.is_whitespace()
            } else if semicolons {
                matches!(c, ';' | '；')
            } else {
                c == ','
            };
        if sep {
            items.push(start..i);
            start = i + c.len_utf8();
        }
    }
    items.push(start..text.len());
    if !zh && !semicolons {
        items = join_descriptors(text, items);
    }
    items.retain(|r| !text[r.clone()].trim().is_empty());
    items
}

/// English lists split on commas: a part that does not start with a name (`6`, `CEO of X`,
/// `heiress to …`) belongs to the item before it.
fn join_descriptors(text: &str, parts: Vec<std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for p in parts {
        let head = item_name(&text[p.clone()]).map(|(_, n)| n);
        let starts_name = head.is_some_and(|n| {
            n.chars().all(|c| !c.is_lowercase()) && !is_stop_caps(n) && valid_name(n)
        });
        match out.last_mut() {
            Some(last) if !starts_name => last.end = p.end,
            _ => out.push(p),
        }
    }
    out
}

/// An item's name: (offset in the item, name), before `（`, `(`, `,`, `:`, ` - `, `—`.
pub fn item_name(item: &str) -> Option<(usize, &str)> {
    let lead = item.len() - item.trim_start().len();
    let mut s = &item[lead..];
    let mut off = lead;
    for marker in ["- ", "* ", "+ ", "• ", "· ", "**", "△", "▲"] {
        if let Some(rest) = s.strip_prefix(marker) {
            off += marker.len();
            s = rest;
        }
    }
    let trimmed = s.trim_start();
    off += s.len() - trimmed.len();
    s = trimmed;
    let end = s
        .find(['（', '(', ',', '，', ':', '：', '—', '–', '*', '['])
        .into_iter()
        .chain(s.find(" - "))
        .min()
        .unwrap_or(s.len());
    let name = s[..end].trim_end();
    if name.is_empty() {
        None
    } else {
        Some((off, name))
    }
}

/// Words in CAPS that are screenplay vocabulary, not names.
pub fn is_stop_caps(word: &str) -> bool {
    const STOP: &[&str] = &[
        "INT",
        "EXT",
        "I/E",
        "INT/EXT",
        "DAY",
        "NIGHT",
        "MORNING",
        "EVENING",
        "CONTINUOUS",
        "LATER",
        "MOMENTS",
        "CUT",
        "TO",
        "FADE",
        "IN",
        "OUT",
        "DISSOLVE",
        "SMASH",
        "MATCH",
        "CLOSE",
        "ON",
        "ANGLE",
        "POV",
        "INSERT",
        "BACK",
        "SCENE",
        "FLASHBACK",
        "END",
        "OF",
        "THE",
        "AN",
        "AND",
        "SUPER",
        "TITLE",
        "CARD",
        "NOTE",
        "V.O",
        "O.S",
        "O.C",
        "CONT'D",
        "MONTAGE",
        "SERIES",
        "SHOTS",
        "INTERCUT",
        "WITH",
        "OK",
        "TV",
        "CEO",
        "CFO",
        "FBI",
        "CIA",
        "USA",
        "NYC",
        "LA",
        "UK",
        "EU",
        "ID",
        "DNA",
        "ICU",
        "ER",
        "VIP",
        "GPS",
        "OMG",
        "WIDE",
        "SHOT",
        "ESTABLISHING",
        "SFX",
        "VFX",
        "BEAT",
        "PAUSE",
        "SILENCE",
        "BANG",
        "CRASH",
        "BOOM",
        "RING",
        "BUZZ",
        "SLAM",
        "THUD",
        "NO",
        "YES",
        "STOP",
        "HELP",
        "NOW",
        "NEVER",
        "NOT",
        "ALL",
        "EVERYONE",
        "CROWD",
        "BOTH",
        "TOGETHER",
        "PHONE",
        "TEXT",
        "SMS",
        "VO",
        "OS",
        "FREEZE",
        "FRAME",
        "PM",
        "AM",
        "TBD",
        "CONT",
        "MORE",
        "SLOW",
        "MOTION",
        "SPLIT",
        "SCREEN",
        "PRE-LAP",
        "ECU",
        "CU",
        "MCU",
        "WS",
        "MS",
        "LS",
        "OTS",
        "ATM",
        "HQ",
        "IPO",
        "AI",
        "IT",
        "PR",
        "HR",
        "CAST",
        "NOTES",
    ];
    // Every stop word starts with an ASCII capital: other words (Chinese names) skip the list.
    if !word.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let w = word.trim_end_matches('.').trim_end_matches(':');
    STOP.contains(&w)
}

/// Common surnames: `小陈`, `小王` are adult nicknames (a junior colleague), not child names.
pub fn is_common_surname(c: char) -> bool {
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
        .contains(c)
}

/// Kinship and title characters: names ending in them are adults (`张妈`, `周姐`, `刘叔`).
fn is_elder_char(c: char) -> bool {
    "妈爸爷奶叔姨婶舅姑伯婆嫂姐哥".contains(c)
}

/// What a name's form says: (cue, weight). At most one of each.
pub fn name_cues(name: &str) -> Vec<(&'static str, f32)> {
    let mut out = Vec::new();
    let n = trim(name);
    let chars: Vec<char> = n.chars().collect();
    if is_zh(n) {
        zh_name_cues(&chars, &mut out);
    } else {
        en_name_cues(&key(n), &mut out);
    }
    out
}

/// The first characters of `ADULT_WORDS` in [`zh_name_cues`] (a unit test checks them).
const ADULT_FIRSTS: &str = "老秘护医经司管保律警助总先太夫董主阿叔";

/// Words that make a Chinese name a diminutive wherever they are in it.
const DIMINUTIVE_WORDS: [&str; 7] = ["萌宝", "崽", "团子", "奶包", "囡囡", "宝宝", "小宝"];

/// The first characters of [`DIMINUTIVE_WORDS`] (a unit test checks them).
const DIMINUTIVE_FIRSTS: &str = "萌崽团奶囡宝小";

/// Adult roles that make a Chinese name an adult's wherever they are in it.
const ADULT_WORDS: [&str; 22] = [
    "老师",
    "秘书",
    "护士",
    "医生",
    "经理",
    "司机",
    "管家",
    "保姆",
    "律师",
    "警官",
    "助理",
    "总裁",
    "先生",
    "太太",
    "夫人",
    "董事长",
    "老板",
    "主任",
    "阿姨",
    "叔叔",
    "老爷",
    "老太",
];

fn zh_name_cues(chars: &[char], out: &mut Vec<(&'static str, f32)>) {
    let s: String = chars.iter().collect();
    let child_noun_end = [
        "孩子们",
        "小朋友们",
        "小朋友",
        "孩子",
        "小孩",
        "小男孩",
        "小女孩",
        "男孩",
        "女孩",
    ];
    if child_noun_end.iter().any(|w| s.ends_with(w)) {
        out.push(("child-noun", 0.6));
        return;
    }
    let elder_end = chars.len() >= 2
        && chars.last().is_some_and(|c| is_elder_char(*c))
        && !(chars.len() == 2
            && chars[0] == chars[1]
            && !"妈爸爷奶叔姨婶舅姑伯婆嫂".contains(chars[0]));
    // A word can be in the name only if its first character is (most names have none).
    let adult_word = chars.iter().any(|c| ADULT_FIRSTS.contains(*c))
        && ADULT_WORDS.iter().any(|w| s.contains(w));
    if adult_word || elder_end || s.ends_with('总') {
        out.push(("adult-role", -0.3));
        return;
    }
    if matches!(
        s.as_str(),
        "大宝" | "二宝" | "三宝" | "四宝" | "五宝" | "六宝"
    ) {
        out.push(("sibling-name", 0.4));
    }
    let diminutive = match chars {
        ['小', x] => !is_common_surname(*x),
        [a, b] if a == b => true,
        [_, '宝'] | [_, '宝', '宝'] => true,
        _ => {
            chars.iter().any(|c| DIMINUTIVE_FIRSTS.contains(*c))
                && DIMINUTIVE_WORDS.iter().any(|w| s.contains(w))
        }
    };
    if diminutive {
        out.push(("name-form", 0.2));
    }
}

fn en_name_cues(upper: &str, out: &mut Vec<(&'static str, f32)>) {
    const ADULT_TITLES: &[&str] = &[
        "MR",
        "MRS",
        "MS",
        "MISS",
        "DR",
        "AUNT",
        "UNCLE",
        "GRANDMA",
        "GRANDPA",
        "GRANDMOTHER",
        "GRANDFATHER",
        "NANNY",
        "OFFICER",
        "DETECTIVE",
        "COACH",
        "PRINCIPAL",
        "MADAME",
        "MADAM",
        "SIR",
        "LADY",
        "LORD",
        "NURSE",
        "JUDGE",
        "PROFESSOR",
        "CAPTAIN",
        "BOSS",
        "MOM",
        "DAD",
        "MOTHER",
        "FATHER",
        "GRANNY",
        "AGENT",
        "SERGEANT",
        "MAYOR",
        "CEO",
        "DIRECTOR",
        "RECEPTIONIST",
        "SECRETARY",
        "ASSISTANT",
        "LAWYER",
        "DOCTOR",
        "DRIVER",
        "BUTLER",
        "MAID",
        "TEACHER",
        "WAITER",
        "WAITRESS",
        "GUARD",
        "BODYGUARD",
        "MANAGER",
    ];
    const CHILD_NOUNS: &[&str] = &[
        "KID",
        "KIDS",
        "CHILD",
        "CHILDREN",
        "LITTLE GIRL",
        "LITTLE BOY",
        "TODDLER",
        "BABY",
        "SCHOOLGIRL",
        "SCHOOLBOY",
        "CHILDREN (ALL)",
    ];
    const DIMINUTIVES: &[&str] = &[
        "TOMMY", "TIMMY", "BILLY", "SUSIE", "BOBBY", "JIMMY", "JOHNNY", "SALLY", "DANNY", "BENNY",
        "JOEY", "LIZZIE", "MAISIE", "TILLY", "ELLIE", "SAMMY", "FREDDIE", "CHARLIE", "ROSIE",
        "LUCY", "MOLLY", "POLLY", "WINNIE", "TEDDY", "BUNNY", "PIP", "BEAR",
    ];
    if CHILD_NOUNS.contains(&upper) {
        out.push(("child-noun", 0.6));
        return;
    }
    if ["BOY", "GIRL"].contains(&upper) {
        out.push(("child-noun", 0.3));
        return;
    }
    let first = upper.split([' ', '.']).next().unwrap_or("");
    if ADULT_TITLES.contains(&first) || upper.ends_with("'S MOM") || upper.ends_with("'S DAD") {
        out.push(("adult-role", -0.3));
        return;
    }
    let little = ["LITTLE", "BABY", "LIL", "LIL'"].contains(&first) && upper.contains(' ');
    if little || DIMINUTIVES.contains(&first) {
        out.push(("name-form", 0.2));
    }
}

/// Whether `short` names the same person as `long` (`ZOE` / `ZOE STERLING`; `小宝` / `林小宝`,
/// `小周` / `秘书小周`): the first word in English, a suffix at most two characters shorter in
/// Chinese. `小宝` / `小宝妈妈` is NOT a match (a different person named after the child).
/// The cast model asks this through the index in `forms.rs`; this is its specification, which
/// the tests compare the index with.
#[cfg(test)]
pub fn same_person(short: &str, long: &str) -> bool {
    if short == long {
        return true;
    }
    if is_zh(short) != is_zh(long) {
        return false;
    }
    if is_zh(short) {
        let s = short.chars().count();
        let l = long.chars().count();
        return s >= 2 && l > s && l - s <= 2 && long.ends_with(short);
    }
    let ks = key(short);
    let kl = key(long);
    !ks.contains(' ')
        && kl.split_whitespace().next() == Some(ks.as_str())
        && kl.split_whitespace().count() > 1
        && !is_stop_caps(&ks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_character_lists_match_the_words() {
        let firsts = |ws: &[&str]| {
            let mut v: Vec<char> = ws.iter().filter_map(|w| w.chars().next()).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let sorted = |s: &str| {
            let mut v: Vec<char> = s.chars().collect();
            v.sort_unstable();
            v
        };
        assert_eq!(sorted(ADULT_FIRSTS), firsts(&ADULT_WORDS));
        assert_eq!(sorted(DIMINUTIVE_FIRSTS), firsts(&DIMINUTIVE_WORDS));
    }

    #[test]
    fn trim_is_std_trim() {
        let ends = [
            "", " ", "\t", "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}", "\u{200a}", "\u{200b}",
            "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}", "\u{feff}", "\u{1c}", "a",
            "宝", "·", "é", "\u{2080}", "\u{3001}", "\u{1681}",
        ];
        for a in ends {
            for mid in ["", "小宝", "ZOE", " x "] {
                for z in ends {
                    let s = format!("{a}{mid}{z}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                }
            }
        }
        // Every character: alone and at either end.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("x{c}"), format!("{c}x")] {
                assert_eq!(trim(&s), s.trim(), "{s:?}");
            }
        }
    }

    #[test]
    fn items() {
        let t = "小宝（6岁，林家的儿子）、林墨琛（35岁） 张妈";
        let got: Vec<&str> = split_items(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            got,
            vec!["小宝（6岁，林家的儿子）", "林墨琛（35岁）", "张妈"]
        );
        let t = "ADAM WEST (34), CEO of West Co; LILY (6), his daughter";
        let got: Vec<&str> = split_items(t).into_iter().map(|r| t[r].trim()).collect();
        assert_eq!(
            got,
            vec!["ADAM WEST (34), CEO of West Co", "LILY (6), his daughter"]
        );
        let t = "LILY (6), MAX (8), ANNA";
        assert_eq!(split_items(t).len(), 3);
        let t = "- ZOE WEST, 6, heiress to West Co";
        assert_eq!(split_items(t).len(), 1);
    }

    #[test]
    fn item_names() {
        assert_eq!(
            item_name("- ZOE WEST, 6, heir").map(|x| x.1),
            Some("ZOE WEST")
        );
        assert_eq!(item_name("小宝（6岁）").map(|x| x.1), Some("小宝"));
        assert_eq!(
            item_name("**MS. GREEN**, teacher").map(|x| x.1),
            Some("MS. GREEN")
        );
    }

    #[test]
    fn forms() {
        assert_eq!(name_cues("小宝"), vec![("name-form", 0.2)]);
        assert!(name_cues("小陈").is_empty());
        assert_eq!(name_cues("豆豆"), vec![("name-form", 0.2)]);
        assert_eq!(name_cues("张妈"), vec![("adult-role", -0.3)]);
        assert_eq!(name_cues("妈妈"), vec![("adult-role", -0.3)]);
        assert_eq!(name_cues("王老师"), vec![("adult-role", -0.3)]);
        assert_eq!(name_cues("MS. GREEN"), vec![("adult-role", -0.3)]);
        assert_eq!(name_cues("孩子们"), vec![("child-noun", 0.6)]);
        assert!(name_cues("林墨琛").is_empty());
    }

    #[test]
    fn person_matching() {
        assert!(same_person("ZOE", "ZOE WEST"));
        assert!(same_person("小宝", "林小宝"));
        assert!(same_person("小周", "秘书小周"));
        assert!(!same_person("小宝", "小宝妈妈"));
        assert!(!same_person("宝", "林宝"));
        assert!(!same_person("ZOE", "ZOEY"));
    }

    #[test]
    fn label_first_chars() {
        for l in LABELS {
            assert!(is_label(l), "{l}");
        }
        assert!(!is_label("陆景深"));
        assert!(!is_label("年轻人"));
    }

    #[test]
    fn title_cases() {
        assert_eq!(title_case("ZOE STERLING"), "Zoe Sterling");
        assert_eq!(title_case("MS. GREEN"), "Ms. Green");
        assert_eq!(title_case("O'BRIEN"), "O'Brien");
    }
}
