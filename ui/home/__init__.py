"""The home page's room: what it computes and caches."""
