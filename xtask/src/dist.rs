//! `cargo xtask dist`: the whole page in one file, `dist/bigram-lab.html`, that works
//! opened from disk (file://) with no server and no network: the ES modules bundled by
//! esbuild into one inline module (uPlot, the charts' library, with them), the wasm
//! inlined as base64 (the default names are inside it), the stylesheets (uPlot's and the
//! page's) and icon inline, and a Content-Security-Policy that allows exactly those
//! inline pieces by their SHA-256 hashes.
//!
//! The bundler is esbuild from npm, pinned in `xtask/js/package.json` and its lock. It
//! has a folder of its own rather than a place in `tests/e2e/package.json`: `dist` is a
//! build command, so it should not need the test tools (playwright-core, axe-core) to be
//! installed, and bumping a test tool should not touch the build's lock (nor the reverse).

use crate::{build_wasm, root, Result, NPM_TOOLS};
use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The page's entry module, relative to the workspace root: esbuild follows its imports.
const ENTRY: &str = "www/main.js";

/// The call in the entry module that loads the wasm. Served, wasm-bindgen's glue fetches
/// `bigram_lab_bg.wasm` next to itself; from file:// there is nothing to fetch, so dist
/// rewrites this call to pass the module's bytes instead.
const INIT_CALL: &str = "await init()";

/// The page's stylesheets, in the order `index.html` links them (the page's own last, so
/// that its rules win), each inlined as a `<style>` of its own.
const STYLESHEETS: [&str; 2] = ["pkg/uPlot.min.css", "www/style.css"];

/// Builds the wasm package and writes the single file; returns its path.
pub fn build() -> Result<PathBuf> {
    // This also installs the build's npm packages (uPlot, copied into pkg/, and esbuild).
    build_wasm()?;
    let tools = root().join(NPM_TOOLS);
    let read = |rel: &str| {
        std::fs::read_to_string(root().join(rel)).map_err(|e| format!("cannot read {rel}: {e}"))
    };
    let wasm = std::fs::read(root().join("pkg/bigram_lab_bg.wasm"))
        .map_err(|e| format!("cannot read the wasm: {e}"))?;
    // The bytes go into the entry module's source before bundling, not into the bundle's
    // output: esbuild renames imported bindings (`init` becomes wasm-bindgen's
    // `__wbg_init`), so the call is only recognisable as the page wrote it. The bytes
    // cannot be an esbuild `--define` either: one command-line argument is limited to
    // 128 KiB on Linux and the wasm's base64 is several times that.
    let entry = replace_once(&read(ENTRY)?, INIT_CALL, &init_with_bytes(&wasm))
        .map_err(|e| format!("{e} in {ENTRY} (dist passes the wasm's bytes to that call)"))?;
    let script = bundle(&tools, &entry)?;
    let styles = STYLESHEETS
        .iter()
        .map(|rel| Ok((*rel, read(rel)?)))
        .collect::<Result<Vec<_>>>()?;
    let html = single_file(
        &read("index.html")?,
        &script,
        &styles,
        &read("www/favicon.svg")?,
    )?;
    let out = root().join("dist");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create dist/: {e}"))?;
    let path = out.join("bigram-lab.html");
    std::fs::write(&path, html).map_err(|e| format!("cannot write {path:?}: {e}"))?;
    Ok(path)
}

/// The init call with the wasm module's bytes, decoded from base64 in the page.
fn init_with_bytes(wasm: &[u8]) -> String {
    format!(
        "await init({{ module_or_path: Uint8Array.from(atob('{}'), (c) => c.charCodeAt(0)) }})",
        BASE64.encode(wasm)
    )
}

