//! robots.txt (RFC 9309): what a host's answer to `/robots.txt` allows, cached per host.
//!
//! The rules follow the RFC's section 2.3.1: a 2xx body is parsed (a body that cannot be parsed
//! has no rules); a 4xx means there are no rules, so everything is allowed; a 5xx or no answer
//! at all (connection failure, timeout) means the host is unreachable, so everything is
//! disallowed. A host that gives no answer at all has its pages reported unreachable (the
//! robots.txt error), since that is what they are; a 5xx robots.txt makes them blocked. The parsing itself is `texting_robots`, which implements the RFC's matching
//! (longest match wins, `Allow` wins ties, `*` and `$` patterns). Only the first 500 KiB of a
//! robots.txt are read, the minimum the RFC asks parsers to handle.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// The product token matched against `User-agent:` lines.
pub(crate) const AGENT_TOKEN: &str = "citecheck";
/// Bytes of a robots.txt read.
pub(crate) const ROBOTS_MAX_BYTES: usize = 500 * 1024;

/// What a host's robots.txt allows.
#[derive(Debug)]
pub(crate) enum Rules {
    AllowAll,
    /// Nothing may be fetched, for this reason.
    DisallowAll(String),
    /// robots.txt got no answer (this error), so nothing may be fetched.
    Unreachable(super::FetchError),
    Parsed(texting_robots::Robot),
}

/// Why robots.txt refuses a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The rules (or a 5xx robots.txt) disallow it.
    Disallowed(String),
    /// robots.txt could not be fetched at all: the page fails with this error.
    Unreachable(super::FetchError),
}

/// How robots.txt was answered: its status and body, or the error when no answer came.
pub(crate) fn rules_from(answer: Result<(u16, &[u8]), super::FetchError>) -> Rules {
    match answer {
        Err(error) => Rules::Unreachable(error),
        Ok((status @ 500..=599, _)) => Rules::DisallowAll(format!(
            "robots.txt answered http {status}, which disallows all"
        )),
        Ok((200..=299, body)) => match texting_robots::Robot::new(AGENT_TOKEN, body) {
            Ok(robot) => Rules::Parsed(robot),
            Err(_) => Rules::AllowAll,
        },
        // 4xx, and 3xx left after the redirects were followed: no rules.
        Ok(_) => Rules::AllowAll,
    }
}

impl Rules {
    /// `Err` when `url` may not be fetched.
    pub(crate) fn check(&self, url: &str) -> Result<(), Refusal> {
        match self {
            Rules::AllowAll => Ok(()),
            Rules::DisallowAll(reason) => Err(Refusal::Disallowed(reason.clone())),
            Rules::Unreachable(error) => Err(Refusal::Unreachable(error.clone())),
            Rules::Parsed(robot) if robot.allowed(url) => Ok(()),
            Rules::Parsed(_) => Err(Refusal::Disallowed("disallowed by robots.txt".to_owned())),
        }
    }
}

/// The rules of each host seen in a run, each fetched once however many pages ask at once.
#[derive(Debug, Default)]
pub(crate) struct RobotsCache {
    hosts: Mutex<HashMap<String, Arc<OnceCell<Rules>>>>,
}

impl RobotsCache {
    /// The cell for `origin` (`scheme://host:port`), to be filled by the first caller.
    pub(crate) fn cell(&self, origin: &str) -> Arc<OnceCell<Rules>> {
        self.hosts
            .lock()
            .expect("robots lock is never poisoned")
            .entry(origin.to_owned())
            .or_default()
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(answer: Option<(u16, &str)>, url: &str, expected: Result<(), &str>) {
        let answer = answer.ok_or(super::super::FetchError::Timeout {
            url: "http://a.test/robots.txt".to_owned(),
        });
        let rules = rules_from(answer.map(|(s, b)| (s, b.as_bytes())));
        let got = rules.check(url).map_err(|refusal| match refusal {
            Refusal::Disallowed(reason) => reason,
            Refusal::Unreachable(error) => format!("unreachable: {error}"),
        });
        assert_eq!(got, expected.map_err(str::to_owned), "{url}");
    }

    const ROBOTS: &str = "User-agent: *\nDisallow: /private/\nAllow: /private/open\n\n\
                          User-agent: citecheck\nDisallow: /nocite/\n";

    #[test]
    fn parsed_rules() {
        let ours = "User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\n\
                    Allow: /private/open\n";
        check(Some((200, ours)), "http://a.test/news/1", Ok(()));
        check(
            Some((200, ours)),
            "http://a.test/private/x",
            Err("disallowed by robots.txt"),
        );
        check(Some((200, ours)), "http://a.test/private/open/1", Ok(()));
        // A group naming citecheck replaces the `*` group.
        check(
            Some((200, ROBOTS)),
            "http://a.test/nocite/1",
            Err("disallowed by robots.txt"),
        );
        check(Some((200, ROBOTS)), "http://a.test/private/x", Ok(()));
        check(Some((200, "")), "http://a.test/x", Ok(()));
        check(
            Some((200, "User-agent: *\nDisallow: /\n")),
            "http://a.test/",
            Err("disallowed by robots.txt"),
        );
    }

    #[test]
    fn status_families() {
        check(Some((404, "")), "http://a.test/x", Ok(()));
        check(
            Some((403, "User-agent: *\nDisallow: /")),
            "http://a.test/x",
            Ok(()),
        );
        check(
            Some((503, "")),
            "http://a.test/x",
            Err("robots.txt answered http 503, which disallows all"),
        );
        check(
            None,
            "http://a.test/x",
            Err("unreachable: http://a.test/robots.txt: timed out"),
        );
    }
}
