//! Budget: account budgets (create, show, list, set, delete) and what they do (status,
//! threshold mail, creation prevention).

mod accounts;
mod alerts;
mod forecast;
