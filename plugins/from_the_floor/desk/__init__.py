"""The author's desk: a local web page (`floor desk`) over the same functions as the `floor` commands.

The layer above commands, core, intake and the live preview; nothing below imports it.
``security`` is its gate, ``app`` its routes and templates, ``pages_*`` the pages, ``server``
the uvicorn run on 127.0.0.1.
"""