/// Bundles `entry` (the text of [`ENTRY`], possibly rewritten) with everything it
/// imports into one ES module, with esbuild from `tools/node_modules`.
fn bundle(tools: &Path, entry: &str) -> Result<String> {
    let esbuild = tools.join("node_modules/.bin/esbuild");
    let entry_dir = root().join(Path::new(ENTRY).parent().expect("ENTRY is in a folder"));
    let mut cmd = Command::new(&esbuild);
    // The entry comes on stdin, so that the file on disk stays as it is; esbuild's CLI
    // resolves stdin's imports from its working folder, hence the entry's own folder.
    // Top-level await (the init call) needs an ES module, which the page loads it as.
    cmd.args([
        "--bundle",
        "--format=esm",
        "--log-level=warning",
        &format!("--sourcefile={}", file_name(ENTRY)),
    ])
    .current_dir(&entry_dir)
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit());
    eprintln!("xtask: running {cmd:?} < {ENTRY} (wasm inlined)");
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start {esbuild:?}: {e}"))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Written from a thread, so that esbuild's output cannot fill its pipe while we write.
    let input = entry.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("esbuild: {e}"))?;
    writer
        .join()
        .expect("the writer thread does not panic")
        .map_err(|e| format!("cannot send {ENTRY} to esbuild: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "esbuild failed ({}); its errors are above",
            out.status
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("esbuild wrote no UTF-8: {e}"))
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// `index.html` with the script, the stylesheets (each `(href, text)`, linked by that
/// href) and the icon inline, and its Content-Security-Policy replaced by one that
/// allows exactly those inline pieces.
fn single_file(
    index: &str,
    script: &str,
    styles: &[(&str, String)],
    icon_svg: &str,
) -> Result<String> {
    // Text inside <script> or <style> ends at the first closing tag, whatever the
    // language around it says, and in a script `<!--` can change where that end is found.
    // esbuild escapes `</script` in strings; anything left would cut the page short.
    let lower_script = script.to_ascii_lowercase();
    let mut checks = vec![
        ("script", lower_script.clone(), "</script"),
        ("script", lower_script, "<!--"),
    ];
    for (_, css) in styles {
        checks.push(("stylesheet", css.to_ascii_lowercase(), "</style"));
    }
    for (what, text, bad) in checks {
        if text.contains(bad) {
            return Err(format!(
                "dist: the inline {what} contains `{bad}`, which would break the page"
            ));
        }
    }
    let old_csp = index
        .split("http-equiv=\"Content-Security-Policy\"")
        .nth(1)
        .and_then(|rest| rest.split("content=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .ok_or("dist: index.html has no Content-Security-Policy to replace")?;
    let css: Vec<&str> = styles.iter().map(|(_, css)| css.as_str()).collect();
    let mut html = replace_once(index, old_csp, &csp(script, &css))?;
    for (href, css) in styles {
        html = replace_once(
            &html,
            &format!("<link rel=\"stylesheet\" href=\"{href}\">"),
            &format!("<style>{css}</style>"),
        )?;
    }
    html = replace_once(
        &html,
        "href=\"www/favicon.svg\"",
        &format!(
            "href=\"data:image/svg+xml;base64,{}\"",
            BASE64.encode(icon_svg)
        ),
    )?;
    html = replace_once(
        &html,
        &format!("<script type=\"module\" src=\"{ENTRY}\"></script>"),
        &format!("<script type=\"module\">{script}</script>"),
    )?;
    Ok(without_preloads(&html))
}

/// The page without its preload hints (`<link rel="modulepreload">`, `<link
/// rel="preload">` and the comment before them): the single file has everything
/// inline, and from file:// they would be requests that fail.
fn without_preloads(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_comment = false;
    for line in html.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("<!-- Everything the script imports") {
            in_comment = true;
        }
        let skip = in_comment
            || t.starts_with("<link rel=\"modulepreload\"")
            || t.starts_with("<link rel=\"preload\"");
        if in_comment && t.trim_end().ends_with("-->") {
            in_comment = false;
        }
        if !skip {
            out.push_str(line);
        }
    }
    out
}

/// The single file's policy: nothing from anywhere (not even its own folder: from
/// file:// there is no origin to trust), except the one script and the stylesheets by
/// hash, compiling the wasm, and the data: icon.
fn csp(script: &str, styles: &[&str]) -> String {
    let style_hashes: Vec<String> = styles.iter().map(|css| csp_hash(css)).collect();
    format!(
        "default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src {}; img-src data:; \
         object-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(script),
        style_hashes.join(" ")
    )
}

/// A CSP hash source for an inline element's exact text.
fn csp_hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        BASE64.encode(Sha256::digest(text.as_bytes()))
    )
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
    fn replace_once_refuses_a_missing_or_repeated_pattern() {
        assert_eq!(replace_once("a b c", "b", "x").unwrap(), "a x c");
        assert!(replace_once("a c", "b", "x")
            .unwrap_err()
            .contains("0 times"));
        assert!(replace_once("b b", "b", "x")
            .unwrap_err()
            .contains("2 times"));
    }

    #[test]
    fn the_init_call_gets_the_wasm_bytes() {
        let main = "const wasm = await init();\n";
        let out = replace_once(main, INIT_CALL, &init_with_bytes(b"\0asm")).unwrap();
        assert_eq!(
            out,
            "const wasm = await init({ module_or_path: Uint8Array.from(atob('AGFzbQ=='), \
             (c) => c.charCodeAt(0)) });\n"
        );
    }

    #[test]
    fn csp_hashes_are_sha256_in_base64() {
        // SHA-256 of the empty text, as every CSP hash table lists it.
        assert_eq!(
            csp_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
        // SHA-256 of "abc" (FIPS 180-2's example), in base64.
        assert_eq!(
            csp_hash("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
    }

    const INDEX: &str = "<head>\n<meta http-equiv=\"Content-Security-Policy\"\n \
        content=\"default-src 'self'\">\n<link rel=\"icon\" href=\"www/favicon.svg\">\n\
        <link rel=\"stylesheet\" href=\"pkg/lib.css\">\n\
        <link rel=\"stylesheet\" href=\"www/style.css\">\n\
        <script type=\"module\" src=\"www/main.js\"></script>\n\
        <!-- Everything the script imports, fetched at once\n\
        (dist drops these). -->\n\
        <link rel=\"modulepreload\" href=\"www/draw.js\">\n\
        <link rel=\"preload\" href=\"pkg/x.wasm\" as=\"fetch\" crossorigin>\n</head>";

    /// The two stylesheets of [`INDEX`], with `page` as the page's own.
    fn styles(page: &str) -> Vec<(&'static str, String)> {
        vec![
            ("pkg/lib.css", "a{}".into()),
            ("www/style.css", page.into()),
        ]
    }

    #[test]
    fn the_single_file_inlines_everything_and_allows_it_by_hash() {
        let html = single_file(INDEX, "go();", &styles("p{}"), "<svg/>").unwrap();
        let expected_csp = format!(
            "default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src {} {}; \
             img-src data:; object-src 'none'; base-uri 'none'; form-action 'none'",
            csp_hash("go();"),
            csp_hash("a{}"),
            csp_hash("p{}")
        );
        assert!(html.contains(&format!("content=\"{expected_csp}\"")));
        assert!(html.contains("<style>a{}</style>\n<style>p{}</style>"));
        assert!(html.contains("<script type=\"module\">go();</script>"));
        assert!(html.contains("href=\"data:image/svg+xml;base64,PHN2Zy8+\""));
        assert!(!html.contains("www/"), "nothing is left to fetch: {html}");
        assert!(!html.contains("pkg/"), "nothing is left to fetch: {html}");
        assert!(!html.contains("'self'"));
    }

    #[test]
    fn the_single_file_refuses_text_that_would_end_its_element() {
        assert!(single_file(INDEX, "s = '</SCRIPT>';", &styles(""), "").is_err());
        assert!(single_file(INDEX, "a <!-- b", &styles(""), "").is_err());
        let bad_css = styles("p::after{content:'</style>'}");
        assert!(single_file(INDEX, "", &bad_css, "").is_err());
        // A page whose markup changed is refused rather than half inlined.
        let no_css = INDEX.replace("www/style.css", "www/other.css");
        assert!(single_file(&no_css, "", &styles(""), "").is_err());
    }
}
