//! Optional per-client rate limiting: a token bucket (governor's GCRA) per client address,
//! answered with `RateLimit-*` headers (draft-ietf-httpapi-ratelimit-headers, the
//! `RateLimit-Limit` / `-Remaining` / `-Reset` form) and 429 problem+json with `Retry-After`.

use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::dev::ServiceRequest;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use super::problem;
use crate::config::ProxyHeaders;

pub const LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
pub const REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
pub const RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// Paths never limited: probes and scrapes come from infrastructure, often one address.
pub const EXEMPT: [&str; 3] = ["/health", "/ready", "/metrics"];
/// Forget clients whose buckets are full again every this many checks.
const SWEEP_EVERY: u32 = 4096;

/// How fast each client may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSettings {
    /// Tokens added per second.
    pub per_second: NonZeroU32,
    /// Bucket size: requests a client may send at once.
    pub burst: NonZeroU32,
    /// Where the client's address comes from.
    pub proxy_headers: ProxyHeaders,
}

type Keyed =
    RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock, StateInformationMiddleware>;

/// The buckets of every client, shared by all workers.
pub struct ClientRateLimiter {
    limiter: Keyed,
    settings: RateLimitSettings,
    checks: AtomicU32,
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Allowed, with this many requests left and seconds until the bucket is full.
    Allow { remaining: u32, reset: u64 },
    /// Refused: retry after this many seconds.
    Deny { retry_after: u64 },
    /// Not limited (an exempt path, or no client address).
    Exempt,
}

impl ClientRateLimiter {
    pub fn new(settings: RateLimitSettings) -> Self {
        let quota = Quota::per_second(settings.per_second).allow_burst(settings.burst);
        ClientRateLimiter {
            limiter: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            settings,
            checks: AtomicU32::new(0),
        }
    }

    pub fn settings(&self) -> &RateLimitSettings {
        &self.settings
    }

    /// Takes a token from the client's bucket.
    pub fn check(&self, req: &ServiceRequest) -> Decision {
        if EXEMPT.contains(&req.path()) {
            return Decision::Exempt;
        }
        let peer = req.peer_addr().map(|a| a.ip());
        let Some(key) = client_address(req.headers(), peer, self.settings.proxy_headers) else {
            return Decision::Exempt;
        };
        self.check_key(key)
    }

    pub fn check_key(&self, key: IpAddr) -> Decision {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        match self.limiter.check_key(&bucket_key(key)) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let used = self.settings.burst.get().saturating_sub(remaining);
                let interval = snapshot.quota().replenish_interval();
                Decision::Allow {
                    remaining,
                    reset: ceil_secs(interval * used),
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.limiter.clock().now());
                Decision::Deny {
                    retry_after: ceil_secs(wait).max(1),
                }
            }
        }
    }

    /// Adds `RateLimit-*` headers for an allowed request.
    pub fn annotate(&self, headers: &mut HeaderMap, remaining: u32, reset: u64) {
        headers.insert(LIMIT, HeaderValue::from(self.settings.burst.get()));
        headers.insert(REMAINING, HeaderValue::from(remaining));
        headers.insert(RESET, HeaderValue::from(reset));
    }

    /// The 429 answer.
    pub fn too_many(&self, retry_after: u64) -> HttpResponse {
        let s = &self.settings;
        problem::builder(StatusCode::TOO_MANY_REQUESTS)
            .insert_header((header::RETRY_AFTER, retry_after))
            .insert_header((LIMIT, s.burst.get()))
            .insert_header((REMAINING, 0u32))
            .insert_header((RESET, retry_after))
            .body(problem::body(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many requests",
                format!(
                    "This client may send {} per second (bursts of up to {}); retry after {retry_after} s.",
                    plural(s.per_second.get(), "request"),
                    s.burst
                ),
            ))
    }
}

fn plural(n: u32, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// One bucket per IPv4 address and per IPv6 /64 (what one host is usually given); an
/// IPv4-mapped IPv6 address counts as its IPv4 address.
fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The client's address: from the trusted proxy header's last entry (the one the proxy in
/// front of the service added), else the connection's peer.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trusted: ProxyHeaders,
) -> Option<IpAddr> {
    let from_header = match trusted {
        ProxyHeaders::None => None,
        ProxyHeaders::XForwardedFor => last_entry(headers, header::X_FORWARDED_FOR)
            .as_deref()
            .and_then(parse_node),
        ProxyHeaders::Forwarded => last_entry(headers, header::FORWARDED)
            .and_then(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| v.trim().to_owned())
                })
            })
            .as_deref()
            .and_then(parse_node),
    };
    from_header.or(peer)
}

/// The last comma-separated entry over every line of a header.
fn last_entry(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get_all(name)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .last()
        .map(str::to_owned)
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]:4711`, optionally quoted. `unknown` and obfuscated names give None.
fn parse_node(s: &str) -> Option<IpAddr> {
    let s = s.trim().trim_matches('"');
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn proxy_headers_count_only_when_trusted_and_only_their_last_entry() {
        let peer = Some("10.0.0.1".parse().unwrap());
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1, 2.2.2.2"),
            ("x-forwarded-for", "3.3.3.3"),
            (
                "forwarded",
                "for=4.4.4.4, for=\"[2001:db8::1]:80\";proto=http",
            ),
        ]);
        assert_eq!(client_address(&h, peer, ProxyHeaders::None), peer);
        assert_eq!(
            client_address(&h, peer, ProxyHeaders::XForwardedFor),
            Some("3.3.3.3".parse().unwrap())
        );
        assert_eq!(
            client_address(&h, peer, ProxyHeaders::Forwarded),
            Some("2001:db8::1".parse().unwrap())
        );
        let bad = headers(&[("x-forwarded-for", "unknown"), ("forwarded", "for=_hidden")]);
        assert_eq!(
            client_address(&bad, peer, ProxyHeaders::XForwardedFor),
            peer
        );
        assert_eq!(client_address(&bad, peer, ProxyHeaders::Forwarded), peer);
        assert_eq!(
            parse_node("192.0.2.1:4711"),
            Some("192.0.2.1".parse().unwrap())
        );
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64() {
        let a = bucket_key("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = bucket_key("2001:db8:1:2:bbbb::2".parse().unwrap());
        assert_eq!(a, b);
        assert_eq!(
            bucket_key("::ffff:192.0.2.1".parse().unwrap()),
            "192.0.2.1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn a_bucket_empties_then_refuses_with_a_retry_delay() {
        let limiter = ClientRateLimiter::new(RateLimitSettings {
            per_second: NonZeroU32::new(1).unwrap(),
            burst: NonZeroU32::new(2).unwrap(),
            proxy_headers: ProxyHeaders::None,
        });
        let ip: IpAddr = "192.0.2.9".parse().unwrap();
        assert_eq!(
            limiter.check_key(ip),
            Decision::Allow {
                remaining: 1,
                reset: 1
            }
        );
        assert_eq!(
            limiter.check_key(ip),
            Decision::Allow {
                remaining: 0,
                reset: 2
            }
        );
        assert_eq!(limiter.check_key(ip), Decision::Deny { retry_after: 1 });
        // Another client has its own bucket.
        assert!(matches!(
            limiter.check_key("192.0.2.10".parse().unwrap()),
            Decision::Allow { remaining: 1, .. }
        ));
    }
}
