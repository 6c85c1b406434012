"""The operator's tooling: every `flask` command (cli), backups and restores, moving the
database (transfer), schema upgrades, health checks, production start-up, the demo site, and
archives imported from elsewhere (WordPress exports, RSS and Atom feeds)."""
