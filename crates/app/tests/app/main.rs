//! The REST API, spoken to over HTTP: the real app on a random port with a temporary database.

mod analytics;
mod appointments;
mod auth;
mod bot_token;
mod concurrency;
mod contract;
mod data_at_rest;
mod errors;
mod export;
mod horizon;
mod http_edges;
mod instances;
mod notifications;
mod operations;
mod postgres;
mod self_service;
mod services;
mod simulator;
mod slots;
mod staff;
mod telegram;
mod users;
mod waitlist;
mod webhooks;
// --- support ---
mod support;
// --- comeback ---
mod comeback;
