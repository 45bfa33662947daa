//! The project's commands, run as `cargo xtask <command>`:
//!
//! - `serve [--port N]`: build the page and serve it on 127.0.0.1 (default port 8000);
//! - `build`: build the wasm package into `pkg/` (what `serve` serves);
//! - `test`: every check: fmt, clippy, native tests, the JavaScript unit tests in Node,
//!   ESLint and TypeScript's check of the JSDoc types over the JavaScript, wasm tests in
//!   headless Chromium, end-to-end tests of the page with Playwright;
//! - `bench`: the benchmarks, natively (criterion) and in headless Chromium, as one table;
//! - `dist`: `dist/bigram-lab.html`, the whole page in one file that works from disk.
//!
//! Each command installs what it needs and is missing (the wasm32 target, the
//! wasm-bindgen CLI at the version in Cargo.lock, the end-to-end tests' npm packages,
//! `dist`'s bundler, the JavaScript checks' TypeScript and ESLint).

mod bench;
mod dist;
mod serve;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => port_arg(&args[1..]).and_then(serve_page),
        Some("build") => build_wasm().map(|_| ()),
        Some("test") => test(),
        Some("bench") => bench::run_all(),
        Some("dist") => dist::build().map(|path| println!("wrote {}", path.display())),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <serve [--port N] | build | dist | test | bench>";

fn port_arg(args: &[String]) -> Result<u16> {
    match args {
        [] => Ok(8000),
        [flag, port] if flag == "--port" => port
            .parse()
            .map_err(|_| format!("--port takes a number, got {port:?}")),
        _ => Err(USAGE.to_string()),
    }
}

