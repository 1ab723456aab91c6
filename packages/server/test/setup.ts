// Server tests boot databases (PGlite initdb takes seconds on a busy machine): give hooks and tests a minute.
jest.setTimeout(60_000);
