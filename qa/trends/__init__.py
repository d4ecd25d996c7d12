"""Quality trends: statistical process control, funnel plots, agreement and their charts."""
