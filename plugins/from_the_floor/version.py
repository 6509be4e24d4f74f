"""The kit's version, the one place it is written (read by the package, its caches and pyproject.toml)."""

__version__ = "0.1.0"
