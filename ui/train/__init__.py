"""The training page: its settings, the run in the session, and what it shows."""
