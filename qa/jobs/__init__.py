"""The scheduler, its jobs, notifications and retention.

jobs.py (what each job does) and schedule.py (when), scheduler.py (APScheduler, started by
`make run` or `flask --app qa scheduler`), service.py (running a job and its JobRun record),
notify.py (reminders and e-mail), retention.py with retention_rules.py and retention.yaml.
"""
