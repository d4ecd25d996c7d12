"""The scheduler, its jobs, notifications and retention."""
