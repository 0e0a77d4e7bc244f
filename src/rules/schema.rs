//! The YAML shape of a rule pack, exactly as users write it. Nothing here is checked beyond what
//! serde checks; [`super::compile`] turns it into runtime rules. The doc comment on each field is
//! the user documentation (rendered into docs/rules.md).

use serde::{Deserialize, Serialize};

/// A rule pack: one YAML file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SerializablePack {
    /// The pack's name, e.g. `zh-adultification`.
    pub pack: String,
    /// Language of the scripts the pack reads and of its messages: `zh` or `en`.
    pub lang: Lang,
    /// One-paragraph description of what the pack covers.
    #[serde(default)]
    pub description: Option<String>,
    /// The rules.
    pub rules: Vec<SerializableRule>,
}

/// The language of a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// The five prohibitions of the 2026 initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Prohibition {
    Adultification,
    Materialism,
    Vulgarity,
    Extremity,
    Instrumentalization,
}

impl Prohibition {
    pub const ALL: [Prohibition; 5] = [
        Prohibition::Adultification,
        Prohibition::Materialism,
        Prohibition::Vulgarity,
        Prohibition::Extremity,
        Prohibition::Instrumentalization,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Prohibition::Adultification => "adultification",
            Prohibition::Materialism => "materialism",
            Prohibition::Vulgarity => "vulgarity",
            Prohibition::Extremity => "extremity",
            Prohibition::Instrumentalization => "instrumentalization",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The initiative's own wording.
    pub fn zh(self) -> &'static str {
        match self {
            Prohibition::Adultification => "拒绝儿童形象“成人化”",
            Prohibition::Materialism => "摒除角色设定“物欲化”",
            Prohibition::Vulgarity => "警惕情节设定“低俗化”",
            Prohibition::Extremity => "杜绝细节表现“极端化”",
            Prohibition::Instrumentalization => "纠偏儿童出演“工具化”",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Prohibition::Adultification => "children made adult",
            Prohibition::Materialism => "materialistic child roles",
            Prohibition::Vulgarity => "vulgar plots around children",
            Prohibition::Extremity => {
                "extreme depictions of punishing, abusing or humiliating children"
            }
            Prohibition::Instrumentalization => "child performers used as tools",
        }
    }

    /// A short English label for one-line output.
    pub fn short_en(self) -> &'static str {
        match self {
            Prohibition::Adultification => "children made adult",
            Prohibition::Materialism => "materialistic child roles",
            Prohibition::Vulgarity => "vulgar plots around children",
            Prohibition::Extremity => "extreme depictions of abuse",
            Prohibition::Instrumentalization => "child performers used as tools",
        }
    }

    /// What the prohibition forbids, for `rules explain`.
    pub fn text(self) -> &'static str {
        match self {
            Prohibition::Adultification => {
                "Children carrying adult logic: 宫斗权谋, 职场博弈, 睚眦必报; cute kids voicing calculation and scheming. Rebirth or transmigration does not exempt."
            }
            Prohibition::Materialism => {
                "Children trapped in 豪门恩怨 / 天才暴富 stories; 挥金如土 or 恃强凌弱 shown as success."
            }
            Prohibition::Vulgarity => {
                "Abnormal or unethical relationships as bait around a child; vulgar borderline (擦边) content with a child."
            }
            Prohibition::Extremity => {
                "Dwelling on 体罚, 虐待, 侮辱 of a child as visual violence, even framed as a warning."
            }
            Prohibition::Instrumentalization => {
                "Overloading child performers: long or late shoots, dangerous stunts, roles beyond their capacity, no guardian."
            }
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn up(self) -> Self {
        match self {
            Severity::Info => Severity::Warning,
            _ => Severity::Error,
        }
    }
    pub fn down(self) -> Self {
        match self {
            Severity::Error => Severity::Warning,
            _ => Severity::Info,
        }
    }
}

/// Which element kinds a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    /// Spoken words.
    Dialogue,
    /// Action lines, and centered text and lyrics.
    Action,
    /// Scene headings.
    Heading,
    /// Parentheticals of dialogue (`（冷笑）`, `(whispering)`).
    Parenthetical,
    /// Production notes (`【拍摄备注】`, `[[NOTE: …]]`).
    Note,
    /// On-screen text (`字幕：`).
    Subtitle,
    /// Everything above.
    Any,
}

/// Who must be a child for a hit to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Who {
    /// A child says it.
    ChildSpeaker,
    /// A child does it: says it in the first person, or is the first-named actor of an action
    /// sentence.
    ChildAgent,
    /// It is done to a child: a child is named, addressed or referred to in the sentence other
    /// than as its agent (`把小宝…`, `小宝被…`, `slaps Lily`, an adult telling a child `跪下`).
    ChildTarget,
    /// A child is in the camera's frame or sees it: in the scene, not the speaker.
    ChildWitness,
    /// A child is anywhere in the scene (speaks, is listed, or is named).
    ChildPresent,
    /// Production text about a child performer (`小演员`, `child actor`, a child character's
    /// name in a note, an age under 14).
    ChildActor,
    /// No child needed.
    Any,
}

