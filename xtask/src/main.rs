//! The project's commands, run as `cargo xtask <command>`:
//!
//! - `serve [--port N]`: build the page and serve it on 127.0.0.1 (default port 8000);
//! - `build`: build the wasm package into `pkg/` (what `serve` serves);
//! - `test`: every check: fmt, clippy, native tests, wasm tests in headless Chromium,
//!   end-to-end tests of the page with Playwright.
//!
//! Each command installs what it needs and is missing (the wasm32 target, the
//! wasm-bindgen CLI at the version in Cargo.lock, the end-to-end tests' npm packages).

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

const USAGE: &str = "usage: cargo xtask <serve [--port N] | build | test>";

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

/// Runs a command in the workspace root, failing with its name if it fails.
fn run(cmd: &mut Command) -> Result {
    cmd.current_dir(root());
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

/// Builds the library for wasm32 in release and runs wasm-bindgen (`--target web`)
/// into `pkg/`. Returns that folder.
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
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    Ok(out)
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
    run(cargo().args(["test", "--workspace"]))?;
    run(cargo()
        .args(["doc", "--no-deps", "--lib"])
        .env("RUSTDOCFLAGS", "-D warnings"))?;
    Ok(())
}
