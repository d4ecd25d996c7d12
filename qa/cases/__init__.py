"""Cases and how often each is discussed in supervision.

A case is held by one worker at a time (allocated, then perhaps transferred) and has a status
history (child protection plan, child in need, looked after, ..., closed). Its discussions in
supervision are imported with the supervisee and supervisor and the date. Nothing about the
child is kept: a case is known only by its reference. audit_tools/case_rules.py says how
often the council profile in force requires each case to be discussed.
"""
