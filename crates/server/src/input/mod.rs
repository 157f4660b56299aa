//! Checks every request's input gets at the edge, whatever the operation: fields and query
//! parameters the operation does not define ([`unknown`]) and control characters in any text
//! ([`control`]). Both engines then only ever see text a person could have typed.

pub mod control;
pub mod unknown;
