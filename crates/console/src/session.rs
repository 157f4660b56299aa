//! Console sessions: an unguessable token in an `HttpOnly`, `SameSite=Strict` cookie, kept in
//! memory with the access key it acts as, its CSRF token and when it was last used. A session
//! unused for the idle time ends; signing out ends it at once. The secret key is checked at
//! sign-in and never kept.
//!
//! Sessions live in the serving process: with several replicas, route a browser to one
//! (sticky sessions) or sign in again — documented in `docs/CONSOLE.md`.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;

/// The session cookie's name.
pub const COOKIE: &str = "scpfm_session";

/// Sessions kept before expired ones are swept.
const SWEEP_AT: usize = 1_000;

/// One signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The access key the console acts as.
    pub access_key: String,
    /// The key's account.
    pub account_id: String,
    /// The token every form must carry back.
    pub csrf: String,
    /// When it was last used.
    pub last_seen: DateTime<Utc>,
}

/// The sessions of this process.
pub struct Sessions {
    idle: Duration,
    live: Mutex<HashMap<String, Session>>,
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Sessions {
    /// Sessions ending after `idle` unused.
    pub fn new(idle: Duration) -> Self {
        Self {
            idle,
            live: Mutex::new(HashMap::new()),
        }
    }

    /// Starts a session for `access_key`: its cookie token.
    pub fn start(&self, access_key: &str, account_id: &str, now: DateTime<Utc>) -> String {
        let token = random_token();
        let session = Session {
            access_key: access_key.to_owned(),
            account_id: account_id.to_owned(),
            csrf: random_token(),
            last_seen: now,
        };
        if let Ok(mut live) = self.live.lock() {
            if live.len() >= SWEEP_AT {
                let idle = self.idle;
                live.retain(|_, session| now - session.last_seen <= idle);
            }
            live.insert(token.clone(), session);
        }
        token
    }

    /// The session of `token` when it is live, marked used at `now`; an idle one ends.
    pub fn touch(&self, token: &str, now: DateTime<Utc>) -> Option<Session> {
        let mut live = self.live.lock().ok()?;
        let session = live.get_mut(token)?;
        if now - session.last_seen > self.idle || now < session.last_seen - self.idle {
            live.remove(token);
            return None;
        }
        session.last_seen = session.last_seen.max(now);
        Some(session.clone())
    }

    /// Ends the session of `token`.
    pub fn end(&self, token: &str) {
        if let Ok(mut live) = self.live.lock() {
            live.remove(token);
        }
    }
}

/// Whether two tokens are equal (compared in constant time for tokens of one length).
pub fn same_token(expected: &str, given: &str) -> bool {
    let (expected, given) = (expected.as_bytes(), given.as_bytes());
    !expected.is_empty()
        && expected.len() == given.len()
        && expected
            .iter()
            .zip(given)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn a_session_lives_while_used_and_ends_when_idle() {
        let sessions = Sessions::new(Duration::minutes(30));
        let token = sessions.start("AK", "acc", at(0));
        assert_eq!(sessions.touch(&token, at(29)).unwrap().access_key, "AK");
        assert!(sessions.touch(&token, at(58)).is_some(), "use renews it");
        assert!(
            sessions.touch(&token, at(89)).is_none(),
            "31 idle minutes end it"
        );
        assert!(sessions.touch(&token, at(89)).is_none());
    }

    #[test]
    fn signing_out_ends_it_and_tokens_differ() {
        let sessions = Sessions::new(Duration::minutes(30));
        let one = sessions.start("AK", "acc", at(0));
        let two = sessions.start("AK", "acc", at(0));
        assert_ne!(one, two);
        assert_eq!(one.len(), 64);
        sessions.end(&one);
        assert!(sessions.touch(&one, at(1)).is_none());
        assert!(sessions.touch(&two, at(1)).is_some());
        assert!(sessions.touch("nonsense", at(1)).is_none());
    }

    #[test]
    fn tokens_compare_whole_and_never_empty() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
        assert!(!same_token("", ""));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let header = "a=1; scpfm_session=abc; scpfm_lang=en";
        assert_eq!(cookie(header, COOKIE), Some("abc"));
        assert_eq!(cookie(header, "scpfm_lang"), Some("en"));
        assert_eq!(cookie(header, "b"), None);
    }
}
