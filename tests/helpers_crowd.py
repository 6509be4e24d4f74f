"""A form CSV in which many readers ask one question in three wordings (intake at volume, the desk)."""

from __future__ import annotations

import csv
from pathlib import Path

WORDINGS = [
    "How do you decide which reader questions to answer first?",
    "How do you decide which questions from readers to answer first?",
    "How do you decide which reader questions you answer first?",
]
QID = "how-do-you-decide-which-reader-questions-to-answer-first"


def crowd_csv(path: Path, readers: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Timestamp", "Your question", "Your name", "Email", "Notify me"])
        for i in range(readers):
            writer.writerow(
                [
                    f"2026-11-0{1 + i % 8} 09:{i % 60:02d}",
                    WORDINGS[i % 3],
                    f"Listener {i}",
                    f"l{i}@example.net",
                    "yes",
                ]
            )
    return path
