"""New questions from every channel (email, CSV, GitHub issues, the inbox), duplicates,
splitting a merge, and earlier posts brought in by ``floor import``. Built on core and services.
"""
