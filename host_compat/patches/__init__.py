"""One module per breakage.  Each has ``apply()`` (start-up patches) or
``TARGET`` and ``apply(module)`` (patches run when ``TARGET`` is imported)."""
