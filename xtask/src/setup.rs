//! Installing what the commands need when it is missing, so that a fresh machine with
//! Rust, Node and Chromium needs no manual set-up.

use crate::{root, run, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Adds the wasm32 target with rustup unless it is installed.
pub fn wasm_target() -> Result {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the {WASM_TARGET} target: {e}"))?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// The `wasm-bindgen` version that Cargo.lock pins; the CLI must be exactly this one.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin").join(name)
}

fn installed_version(bin: &PathBuf) -> Option<String> {
    let out = Command::new(bin).arg("--version").output().ok()?;
    // Prints "wasm-bindgen 0.2.130".
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split_whitespace().nth(1).map(str::to_string)
}

/// The wasm-bindgen CLI at the locked version, installed with cargo if missing or
/// different (a mismatch makes wasm-bindgen refuse the module).
pub fn wasm_bindgen_cli() -> Result<PathBuf> {
    let version = locked_wasm_bindgen_version()?;
    let bin = cargo_bin("wasm-bindgen");
    if installed_version(&bin).as_deref() != Some(version.as_str()) {
        eprintln!("xtask: installing wasm-bindgen-cli {version} (takes a few minutes, once)");
        // No --locked: the registry index here may lag the CLI's own lock file.
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    }
    Ok(bin)
}

/// Flags for headless Chromium here: root needs --no-sandbox, and the machine's closed
/// network makes Chromium's background services fail noisily unless switched off.
///
/// They live in `tests/e2e/chromium-flags.json`, which the end-to-end tests and the page
/// benchmark read too (`tests/e2e/browser.mjs`), so that every browser run here starts
/// Chromium the same way. Compiled in, so a damaged file fails this crate's tests.
pub fn chromium_flags() -> Vec<String> {
    serde_json::from_str(include_str!("../../tests/e2e/chromium-flags.json"))
        .expect("tests/e2e/chromium-flags.json is a JSON array of strings")
}

/// The browser and its WebDriver.
pub struct Chromium {
    /// The browser executable.
    pub binary: PathBuf,
    /// chromedriver, for wasm-bindgen-test.
    pub driver: PathBuf,
}

/// `$VAR` if set, else the first of `candidates` that exists.
fn find(var: &str, candidates: &[&str]) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .or_else(|| candidates.iter().map(PathBuf::from).find(|p| p.exists()))
}

/// Chromium and chromedriver (`$CHROMIUM`, `$CHROMEDRIVER`, or Debian's). When they are
/// missing and apt-get can be used (as root), installs Debian's packages.
pub fn chromium() -> Result<Chromium> {
    let locate = || {
        let binary = find(
            "CHROMIUM",
            &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
        )?;
        let driver = find("CHROMEDRIVER", &["/usr/bin/chromedriver"])?;
        Some(Chromium { binary, driver })
    };
    if let Some(found) = locate() {
        return Ok(found);
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false);
    if is_root && Path::new("/usr/bin/apt-get").exists() {
        eprintln!("xtask: installing Debian's chromium and chromium-driver");
        run(Command::new("apt-get").args(["update", "-qq"]))?;
        run(Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
    }
    locate().ok_or_else(|| {
        "the browser tests need Chromium and chromedriver: install them \
         (Debian: apt-get install chromium chromium-driver) or set CHROMIUM and CHROMEDRIVER"
            .to_string()
    })
}

/// `npm ci` in `dir` when any package its package.json names (in `dependencies` or
/// `devDependencies`) is not installed, or is installed at another version than an exact
/// pin asks for (so that changing a pin reinstalls). `npm ci` installs exactly what
/// `package-lock.json` holds, development dependencies included.
pub fn npm_packages(dir: &Path) -> Result {
    let manifest = std::fs::read_to_string(dir.join("package.json"))
        .map_err(|e| format!("cannot read {dir:?}/package.json: {e}"))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&manifest).map_err(|e| format!("{dir:?}/package.json: {e}"))?;
    let deps: serde_json::Map<String, serde_json::Value> = ["dependencies", "devDependencies"]
        .iter()
        .filter_map(|field| manifest[*field].as_object())
        .flat_map(|pins| pins.clone())
        .collect();
    let installed = |(name, wanted): (&String, &serde_json::Value)| {
        let package = dir.join("node_modules").join(name).join("package.json");
        let Ok(text) = std::fs::read_to_string(package) else {
            return false;
        };
        let version = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|p| p["version"].as_str().map(str::to_string));
        match wanted.as_str() {
            Some(pin) if is_exact_version(pin) => version.as_deref() == Some(pin),
            _ => version.is_some(),
        }
    };
    if deps.iter().all(installed) {
        return Ok(());
    }
    // No package here downloads a browser (playwright-core ships none: Debian's Chromium
    // is used); esbuild's binary is an npm package of its own (@esbuild/linux-x64), which
    // the lock lists among esbuild's optional dependencies, as TypeScript's is
    // (@typescript/typescript-linux-x64, TypeScript 7 being a native program).
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir))
}

/// Whether a package.json version is one exact version (`1.2.3`, `1.2.3-rc.1`) rather
/// than a range (`^1.2.3`, `1.x`, `>=1 <2`).
fn is_exact_version(spec: &str) -> bool {
    let core = spec.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromium_flags_come_from_the_shared_file() {
        let flags = chromium_flags();
        assert_eq!(flags.len(), 8);
        assert_eq!(flags[0], "--headless");
        // Root cannot start Chromium sandboxed.
        assert!(flags.iter().any(|f| f == "--no-sandbox"));
        assert!(flags.iter().all(|f| f.starts_with("--")));
    }

    #[test]
    fn exact_versions_are_told_from_ranges() {
        for exact in ["0.28.2", "1.65.1", "4.14.1", "1.0.0-rc.1"] {
            assert!(is_exact_version(exact), "{exact}");
        }
        for range in [
            "^1.2.3",
            "~1.2.3",
            "1.x",
            "1.2",
            ">=1.0.0 <2",
            "*",
            "latest",
            "",
        ] {
            assert!(!is_exact_version(range), "{range}");
        }
    }
}
