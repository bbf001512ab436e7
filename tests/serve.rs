//! `accord serve`: serves the built site, and after an edit of accord.toml rebuilds with the
//! new settings and tells open pages to reload.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The body of `GET path` from the server at `port`, if it answers.
fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    text.split_once("\r\n\r\n").map(|(_, body)| body.to_owned())
}

/// Waits up to a minute for `f` to give something.
fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(x) = f() {
            return x;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `accord serve --root <root>` in the folder `cwd`, on a free port; returns once it
/// serves the first build, with the port.
fn serve(cwd: &std::path::Path, root: &str) -> (Server, u16) {
    // A free port: one the system hands out, released for the server to take.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_accord"))
            .current_dir(cwd)
            .args(["serve", "--root", root])
            .args(["--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for("the first build served", || {
        get(port, "/index.html").filter(|b| b.contains("<title>"))
    });
    (server, port)
}

#[test]
fn an_edited_setting_is_built_and_served_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    gen_corpus(&site, 3);
    std::fs::write(site.join("accord.toml"), "title = \"First title\"\n").unwrap();
    // Given as a relative path, as `accord serve --root site` run beside it.
    let (_server, port) = serve(dir.path(), "site");
    let home = get(port, "/index.html").unwrap();
    assert!(home.contains("First title"), "{home}");
    let version = get(port, "/__accord/version").unwrap();

    std::fs::write(site.join("accord.toml"), "title = \"Second title\"\n").unwrap();
    wait_for("a rebuild after the edit", || {
        get(port, "/__accord/version").filter(|v| *v != version)
    });
    let home = get(port, "/index.html").unwrap();
    assert!(
        home.contains("Second title") && !home.contains("First title"),
        "the rebuild used the new accord.toml: {home}"
    );
}

/// Without an edit nothing is built again: a build opens accord.toml and the input folders,
/// which the watcher also reports on Linux, and each rebuild used to set off the next.
#[test]
fn a_site_left_alone_is_built_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    gen_corpus(&site, 3);
    let (_server, port) = serve(dir.path(), site.to_str().unwrap());
    let version = get(port, "/__accord/version").unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(get(port, "/__accord/version").unwrap(), version);
}
