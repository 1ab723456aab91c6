#!/usr/bin/env node
import { runService } from "./run-service";

/** `node dist/main.js`: the service alone, configured from the environment (see docs/server.md). Stops gracefully on SIGTERM/SIGINT. */
runService();
