"""What every domain stands on: configuration, the database, security and hardening, language,
page caching, rate limits, refusals, Excel writing, operations commands."""
