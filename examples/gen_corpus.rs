//! Generate a deterministic benchmark corpus of micro-drama scripts.
//!
//! `cargo run --release --example gen_corpus -- OUT --mb 100 [--seed N]`
//!
//! Writes ~20–60 KB scripts into OUT/zh/NNN/*.txt (Chinese plain layout, 80% of the bytes) and
//! OUT/en/NNN/*.fountain (Fountain, 20%). The text is built from phrase pools with a hand-written
//! xorshift PRNG so the same seed always gives the same bytes (no `rand` crate: the corpus must
//! not change when a dependency does). Child-related hits are rare, as in real scripts: a child
//! character with an age in most episodes, and an occasional slap / black card / revenge line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// xorshift64*: small, fast, and stable across platforms.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// True with probability 1 / n.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

const ZH_ADULTS: &[&str] = &[
    "林婉",
    "周屿",
    "沈曼",
    "顾北辰",
    "苏念",
    "陆景深",
    "刘姨",
    "王秘书",
    "李总",
    "陈律师",
    "赵母",
    "江父",
    "许医生",
    "唐经理",
    "宋晴",
    "韩助理",
];
const ZH_CHILDREN: &[&str] = &[
    "星星", "小宝", "安安", "妞妞", "乐乐", "豆豆", "糖糖", "朵朵",
];
const ZH_PLACES: &[&str] = &[
    "周家客厅",
    "顾氏集团会议室",
    "医院走廊",
    "幼儿园门口",
    "别墅花园",
    "公司电梯",
    "咖啡馆",
    "地下停车场",
    "老宅书房",
    "商场专柜",
    "酒店大堂",
    "出租屋",
    "民政局门口",
    "顾家餐厅",
];
const ZH_TIMES: &[&str] = &["日", "夜", "晨", "昏"];
const ZH_INOUT: &[&str] = &["内", "外"];
const ZH_ACTIONS: &[&str] = &[
    "推门而入，目光扫过众人，最后停在桌上的文件上。",
    "端起咖啡抿了一口，眉头微微皱起。",
    "站在落地窗前，望着窗外的车水马龙，久久没有说话。",
    "把合同摔在桌上，纸张散落一地。",
    "低头看了一眼手机，屏幕上是一条未读消息。",
    "快步走过走廊，高跟鞋的声音在空荡的大厅里回响。",
    "转身离开，背影显得格外落寞。",
    "靠在沙发上闭目养神，手指轻轻敲着扶手。",
    "从包里拿出一份体检报告，递了过去。",
    "愣在原地，眼眶慢慢红了。",
    "拉开椅子坐下，示意对方继续说。",
    "把外套搭在臂弯，冷冷地看着眼前的人。",
];
const ZH_LINES: &[&str] = &[
    "这件事你最好给我一个解释。",
    "三年了，你终于肯回来了？",
    "合同我已经看过了，条款没有问题。",
    "你以为我还是当年那个任人摆布的小姑娘吗？",
    "今晚的酒会，你陪我去。",
    "公司的事情不用你操心。",
    "我只想知道真相。",
    "明天上午九点，董事会见。",
    "你放心，我不会再让任何人伤害你。",
    "这份文件你签了吧，对大家都好。",
    "别说了，我都知道。",
    "妈，我回来了。",
    "项目的进度比预期慢了两周。",
    "你到底还瞒着我什么？",
];
const ZH_CHILD_LINES: &[&str] = &[
    "妈妈，我今天在幼儿园得了一朵小红花！",
    "爸爸，你什么时候陪我去游乐园？",
    "阿姨，我可以吃一块蛋糕吗？",
    "我画了一幅画，送给你。",
    "我不困，我要等爸爸回来。",
];
/// Rare lines that the default packs are meant to catch (or to weigh in context).
const ZH_HITS: &[&str] = &[
    "△{a}一巴掌扇在{c}脸上，{c}捂着脸哭了起来。",
    "△{c}从书包里掏出一张黑卡，在{a}眼前晃了晃。",
    "{c}：（冷笑）我要让你们全家付出代价！",
    "{a}：再哭就把你关进小黑屋！",
    "△{a}抄起鸡毛掸子往{c}身上抽。",
];

