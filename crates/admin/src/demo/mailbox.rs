//! The demo's mailbox: when `scpfm serve --demo` has no SMTP server configured, budget mail
//! goes to a local SMTP sink that saves each mail as `data/demo-mail/NNNN-<recipient>.eml`
//! (the message as sent) and `.txt` (decoded, to read with `cat`), and prints a line for it,
//! so the demo's notifications can be read right away.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::Context as _;

use crate::mail_sink::{MailHook, ReceivedMail, SmtpSink};
use scpfm_config::{MailSettings, MailTls};

/// Where the demo's mail is saved.
pub const DIRECTORY: &str = "data/demo-mail";

/// A hook that saves each mail into `directory` as a numbered `.eml` file and reports it on
/// stderr; numbering continues after the files already there.
pub fn saving_hook(directory: PathBuf) -> anyhow::Result<MailHook> {
    std::fs::create_dir_all(&directory)
        .with_context(|| format!("creating {}", directory.display()))?;
    let existing = std::fs::read_dir(&directory)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "eml"))
                .count()
        })
        .unwrap_or(0);
    let counter = Arc::new(AtomicUsize::new(existing));
    Ok(Box::new(move |mail: &ReceivedMail| {
        let number = counter.fetch_add(1, Ordering::Relaxed) + 1;
        let recipient = mail.recipients.join(",");
        let stem = format!("{number:04}-{}", file_safe(&recipient));
        let file = directory.join(format!("{stem}.eml"));
        let readable = format!(
            "From: {}\nTo: {recipient}\nSubject: {}\nDate: {}\nMessage-ID: {}\n\n{}",
            mail.header("From").unwrap_or_default(),
            mail.subject(),
            mail.header("Date").unwrap_or_default(),
            mail.message_id(),
            mail.text()
        );
        let saved = std::fs::write(&file, &mail.data)
            .and_then(|()| std::fs::write(directory.join(format!("{stem}.txt")), readable));
        match saved {
            Ok(()) => eprintln!(
                "mail to {recipient}: {} ({})",
                mail.subject(),
                file.display()
            ),
            Err(error) => eprintln!(
                "mail to {recipient}: {} (not saved: {error})",
                mail.subject()
            ),
        }
    }))
}

fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Starts the demo mailbox on a free loopback port; returns it and the mail settings that
/// send to it.
pub async fn start(settings: &MailSettings) -> anyhow::Result<(SmtpSink, MailSettings)> {
    let hook = saving_hook(Path::new(DIRECTORY).to_path_buf())?;
    let sink = SmtpSink::start_with_hook(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), Some(hook))
        .await
        .context("starting the demo mailbox")?;
    eprintln!(
        "demo mailbox: budget mail is delivered to a local SMTP sink on {} and saved under {DIRECTORY}/ \
         (set [mail] host to send it for real)",
        sink.addr()
    );
    let mail = MailSettings {
        host: Some(sink.addr().ip().to_string()),
        port: Some(sink.addr().port()),
        tls: MailTls::None,
        username: None,
        password: None,
        ..settings.clone()
    };
    Ok((sink, mail))
}
