"""relgraph web layer (Flask)."""
