//! A small static file server for the page: `index.html`, `www/` and the generated
//! `pkg/`, on 127.0.0.1 only, with the MIME types browsers insist on (wasm streaming
//! compilation needs `application/wasm`). GET and HEAD only; nothing else is exposed.

use crate::Result;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// A bound listener serving files below `root`.
pub struct Server {
    listener: TcpListener,
    root: PathBuf,
}

impl Server {
    /// Binds 127.0.0.1:`port` (0 picks a free port).
    pub fn bind(root: PathBuf, port: u16) -> Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port)"))?;
        Ok(Self { listener, root })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        let port = self.listener.local_addr().map(|a| a.port()).unwrap_or(0);
        format!("http://127.0.0.1:{port}/")
    }

    /// Serves until the process ends, one thread per connection.
    pub fn run_forever(self) {
        for stream in self.listener.incoming().flatten() {
            let root = self.root.clone();
            std::thread::spawn(move || {
                // A client that hangs up mid-request is not the server's problem.
                let _ = handle(stream, &root);
            });
        }
    }
}

fn handle(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request)? == 0 {
            return Ok(());
        }
        // Skip the headers; nothing in them changes the answer.
        let mut line = String::new();
        while reader.read_line(&mut line)? > 2 {
            line.clear();
        }
        let mut parts = request.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let (status, body, mime) = match (method, resolve(root, target)) {
            ("GET" | "HEAD", Some(path)) => match std::fs::read(&path) {
                Ok(body) => ("200 OK", body, mime_type(&path)),
                Err(_) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
            },
            ("GET" | "HEAD", None) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
            _ => ("405 Method Not Allowed", Vec::new(), "text/plain"),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
    }
}

/// Maps a request path to a file: `/` is `index.html`; only `www/` and `pkg/` below
/// the root are served, and no `..` can leave them.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let rel = Path::new(path.trim_start_matches('/'));
    if rel.as_os_str().is_empty() || rel == Path::new("index.html") {
        return Some(root.join("index.html"));
    }
    let mut parts = rel.components();
    let top = parts.next()?;
    let allowed = matches!(top, Component::Normal(t) if t == "www" || t == "pkg");
    let clean = parts.all(|c| matches!(c, Component::Normal(_)));
    (allowed && clean).then(|| root.join(rel))
}

fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_page_is_served() {
        let root = Path::new("/r");
        assert_eq!(resolve(root, "/"), Some(root.join("index.html")));
        assert_eq!(
            resolve(root, "/www/main.js?v=1"),
            Some(root.join("www/main.js"))
        );
        assert_eq!(
            resolve(root, "/pkg/bigram_lab_bg.wasm"),
            Some(root.join("pkg/bigram_lab_bg.wasm"))
        );
        assert_eq!(resolve(root, "/src/lib.rs"), None);
        assert_eq!(resolve(root, "/www/../Cargo.toml"), None);
        assert_eq!(resolve(root, "/../etc/passwd"), None);
    }

    #[test]
    fn wasm_has_its_mime_type() {
        assert_eq!(mime_type(Path::new("a.wasm")), "application/wasm");
        assert_eq!(
            mime_type(Path::new("a.js")),
            "text/javascript; charset=utf-8"
        );
    }
}
