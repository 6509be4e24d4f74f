"""From the Floor: a reader Q&A column as a static site.

The core modules (questions, queue, schedule, publish, retire) never import
Pelican or click; ``plugin`` and ``cli`` are thin adapters over them.
"""

__version__ = "0.1.0"
