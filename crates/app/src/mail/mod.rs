//! Budget notification mail: written ([`compose`]) into the outbox in the transaction that
//! records its notification, and sent through SMTP ([`smtp`]) by the outbox [`sender`].

pub mod compose;
pub mod sender;
pub mod smtp;

pub use compose::Composer;
pub use smtp::Mailer;
