"""The demo council's made-up organisation and audit history, for `flask demo` and the
benchmarks only."""
