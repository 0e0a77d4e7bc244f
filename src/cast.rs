//! Stub: replaced by the real cast model.

use crate::script::{Script, Span};

/// Why a character was judged a child or an adult: one cue, where it was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// What the cue is: `age`, `cast-age`, `name-form`, `school`, `addressed-as-child`, …
    pub cue: &'static str,
    /// The words in the source.
    pub span: Span,
    /// How much it counts towards childhood (ages are decisive and use 1.0).
    pub weight: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Character {
    /// The name as speakers use it (`小宝`, `LILY`).
    pub name: String,
    /// Other names the script uses for the same character (`林小宝`, `Lily`, `LILY ASHFORD`).
    pub aliases: Vec<String>,
    pub child: bool,
    pub age: Option<u32>,
    /// Strongest first.
    pub evidence: Vec<Evidence>,
}

/// Characters named child or adult outright (configuration wins over cues).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub children: Vec<String>,
    pub adults: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Cast {
    pub characters: Vec<Character>,
}

impl Cast {
    pub fn get(&self, name: &str) -> Option<&Character> {
        self.characters
            .iter()
            .find(|c| c.name == name || c.aliases.iter().any(|a| a == name))
    }

    pub fn is_child(&self, name: &str) -> bool {
        self.get(name).is_some_and(|c| c.child)
    }

    pub fn children(&self) -> impl Iterator<Item = &Character> {
        self.characters.iter().filter(|c| c.child)
    }
}

/// Work out every character and whether each is a child.
pub fn build(_script: &Script, _overrides: &Overrides) -> Cast {
    Cast::default()
}
