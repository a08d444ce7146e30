//! Host and Origin checks on every request.
//!
//! DNS rebinding: a page at `http://evil.example:8080/` whose name the
//! attacker re-points at 127.0.0.1 reaches this server as same-origin *for
//! the browser*, but its requests still say `Host: evil.example:8080`.  So
//! the Host must be one of ours (`127.0.0.1`, `localhost`, `[::1]` at our
//! port, or a `--public-host` the operator named).  A foreign `Origin`
//! (cross-site fetches, form posts) is refused too; the one exception is a
//! browser extension (the sealpost guard) reading the public release files
//! with GET/HEAD — never the mail API.

use axum::http::{HeaderMap, Method};

/// The `Host` values this server answers to.
#[derive(Debug, Clone)]
pub struct Allowed {
    hosts: Vec<String>,
}

impl Allowed {
    /// Loopback names at `port`, plus `public` hosts (`name` or `name:port`) as given.
    pub fn new(port: u16, public: &[String]) -> Self {
        let mut hosts = vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        hosts.extend(public.iter().map(|h| h.to_ascii_lowercase()));
        Allowed { hosts }
    }

    fn host_ok(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    fn origin_ok(&self, origin: &str) -> bool {
        let origin = origin.trim().to_ascii_lowercase();
        for scheme in ["http://", "https://"] {
            if let Some(rest) = origin.strip_prefix(scheme) {
                return self.host_ok(rest);
            }
        }
        false
    }

    /// `Err(code)` when the request must be refused.
    pub fn check(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
    ) -> Result<(), &'static str> {
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|v| v.to_str().ok());
        match host {
            Some(h) if self.host_ok(h) => {}
            _ => return Err("HOST_NOT_ALLOWED"),
        }
        let Some(origin) = headers.get(axum::http::header::ORIGIN) else {
            return Ok(());
        };
        let origin = origin.to_str().unwrap_or("");
        if self.origin_ok(origin) {
            return Ok(());
        }
        let read_only = *method == Method::GET || *method == Method::HEAD;
        let extension =
            origin.starts_with("chrome-extension://") || origin.starts_with("moz-extension://");
        if read_only && extension && !path.starts_with("/api/") {
            return Ok(());
        }
        Err("ORIGIN_NOT_ALLOWED")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn req(host: Option<&str>, origin: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(v) = host {
            h.insert("host", HeaderValue::from_str(v).unwrap());
        }
        if let Some(v) = origin {
            h.insert("origin", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn foreign_hosts_and_origins_are_refused() {
        let a = Allowed::new(8080, &["mail.example.org".into()]);
        let get = Method::GET;
        let post = Method::POST;
        assert_eq!(
            a.check(&get, "/", &req(Some("127.0.0.1:8080"), None)),
            Ok(())
        );
        assert_eq!(
            a.check(&get, "/", &req(Some("LOCALHOST:8080"), None)),
            Ok(())
        );
        assert_eq!(
            a.check(&get, "/", &req(Some("mail.example.org"), None)),
            Ok(())
        );
        assert_eq!(
            a.check(&get, "/", &req(Some("127.0.0.1:8081"), None)),
            Err("HOST_NOT_ALLOWED")
        );
        assert_eq!(
            a.check(&get, "/api/messages", &req(Some("evil.example:8080"), None)),
            Err("HOST_NOT_ALLOWED")
        );
        assert_eq!(
            a.check(&get, "/", &req(None, None)),
            Err("HOST_NOT_ALLOWED")
        );
        let ok = Some("127.0.0.1:8080");
        assert_eq!(
            a.check(
                &post,
                "/api/messages",
                &req(ok, Some("http://127.0.0.1:8080"))
            ),
            Ok(())
        );
        assert_eq!(
            a.check(
                &post,
                "/api/messages",
                &req(ok, Some("http://evil.example"))
            ),
            Err("ORIGIN_NOT_ALLOWED")
        );
        assert_eq!(
            a.check(&get, "/api/messages", &req(ok, Some("null"))),
            Err("ORIGIN_NOT_ALLOWED")
        );
        // The guard extension may read the release files, never the mail API.
        let ext = Some("chrome-extension://abcdefghijklmnop");
        assert_eq!(a.check(&get, "/index.html", &req(ok, ext)), Ok(()));
        assert_eq!(
            a.check(&get, "/api/messages", &req(ok, ext)),
            Err("ORIGIN_NOT_ALLOWED")
        );
        assert_eq!(
            a.check(&post, "/x", &req(ok, ext)),
            Err("ORIGIN_NOT_ALLOWED")
        );
    }
}
