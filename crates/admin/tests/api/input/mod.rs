//! What clients send that the API refuses: unknown names, control characters, oversized
//! and slow requests, floods.

mod hostile;
mod unknown;
