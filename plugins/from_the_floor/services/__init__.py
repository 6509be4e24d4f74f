"""The outside world: git, the GitHub API and SMTP. Built on core; no click, no Pelican."""
