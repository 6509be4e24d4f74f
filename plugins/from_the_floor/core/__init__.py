"""The column itself: question files, front matter, the queue, the schedule, the journal,
publishing, stats, the contact guard, retirement decisions and the FLOOR_* settings.

Standard library and small libraries only: nothing here imports Pelican, Jinja or click,
so every command and the build can lean on it.
"""
