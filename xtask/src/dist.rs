//! `cargo xtask dist`: the whole page in one file, `dist/bigram-lab.html`, that works
//! opened from disk (file://) with no server and no network: the ES modules joined into
//! one inline module, the wasm inlined as base64 (the default names are inside it), the
//! stylesheet and icon inline, and a Content-Security-Policy that allows exactly those
//! inline pieces by their SHA-256 hashes.

use crate::{build_wasm, root, Result};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::PathBuf;

/// The page's modules, each after those it imports (the order main.js needs them in).
const MODULES: [&str; 7] = [
    "www/lossChart.js",
    "www/heatmap.js",
    "www/probe.js",
    "www/state.js",
    "www/storage.js",
    "www/explorer.js",
    "pkg/bigram_lab.js",
];

/// Builds the wasm package and writes the single file; returns its path.
pub fn build() -> Result<PathBuf> {
    build_wasm()?;
    let read = |rel: &str| {
        std::fs::read_to_string(root().join(rel)).map_err(|e| format!("cannot read {rel}: {e}"))
    };
    let mut script = String::new();
    let mut declared = HashSet::new();
    for rel in MODULES.iter().copied().chain(["www/main.js"]) {
        let module = unmodule(&read(rel)?, rel)?;
        for name in top_level_names(&module) {
            if !declared.insert(name.clone()) {
                return Err(format!(
                    "dist: `{name}` is declared twice (again in {rel}); rename one"
                ));
            }
        }
        script.push_str(&format!("// ---- {rel}\n{module}\n"));
        if rel == "www/storage.js" {
            // main.js uses `import * as storage`: the namespace is storage.js's exports.
            let exports = exported_functions(&read(rel)?).join(", ");
            script.push_str(&format!("const storage = {{ {exports} }};\n"));
        }
        if rel == "pkg/bigram_lab.js" {
            script.push_str("const init = __wbg_init;\n");
        }
    }
    let wasm = std::fs::read(root().join("pkg/bigram_lab_bg.wasm"))
        .map_err(|e| format!("cannot read the wasm: {e}"))?;
    let wasm_bytes = format!(
        "await init({{ module_or_path: Uint8Array.from(atob('{}'), (c) => c.charCodeAt(0)) }})",
        BASE64.encode(&wasm)
    );
    let script = replace_once(&script, "await init()", &wasm_bytes)?;

    let css = read("www/style.css")?;
    let icon = BASE64.encode(read("www/favicon.svg")?);
    let hash = |text: &str| {
        format!(
            "'sha256-{}'",
            BASE64.encode(Sha256::digest(text.as_bytes()))
        )
    };
    let csp = format!(
        "default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src {}; img-src data:; \
         object-src 'none'; base-uri 'none'; form-action 'none'",
        hash(&script),
        hash(&css)
    );
    let mut html = read("index.html")?;
    let old_csp = html
        .split("http-equiv=\"Content-Security-Policy\"")
        .nth(1)
        .and_then(|rest| rest.split("content=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .ok_or("dist: index.html has no Content-Security-Policy to replace")?
        .to_string();
    html = replace_once(&html, &old_csp, &csp)?;
    html = replace_once(
        &html,
        "<link rel=\"stylesheet\" href=\"www/style.css\">",
        &format!("<style>{css}</style>"),
    )?;
    html = replace_once(
        &html,
        "href=\"www/favicon.svg\"",
        &format!("href=\"data:image/svg+xml;base64,{icon}\""),
    )?;
    html = replace_once(
        &html,
        "<script type=\"module\" src=\"www/main.js\"></script>",
        &format!("<script type=\"module\">{script}</script>"),
    )?;
    let out = root().join("dist");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create dist/: {e}"))?;
    let path = out.join("bigram-lab.html");
    std::fs::write(&path, html).map_err(|e| format!("cannot write {path:?}: {e}"))?;
    Ok(path)
}

/// A module's text without its `import` lines and `export` keywords, so that modules
/// can share one scope. Only the forms this project writes are accepted.
fn unmodule(text: &str, rel: &str) -> Result<String> {
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("import ") {
            if !line.trim_end().ends_with(';') {
                return Err(format!(
                    "dist: {rel}: multi-line import: keep imports on one line"
                ));
            }
            continue;
        }
        if line.starts_with("export {") {
            continue; // wasm-bindgen's `export { initSync, __wbg_init as default };`
        }
        out.push_str(line.strip_prefix("export ").unwrap_or(line));
        out.push('\n');
    }
    Ok(out)
}

/// The names of a module's `export function`s.
fn exported_functions(module: &str) -> Vec<String> {
    let exported: String = module
        .lines()
        .filter(|l| l.starts_with("export "))
        .map(|l| format!("{}\n", &l["export ".len()..]))
        .collect();
    top_level_names(&exported)
}

/// Names a module declares at its top level (lines that start a declaration). It sees
/// `function`, `class`, `const`, `let` and `var`, not destructuring or `export default`,
/// which this project's modules do not use at the top level.
fn top_level_names(module: &str) -> Vec<String> {
    module
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("async ").unwrap_or(line);
            let rest = [
                "function* ",
                "function ",
                "class ",
                "const ",
                "let ",
                "var ",
            ]
            .iter()
            .find_map(|kw| rest.strip_prefix(kw))?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                .collect();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

/// `text` with `from` replaced, which must occur exactly once (else the page changed
/// in a way this build does not know).
fn replace_once(text: &str, from: &str, to: &str) -> Result<String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => Err(format!("dist: expected {from:?} once, found it {n} times")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_lose_imports_and_exports_only() {
        let m = "import { a } from './a.js';\nexport function f() {}\nexport { x as default };\nconst y = 1;\n";
        assert_eq!(
            unmodule(m, "m.js").unwrap(),
            "function f() {}\nconst y = 1;\n"
        );
        assert!(unmodule("import {\n  a,\n} from './a.js';\n", "m.js").is_err());
        assert_eq!(
            top_level_names("async function go() {}\nclass K {}\n  const inner = 1;\nlet z;"),
            ["go", "K", "z"]
        );
        assert!(replace_once("a a", "a", "b").is_err());
        assert_eq!(
            exported_functions("export function a() {}\nfunction b() {}\nexport function c() {}"),
            ["a", "c"]
        );
    }
}
