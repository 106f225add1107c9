"""CLI commands beyond the core ones; each module is imported only when its command runs."""
