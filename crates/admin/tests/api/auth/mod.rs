//! Authentication: SCP signatures, keys, accounts and the opt-in replay guard.

mod replay;
mod signatures;
