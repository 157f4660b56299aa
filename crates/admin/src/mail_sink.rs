//! A small SMTP server that accepts every mail and keeps it: the demo's mailbox,
//! `scpfm mail-sink`, and the SMTP server of the tests, which can also be told to refuse
//! (`421` at the greeting), to reject recipients (`550`), or to stall (never answer), to prove
//! that mail survives a broken SMTP server.
//!
//! It speaks the part of SMTP (RFC 5321) a submitting client uses: `EHLO`/`HELO`, `MAIL`,
//! `RCPT`, `DATA` (with dot-unstuffing), `RSET`, `NOOP`, `QUIT`. No TLS, no authentication:
//! it listens on loopback for development only.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};

/// Largest message accepted.
const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;

/// How the sink answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SinkBehaviour {
    /// Accept every mail.
    #[default]
    Accept,
    /// Greet with `421` and close: a server that is temporarily unavailable.
    Refuse,
    /// Answer `550` to every recipient: a permanent refusal.
    RejectRecipients,
    /// Accept the connection and never answer: a server that times out.
    Stall,
}

/// A mail the sink received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// `MAIL FROM`.
    pub envelope_from: String,
    /// Every `RCPT TO`.
    pub recipients: Vec<String>,
    /// The message as sent (headers and body).
    pub data: Vec<u8>,
}

impl ReceivedMail {
    /// A header's decoded value (RFC 2047 words decoded).
    pub fn header(&self, name: &str) -> Option<String> {
        use mailparse::MailHeaderMap as _;
        let parsed = mailparse::parse_mail(&self.data).ok()?;
        parsed.headers.get_first_value(name)
    }

    /// The decoded `Subject`.
    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The `Message-ID`.
    pub fn message_id(&self) -> String {
        self.header("Message-ID").unwrap_or_default()
    }

    /// The decoded text body.
    pub fn text(&self) -> String {
        mailparse::parse_mail(&self.data)
            .ok()
            .and_then(|parsed| parsed.get_body().ok())
            .unwrap_or_default()
    }
}

/// Called with every mail the sink accepts.
pub type MailHook = Box<dyn Fn(&ReceivedMail) + Send + Sync>;

struct Shared {
    received: Mutex<Vec<ReceivedMail>>,
    behaviour: Mutex<SinkBehaviour>,
    arrived: Notify,
    hook: Option<MailHook>,
}

/// A running sink; it stops when dropped.
pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
}

impl SmtpSink {
    /// Starts a sink on `addr` (port 0: any free port).
    pub async fn start(addr: SocketAddr) -> std::io::Result<Self> {
        Self::start_with_hook(addr, None).await
    }

    /// Starts a sink that also calls `hook` for every mail it accepts.
    pub async fn start_with_hook(
        addr: SocketAddr,
        hook: Option<MailHook>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            received: Mutex::new(Vec::new()),
            behaviour: Mutex::new(SinkBehaviour::Accept),
            arrived: Notify::new(),
            hook,
        });
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(accept_loop(listener, Arc::clone(&shared), stopped));
        Ok(Self { addr, shared, stop })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Changes how it answers from the next command on.
    pub fn set_behaviour(&self, behaviour: SinkBehaviour) {
        if let Ok(mut current) = self.shared.behaviour.lock() {
            *current = behaviour;
        }
    }

    /// Every mail received so far.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.shared
            .received
            .lock()
            .map(|received| received.clone())
            .unwrap_or_default()
    }

    /// Waits until at least `count` mails have arrived or `timeout` passed; returns them all.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.shared.arrived.notified();
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return self.received();
            }
        }
    }

    /// Stops listening and drops open connections.
    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = stopped.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = Arc::clone(&shared);
                let mut stopped = stopped.clone();
                tokio::spawn(async move {
                    tokio::select! {
                        _ = stopped.changed() => {}
                        _ = session(stream, &shared) => {}
                    }
                });
            }
        }
    }
}