const EN_ADULTS: &[&str] = &[
    "DAVID", "VIVIAN", "MARCUS", "ELENA", "HARPER", "GRANT", "NADIA", "OWEN", "CLAIRE", "VICTOR",
];
const EN_CHILDREN: &[&str] = &["STAR", "LILY", "TEO", "MAISIE", "JOSH", "NOAH"];
const EN_PLACES: &[&str] = &[
    "CHEN HOUSE - LIVING ROOM",
    "BOARDROOM",
    "HOSPITAL CORRIDOR",
    "KINDERGARTEN GATE",
    "PARKING GARAGE",
    "PENTHOUSE - KITCHEN",
    "COFFEE SHOP",
    "HOTEL LOBBY",
];
const EN_TIMES: &[&str] = &["DAY", "NIGHT", "MORNING", "LATER", "CONTINUOUS"];
const EN_ACTIONS: &[&str] = &[
    "{a} pushes through the glass doors and scans the room.",
    "{a} sets a folder on the table without a word.",
    "Rain streaks the windows. The city glitters below.",
    "{a} checks a phone, frowns, and pockets it.",
    "A long silence. Somewhere a clock ticks.",
    "{a} pours two glasses of wine and hands one over.",
    "The elevator doors slide shut on {a}'s stunned face.",
    "{a} paces by the window, jaw tight.",
];
const EN_LINES: &[&str] = &[
    "You have exactly one minute to explain this.",
    "Three years, and you walk back in like nothing happened?",
    "The board meets at nine. Be there.",
    "I read the contract. Every word of it.",
    "Don't tell me what I can and can't do.",
    "I just want the truth.",
    "Sign it. It's better for everyone.",
    "We're behind schedule by two weeks.",
    "You knew. You knew all along.",
];
const EN_CHILD_LINES: &[&str] = &[
    "Daddy, look! I built a castle!",
    "Can we go to the park tomorrow?",
    "I drew you a picture.",
    "I'm not sleepy. I'm waiting for Mommy.",
];
const EN_HITS: &[&str] = &[
    "{a} slaps {c} across the face. {c} falls to the floor.",
    "{c} pulls a black card out of her backpack and waves it at {a}.",
    "{a} drags {c} into the closet and locks the door.",
];

/// "DAVID" → "David": cues are in caps, action lines name people in title case.
fn title(name: &str) -> String {
    let mut cs = name.chars();
    match cs.next() {
        Some(f) => f.to_string() + &cs.as_str().to_lowercase(),
        None => String::new(),
    }
}

fn fill(t: &str, a: &str, c: &str) -> String {
    t.replace("{a}", a).replace("{c}", c)
}

/// One Chinese plain-layout episode of about `target` bytes.
pub fn zh_script(rng: &mut Rng, ep: usize, target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    let _ = writeln!(s, "《豪门千金{}》\n编剧：基准测试稿\n第{}集\n", ep % 97, ep);
    let child = rng.pick(ZH_CHILDREN);
    let mut scene = 0;
    while s.len() < target {
        scene += 1;
        let a1 = rng.pick(ZH_ADULTS);
        let a2 = rng.pick(ZH_ADULTS);
        let with_child = rng.one_in(4);
        let _ = writeln!(
            s,
            "{}-{} {} {} {}",
            ep,
            scene,
            rng.pick(ZH_TIMES),
            rng.pick(ZH_INOUT),
            rng.pick(ZH_PLACES)
        );
        if with_child {
            // The age is what makes the cast model mark the character a child.
            let age = 4 + rng.below(8);
            let _ = writeln!(s, "人物：{a1}、{a2}、{child}（{age}岁）");
        } else {
            let _ = writeln!(s, "人物：{a1}、{a2}");
        }
        for _ in 0..6 + rng.below(14) {
            if rng.one_in(3) {
                let who = if rng.one_in(2) { a1 } else { a2 };
                let _ = writeln!(s, "△{}{}", who, rng.pick(ZH_ACTIONS));
            } else if with_child && rng.one_in(5) {
                let _ = writeln!(s, "{}：{}", child, rng.pick(ZH_CHILD_LINES));
            } else {
                let who = if rng.one_in(2) { a1 } else { a2 };
                let paren = if rng.one_in(6) {
                    "（压低声音）"
                } else {
                    ""
                };
                let _ = writeln!(s, "{}：{}{}", who, paren, rng.pick(ZH_LINES));
            }
            if with_child && rng.one_in(60) {
                let _ = writeln!(s, "{}", fill(rng.pick(ZH_HITS), a1, child));
            }
        }
        s.push('\n');
    }
    s
}

/// One Fountain episode of about `target` bytes.
pub fn fountain_script(rng: &mut Rng, ep: usize, target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    let _ = writeln!(
        s,
        "Title: Heiress Returns {}\nCredit: Episode {}\nAuthor: benchmark corpus\n",
        ep % 97,
        ep
    );
    en_scenes(rng, &mut s, target, false);
    s
}

