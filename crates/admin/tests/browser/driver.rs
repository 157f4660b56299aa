//! chromedriver and headless Chromium for the browser tests (and the screenshot tool), and
//! reading what the browser downloaded.

use std::io::Read as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use rust_decimal::Decimal;

/// A running chromedriver, stopped when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver on a free loopback port and waits until it answers.
pub async fn chromedriver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver runs (apt-get install chromium chromium-driver; .ci/run does)");
    let url = format!("http://127.0.0.1:{port}");
    // Dropped (killed and waited for) on every path, the panic included.
    let driver = Driver { child, url };
    let http = reqwest::Client::new();
    // Generous: a first start on a loaded CI machine is slow.
    for _ in 0..300 {
        if http
            .get(format!("{}/status", driver.url))
            .send()
            .await
            .is_ok()
        {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {}", driver.url);
}

/// A headless Chromium session.
pub struct Chromium {
    pub client: Client,
}

impl Chromium {
    /// A session of `width`×`height`, English, downloading into `downloads`.
    pub async fn start(driver: &Driver, downloads: &Path, (width, height): (u32, u32)) -> Self {
        let mut options = serde_json::json!({
            "args": [
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", "--lang=en-US", format!("--window-size={width},{height}"),
            ],
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "intl.accept_languages": "en-US,en",
            },
        });
        if Path::new("/usr/bin/chromium").exists() {
            options["binary"] = "/usr/bin/chromium".into();
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .expect("a Chromium session starts");
        client.set_window_size(width, height).await.unwrap();
        Self { client }
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// The file `name` once the browser has finished downloading it into `dir`.
pub async fn downloaded(dir: &Path, name: &str, within: Duration) -> Vec<u8> {
    let path = dir.join(name);
    let started = std::time::Instant::now();
    loop {
        let partial = dir.join(format!("{name}.crdownload"));
        if path.exists() && !partial.exists() {
            if let Ok(bytes) = std::fs::read(&path) {
                if !bytes.is_empty() {
                    return bytes;
                }
            }
        }
        assert!(
            started.elapsed() < within,
            "{name} was not downloaded into {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The spreadsheet column letters of the 0-based column `idx`.
fn column_letters(mut idx: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + u8::try_from(idx % 26).unwrap());
        if idx < 26 {
            break;
        }
        idx = idx / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap()
}

/// The number in column `column` of the last row of the workbook's first sheet.
pub fn xlsx_total(xlsx: &[u8], column: usize) -> Decimal {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut sheet = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    let last_row = sheet.rsplit("<row r=\"").next().unwrap();
    let row: String = last_row.chars().take_while(char::is_ascii_digit).collect();
    let cell = format!("<c r=\"{}{row}\"", column_letters(column));
    let at = last_row.find(&cell).expect("the total's cell");
    let value = last_row[at..]
        .split("<v>")
        .nth(1)
        .unwrap()
        .split("</v>")
        .next()
        .unwrap();
    value.parse().unwrap()
}

#[test]
fn columns_are_lettered_like_spreadsheets() {
    assert_eq!(column_letters(0), "A");
    assert_eq!(column_letters(11), "L");
    assert_eq!(column_letters(25), "Z");
    assert_eq!(column_letters(26), "AA");
}
