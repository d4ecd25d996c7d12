"""Pages made for printing: a blank audit tool, and an audit before it is signed off."""
