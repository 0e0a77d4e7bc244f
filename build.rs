//! Converts the default rule packs from YAML to JSON at build time. The binary embeds both: the
//! YAML for messages that quote a pack, the JSON to load from, because parsing JSON takes a tenth
//! of the time YAML does and every cold `dramalint check` loads all ten packs.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=rules");
    for lang in ["zh", "en"] {
        for pack in [
            "adultification",
            "materialism",
            "vulgarity",
            "extremity",
            "instrumentalization",
        ] {
            let src = format!("rules/{lang}/{pack}.yaml");
            println!("cargo::rerun-if-changed={src}");
            let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
            // A pack that is not valid YAML is embedded as `null`; loading it then falls back
            // to the YAML parser, which reports the error with its line.
            let json = serde_yaml::from_str::<serde_json::Value>(&text)
                .map(|v| v.to_string())
                .unwrap_or_else(|_| "null".into());
            let dest = Path::new(&out).join(format!("{lang}-{pack}.json"));
            std::fs::write(&dest, json).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
        }
    }
}
