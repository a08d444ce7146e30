//! C2SP tlog-witness `add-checkpoint`: the request format, and a witness's checks in the order
//! and with the HTTP status codes the specification gives. Storage is the caller's
//! ([`WitnessStore`]): the check of the old size and the update must be one atomic step, so
//! [`Witness::add_checkpoint`] runs inside whatever transaction the store provides.

use tlog_tiles::{Hash, EMPTY_HASH};

use crate::checkpoint::SignedCheckpoint;
use crate::keys::{SecretKey, VKey};
use crate::proof::{verify_consistency, MAX_PROOF_HASHES};
use crate::{parse_decimal, parse_hash, Error, Result};

/// An `add-checkpoint` request body.
#[derive(Debug)]
pub struct AddCheckpoint {
    pub old_size: u64,
    pub proof: Vec<Hash>,
    /// The signed checkpoint note, verbatim.
    pub checkpoint: Vec<u8>,
}

impl AddCheckpoint {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = format!("old {}\n", self.old_size);
        for h in &self.proof {
            s.push_str(&format!("{h}\n"));
        }
        s.push('\n');
        let mut out = s.into_bytes();
        out.extend_from_slice(&self.checkpoint);
        out
    }

    pub fn parse(body: &[u8]) -> Result<Self> {
        if body.len() > crate::checkpoint::MAX_NOTE_SIZE + 8 * 1024 {
            return Err(Error::malformed("add-checkpoint: request too long"));
        }
        let sep = body.windows(2).position(|w| w == b"\n\n").ok_or_else(|| {
            Error::malformed("add-checkpoint: no blank line before the checkpoint")
        })?;
        let head = std::str::from_utf8(&body[..sep])
            .map_err(|_| Error::malformed("add-checkpoint: not UTF-8"))?;
        let mut lines = head.split('\n');
        let old = lines
            .next()
            .and_then(|l| l.strip_prefix("old "))
            .ok_or_else(|| {
                Error::malformed("add-checkpoint: the first line must be \"old <size>\"")
            })?;
        let old_size = parse_decimal(old, "add-checkpoint old size")?;
        let mut proof = Vec::new();
        for l in lines {
            if proof.len() == MAX_PROOF_HASHES {
                return Err(Error::malformed(format!(
                    "add-checkpoint: more than {MAX_PROOF_HASHES} consistency proof lines"
                )));
            }
            proof.push(parse_hash(l, "add-checkpoint proof line")?);
        }
        Ok(AddCheckpoint {
            old_size,
            proof,
            checkpoint: body[sep + 2..].to_vec(),
        })
    }
}

/// What a witness remembers per log.
#[derive(Debug, Clone, PartialEq)]
pub struct Latest {
    pub size: u64,
    pub root: Hash,
    /// The cosigned checkpoint note (log signature and this witness's cosignature).
    pub note: Vec<u8>,
}

/// Per-log state; `latest` and `store` are called inside one transaction.
pub trait WitnessStore {
    fn latest(&mut self, origin: &str) -> Result<Option<Latest>>;
    fn store(&mut self, origin: &str, latest: &Latest) -> Result<()>;
}

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Response {
    fn text(status: u16, msg: impl Into<String>) -> Self {
        let mut body = msg.into().into_bytes();
        body.push(b'\n');
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body,
        }
    }
}

/// A witness: its cosigning key and the logs it follows (origin = the log key's name).
pub struct Witness {
    pub key: SecretKey,
    pub logs: Vec<VKey>,
}

impl Witness {
    /// Handles one `add-checkpoint` body at time `now` (POSIX seconds). Nothing is stored
    /// unless the answer is 200.
    pub fn add_checkpoint(&self, store: &mut dyn WitnessStore, body: &[u8], now: u64) -> Response {
        let req = match AddCheckpoint::parse(body) {
            Ok(r) => r,
            Err(e) => return Response::text(400, e.message),
        };
        let cp = match SignedCheckpoint::parse(&req.checkpoint) {
            Ok(c) => c,
            Err(e) => return Response::text(400, e.message),
        };
        let origin = cp.origin().to_string();
        let Some(log) = self.logs.iter().find(|l| l.name == origin) else {
            return Response::text(404, format!("unknown log {origin:?}"));
        };
        if let Err(e) = cp.verify_log(log) {
            if e.message.contains("empty tree") {
                return Response::text(422, e.message);
            }
            return Response::text(403, e.message);
        }
        if req.old_size > cp.size() {
            return Response::text(
                400,
                format!(
                    "old size {} is larger than the checkpoint's {}",
                    req.old_size,
                    cp.size()
                ),
            );
        }
        let latest = match store.latest(&origin) {
            Ok(l) => l,
            Err(e) => return Response::text(500, e.message),
        };
        let (held_size, held_root) = latest
            .as_ref()
            .map(|l| (l.size, l.root))
            .unwrap_or((0, EMPTY_HASH));
        if req.old_size != held_size {
            return Response {
                status: 409,
                content_type: "text/x.tlog.size",
                body: format!("{held_size}\n").into_bytes(),
            };
        }
        if let Err(e) = verify_consistency(&req.proof, held_size, held_root, cp.size(), cp.root()) {
            return Response::text(422, e.message);
        }
        let sig = match self.key.cosign(&cp.text, now.max(1)) {
            Ok(s) => s,
            Err(e) => return Response::text(500, e.message),
        };
        let mut cosigned = cp;
        cosigned.add_signatures(std::slice::from_ref(&sig));
        let new = Latest {
            size: cosigned.size(),
            root: cosigned.root(),
            note: cosigned.to_bytes(),
        };
        if let Err(e) = store.store(&origin, &new) {
            return Response::text(500, e.message);
        }
        Response {
            status: 200,
            content_type: "text/plain; charset=utf-8",
            body: sig.to_bytes(),
        }
    }
}

/// The monitoring path of a log's latest cosigned checkpoint: lower-case hex SHA-256 of the origin.
pub fn origin_hash(origin: &str) -> String {
    crate::hex(&crate::sha256(origin.as_bytes()))
}

/// An in-memory store (tests, and a witness that needs no persistence).
#[derive(Default)]
pub struct MemoryStore(pub std::collections::HashMap<String, Latest>);

impl WitnessStore for MemoryStore {
    fn latest(&mut self, origin: &str) -> Result<Option<Latest>> {
        Ok(self.0.get(origin).cloned())
    }
    fn store(&mut self, origin: &str, latest: &Latest) -> Result<()> {
        self.0.insert(origin.to_string(), latest.clone());
        Ok(())
    }
}
