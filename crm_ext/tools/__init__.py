# Code that is not a model: the clock, operations in progress on a cursor,
# access checks, prepared statements, SQL and the working-time engine, the
# history import's CSV reader.
