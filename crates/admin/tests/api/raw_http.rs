//! A raw HTTP/1.1 keep-alive connection for tests that must see the connection itself: that
//! the server keeps it open across requests (and refusals), what it answers byte for byte.

use scpfm_signing::{sign, Message, CLIENT_TYPE};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::helpers::TestAccount;

/// One response read off the connection.
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawAnswer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A keep-alive connection to `addr`, signing as `account`.
pub struct RawConnection {
    stream: BufReader<TcpStream>,
    host: String,
}

impl RawConnection {
    pub async fn open(addr: std::net::SocketAddr) -> Self {
        Self {
            stream: BufReader::new(TcpStream::connect(addr).await.unwrap()),
            host: addr.to_string(),
        }
    }

    /// Sends a request signed at `timestamp` (Unix ms) for `host` (the connection's own host
    /// unless given) and reads the answer; `None` when the server closed the connection.
    #[allow(clippy::too_many_arguments)]
    pub async fn signed(
        &mut self,
        account: &TestAccount,
        method: &str,
        path: &str,
        body: Option<&str>,
        timestamp: i64,
        host: Option<&str>,
    ) -> Option<RawAnswer> {
        let host = host.unwrap_or(&self.host).to_owned();
        let headers = signature_headers(account, method, &host, path, timestamp);
        self.send(method, path, &host, &headers, body.map(str::as_bytes))
            .await
    }

    /// Sends a request signed at `timestamp` whose headers promise `length` body bytes of
    /// which only `partial` are sent, and reads the answer.
    pub async fn signed_partial(
        &mut self,
        account: &TestAccount,
        method: &str,
        path: &str,
        length: usize,
        partial: &[u8],
        timestamp: i64,
    ) -> Option<RawAnswer> {
        let host = self.host.clone();
        let signed = signature_headers(account, method, &host, path, timestamp);
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{signed}Content-Type: application/json\r\n\
             Content-Length: {length}\r\n\r\n"
        );
        let stream = self.stream.get_mut();
        stream.write_all(head.as_bytes()).await.ok()?;
        stream.write_all(partial).await.ok()?;
        self.read_answer().await
    }

    /// Sends a request with extra `headers` (each ending in CRLF) and reads the answer.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        host: &str,
        headers: &str,
        body: Option<&[u8]>,
    ) -> Option<RawAnswer> {
        let body = body.unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Content-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        let stream = self.stream.get_mut();
        stream.write_all(head.as_bytes()).await.ok()?;
        stream.write_all(body).await.ok()?;
        self.read_answer().await
    }

    async fn read_answer(&mut self) -> Option<RawAnswer> {
        let mut status_line = String::new();
        if self.stream.read_line(&mut status_line).await.ok()? == 0 {
            return None;
        }
        let status = status_line.split(' ').nth(1)?.parse().ok()?;
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line).await.ok()?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':')?;
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let answer = RawAnswer {
            status,
            headers,
            body: Vec::new(),
        };
        let body = if let Some(length) = answer.header("content-length") {
            let mut body = vec![0; length.parse().ok()?];
            self.stream.read_exact(&mut body).await.ok()?;
            body
        } else if answer
            .header("transfer-encoding")
            .is_some_and(|value| value.eq_ignore_ascii_case("chunked"))
        {
            let mut body = Vec::new();
            loop {
                let mut size = String::new();
                self.stream.read_line(&mut size).await.ok()?;
                let size = usize::from_str_radix(size.trim(), 16).ok()?;
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).await.ok()?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
            body
        } else {
            Vec::new()
        };
        Some(RawAnswer { body, ..answer })
    }
}

/// The `Scp-*` headers (each ending in CRLF) of `method` `http://{host}{path}` signed by
/// `account` at `timestamp` (Unix ms).
fn signature_headers(
    account: &TestAccount,
    method: &str,
    host: &str,
    path: &str,
    timestamp: i64,
) -> String {
    let url = format!("http://{host}{path}");
    let timestamp = timestamp.to_string();
    let signature = sign(
        account.secret_key.as_bytes(),
        &Message {
            method,
            url: &url,
            timestamp: &timestamp,
            access_key: &account.access_key,
            account_id: "",
            client_type: CLIENT_TYPE,
        },
    );
    format!(
        "Scp-Accesskey: {}\r\nScp-Signature: {signature}\r\nScp-Timestamp: {timestamp}\r\n\
         Scp-ClientType: {CLIENT_TYPE}\r\n",
        account.access_key
    )
}
