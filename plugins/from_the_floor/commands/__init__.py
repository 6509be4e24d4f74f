"""The jobs behind ``floor``'s commands that are more than a call into core: init, the
workflow file, notify, report, sealing a site, the kit's pin. Click-free, so they can be run
and tested without the command line.
"""
