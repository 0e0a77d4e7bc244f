//! Final Draft (`.fdx`) scripts. The source is the XML itself, so element spans are byte ranges
//! of `<Text>` contents in the XML: findings then point at the words in the file the user has.
//!
//! Only the script body (`FinalDraft > Content > Paragraph`, dual dialogue included) and the
//! title page (`TitlePage > Content > Paragraph`, kept as title elements in scene 0) are read;
//! headers, footers, script notes and settings are not script text. Entities (`&amp;`) stay as
//! written in the spans. Malformed XML ends the reading where it breaks; what came before is
//! kept.

use super::{Element, ElementKind, Parsed, Scene, Span};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Parse a Final Draft XML script; spans point into the XML text.
pub fn parse(source: &str) -> Parsed {
    build(source, read_paragraphs(source))
}

/// One `<Paragraph>` of the script.
#[derive(Debug, Default)]
struct Para {
    kind: String,
    /// The contents of its `<Text>` children, in order.
    runs: Vec<Span>,
    title_page: bool,
    dual: bool,
}

impl Para {
    /// From the first run's start to the last run's end, trimmed.
    fn span(&self, src: &str) -> Option<Span> {
        let start = self.runs.first()?.start;
        let end = self.runs.last()?.end;
        let t = src.get(start..end)?;
        let lead = t.len() - t.trim_start().len();
        let tail = t.trim_end().len();
        (lead < tail).then(|| start + lead..start + tail)
    }

    /// The run texts joined (markup between runs left out), trimmed.
    fn text(&self, src: &str) -> String {
        let joined: String = self
            .runs
            .iter()
            .filter_map(|r| src.get(r.clone()))
            .collect();
        joined.trim().to_string()
    }
}

/// Where the reader is: the open elements, and the paragraphs being read.
struct Walk {
    stack: Vec<Vec<u8>>,
    /// Open paragraphs with the stack depth at which each was opened.
    open: Vec<(usize, Para)>,
    done: Vec<Para>,
}

impl Walk {
    fn parent(&self, up: usize) -> Option<&[u8]> {
        let n = self.stack.len();
        n.checked_sub(up + 1).map(|i| self.stack[i].as_slice())
    }

    fn start(&mut self, e: &BytesStart) {
        let name = e.local_name().as_ref().to_vec();
        if name == b"Paragraph" {
            let parent = self.parent(0);
            let grand = self.parent(1);
            let body = parent == Some(b"Content")
                && matches!(grand, None | Some(b"FinalDraft") | Some(b"TitlePage"));
            let dual = parent == Some(b"DualDialogue");
            if body || dual {
                let kind = e
                    .try_get_attribute("Type")
                    .ok()
                    .flatten()
                    .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                    .unwrap_or_default();
                let para = Para {
                    kind,
                    runs: Vec::new(),
                    title_page: grand == Some(b"TitlePage"),
                    dual,
                };
                self.open.push((self.stack.len(), para));
            }
        }
        self.stack.push(name);
    }

    fn end(&mut self) {
        self.stack.pop();
        if let Some((depth, _)) = self.open.last()
            && *depth == self.stack.len()
            && let Some((_, para)) = self.open.pop()
        {
            self.done.push(para);
        }
    }

    /// Text inside `<Text>` directly under an open paragraph.
    fn text(&mut self, span: Span) {
        let depth = self.stack.len();
        let in_text = self.stack.last().is_some_and(|n| n == b"Text");
        if let Some((pd, para)) = self.open.last_mut()
            && in_text
            && depth == *pd + 2
        {
            match para.runs.last_mut() {
                // Entities split a text into several events: join them.
                Some(last) if last.end == span.start => last.end = span.end,
                _ => para.runs.push(span),
            }
        }
    }
}

