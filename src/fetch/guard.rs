//! The SSRF guard: which destinations a fetch may reach.
//!
//! A cited URL comes from an article, so it may point anywhere: the machine running citecheck,
//! its network, or a cloud metadata service. The guard refuses such destinations unless
//! `allow_private` is set, and checks them where they cannot be dodged:
//!
//! - **names** are checked on the addresses they resolve to, inside the client's DNS resolver
//!   ([`GuardedResolver`]): blocked addresses are dropped before a connection is made, so the
//!   address connected to is the address checked (no DNS-rebinding window);
//! - **IP literals** (which never reach a resolver) are checked before the request and on every
//!   redirect. The `url` crate parses hosts as browsers do, so the decimal (`2130706433`), octal
//!   (`0177.0.0.1`), hex (`0x7f.1`) and short (`127.1`) spellings of an IPv4 address reach the
//!   guard as the address itself;
//! - **names that are internal by definition** (`localhost`, `*.internal`, `*.local`,
//!   single-label names, `metadata.google.internal`) are refused before any lookup.
//!
//! Through a proxy the proxy resolves names, so only the last two checks apply: literal
//! addresses and internal names are still refused, but a public-looking name that the proxy
//! resolves to a private address is not seen. Proxies and configured search URLs are trusted:
//! their host names are let through the resolver.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use url::{Host, Url};

/// A destination the guard refused, with the reason. Carried through `reqwest`'s error chain
/// so the fetcher can report [`super::FetchError::Blocked`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GuardRefusal {
    pub(crate) reason: String,
}

impl fmt::Display for GuardRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (ssrf guard; --allow-private lifts it)", self.reason)
    }
}

impl std::error::Error for GuardRefusal {}

/// Why `ip` must not be fetched from, or `None` when it is a public address.
pub(crate) fn blocked_ip(ip: IpAddr) -> Option<String> {
    match ip {
        IpAddr::V4(v4) => blocked_v4(v4).map(|kind| format!("{kind} {v4}")),
        IpAddr::V6(v6) => blocked_v6(v6).map(|kind| format!("{kind} {v6}")),
    }
}

/// IPv4 ranges refused: every range of IANA's IPv4 Special-Purpose Address Registry (including
/// the globally reachable anycast ones, which no news page is served from), multicast and the
/// limited broadcast.
fn blocked_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip == Ipv4Addr::new(169, 254, 169, 254) => "cloud metadata address",
        (0, _, _) => "unspecified address",
        (127, _, _) => "loopback address",
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) => "private address",
        (169, 254, _) => "link-local address",
        (100, 64..=127, _) => "shared (cgnat) address",
        (192, 0, 0) => "reserved address",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation address",
        (198, 18..=19, _) => "benchmarking address",
        (192, 31, 196) | (192, 175, 48) => "as112 address",
        (192, 52, 193) => "amt address",
        (192, 88, 99) => "6to4 relay anycast address",
        _ if ip.is_broadcast() => "broadcast address",
        (224..=239, _, _) => "multicast address",
        (240..=255, _, _) => "reserved address",
        _ => return None,
    })
}

