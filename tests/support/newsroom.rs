//! A news site whose pages change between runs, with a Wayback Machine stand-in, served as a
//! forward proxy (tests pass `--proxy`), so the binary reaches `http://news.example.test/…`
//! and `http://archive.example.test/…` without touching the network. Include it with
//! `#[path = "support/newsroom.rs"] mod newsroom;` next to `mod support;`.

#![allow(dead_code)]

use crate::support::{page_key, Request, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The archive's host; its availability API answers for every page ever set.
pub const ARCHIVE: &str = "http://archive.example.test";

/// What the site answers per URL; change it between runs.
#[derive(Clone, Default)]
pub struct Site {
    pages: Arc<Mutex<HashMap<String, Response>>>,
    /// The first version of every page, which the archive serves.
    archived: Arc<Mutex<HashMap<String, Response>>>,
}

impl Site {
    pub fn set(&self, url: &str, response: Response) {
        let key = page_key(url);
        if response.status == 200 {
            self.archived
                .lock()
                .unwrap()
                .entry(key.clone())
                .or_insert_with(|| response.clone());
        }
        self.pages.lock().unwrap().insert(key, response);
    }

    pub fn remove(&self, url: &str) {
        self.pages.lock().unwrap().remove(&page_key(url));
    }

    /// The handler for `TestServer::start`.
    pub fn handler(&self) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
        let site = self.clone();
        move |req: &Request| site.answer(req)
    }

    fn answer(&self, req: &Request) -> Response {
        let url = req.url();
        if req.hostname() == "archive.example.test" {
            if req.path == "/wayback/available" {
                let wanted = req.query.get("url").cloned().unwrap_or_default();
                let ts = req.query.get("timestamp").cloned().unwrap_or_default();
                let known = self
                    .archived
                    .lock()
                    .unwrap()
                    .contains_key(&page_key(&wanted));
                let closest = if known {
                    serde_json::json!({"available": true, "status": "200",
                        "url": format!("{ARCHIVE}/web/{ts}000000/{wanted}"),
                        "timestamp": format!("{ts}000000")})
                } else {
                    serde_json::json!({})
                };
                let snapshots = if known {
                    serde_json::json!({"closest": closest})
                } else {
                    serde_json::json!({})
                };
                return Response::json(
                    &serde_json::json!({"url": wanted, "archived_snapshots": snapshots}),
                );
            }
            if let Some(rest) = req.path.strip_prefix("/web/") {
                let original = rest.split_once('/').map(|(_, u)| u).unwrap_or_default();
                return match self.archived.lock().unwrap().get(&page_key(original)) {
                    Some(r) => r.clone(),
                    None => Response::status(404),
                };
            }
            return Response::status(404);
        }
        match self.pages.lock().unwrap().get(&page_key(&url)) {
            Some(r) => r.clone(),
            None => Response::status(404),
        }
    }
}

/// A realistic article page: navigation, the article, a related list, comments, a footer.
pub fn article(title: &str, date: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title} | Example News</title>\
         <meta property=\"og:site_name\" content=\"Example News\">\
         <meta property=\"article:published_time\" content=\"{date}T08:00:00Z\"></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/politics\">Politics</a> <a href=\"/city\">City</a></nav>\
         <main><article><h1>{title}</h1><time datetime=\"{date}\">{date}</time>\n{body}</article>\
         <aside><h2>Related stories</h2><ul><li><a href=\"/r1\">Transit fares rise again</a></li>\
         <li><a href=\"/r2\">School board elects new chair</a></li></ul></aside>\
         <section class=\"comments\"><h2>Comments</h2><p>Great reporting, thanks!</p></section></main>\
         <footer><p>© 2024 Example News. All rights reserved.</p><a href=\"/privacy\">Privacy</a></footer>\
         </body></html>"
    )
}

/// The site's home page.
pub fn home() -> String {
    "<!doctype html><html><head><title>Example News</title></head><body><nav><a href=\"/\">Home</a></nav>\
     <main><h1>Example News</h1><ul><li><a href=\"/a\">Top story one</a></li>\
     <li><a href=\"/b\">Top story two</a></li></ul></main></body></html>"
        .to_string()
}
