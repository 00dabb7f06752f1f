"""The shipped CSV data (this folder is `data/` at the top of the repository)."""