/// IPv6 ranges refused: every range of IANA's IPv6 Special-Purpose Address Registry except the
/// well-known NAT64 prefix with a public IPv4 address inside (the way IPv6-only networks reach
/// public IPv4 sites), plus unique-local, link-local, site-local and multicast. An address that
/// carries an IPv4 address (mapped, compatible, NAT64, 6to4, ISATAP) is also judged by it.
fn blocked_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    if ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
        return Some("cloud metadata address");
    }
    if ip.is_unspecified() {
        return Some("unspecified address");
    }
    if ip.is_loopback() {
        return Some("loopback address");
    }
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    let inner = if let Some(v4) = ip.to_ipv4_mapped() {
        Some(("ipv4-mapped", v4))
    } else if s[..6] == [0; 6] {
        Some(("ipv4-compatible", embedded(s[6], s[7])))
    } else if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        Some(("nat64", embedded(s[6], s[7])))
    } else if s[0] == 0x2002 {
        Some(("6to4", embedded(s[1], s[2])))
    } else if s[4] & 0xfdff == 0 && s[5] == 0x5efe {
        Some(("isatap", embedded(s[6], s[7])))
    } else {
        None
    };
    if let Some((form, v4)) = inner {
        if let Some(kind) = blocked_v4(v4) {
            return Some(match (form, kind) {
                ("ipv4-mapped", "loopback address") => "ipv4-mapped loopback address",
                ("ipv4-mapped", "private address") => "ipv4-mapped private address",
                ("ipv4-mapped", "cloud metadata address") => "ipv4-mapped cloud metadata address",
                ("ipv4-mapped", _) => "ipv4-mapped non-public address",
                ("ipv4-compatible", _) => "ipv4-compatible non-public address",
                ("nat64", _) => "nat64 non-public address",
                ("isatap", _) => "isatap non-public address",
                _ => "6to4 non-public address",
            });
        }
        match form {
            // Deprecated forms (RFC 4291, RFC 7526): nothing public is reached through them.
            "ipv4-compatible" => return Some("ipv4-compatible address"),
            "6to4" => return Some("6to4 address"),
            _ => {}
        }
    }
    Some(match s[0] {
        0xfc00..=0xfdff => "unique-local address",
        0xfe80..=0xfebf => "link-local address",
        0xfec0..=0xfeff => "site-local address",
        0xff00..=0xffff => "multicast address",
        0x0064 if s[1] == 0xff9b && s[2] == 0x0001 => "local-use nat64 address",
        0x0100 if s[1..3] == [0, 0] && (s[3] == 0 || s[3] == 1) => "discard-only address",
        0x2001 if s[1] == 0 => "teredo address",
        0x2001 if s[1] == 0x0db8 => "documentation address",
        0x2001 if s[1] == 0x0002 && s[2] == 0 => "benchmarking address",
        0x2001 if s[1] < 0x0200 => "ietf protocol assignment address",
        0x2620 if s[1] == 0x004f && s[2] == 0x8000 => "as112 address",
        0x3fff if s[1] < 0x1000 => "documentation address",
        0x5f00 => "srv6 sid address",
        _ => return None,
    })
}

/// Why a host name must not be fetched from before it is even looked up: names that only mean
/// something inside a machine or a network.
pub(crate) fn blocked_name(name: &str) -> Option<String> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let reason = if name == "localhost" || name.ends_with(".localhost") {
        "loopback name"
    } else if name == "metadata.google.internal" || name == "metadata" {
        "cloud metadata name"
    } else if name.ends_with(".internal")
        || name.ends_with(".local")
        || name.ends_with(".home.arpa")
        || name.ends_with(".lan")
    {
        "internal name"
    } else if !name.contains('.') {
        "single-label (intranet) name"
    } else {
        return None;
    };
    Some(format!("{reason} {name}"))
}

