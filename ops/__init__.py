"""The operator's tooling: every `flask` command (cli), backups and restores, moving the
database (transfer), schema upgrades, health checks, production start-up and the demo site."""