impl Who {
    /// The YAML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Who::ChildSpeaker => "child-speaker",
            Who::ChildAgent => "child-agent",
            Who::ChildTarget => "child-target",
            Who::ChildWitness => "child-witness",
            Who::ChildPresent => "child-present",
            Who::ChildActor => "child-actor",
            Who::Any => "any",
        }
    }
}

/// A rule as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SerializableRule {
    /// Unique across every loaded pack: `LANG.PROHIBITION.NAME`, e.g. `zh.extremity.slap`.
    pub id: String,
    /// One of the five prohibition ids, or null for a rule outside them.
    pub prohibition: Option<Prohibition>,
    /// `info`, `warning` or `error`.
    pub severity: Severity,
    /// What was found, in the pack's language. Shown on every finding.
    pub message: String,
    /// What to write instead, in the pack's language.
    pub help: String,
    /// Longer documentation: what the rule looks for and why (rendered into docs/rules.md).
    #[serde(default)]
    pub description: Option<String>,
    /// Legal or policy sources (only verified or secondary ones; never unverified claims).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Element kinds to read. Default: dialogue and action.
    #[serde(default)]
    pub scope: Vec<ScopeKind>,
    /// Who must be a child; several values mean any of them. Default: child-present.
    #[serde(default)]
    pub who: OneOrMany<Who>,
    /// Literal trigger words (case-insensitive for ASCII).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Regular-expression triggers (Rust regex syntax).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Context that must also be present: at least one of these words or regexes (`re:` prefix)
    /// in the same sentence (or `window`).
    #[serde(default)]
    pub with: Vec<String>,
    /// A second required context group (all groups must match): e.g. a rendering cue and a
    /// pain cue.
    #[serde(default)]
    pub with_also: Vec<String>,
    /// Where `with`/`with_also` are looked for: `sentence` (default), `element`, `next` (this
    /// sentence and the next one), or `scene`.
    #[serde(default)]
    pub window: Window,
    /// Negation cues that cancel a hit when they come just before it (within `unless_distance`
    /// characters, same clause). The pack language's common negators are always included
    /// unless `negation: false`.
    #[serde(default)]
    pub unless: Vec<String>,
    /// Cues anywhere in the same sentence that cancel the hit (disapproval: `是不对的`,
    /// `is wrong`).
    #[serde(default)]
    pub unless_sentence: Vec<String>,
    /// Where `unless_sentence` cues are looked for: `sentence` (default), `next`, `element` or
    /// `scene` (a safety measure in the next sentence of a note, pretend play set up nearby).
    #[serde(default)]
    pub unless_window: Window,
    /// How far before a hit a negation cue reaches, in characters. Default 8 (zh) or 24 (en).
    #[serde(default)]
    pub unless_distance: Option<usize>,
    /// Apply the language's common negators and disapproval cues. Default true. Turn off for
    /// lexicalised pseudo-negation (`不打不成器`).
    #[serde(default = "yes")]
    pub negation: bool,
    /// Raise severity one step when an endorsement cue (`活该`, `解气`, `serves you right`,
    /// everyone cheers) is in the same or the next element. Default true.
    #[serde(default = "yes")]
    pub endorsement: bool,
    /// Lower severity one step when a correction cue (`道歉`, `报警`, `老师制止`, apologizes)
    /// follows later in the scene. Default true; extremity rules turn it off, since a warning
    /// frame does not excuse rendering.
    #[serde(default = "yes")]
    pub correction: bool,
    /// Severity to report when the words are found but `who` is not met (adults only). Default:
    /// nothing is reported.
    #[serde(default)]
    pub adults: Option<Severity>,
    /// Example scripts: `invalid` ones must fire, `valid` ones must not.
    pub examples: Examples,
}

fn yes() -> bool {
    true
}

/// Where required context is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    #[default]
    Sentence,
    /// This sentence and the next one.
    Next,
    Element,
    Scene,
}

/// A value or a list of values.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl Default for OneOrMany<Who> {
    fn default() -> Self {
        OneOrMany::One(Who::ChildPresent)
    }
}

impl<T: Clone> OneOrMany<T> {
    pub fn to_vec(&self) -> Vec<T> {
        match self {
            OneOrMany::One(x) => vec![x.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A rule's examples, each a tiny script in the pack's language.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Scripts the rule must fire on.
    pub invalid: Vec<String>,
    /// Scripts the rule must not fire on (include a near miss: adults only, or negated).
    pub valid: Vec<String>,
}
