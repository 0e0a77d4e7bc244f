//! The cue words of TAXONOMY.md §D.1, each with what it says about a character, how much it
//! counts, and how it is linked to the character it describes. Compiled once into one
//! leftmost-longest automaton, so compounds (`幼儿园老师`, `first-grade teacher`) win over the
//! words they contain (`幼儿园`, `first-grade`).

use super::finder::WordFinder;
use std::sync::LazyLock;

/// How a cue found in running text finds the character it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The character the clause is about: the nearest name before the cue in the clause
    /// (`小宝背着书包`, `NOAH, who wears a school uniform`).
    Subject,
    /// The one acted on: the name right after the verb (`抱起小宝`, `picks Lily up`), `把X抱…`,
    /// or a pronoun resolved to the last other character mentioned.
    Object,
    /// Only the dialogue speaker (`爹地，…` said by the child).
    Speaker,
    /// Said TO someone in dialogue, in address position (`宝贝，…`, `…, kiddo.`).
    Vocative,
    /// A noun linked to a name by apposition or description (`小男孩小宝`, `Lily, a little girl`).
    Apposition,
    /// Counts only inside a descriptor attached to a name (a cast list entry, `小宝（…）`).
    Descriptor,
}

/// One entry of the lexicon.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Evidence cue name.
    pub cue: &'static str,
    pub weight: f32,
    pub link: Link,
    /// When the word is also an address form (`小朋友`, `kid`): the weight as a vocative.
    pub vocative: Option<f32>,
}

/// Cue categories and how much each can add at most (§D.2: care cues 0.15 each, cap 0.45).
pub fn cap(cue: &str) -> f32 {
    match cue {
        "school" | "child-noun" => 0.6,
        "care" => 0.45,
        "addressed-as-child" | "sibling-name" => 0.4,
        "calls-adult" | "carried" => 0.3,
        "speech" | "kinship" | "name-form" => 0.2,
        "title-prior" => 0.1,
        "adult-role" => -0.6,
        _ => 1.0,
    }
}

/// Categories whose full weight alone says "child" (§D.1 #4–#5): they stop adult cues counting.
pub fn is_strong(cue: &str) -> bool {
    matches!(cue, "school" | "child-noun")
}

const SCHOOL_PLACES_ZH: &[&str] = &[
    "幼儿园",
    "小学",
    "一年级",
    "二年级",
    "三年级",
    "四年级",
    "五年级",
    "六年级",
    "学前班",
    "托班",
    "小班",
    "中班",
    "大班",
];
const SCHOOL_PLACES_EN: &[&str] = &[
    "kindergarten",
    "preschool",
    "pre-school",
    "daycare",
    "elementary school",
    "elementary",
    "grade school",
    "first grade",
    "first-grade",
    "second grade",
    "second-grade",
    "third grade",
    "third-grade",
    "fourth grade",
    "fourth-grade",
    "fifth grade",
    "fifth-grade",
];
const ADULT_ROLES_ZH: &[&str] = &[
    "老师",
    "教师",
    "班主任",
    "园长",
    "校长",
    "总裁",
    "董事长",
    "董事",
    "股东",
    "秘书",
    "助理",
    "医生",
    "护士",
    "律师",
    "经理",
    "总监",
    "主管",
    "司机",
    "管家",
    "保姆",
    "保镖",
    "妈妈",
    "爸爸",
    "母亲",
    "父亲",
    "丈夫",
    "妻子",
    "前妻",
    "前夫",
    "未婚妻",
    "未婚夫",
    "奶奶",
    "爷爷",
    "外婆",
    "外公",
    "姥姥",
    "姥爷",
    "博主",
    "老板",
    "继母",
    "后妈",
    "舅舅",
    "姑姑",
    "婆婆",
    "岳母",
    "员工",
    "警察",
    "记者",
    "保洁",
    "前台",
    "总经理",
    "女友",
    "男友",
    "女朋友",
    "男朋友",
    "太太",
    "先生",
];
const ADULT_ROLES_EN: &[&str] = &[
    "ceo",
    "father",
    "mother",
    "dad",
    "mom",
    "husband",
    "wife",
    "ex",
    "ex-wife",
    "ex-husband",
    "fiance",
    "fiancee",
    "fiancé",
    "fiancée",
    "assistant",
    "secretary",
    "teacher",
    "receptionist",
    "lawyer",
    "attorney",
    "doctor",
    "nurse",
    "driver",
    "chauffeur",
    "butler",
    "maid",
    "nanny",
    "housekeeper",
    "bodyguard",
    "rival",
    "boss",
    "manager",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "uncle",
    "aunt",
    "stepmother",
    "stepfather",
    "chairman",
    "director",
    "investor",
    "executive",
    "founder",
    "billionaire",
    "tycoon",
    "detective",
    "officer",
    "principal",
    "stepsister",
    "stepbrother",
    "widow",
    "widower",
    "girlfriend",
    "boyfriend",
    "cleaner",
    "janitor",
    "tutor",
    "coach",
    "heir apparent",
];

