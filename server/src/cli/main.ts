// Replaced by the full CLI in the next commit; kept so the bundle builds.
process.exitCode = 0;
