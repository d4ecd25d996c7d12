"""The maths and drawing behind the quality trends: "Making Data Count" control charts,
funnel plots, agreement statistics and the server-made SVG charts.

A pure library: plain values in, plain values out; nothing here knows about Flask, the
database or the app. Import the statistics from `statistics` and the charts from `charts`.
"""
