import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import path from "node:path";

/** The state file's format; a file of another version is set aside, not misread. */
export const STATE_FILE_VERSION = 1;

/** What the state file holds: the seed, where the id generator is, and each emulator's snapshot by gateway id. */
export interface SandboxState {
  version: typeof STATE_FILE_VERSION;
  seed: number;
  /** The generator's position (`Rng.position()`): a restarted sandbox goes on with new ids instead of repeating them. */
  rng: number;
  gateways: Record<string, unknown>;
  /** The Shopify emulator's snapshot (absent in files of sandboxes before it). */
  shopify?: unknown;
}

/** How reading the state file went: nothing there, the state, or an unreadable file (moved to `setAside`). */
export type LoadedState = { kind: "none" } | { kind: "loaded"; state: SandboxState } | { kind: "unreadable"; setAside: string; reason: string };

/** A list in a snapshot, or an error naming it (a restore checks the shape of what it trusts). */
export function listOf<T>(value: unknown, name: string): T[] {
  if (!Array.isArray(value)) throw new Error(`${name}: expected a list`);
  return value as T[];
}

/** Reads the state file; a file that is not a state of this version is renamed aside so the next write does not destroy it. */
export function readStateFile(file: string): LoadedState {
  if (!existsSync(file)) return { kind: "none" };
  let reason: string;
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<SandboxState>;
    if (data.version === STATE_FILE_VERSION && Number.isInteger(data.seed) && Number.isInteger(data.rng) && data.gateways && typeof data.gateways === "object") {
      return { kind: "loaded", state: data as SandboxState };
    }
    reason = `not a sandbox state of version ${STATE_FILE_VERSION}`;
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  return { kind: "unreadable", setAside: setAside(file), reason };
}

/** Moves an unusable state file out of the way, keeping it for a person to look at. */
export function setAside(file: string): string {
  const aside = `${file}.unreadable-${Date.now()}`;
  renameSync(file, aside);
  return aside;
}

/** Replaces the state file atomically: a crash leaves the old file or the new one, never half of one. */
export function writeStateFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