/// One Markdown episode (`### INT. …` headings, `**NAME:** line` cues) of about `target` bytes.
/// Not part of the corpus mix; the parse benchmarks use it.
pub fn markdown_script(rng: &mut Rng, ep: usize, target: usize) -> String {
    let mut s = String::with_capacity(target + 4096);
    let _ = writeln!(s, "# Heiress Returns — Episode {ep}\n");
    en_scenes(rng, &mut s, target, true);
    s
}

/// English scenes until `s` reaches `target` bytes, as Fountain or as Markdown (`md`). Markdown
/// draws no parentheticals and no rare hits, so each layout keeps its own random sequence.
fn en_scenes(rng: &mut Rng, s: &mut String, target: usize, md: bool) {
    let child = rng.pick(EN_CHILDREN);
    while s.len() < target {
        let a1 = rng.pick(EN_ADULTS);
        let a2 = rng.pick(EN_ADULTS);
        let with_child = rng.one_in(4);
        let io = if rng.one_in(2) { "INT." } else { "EXT." };
        let _ = writeln!(
            s,
            "{}{} {} - {}\n",
            if md { "### " } else { "" },
            io,
            rng.pick(EN_PLACES),
            rng.pick(EN_TIMES)
        );
        if with_child {
            let age = 4 + rng.below(8);
            let _ = writeln!(
                s,
                "{child} ({age}) sits on the stairs, hugging a stuffed rabbit.\n"
            );
        }
        for _ in 0..5 + rng.below(10) {
            if rng.one_in(3) {
                let line = fill(rng.pick(EN_ACTIONS), &title(a1), &title(child));
                let _ = writeln!(s, "{line}\n");
            } else if with_child && rng.one_in(5) {
                let line = rng.pick(EN_CHILD_LINES);
                let _ = if md {
                    writeln!(s, "**{child}:** {line}\n")
                } else {
                    writeln!(s, "{child}\n{line}\n")
                };
            } else {
                let who = if rng.one_in(2) { a1 } else { a2 };
                if md {
                    let _ = writeln!(s, "**{who}:** {}\n", rng.pick(EN_LINES));
                } else {
                    let paren = if rng.one_in(6) { "(quietly)\n" } else { "" };
                    let _ = writeln!(s, "{who}\n{paren}{}\n", rng.pick(EN_LINES));
                }
            }
            if !md && with_child && rng.one_in(60) {
                let line = fill(rng.pick(EN_HITS), &title(a1), &title(child));
                let _ = writeln!(s, "{line}\n");
            }
        }
    }
}

struct Args {
    out: PathBuf,
    mb: usize,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut out = None;
    let mut mb = 100;
    let mut seed = 0x5EED_D4A3_A11D_0001;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--mb" => {
                mb = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--mb needs a number")?;
            }
            "--seed" => {
                seed = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--seed needs a number")?;
            }
            _ if out.is_none() => out = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    let out = out.ok_or("usage: gen_corpus OUT [--mb N] [--seed N]")?;
    Ok(Args { out, mb, seed })
}

fn write(dir: &Path, name: &str, text: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(name), text)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let total = args.mb << 20;
    let mut rng = Rng(args.seed | 1);
    let (mut zh_bytes, mut en_bytes, mut files) = (0usize, 0usize, 0usize);
    while zh_bytes + en_bytes < total {
        // Keep the byte mix at 80/20 whatever the file sizes turn out to be.
        let zh = zh_bytes <= en_bytes * 4;
        let target = 20_000 + rng.below(40_000);
        let ep = files + 1;
        let (sub, name, text) = if zh {
            (
                "zh",
                format!("ep{ep:05}.txt"),
                zh_script(&mut rng, ep, target),
            )
        } else {
            (
                "en",
                format!("ep{ep:05}.fountain"),
                fountain_script(&mut rng, ep, target),
            )
        };
        let dir = args.out.join(sub).join(format!("{:03}", files / 200));
        if let Err(e) = write(&dir, &name, &text) {
            eprintln!("cannot write {}: {e}", dir.join(&name).display());
            std::process::exit(1);
        }
        if zh {
            zh_bytes += text.len();
        } else {
            en_bytes += text.len();
        }
        files += 1;
    }
    eprintln!(
        "wrote {files} files, {:.1} MB ({:.0}% zh) into {}",
        (zh_bytes + en_bytes) as f64 / (1 << 20) as f64,
        100.0 * zh_bytes as f64 / (zh_bytes + en_bytes) as f64,
        args.out.display()
    );
}
