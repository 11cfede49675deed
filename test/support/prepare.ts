/** @module Prepares, once per test run, the migrated template databases that each test file copies. */

// Filled in with the store: a migrated SQLite template file and a PostgreSQL template database.
export {};
