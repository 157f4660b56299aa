//! Sending one mail through the configured SMTP server (lettre), and telling failures that
//! are worth retrying from those that are not.

use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use scpfm_store::mail_outbox::OutboxMail;
use secrecy::ExposeSecret as _;

use scpfm_config::{MailSettings, MailTls};

/// Why a mail was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    /// True when sending it again cannot succeed (a 5xx answer, an unusable address).
    pub permanent: bool,
    /// What happened, for the outbox and the logs.
    pub message: String,
}

/// The SMTP server mail goes through.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    server: String,
    /// How long one attempt may take. lettre's own timeout bounds only the connect, so a
    /// server that accepts and then says nothing is cut off here.
    timeout: Duration,
}

impl Mailer {
    /// The mailer `settings` describe; `None` when no SMTP host is configured.
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Option<Self>> {
        let Some(host) = settings.host.as_deref() else {
            return Ok(None);
        };
        let from: Mailbox = settings.from.parse().with_context(|| {
            format!(
                "mail.from must be an address or `Name <address>`, not {:?}",
                settings.from
            )
        })?;
        let builder = match settings.tls {
            MailTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            MailTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .with_context(|| format!("setting up STARTTLS to {host}"))?,
            MailTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                .with_context(|| format!("setting up TLS to {host}"))?,
        };
        let port = settings.effective_port();
        let timeout = Duration::from_secs(settings.timeout_seconds.max(1));
        let mut builder = builder.port(port).timeout(Some(timeout));
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose_secret().to_owned(),
            ));
        }
        Ok(Some(Self {
            transport: builder.build(),
            from,
            server: format!("{host}:{port}"),
            timeout,
        }))
    }

    /// `host:port`, for messages.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Sends `mail` and waits for the server's answer.
    pub async fn send(&self, mail: &OutboxMail) -> Result<(), SendFailure> {
        let message = self.message(mail).map_err(|message| SendFailure {
            permanent: true,
            message,
        })?;
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(error)) => Err(SendFailure {
                permanent: error.is_permanent(),
                message: describe(&error),
            }),
            Err(_) => Err(SendFailure {
                permanent: false,
                message: format!(
                    "{} did not finish the SMTP conversation within {} s",
                    self.server,
                    self.timeout.as_secs()
                ),
            }),
        }
    }

    fn message(&self, mail: &OutboxMail) -> Result<Message, String> {
        let to: Mailbox = mail
            .recipient
            .parse()
            .map_err(|error| format!("the address {:?} is unusable: {error}", mail.recipient))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()))
            .date(SystemTime::from(mail.created_at))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".into(),
            ))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|error| format!("the mail cannot be built: {error}"))
    }
}

/// The error and its causes on one line.
fn describe(error: &lettre::transport::smtp::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
