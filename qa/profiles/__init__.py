"""The council profile in force: which council's supervision rules the service applies."""