/// The whole lexicon as (pattern, entry).
fn entries() -> Vec<(String, Entry)> {
    let mut v: Vec<(String, Entry)> = Vec::new();
    let mut add = |words: &[&str], cue: &'static str, weight: f32, link: Link, voc: Option<f32>| {
        for w in words {
            v.push((
                w.to_string(),
                Entry {
                    cue,
                    weight,
                    link,
                    vocative: voc,
                },
            ));
        }
    };
    use Link::*;
    // #4 school attached to the character.
    add(
        &[
            "小学生",
            "幼儿园小朋友",
            "红领巾",
            "少先队员",
            "一年级学生",
            "一年级新生",
            "first grader",
            "first-grader",
            "second grader",
            "second-grader",
            "third grader",
            "third-grader",
            "kindergartner",
            "kindergartener",
            "preschooler",
            "grade schooler",
            "in kindergarten",
            "in preschool",
            "in first grade",
            "in second grade",
            "in third grade",
            "to kindergarten",
            "to preschool",
            "elementary schooler",
        ],
        "school",
        0.6,
        Subject,
        None,
    );
    add(
        &[
            "书包",
            "小书包",
            "放学",
            "写作业",
            "家庭作业",
            "拼音",
            "校车",
            "铅笔盒",
            "文具盒",
            "小红花",
            "backpack",
            "school uniform",
            "homework",
            "recess",
            "lunchbox",
            "lunch box",
            "pencil case",
            "show-and-tell",
            "school bus",
            "spelling test",
            "gold star",
        ],
        "school",
        0.2,
        Subject,
        None,
    );
    add(SCHOOL_PLACES_ZH, "school", 0.6, Descriptor, None);
    add(SCHOOL_PLACES_EN, "school", 0.6, Descriptor, None);
    add(&["classmate", "同班同学"], "school", 0.2, Descriptor, None);
    let mut attend = Vec::new();
    for verb in ["上", "读", "念", "在读"] {
        for place in SCHOOL_PLACES_ZH.iter().take(10) {
            attend.push(format!("{verb}{place}"));
        }
    }
    let attend_ref: Vec<&str> = attend.iter().map(String::as_str).collect();
    add(&attend_ref, "school", 0.6, Subject, None);
    // Teachers and heads of schools are adults: these compounds beat the place words.
    let mut teachers = Vec::new();
    for place in SCHOOL_PLACES_ZH {
        for role in ["老师", "教师", "园长", "校长", "的老师"] {
            teachers.push(format!("{place}{role}"));
        }
    }
    for place in SCHOOL_PLACES_EN {
        for role in [" teacher", " principal", " aide", "-teacher"] {
            teachers.push(format!("{place}{role}"));
        }
    }
    let teachers_ref: Vec<&str> = teachers.iter().map(String::as_str).collect();
    add(&teachers_ref, "adult-role", -0.3, Descriptor, None);
    add(ADULT_ROLES_ZH, "adult-role", -0.3, Descriptor, None);
    add(ADULT_ROLES_EN, "adult-role", -0.3, Descriptor, None);
    // #5 generic child nouns: by apposition, or in address.
    add(
        &[
            "孩子",
            "小孩",
            "小孩子",
            "儿童",
            "小朋友",
            "男孩",
            "女孩",
            "小男孩",
            "小女孩",
            "男童",
            "女童",
            "幼童",
            "婴儿",
            "小宝宝",
            "萌宝",
            "萌娃",
            "奶娃",
            "奶团子",
            "小团子",
            "小豆丁",
            "小不点",
            "小屁孩",
            "熊孩子",
            "小家伙",
            "小鬼",
            "小崽子",
            "崽崽",
            "小奶包",
            "小娃娃",
            "女娃",
            "男娃",
            "小丫头",
            "童星",
            "小演员",
            "儿童演员",
            "kid",
            "child",
            "little boy",
            "little girl",
            "toddler",
            "infant",
            "tot",
            "little one",
            "munchkin",
            "kiddo",
            "child actor",
            "schoolgirl",
            "schoolboy",
            "little man",
            "young lady",
        ],
        "child-noun",
        0.6,
        Apposition,
        Some(0.4),
    );
    add(&["boy", "girl"], "child-noun", 0.3, Apposition, None);
    // #7/#5 address forms that are also lovers' pet names: weak.
    add(
        &[
            "宝贝",
            "宝宝",
            "乖",
            "乖乖",
            "丫头",
            "小祖宗",
            "小可爱",
            "小宝贝",
            "baby",
            "honey",
            "sweetie",
            "sweetheart",
            "buddy",
            "pumpkin",
            "princess",
            "sweet pea",
            "pal",
            "champ",
        ],
        "addressed-as-child",
        0.2,
        Vocative,
        Some(0.2),
    );
    // #9 kinship references: weak (adult children too).
    add(
        &[
            "儿子",
            "女儿",
            "孙子",
            "孙女",
            "外孙",
            "外孙女",
            "闺女",
            "son",
            "daughter",
            "grandson",
            "granddaughter",
            "宝贝女儿",
            "宝贝儿子",
        ],
        "kinship",
        0.2,
        Apposition,
        None,
    );
    // #8 calling adults as a child does.
    add(
        &[
            "爹地", "妈咪", "爸比", "麻麻", "粑粑", "叔叔", "阿姨", "蜀黍", "daddy", "mommy",
            "mummy", "mama", "dada", "auntie",
        ],
        "calls-adult",
        0.3,
        Speaker,
        None,
    );
    // #11 child speech register.
    add(
        &[
            "吃饭饭",
            "睡觉觉",
            "痛痛",
            "抱抱",
            "臭臭",
            "饭饭",
            "觉觉",
            "本宝宝",
            "宝宝要",
            "宝宝想",
            "拉钩",
            "拉勾",
            "tummy",
            "owie",
            "boo-boo",
            "pinky promise",
            "pinky swear",
            "potty",
        ],
        "speech",
        0.2,
        Speaker,
        None,
    );
    // #10 physical and care descriptors, toys.
    add(
        &[
            "奶声奶气",
            "肉嘟嘟",
            "肉乎乎",
            "小短腿",
            "小手",
            "小脸",
            "小脑袋",
            "小辫子",
            "踮起脚尖",
            "踮着脚",
            "够不着",
            "换尿布",
            "尿布",
            "奶瓶",
            "奶嘴",
            "牙牙学语",
            "摇篮",
            "婴儿车",
            "儿童座椅",
            "安全座椅",
            "棒棒糖",
            "玩具",
            "奥特曼",
            "小猪佩奇",
            "动画片",
            "积木",
            "蜡笔",
            "布娃娃",
            "毛绒玩具",
            "绘本",
            "滑梯",
            "贴纸",
            "chubby cheeks",
            "tiny hand",
            "tiny hands",
            "little hand",
            "little hands",
            "tiptoe",
            "tiptoes",
            "stroller",
            "car seat",
            "booster seat",
            "diaper",
            "pacifier",
            "sippy cup",
            "teddy bear",
            "stuffed animal",
            "stuffed",
            "cartoon",
            "cartoons",
            "crayon",
            "crayons",
            "lollipop",
            "coloring book",
            "juice box",
            "pigtails",
            "building blocks",
            "lego",
            "dollhouse",
            "sticker",
            "stickers",
            "picture book",
            "bedtime story",
            "nap",
        ],
        "care",
        0.15,
        Subject,
        None,
    );
    // #10 being carried: the one carried is after the verb…
    add(
        &[
            "抱起",
            "抱着",
            "抱住",
            "抱到",
            "抱上",
            "抱进",
            "抱回",
            "抱下",
            "背起",
            "扛起",
            "举高高",
            "picks up",
            "picked up",
            "scoops up",
            "scooped up",
            "lifts",
            "lifted",
            "carries",
            "carried",
            "tucks",
            "tucked",
            "picks",
            "scoops",
            "hoists",
            "swings",
        ],
        "carried",
        0.3,
        Object,
        None,
    );
    // …or the subject of the clause (`小宝扑进他怀里`, `Lily on his shoulders`).
    add(
        &[
            "怀里",
            "怀中",
            "in his arms",
            "in her arms",
            "on his lap",
            "on her lap",
            "on his hip",
            "on her hip",
            "piggyback",
        ],
        "carried",
        0.3,
        Subject,
        None,
    );
    v
}

