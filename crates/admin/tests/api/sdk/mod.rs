//! The official SDKs against scpfm, and every response held to the models of the seeds.

mod go;
mod python;
mod seed_models;
