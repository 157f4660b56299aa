//! The command line of `scpcli`: global options and the service commands.

use clap::{Args, Parser, Subcommand};

use crate::billing_plan::BillingPlanCommand;
use crate::budget::BudgetCommand;
use crate::cost_explorer::CostExplorerCommand;
use crate::output::OutputFormat;
use crate::pricing::PricingCommand;

/// scpcli: the Samsung Cloud Platform command-line client for Financial Management,
/// signing every request.
///
/// Credentials and endpoint come from flags, then SCP_* environment variables, then the
/// profile in ~/.scp/cli-config.json, then the SDK's ~/.scpconf files. Exit codes: 0 ok,
/// 1 the API refused the request, 2 usage, configuration or network error.
#[derive(Debug, Parser)]
#[command(
    name = "scpcli",
    version,
    propagate_version = true,
    max_term_width = 110
)]
pub struct Cli {
    /// Options of every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The service.
    #[command(subcommand)]
    pub service: Service,
}

/// Heading of the options every command takes.
const GLOBAL: &str = "Global Options";

/// Options accepted by every command.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Named profile of ~/.scp/cli-config.json [env: SCP_PROFILE; default: the top-level keys].
    #[arg(long, global = true, value_name = "NAME", help_heading = GLOBAL)]
    pub profile: Option<String>,
    /// Output format: json (the server's response, exact) or table (for people) [default: json].
    #[arg(long, global = true, value_enum, help_heading = GLOBAL)]
    pub output: Option<OutputFormat>,
    /// Print each signed request and the response status to stderr (never the secret key).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub debug: bool,
    /// Base URL of the scpfm server serving every service [env: SCP_ENDPOINT_URL].
    #[arg(long = "endpoint_url", visible_alias = "endpoint-url", global = true, value_name = "URL", help_heading = GLOBAL)]
    pub endpoint_url: Option<String>,
    /// Access key [env: SCP_ACCESS_KEY].
    #[arg(long = "access_key", visible_alias = "access-key", global = true, value_name = "KEY", help_heading = GLOBAL)]
    pub access_key: Option<String>,
    /// Access secret key [env: SCP_SECRET_KEY].
    #[arg(long = "secret_key", visible_alias = "secret-key", global = true, value_name = "SECRET", help_heading = GLOBAL)]
    pub secret_key: Option<String>,
    /// Language of error messages: en-US or ko-KR [env: SCP_LANGUAGE; default: en-US].
    #[arg(long, global = true, value_name = "LANG", help_heading = GLOBAL)]
    pub language: Option<String>,
}

/// The services.
#[derive(Debug, Subcommand)]
pub enum Service {
    /// BillingPlan: planned compute contracts.
    Billingplan(BillingPlanCommand),
    /// Budget: account budgets, their notifications and creation prevention.
    Budget(BudgetCommand),
    /// Pricing: the price catalogue (billing items, offerings, prices).
    Pricing(PricingCommand),
    /// CostExplorer: bills, monthly payments and usage.
    Costexplorer(CostExplorerCommand),
    /// Write credentials and the endpoint into ~/.scp/cli-config.json.
    Configure(ConfigureArgs),
}

/// `scpcli configure`: takes the global --access_key, --secret_key, --endpoint_url and
/// --profile, asks for what is missing when run in a terminal, and writes the profile.
#[derive(Debug, Args)]
pub struct ConfigureArgs {
    /// Default region (default_scp_region).
    #[arg(long = "default_scp_region", value_name = "REGION")]
    pub default_scp_region: Option<String>,
    /// IAM endpoint catalogue of a real SCP environment (auth_url), e.g.
    /// https://iam.e.samsungsdscloud.com/v1/endpoints.
    #[arg(long = "auth_url", value_name = "URL")]
    pub auth_url: Option<String>,
    /// Never prompt; keep stored values for what is not given.
    #[arg(long = "no_prompt", visible_alias = "no-prompt")]
    pub no_prompt: bool,
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