/// The compiled lexicon.
pub struct Lexicon {
    /// Leftmost-longest, ASCII letters in either case.
    pub finder: WordFinder,
    pub entries: Vec<Entry>,
    /// Whether pattern i is ASCII (needs word boundaries).
    pub ascii: Vec<bool>,
}

pub static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let list = entries();
    let words: Vec<&str> = list.iter().map(|(p, _)| p.as_str()).collect();
    let finder = WordFinder::new(&words);
    Lexicon {
        ascii: list.iter().map(|(p, _)| p.is_ascii()).collect(),
        entries: list.into_iter().map(|(_, e)| e).collect(),
        finder,
    }
});

/// Title words that make a child story more likely (§D.1 #12, a prior only).
pub const TITLE_PRIOR: &[&str] = &[
    "萌宝",
    "崽",
    "宝宝",
    "娃",
    "奶包",
    "团宠",
    "爹地",
    "妈咪",
    "带球跑",
    "Baby",
    "Twins",
    "Daddy",
    "Mommy",
    "Heir",
    "Kid",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The entry of the first match in `text`.
    fn first(text: &str) -> Option<Entry> {
        let lex = &*LEXICON;
        let mut out = None;
        lex.finder.each(text, |_, _, p| {
            out = out.or(Some(lex.entries[p]));
        });
        out
    }

    #[test]
    fn lexicon_builds_and_prefers_compounds() {
        let m = first("幼儿园老师");
        assert_eq!(m.map(|e| e.cue), Some("adult-role"));
        let m = first("a First-Grade Teacher");
        assert_eq!(m.map(|e| e.cue), Some("adult-role"));
    }
}
