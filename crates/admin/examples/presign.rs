//! Pre-signs requests for the load benchmark: one line per request with a unique
//! timestamp and its signature, so the replay guard accepts every one of them.
//!
//! `presign URL ACCESS_KEY SECRET_KEY COUNT [SHIFT_MS] > requests.txt` writes
//! `timestamp signature` lines for `GET URL`, timestamps spread evenly around now (plus
//! SHIFT_MS) inside the 15-minute window.

use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (url, access_key, secret_key, count, shift) = match args.as_slice() {
        [_, url, key, secret, count] => (url, key, secret, count, "0"),
        [_, url, key, secret, count, shift] => (url, key, secret, count, shift.as_str()),
        _ => return Err("usage: presign URL ACCESS_KEY SECRET_KEY COUNT [SHIFT_MS]".into()),
    };
    let count: i64 = count.parse()?;
    // SHIFT_MS moves every timestamp later, so a later run against the same path inside the
    // window never repeats a signature an earlier one used (the replay guard refuses those).
    let shift: i64 = shift.parse()?;
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis())?;
    // One millisecond apart, centred on now: at most 10 minutes either side.
    let first = now - count.min(1_200_000) / 2 + shift;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for idx in 0..count {
        let timestamp = (first + idx).to_string();
        let message = scpfm_signing::Message {
            method: "GET",
            url,
            timestamp: &timestamp,
            access_key,
            account_id: "",
            client_type: scpfm_signing::CLIENT_TYPE,
        };
        writeln!(
            out,
            "{timestamp} {}",
            scpfm_signing::sign(secret_key.as_bytes(), &message)
        )?;
    }
    Ok(())
}
