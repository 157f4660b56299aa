//! Budget notification mail: written ([`compose`]) into the outbox in the transaction that
//! records its notification, sent through SMTP ([`smtp`]) by the outbox [`sender`], and — for
//! the demo, `scpfm mail-sink` and the tests — received by a local SMTP [`sink`].

pub mod compose;
pub mod sender;
pub mod sink;
pub mod smtp;

pub use compose::Composer;
pub use smtp::Mailer;