/// Why `url` must not be fetched, judged on what the URL itself shows: its scheme, an IP
/// literal host, an internal name. Names are checked again on their addresses by the resolver.
pub(crate) fn blocked_url(url: &Url) -> Option<String> {
    match url.scheme() {
        "http" | "https" => {}
        scheme => return Some(format!("unsupported scheme {scheme}")),
    }
    match url.host() {
        Some(Host::Ipv4(ip)) => blocked_ip(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => blocked_ip(IpAddr::V6(ip)),
        Some(Host::Domain(name)) => blocked_name(name),
        None => Some("no host".to_owned()),
    }
}

/// The DNS resolver of a guarded client: resolves with the system resolver, then drops the
/// addresses the guard refuses. A name left with none fails with a [`GuardRefusal`]. Trusted
/// names (proxies, configured search URLs) are resolved unfiltered.
#[derive(Debug, Clone)]
pub(crate) struct GuardedResolver {
    trusted: Arc<Vec<String>>,
}

impl GuardedResolver {
    pub(crate) fn new(trusted: Vec<String>) -> GuardedResolver {
        let trusted = trusted
            .into_iter()
            .map(|name| name.trim_end_matches('.').to_ascii_lowercase())
            .collect();
        GuardedResolver {
            trusted: Arc::new(trusted),
        }
    }

    fn is_trusted(&self, name: &str) -> bool {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.trusted.contains(&name)
    }
}

/// Keeps the addresses of `name` the guard allows; fails when there are none.
pub(crate) fn filter_addrs(
    name: &str,
    addrs: Vec<SocketAddr>,
) -> Result<Vec<SocketAddr>, GuardRefusal> {
    let mut refused = None;
    let allowed: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|addr| match blocked_ip(addr.ip()) {
            Some(reason) => {
                refused.get_or_insert(reason);
                false
            }
            None => true,
        })
        .collect();
    match (allowed.is_empty(), refused) {
        (true, Some(reason)) => Err(GuardRefusal {
            reason: format!("{name} resolves to {reason}"),
        }),
        _ => Ok(allowed),
    }
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let trusted = self.is_trusted(&host);
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if trusted {
                return Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs);
            }
            // The addresses first, so a refusal names the address that would have been used;
            // then the name, for internal names that happen to resolve publicly.
            let addrs = filter_addrs(&host, addrs)?;
            if let Some(reason) = blocked_name(&host) {
                return Err(Box::new(GuardRefusal { reason }) as _);
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, expected: Option<&str>) {
        let parsed = Url::parse(url).unwrap();
        assert_eq!(blocked_url(&parsed).as_deref(), expected, "{url}");
    }

    #[test]
    fn ipv4_ranges() {
        check("http://127.0.0.1/", Some("loopback address 127.0.0.1"));
        check(
            "http://127.8.9.10:8080/",
            Some("loopback address 127.8.9.10"),
        );
        check("http://10.1.2.3/", Some("private address 10.1.2.3"));
        check("http://172.16.0.1/", Some("private address 172.16.0.1"));
        check(
            "http://172.31.255.255/",
            Some("private address 172.31.255.255"),
        );
        check("http://172.32.0.1/", None);
        check("http://192.168.1.1/", Some("private address 192.168.1.1"));
        check(
            "http://169.254.1.1/",
            Some("link-local address 169.254.1.1"),
        );
        check(
            "http://169.254.169.254/latest/meta-data/",
            Some("cloud metadata address 169.254.169.254"),
        );
        check(
            "http://100.64.0.1/",
            Some("shared (cgnat) address 100.64.0.1"),
        );
        check(
            "http://100.127.255.254/",
            Some("shared (cgnat) address 100.127.255.254"),
        );
        check("http://100.128.0.1/", None);
        check("http://0.0.0.0/", Some("unspecified address 0.0.0.0"));
        check("http://224.0.0.1/", Some("multicast address 224.0.0.1"));
        check(
            "http://255.255.255.255/",
            Some("broadcast address 255.255.255.255"),
        );
        check("http://240.0.0.1/", Some("reserved address 240.0.0.1"));
        check("http://192.0.2.7/", Some("documentation address 192.0.2.7"));
        check(
            "http://198.18.0.1/",
            Some("benchmarking address 198.18.0.1"),
        );
        check("http://8.8.8.8/", None);
        check("https://93.184.216.34/", None);
    }

    #[test]
    fn ipv4_spellings_are_normalised_by_url() {
        // The `url` crate parses hosts as the WHATWG URL standard says, so each spelling
        // arrives as the address it means.
        for url in [
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0x7f.0.0.1/",
            "http://0177.0.0.1/",
            "http://0177.0.0.01/",
            "http://127.1/",
            "http://127.0.1/",
            "http://0x7F.1/",
            "http://017700000001/",
            "http://127.0.0.1./",
        ] {
            check(url, Some("loopback address 127.0.0.1"));
        }
        check(
            "http://2852039166/",
            Some("cloud metadata address 169.254.169.254"),
        );
        check(
            "http://0xa9fea9fe/",
            Some("cloud metadata address 169.254.169.254"),
        );
        check("http://012.0.0.1/", Some("private address 10.0.0.1"));
        check("http://0xc0.0xa8.1.1/", Some("private address 192.168.1.1"));
    }

    #[test]
    fn ipv6_ranges() {
        check("http://[::1]/", Some("loopback address ::1"));
        check("http://[::]/", Some("unspecified address ::"));
        check("http://[fc00::1]/", Some("unique-local address fc00::1"));
        check(
            "http://[fd12:3456::1]/",
            Some("unique-local address fd12:3456::1"),
        );
        check("http://[fe80::1]/", Some("link-local address fe80::1"));
        check("http://[ff02::1]/", Some("multicast address ff02::1"));
        check(
            "http://[2001:db8::1]/",
            Some("documentation address 2001:db8::1"),
        );
        check(
            "http://[fd00:ec2::254]/",
            Some("cloud metadata address fd00:ec2::254"),
        );
        check("http://[2606:4700::1111]/", None);
        check("http://[2001::1]/", Some("teredo address 2001::1"));
        check(
            "http://[2001:2::1]/",
            Some("benchmarking address 2001:2::1"),
        );
        check(
            "http://[2001:10::1]/",
            Some("ietf protocol assignment address 2001:10::1"),
        );
        check("http://[2001:200::1]/", None);
        check("http://[100::1]/", Some("discard-only address 100::1"));
        check(
            "http://[100:0:0:1::1]/",
            Some("discard-only address 100:0:0:1::1"),
        );
        check("http://[3fff::1]/", Some("documentation address 3fff::1"));
        check("http://[5f00::1]/", Some("srv6 sid address 5f00::1"));
        check(
            "http://[2620:4f:8000::1]/",
            Some("as112 address 2620:4f:8000::1"),
        );
    }

    /// Every IPv4 range of the IANA special-purpose registry (as of 2025), one address each.
    #[test]
    fn ipv4_special_purpose_registry() {
        for ip in [
            "0.1.2.3",
            "10.9.8.7",
            "100.64.0.1",
            "127.9.9.9",
            "169.254.3.3",
            "172.31.0.1",
            "192.0.0.9",
            "192.0.2.7",
            "192.31.196.1",
            "192.52.193.1",
            "192.88.99.1",
            "192.168.7.7",
            "192.175.48.1",
            "198.19.0.1",
            "198.51.100.2",
            "203.0.113.3",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            let v4: Ipv4Addr = ip.parse().unwrap();
            assert!(blocked_v4(v4).is_some(), "{ip} is let through");
        }
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "192.0.1.1",
            "198.20.0.1",
            "100.128.0.1",
        ] {
            assert!(blocked_v4(ip.parse().unwrap()).is_none(), "{ip} is refused");
        }
    }

    #[test]
    fn ipv6_with_embedded_ipv4() {
        check(
            "http://[::ffff:127.0.0.1]/",
            Some("ipv4-mapped loopback address ::ffff:127.0.0.1"),
        );
        check(
            "http://[::ffff:7f00:1]/",
            Some("ipv4-mapped loopback address ::ffff:127.0.0.1"),
        );
        check(
            "http://[::ffff:10.0.0.1]/",
            Some("ipv4-mapped private address ::ffff:10.0.0.1"),
        );
        check(
            "http://[::ffff:169.254.169.254]/",
            Some("ipv4-mapped cloud metadata address ::ffff:169.254.169.254"),
        );
        check(
            "http://[::127.0.0.1]/",
            Some("ipv4-compatible non-public address ::7f00:1"),
        );
        check(
            "http://[64:ff9b::a00:1]/",
            Some("nat64 non-public address 64:ff9b::a00:1"),
        );
        check(
            "http://[2002:7f00:1::]/",
            Some("6to4 non-public address 2002:7f00:1::"),
        );
        check("http://[::ffff:8.8.8.8]/", None);
        check("http://[64:ff9b::808:808]/", None);
        check(
            "http://[64:ff9b:1::a00:5]/",
            Some("local-use nat64 address 64:ff9b:1::a00:5"),
        );
        check(
            "http://[::8.8.8.8]/",
            Some("ipv4-compatible address ::808:808"),
        );
        check(
            "http://[2002:808:808::]/",
            Some("6to4 address 2002:808:808::"),
        );
        check(
            "http://[2606:4700::5efe:a00:1]/",
            Some("isatap non-public address 2606:4700::5efe:a00:1"),
        );
        check(
            "http://[2606:4700::200:5efe:7f00:1]/",
            Some("isatap non-public address 2606:4700::200:5efe:7f00:1"),
        );
    }

    #[test]
    fn internal_names() {
        check("http://localhost:8080/", Some("loopback name localhost"));
        check("http://LOCALHOST./", Some("loopback name localhost"));
        check("http://app.localhost/", Some("loopback name app.localhost"));
        check(
            "http://metadata.google.internal/computeMetadata/v1/",
            Some("cloud metadata name metadata.google.internal"),
        );
        check("http://metadata/", Some("cloud metadata name metadata"));
        check(
            "http://db.corp.internal/",
            Some("internal name db.corp.internal"),
        );
        check("http://printer.local/", Some("internal name printer.local"));
        check("http://nas.home.arpa/", Some("internal name nas.home.arpa"));
        check(
            "http://intranet/",
            Some("single-label (intranet) name intranet"),
        );
        check("https://news.example.test/a", None);
        check("https://www.xinhuanet.com/", None);
    }

    #[test]
    fn schemes() {
        check("ftp://example.test/", Some("unsupported scheme ftp"));
        check("file:///etc/passwd", Some("unsupported scheme file"));
    }

    #[test]
    fn resolved_addresses_are_filtered() {
        let addr = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert_eq!(
            filter_addrs("a.test", vec![addr("127.0.0.1:0")]),
            Err(GuardRefusal {
                reason: "a.test resolves to loopback address 127.0.0.1".to_owned()
            })
        );
        assert_eq!(
            filter_addrs("a.test", vec![addr("10.0.0.1:0"), addr("8.8.8.8:0")]),
            Ok(vec![addr("8.8.8.8:0")])
        );
        assert_eq!(
            filter_addrs("a.test", vec![addr("[::ffff:127.0.0.1]:0")]).map_err(|e| e.reason),
            Err("a.test resolves to ipv4-mapped loopback address ::ffff:127.0.0.1".to_owned())
        );
        assert_eq!(filter_addrs("a.test", vec![]), Ok(vec![]));
    }

    #[tokio::test]
    async fn resolver_refuses_loopback_names_and_trusts_listed_ones() {
        use reqwest::dns::Resolve;
        use std::str::FromStr;
        let resolver = GuardedResolver::new(vec!["LocalHost".to_owned()]);
        let name = reqwest::dns::Name::from_str("localhost").unwrap();
        let addrs: Vec<SocketAddr> = resolver.resolve(name).await.unwrap().collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());

        let resolver = GuardedResolver::new(Vec::new());
        let name = reqwest::dns::Name::from_str("localhost").unwrap();
        let error = resolver.resolve(name).await.err().unwrap().to_string();
        assert!(
            error.starts_with("localhost resolves to loopback address ")
                && error.ends_with(" (ssrf guard; --allow-private lifts it)"),
            "{error}"
        );
    }
}