/// The script's paragraphs, in document order of their ends.
fn read_paragraphs(source: &str) -> Vec<Para> {
    let mut reader = Reader::from_str(source);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    let mut walk = Walk {
        stack: Vec::new(),
        open: Vec::new(),
        done: Vec::new(),
    };
    loop {
        let before = to_usize(reader.buffer_position());
        let event = reader.read_event();
        let after = to_usize(reader.buffer_position()).min(source.len());
        match event {
            Ok(Event::Start(e)) => walk.start(&e),
            Ok(Event::End(_)) => walk.end(),
            Ok(Event::Text(_) | Event::GeneralRef(_)) => {
                if before < after
                    && source.is_char_boundary(before)
                    && source.is_char_boundary(after)
                {
                    walk.text(before..after);
                }
            }
            Ok(Event::CData(_)) => {
                // Keep the words, not the `<![CDATA[`…`]]>` wrapper.
                let (s, e) = (before + 9, after.saturating_sub(3));
                if s < e && source.is_char_boundary(s) && source.is_char_boundary(e) {
                    walk.text(s..e);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    // Paragraphs left open by a truncated file still count.
    while let Some((_, para)) = walk.open.pop() {
        walk.done.push(para);
    }
    walk.done
}

fn to_usize(p: u64) -> usize {
    usize::try_from(p).unwrap_or(usize::MAX)
}

/// A Character paragraph and what follows it, until the next non-dialogue paragraph.
struct Pending {
    speaker: String,
    extension: Option<String>,
    start: usize,
    end: usize,
    parens: Vec<Span>,
    text: Option<Span>,
    dual: bool,
}

impl Pending {
    fn element(&self, src: &str) -> Element {
        let text = self.text.clone().unwrap_or(self.end..self.end);
        let mut el = Element::with_text(ElementKind::Dialogue, self.start..self.end, text);
        el.speaker = Some(self.speaker.clone());
        el.extension = self.extension.clone();
        if !self.parens.is_empty() {
            let words: Vec<&str> = self
                .parens
                .iter()
                .filter_map(|p| src.get(p.clone()))
                .collect();
            el.parenthetical = Some(words.join("; "));
        }
        el.parenthetical_spans = self.parens.clone();
        el.dual = self.dual;
        el
    }
}

struct Builder<'a> {
    src: &'a str,
    scenes: Vec<Scene>,
    pending: Option<Pending>,
}

impl Builder<'_> {
    fn push(&mut self, el: Element) {
        if let Some(scene) = self.scenes.last_mut() {
            scene.elements.push(el);
        }
    }

    fn flush(&mut self) {
        if let Some(p) = self.pending.take() {
            let el = p.element(self.src);
            self.push(el);
        }
    }

    fn character(&mut self, para: &Para, span: Span) {
        self.flush();
        let (speaker, extension) = split_cue(&para.text(self.src));
        self.pending = Some(Pending {
            speaker,
            extension,
            start: span.start,
            end: span.end,
            parens: Vec::new(),
            text: None,
            dual: para.dual,
        });
    }

    fn parenthetical(&mut self, span: Span) {
        let src = self.src;
        let inner = strip_parens(src, span.clone());
        match self.pending.as_mut() {
            Some(p) if p.text.is_some() => {
                // A parenthetical after some dialogue opens the speaker's next speech.
                let el = p.element(src);
                p.start = span.start;
                p.end = span.end;
                p.parens = vec![inner];
                p.text = None;
                self.push(el);
            }
            Some(p) => {
                p.parens.push(inner);
                p.end = span.end;
            }
            None => self.push(Element::new(ElementKind::Action, span)),
        }
    }

    fn dialogue(&mut self, span: Span) {
        let src = self.src;
        match self.pending.as_mut() {
            Some(p) if p.text.is_some() => {
                let el = p.element(src);
                p.start = span.start;
                p.end = span.end;
                p.parens.clear();
                p.text = Some(span);
                self.push(el);
            }
            Some(p) => {
                p.end = span.end;
                p.text = Some(span);
            }
            None => self.push(Element::new(ElementKind::Dialogue, span)),
        }
    }

    fn scene_heading(&mut self, para: &Para, span: Span) {
        self.flush();
        let heading = para.text(self.src);
        let parts = super::fountain::parse_heading(&heading).unwrap_or_default();
        let shown = heading
            .get(parts.text.clone())
            .filter(|h| !h.trim().is_empty())
            .map_or(heading.clone(), |h| h.trim().to_string());
        if let Some(last) = self.scenes.last_mut() {
            last.span.end = span.start;
        }
        let index = self.scenes.len();
        self.scenes.push(Scene {
            index,
            heading: Some(shown),
            heading_span: Some(span.clone()),
            number: parts.number,
            time: parts.time,
            setting: parts.setting,
            place: parts.place,
            span,
            elements: Vec::new(),
        });
    }
}

fn build(src: &str, paras: Vec<Para>) -> Parsed {
    let mut b = Builder {
        src,
        scenes: vec![Scene {
            index: 0,
            span: 0..0,
            ..Scene::default()
        }],
        pending: None,
    };
    let mut title: Vec<Element> = Vec::new();
    for para in &paras {
        let Some(span) = para.span(src) else {
            continue;
        };
        if para.title_page {
            title.push(Element::new(ElementKind::Title, span));
            continue;
        }
        match para.kind.as_str() {
            "Character" => b.character(para, span),
            "Parenthetical" => b.parenthetical(span),
            "Dialogue" => b.dialogue(span),
            "Scene Heading" => b.scene_heading(para, span),
            other => {
                b.flush();
                b.push(Element::new(kind_of(other), span));
            }
        }
    }
    b.flush();
    let len = src.len();
    if let Some(last) = b.scenes.last_mut() {
        last.span.end = len;
    }
    // The title page is stored after the body in the file but belongs before it.
    if let Some(scene0) = b.scenes.first_mut() {
        scene0.elements.splice(0..0, title);
    }
    Parsed {
        scenes: b.scenes,
        declared: Vec::new(),
    }
}

/// Element kind of the other paragraph types; unknown types are action.
fn kind_of(kind: &str) -> ElementKind {
    match kind {
        "Transition" => ElementKind::Transition,
        "Cast List" => ElementKind::Cast,
        "Lyrics" => ElementKind::Lyric,
        "New Act" | "End of Act" | "Act Break" | "Teaser" | "Outline" => ElementKind::Section,
        _ => ElementKind::Action,
    }
}

/// `LILY (V.O.)` → (`LILY`, `V.O.`); `MOM (CONT'D)` → (`MOM`, `CONT'D`). Other parentheses
/// (ages, notes) are dropped from the name.
fn split_cue(cue: &str) -> (String, Option<String>) {
    let cut = cue.find(['(', '（']).unwrap_or(cue.len());
    let speaker = cue[..cut]
        .trim()
        .trim_matches(|c: char| c == '@' || c == '^' || c.is_whitespace())
        .to_string();
    let extension = cue[cut..]
        .split(['(', ')', '（', '）'])
        .map(str::trim)
        .find(|p| !p.is_empty() && super::markdown::is_extension(p))
        .map(str::to_string);
    (speaker, extension)
}

/// `(whispering)` → the range of `whispering`; text without parentheses is kept whole.
fn strip_parens(src: &str, span: Span) -> Span {
    let Some(t) = src.get(span.clone()) else {
        return span;
    };
    let open = ['(', '（'].into_iter().find(|c| t.starts_with(*c));
    let close = [')', '）'].into_iter().find(|c| t.ends_with(*c));
    match (open, close) {
        (Some(o), Some(c)) if t.len() >= o.len_utf8() + c.len_utf8() => {
            let s = span.start + o.len_utf8();
            let e = span.end - c.len_utf8();
            let inner = &src[s..e];
            let lead = inner.len() - inner.trim_start().len();
            let tail = inner.trim_end().len();
            if lead < tail {
                s + lead..s + tail
            } else {
                s..s
            }
        }
        _ => span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FDX: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
<Content>
<Paragraph Type="Scene Heading"><Text>INT. KITCHEN - DAY</Text></Paragraph>
<Paragraph Type="Action"><Text>Lily &amp; Mom bake.</Text></Paragraph>
<Paragraph Type="Character"><Text>LILY (V.O.)</Text></Paragraph>
<Paragraph Type="Parenthetical"><Text>(whispering)</Text></Paragraph>
<Paragraph Type="Dialogue"><Text>Can I </Text><Text Style="Bold">help</Text><Text>?</Text></Paragraph>
<Paragraph Type="Parenthetical"><Text>(beat)</Text></Paragraph>
<Paragraph Type="Dialogue"><Text>Please?</Text></Paragraph>
<Paragraph Type="Transition"><Text>CUT TO:</Text></Paragraph>
</Content>
<HeaderAndFooter><Header><Paragraph Type="Header"><Text>Page</Text></Paragraph></Header></HeaderAndFooter>
<TitlePage><Content><Paragraph Type="Text"><Text>Baking Day</Text></Paragraph></Content></TitlePage>
</FinalDraft>"#;

    #[test]
    fn paragraphs_become_elements() {
        let p = parse(FDX);
        assert_eq!(p.scenes.len(), 2);
        assert_eq!(p.scenes[1].heading.as_deref(), Some("INT. KITCHEN - DAY"));
        let h = p.scenes[1].heading_span.clone().unwrap();
        assert_eq!(&FDX[h], "INT. KITCHEN - DAY");
        let els = &p.scenes[1].elements;
        let kinds: Vec<ElementKind> = els.iter().map(|e| e.kind).collect();
        use ElementKind::*;
        assert_eq!(kinds, vec![Action, Dialogue, Dialogue, Transition]);
        assert_eq!(els[0].text(FDX), "Lily &amp; Mom bake.");
        assert_eq!(els[1].speaker.as_deref(), Some("LILY"));
        assert_eq!(els[1].extension.as_deref(), Some("V.O."));
        assert_eq!(els[1].parenthetical.as_deref(), Some("whispering"));
        assert!(els[1].text(FDX).starts_with("Can I "));
        assert!(els[1].text(FDX).ends_with("?"));
        assert_eq!(els[2].parenthetical.as_deref(), Some("beat"));
        assert_eq!(els[2].text(FDX), "Please?");
        assert_eq!(p.scenes[0].elements.len(), 1);
        assert_eq!(p.scenes[0].elements[0].text(FDX), "Baking Day");
    }

    #[test]
    fn broken_xml_keeps_what_came_before() {
        let cut = FDX.find("CUT TO").unwrap();
        let p = parse(&FDX[..cut]);
        assert_eq!(p.scenes.len(), 2);
        let p = parse(
            "<FinalDraft><Content><Paragraph Type=\"Action\"><Text>a</Text></Oops></Content>",
        );
        assert!(
            p.scenes[0]
                .elements
                .iter()
                .any(|e| e.kind == ElementKind::Action)
        );
        let p = parse("not xml at all < & >");
        assert_eq!(p.scenes.len(), 1);
    }

    #[test]
    fn cue_and_parens() {
        assert_eq!(
            split_cue("MOM (CONT'D)"),
            ("MOM".into(), Some("CONT'D".into()))
        );
        assert_eq!(
            split_cue("小宝（画外音）"),
            ("小宝".into(), Some("画外音".into()))
        );
        assert_eq!(split_cue("BOB (7)"), ("BOB".into(), None));
        let s = "(冷笑)";
        assert_eq!(&s[strip_parens(s, 0..s.len())], "冷笑");
    }
}
