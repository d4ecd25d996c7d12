"""Actions raised by audits to bring a supervision file up to standard."""
