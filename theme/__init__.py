"""The From the Floor theme (templates/ and static/); a package only so it installs with the kit."""
