//! The `scpfm` command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// scpfm: a self-hostable SCP Financial Management server (BillingPlan, Budget,
/// CostExplorer, Pricing) and its admin commands.
#[derive(Debug, Parser)]
#[command(name = "scpfm", version, propagate_version = true)]
pub struct Cli {
    /// Configuration file (TOML); see scpfm.example.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL (sqlite:PATH or postgres://…), overriding DATABASE_URL and the file.
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API server (migrations are applied at start).
    Serve(ServeArgs),
    /// Manage accounts.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Manage access keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Apply database migrations and exit.
    Migrate,
    /// Work with price catalogues.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Load data from files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Close months: bills become final, payments are created.
    #[command(subcommand)]
    Month(MonthCommand),
    /// Work with bills.
    #[command(subcommand)]
    Bills(BillsCommand),
    /// Record payments.
    #[command(subcommand)]
    Payment(PaymentCommand),
    /// Planned compute contracts.
    #[command(subcommand, name = "planned-compute")]
    PlannedCompute(PlannedComputeCommand),
    /// Budget evaluation, notification mail and creation prevention.
    #[command(subcommand)]
    Budgets(BudgetsCommand),
    /// Export cost data.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Run a local SMTP server that accepts every mail and prints it (development and demos;
    /// point [mail] at it with host 127.0.0.1, the port, and tls = "none").
    #[command(name = "mail-sink")]
    MailSink(MailSinkArgs),
}

/// `scpfm export …`.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A closed billing period as FOCUS CSV (FinOps Open Cost and Usage Specification).
    Focus {
        /// The billing period (YYYY-MM), closed.
        #[arg(long = "billing-period", value_name = "YYYY-MM")]
        billing_period: String,
        /// Only this account (id or name; a payer brings its members) [default: every account].
        #[arg(long, value_name = "ACCOUNT")]
        account: Option<String>,
        /// FOCUS version: 1.2 or 1.0 (what focus-validator 1.0.0 checks).
        #[arg(long = "focus-version", value_name = "VERSION", default_value = "1.2")]
        focus_version: String,
        /// The file to write (`.csv`, or `.csv.gz` for gzip).
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
}

/// `scpfm budgets …`.
#[derive(Debug, Subcommand)]
pub enum BudgetsCommand {
    /// Evaluate budgets now: record the notifications their cost calls for (each once) and
    /// queue their mail; then send the mail that is due, when an SMTP server is configured.
    /// The server does this after each ingestion and every [budgets] evaluate_every_seconds.
    Evaluate {
        /// Only this account's budgets (id or name) [default: every account's].
        #[arg(long, value_name = "ACCOUNT")]
        account: Option<String>,
        /// Only record and queue; leave sending to the server.
        #[arg(long)]
        no_send: bool,
    },
    /// Show where every budget stands: the period's cost, percentage and forecast, the
    /// thresholds reached, the last mail and the creation prevention state.
    Status {
        /// Only this account's budgets (id or name) [default: every account's].
        #[arg(long, value_name = "ACCOUNT")]
        account: Option<String>,
        /// Print JSON (the status API's shape).
        #[arg(long)]
        json: bool,
    },
}

/// `scpfm mail-sink`.
#[derive(Debug, Args)]
pub struct MailSinkArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:2525")]
    pub listen: SocketAddr,
    /// Also save every mail as a numbered .eml file in this directory.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `scpfm planned-compute …`.
#[derive(Debug, Subcommand)]
pub enum PlannedComputeCommand {
    /// Renew or expire every contract whose term has ended (KST); the server does this every
    /// hour. Running it again changes nothing.
    Renew,
}

/// `scpfm month …`.
#[derive(Debug, Subcommand)]
pub enum MonthCommand {
    /// Close a month that has ended (KST): its bill lines become BILLED, every account billed
    /// gets its payment record, and usage or adjustments for it are refused from then on.
    /// Closing a closed month changes nothing.
    Close {
        /// The month (YYYY-MM).
        month: String,
    },
}

/// `scpfm bills …`.
#[derive(Debug, Subcommand)]
pub enum BillsCommand {
    /// Recompute an open month's bill lines from its stored usage and adjustments (after a
    /// catalogue fix; bills are otherwise kept current as usage arrives).
    Rebuild {
        /// The month (YYYY-MM).
        month: String,
    },
}

/// `scpfm payment …`.
#[derive(Debug, Subcommand)]
pub enum PaymentCommand {
    /// Record a (partial) payment of a closed month's bill.
    Record {
        /// Account id or name.
        #[arg(long, value_name = "ACCOUNT")]
        account: String,
        /// The bill month (YYYY-MM).
        #[arg(long)]
        month: String,
        /// Amount paid, in KRW (at most 3 decimals, at most what is unpaid).
        #[arg(long)]
        amount: String,
        /// Payment date (YYYY-MM-DD) [default: today, KST].
        #[arg(long)]
        date: Option<String>,
    },
}

/// `scpfm import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Load bill adjustments (discounts, savings, credits) from a JSON or JSON Lines file;
    /// the bills of the months they touch are updated. Any bad item stores nothing;
    /// adjustment ids already stored are skipped.
    Adjustments {
        /// The file: a JSON array, or one JSON adjustment per line (see docs/BILLING.md).
        file: PathBuf,
    },
    /// Rate and store usage records from a CSV or JSON Lines file, committing every
    /// `--commit-every` records (and at once when the server waits for SQLite's write lock).
    /// A bad row stops the storing there (every problem of the file is still reported);
    /// records already stored are skipped, so importing the fixed file again is exactly-once.
    Usage {
        /// The file (.csv with a header row, or .jsonl: one JSON record per line).
        file: PathBuf,
        /// The file's format [default: from the extension].
        #[arg(long, value_enum)]
        format: Option<crate::commands::import::Format>,
        /// Records rated and stored per batch [default: 4,096 on SQLite, so that a server
        /// write waits at most one short batch; 50,000 on PostgreSQL].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        batch_size: Option<u32>,
        /// Records stored per transaction when no one waits for the write lock [default:
        /// 50,000 on SQLite; 1,000,000 on PostgreSQL, where a transaction keeps the next
        /// batch's rating running beside the current batch's COPY].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000_000))]
        commit_every: Option<u32>,
    },
}

/// `scpfm catalog …`.
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Check a catalogue file and report every inconsistency (exit 1 if any).
    Validate {
        /// The catalogue file (TOML).
        file: PathBuf,
    },
}

/// `scpfm serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080, or server.listen].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Seed the demo organisation (idempotent) and print how to use it.
    #[arg(long)]
    pub demo: bool,
}

/// `scpfm account …`.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account.
    Create {
        /// Unique account name.
        #[arg(long)]
        name: String,
        /// Payer (management) account id or name: makes the new account its member.
        #[arg(long, value_name = "ACCOUNT")]
        payer: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List accounts.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `scpfm key …`.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Create an access key pair; the secret is printed once.
    Create {
        /// Account id or name.
        #[arg(long, value_name = "ACCOUNT")]
        account: String,
        /// User name recorded as created_by/modified_by [default: the account name].
        #[arg(long, value_name = "NAME")]
        user: Option<String>,
        /// Allow the admin API (usage ingestion, adjustments).
        #[arg(long)]
        admin: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List access keys (never their secrets).
    List {
        /// Only keys of this account (id or name).
        #[arg(long, value_name = "ACCOUNT")]
        account: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Disable an access key; requests signed with it are refused from now on.
    Disable {
        /// The access key id.
        access_key: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