fn behaviour(shared: &Shared) -> SinkBehaviour {
    shared
        .behaviour
        .lock()
        .map(|behaviour| *behaviour)
        .unwrap_or_default()
}

/// One SMTP session.
async fn session(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    match behaviour(shared) {
        SinkBehaviour::Stall => {
            // Hold the connection without a word until the client gives up.
            let mut sink = Vec::new();
            let _ = tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut sink).await;
            return Ok(());
        }
        SinkBehaviour::Refuse => {
            writer
                .write_all(b"421 4.3.2 scpfm-sink: service not available, try later\r\n")
                .await?;
            return writer.shutdown().await;
        }
        SinkBehaviour::Accept | SinkBehaviour::RejectRecipients => {}
    }
    writer.write_all(b"220 scpfm-sink ESMTP ready\r\n").await?;
    let mut from = String::new();
    let mut recipients: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-scpfm-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760\r\n",
            "HELO" => b"250 scpfm-sink\r\n",
            "MAIL" => {
                from = angle_address(command);
                recipients.clear();
                b"250 2.1.0 ok\r\n"
            }
            "RCPT" => {
                if behaviour(shared) == SinkBehaviour::RejectRecipients {
                    b"550 5.1.1 scpfm-sink: no such mailbox\r\n"
                } else {
                    recipients.push(angle_address(command));
                    b"250 2.1.5 ok\r\n"
                }
            }
            "DATA" if recipients.is_empty() => b"554 5.5.1 no valid recipients\r\n",
            "DATA" => {
                writer
                    .write_all(b"354 end data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let Some(data) = read_data(&mut reader).await? else {
                    writer.write_all(b"552 5.3.4 message too big\r\n").await?;
                    continue;
                };
                let mail = ReceivedMail {
                    envelope_from: std::mem::take(&mut from),
                    recipients: std::mem::take(&mut recipients),
                    data,
                };
                if let Some(hook) = &shared.hook {
                    hook(&mail);
                }
                if let Ok(mut received) = shared.received.lock() {
                    received.push(mail);
                }
                shared.arrived.notify_waiters();
                b"250 2.0.0 ok: queued\r\n"
            }
            "RSET" => {
                from.clear();
                recipients.clear();
                b"250 2.0.0 ok\r\n"
            }
            "NOOP" => b"250 2.0.0 ok\r\n",
            "QUIT" => {
                writer.write_all(b"221 2.0.0 bye\r\n").await?;
                return writer.shutdown().await;
            }
            _ => b"502 5.5.2 command not recognized\r\n",
        };
        writer.write_all(reply).await?;
    }
}

/// The message after `DATA`, dot-unstuffed; `None` when it is too large.
async fn read_data<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    let mut too_big = false;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok((!too_big).then_some(data));
        }
        let content = line.strip_prefix(b".").unwrap_or(&line);
        if data.len() + content.len() > MAX_MESSAGE_BYTES {
            too_big = true;
        } else {
            data.extend_from_slice(content);
        }
    }
}

/// The address of `MAIL FROM:<a@b> …` or `RCPT TO:<a@b>`.
fn angle_address(command: &str) -> String {
    command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or_else(String::new, |(address, _)| address.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_from_angle_brackets() {
        assert_eq!(angle_address("MAIL FROM:<a@b.c> SIZE=10"), "a@b.c");
        assert_eq!(angle_address("RCPT TO:<x@y.z>"), "x@y.z");
        assert_eq!(angle_address("MAIL FROM:<>"), "");
    }

    #[tokio::test]
    async fn data_is_dot_unstuffed_and_ends_at_the_lone_dot() {
        let input: &[u8] = b"Subject: x\r\n\r\n..leading dot\r\nbody\r\n.\r\n";
        let mut reader = BufReader::new(input);
        let data = read_data(&mut reader).await.unwrap().unwrap();
        assert_eq!(data, b"Subject: x\r\n\r\n.leading dot\r\nbody\r\n");
    }
}