/// The workspace root (the parent of this crate's folder).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Runs a command (in the workspace root unless it says otherwise), failing with its name if it fails.
fn run(cmd: &mut Command) -> Result {
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
    let shown = format!("{cmd:?}");
    eprintln!("xtask: running {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Folder of the build's npm packages (esbuild for `dist`, uPlot for the page's charts,
/// TypeScript and ESLint for `test`), relative to the workspace root, each pinned by its
/// `package-lock.json`.
const NPM_TOOLS: &str = "xtask/js";

/// uPlot's ES module and stylesheet in its npm package (`dist/`), which the page loads
/// from `pkg/`: `www/` imports `../pkg/uPlot.esm.js` and `index.html` links
/// `pkg/uPlot.min.css`, so the charts' library comes from the page's own origin (and
/// `dist` inlines it), at the version the lock pins.
const UPLOT_JS: &str = "uPlot.esm.js";
const UPLOT_CSS: &str = "uPlot.min.css";
/// uPlot's type declarations in its package, and their name beside the module in `pkg/`
/// (where TypeScript looks for `uPlot.esm.js`'s types).
const UPLOT_TYPES: (&str, &str) = ("uPlot.d.ts", "uPlot.esm.d.ts");

/// Builds the library for wasm32 in release and runs wasm-bindgen (`--target web`)
/// into `pkg/`, then puts uPlot beside it. Returns that folder. wasm-bindgen also writes
/// `bigram_lab.d.ts`, the exports' real signatures, which the type check reads.
fn build_wasm() -> Result<PathBuf> {
    setup::wasm_target()?;
    let bindgen = setup::wasm_bindgen_cli()?;
    run(cargo().args([
        "build",
        "--release",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let wasm = root().join("target/wasm32-unknown-unknown/release/bigram_lab.wasm");
    let out = root().join("pkg");
    run(Command::new(bindgen)
        .args(["--target", "web", "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    uplot_into(&out)?;
    Ok(out)
}

/// Puts uPlot into `out` from the build's npm folder (installed from its lock if
/// missing): the stylesheet as it is, the module minified by esbuild (the package ships
/// no minified ES module; 145 KB become about 50 KB, the same code). Its copyright and
/// licence header goes first as a `/*!` comment, which esbuild keeps, here and in
/// `dist`'s bundle. Its type declarations go beside the module, for the type check.
fn uplot_into(out: &Path) -> Result {
    let tools = root().join(NPM_TOOLS);
    setup::npm_packages(&tools)?;
    let from = tools.join("node_modules/uplot/dist");
    std::fs::copy(from.join(UPLOT_CSS), out.join(UPLOT_CSS))
        .map_err(|e| format!("cannot copy uPlot's {UPLOT_CSS} into {out:?}: {e}"))?;
    let (types, types_here) = UPLOT_TYPES;
    std::fs::copy(from.join(types), out.join(types_here))
        .map_err(|e| format!("cannot copy uPlot's {types} into {out:?}: {e}"))?;
    let source = std::fs::read_to_string(from.join(UPLOT_JS))
        .map_err(|e| format!("cannot read uPlot's {UPLOT_JS}: {e}"))?;
    let header = licence_header(&source)
        .ok_or_else(|| format!("uPlot's {UPLOT_JS} no longer starts with its licence"))?;
    run(Command::new(tools.join("node_modules/.bin/esbuild"))
        .arg(from.join(UPLOT_JS))
        .args(["--minify", "--log-level=warning"])
        .arg(format!("--banner:js={header}"))
        .arg(format!("--outfile={}", out.join(UPLOT_JS).display())))
}

/// The `/** … */` comment a file starts with (its copyright and licence), as a legal
/// comment (`/*! … */`) that minifiers and bundlers keep.
fn licence_header(source: &str) -> Option<String> {
    let body = source.trim_start().strip_prefix("/**")?;
    let end = body.find("*/")?;
    let text = &body[..end];
    text.contains("Copyright").then(|| format!("/*!{text}*/"))
}

fn serve_page(port: u16) -> Result {
    build_wasm()?;
    let server = serve::Server::bind(root(), port)?;
    println!("Bigram Lab is at {}", server.url());
    println!("(Ctrl-C to stop)");
    server.run_forever();
    Ok(())
}

fn test() -> Result {
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    setup::wasm_target()?;
    run(cargo()
        .args([
            "clippy",
            "--lib",
            "--tests",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .args(["--", "-D", "warnings"]))?;
    run(cargo().args(["test", "--workspace"]))?;
    run(cargo()
        .args(["doc", "--no-deps", "--lib"])
        .env("RUSTDOCFLAGS", "-D warnings"))?;
    js_unit_tests()?;
    js_lint()?;
    // The type check reads the wasm module's and uPlot's declarations in `pkg/`.
    build_wasm()?;
    js_types()?;
    let browser = setup::chromium()?;
    wasm_tests(&browser)?;
    end_to_end(&browser)
}

/// The page's JavaScript modules that need no browser (settings, storage helpers), in
/// Node: every `*.test.mjs` in `tests/unit/`. They run before the browser stages, so a
/// slip in plain logic is reported in a second rather than after the wasm build.
fn js_unit_tests() -> Result {
    run(Command::new("node").args(["--test", "tests/unit/"]))
}

/// A binary of the build's npm packages (`node_modules/.bin/`), installed from the lock
/// if missing, so that no global install is needed.
fn npm_tool(name: &str) -> Result<Command> {
    let tools = root().join(NPM_TOOLS);
    setup::npm_packages(&tools)?;
    Ok(Command::new(tools.join("node_modules/.bin").join(name)))
}

/// The TypeScript configurations of the type check: the page's modules (DOM) and the
/// training worker's (a worker's global scope, its own `lib`).
const TSCONFIGS: [&str; 2] = ["tsconfig.json", "www/worker/tsconfig.json"];

/// ESLint over every JavaScript file of the repository (`eslint.config.js`: recommended
/// rules and a few more; browser, worker and Node globals where each runs).
fn js_lint() -> Result {
    eprintln!("xtask: JavaScript lint (ESLint)");
    run(npm_tool("eslint")?.args([".", "--max-warnings", "0"]))
}

/// TypeScript's check of the JavaScript's JSDoc types (`checkJs`, strict, no output),
/// against the wasm module's declarations that wasm-bindgen writes into `pkg/`.
fn js_types() -> Result {
    for config in TSCONFIGS {
        eprintln!("xtask: JavaScript type check (tsc -p {config})");
        run(npm_tool("tsc")?.args(["--noEmit", "-p", config]))?;
    }
    Ok(())
}

/// `tests/web.rs` and `tests/lanes.rs` in headless Chromium through
/// wasm-bindgen-test-runner and chromedriver.
fn wasm_tests(browser: &setup::Chromium) -> Result {
    let bindgen = setup::wasm_bindgen_cli()?;
    let runner = bindgen.with_file_name("wasm-bindgen-test-runner");
    // Chromium as root needs --no-sandbox; the runner takes its options from this file.
    let config = root().join("target/webdriver.json");
    let json = serde_json::json!({
        "goog:chromeOptions": {
            "binary": browser.binary.to_string_lossy(),
            "args": setup::chromium_flags(),
        }
    })
    .to_string();
    std::fs::create_dir_all(root().join("target")).map_err(|e| e.to_string())?;
    std::fs::write(&config, json).map_err(|e| format!("cannot write {config:?}: {e}"))?;
    run(cargo()
        .args([
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "web",
            "--test",
            "lanes",
        ])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &runner)
        .env("CHROMEDRIVER", &browser.driver)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &config))
}

/// Builds the page, serves it from this process on a free port and returns its URL.
/// Also installs the npm package the browser scripts use.
fn serve_in_background() -> Result<String> {
    build_wasm()?;
    setup::npm_packages(&root().join("tests/e2e"))?;
    let server = serve::Server::bind(root(), 0)?;
    let url = server.url();
    std::thread::spawn(move || server.run_forever());
    Ok(url)
}

/// The page, served from this process, driven by Playwright in `tests/e2e`.
fn end_to_end(browser: &setup::Chromium) -> Result {
    let url = serve_in_background()?;
    let single_file = dist::build()?;
    run(Command::new("node")
        // Every *.test.mjs in the folder (Node's runner passes over node_modules).
        .args(["--test", "tests/e2e/"])
        .env("BASE_URL", &url)
        .env("DIST_HTML", &single_file)
        .env("CHROMIUM", &browser.binary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_licence_header_becomes_a_legal_comment() {
        let source = "/**\n* Copyright (c) 2025, Someone\n* (MIT Licensed)\n*/\n\nconst a = 1;\n";
        assert_eq!(
            licence_header(source).unwrap(),
            "/*!\n* Copyright (c) 2025, Someone\n* (MIT Licensed)\n*/"
        );
        assert_eq!(licence_header("const a = 1; /** Copyright */"), None);
        assert_eq!(licence_header("/** a helper */\nconst a = 1;"), None);
    }
}
