/**
 * A real WordPress 6.5.5 for the WooCommerce plugin's tests: unpacked from the pinned npm package
 * @wp-playground/wordpress-builds into a cache outside the repository, copied per run (hard links,
 * except wp-content), installed into a fresh MariaDB database, with the WooCommerce stand-in and
 * our plugin activated, and served by `php -S` on loopback. See ../README.md.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** plugins/woocommerce */
export const PLUGIN_DIR = path.resolve(__dirname, "../..");
const ENV_DIR = __dirname;
const BUILDS_DIR = path.join(PLUGIN_DIR, "node_modules/@wp-playground/wordpress-builds");
export const WP_VERSION = "6.5.5";
/** The unpacked, complete WordPress tree (never inside the repository). */
export const WP_CACHE_DIR = path.join(os.tmpdir(), `xpay-connect-wp-${WP_VERSION}`);
const COMPLETE_MARK = ".xpay-connect-complete";
/** The stand-in WooCommerce (a model of WooCommerce written by the project). */
export const STANDIN_DIR = path.join(PLUGIN_DIR, "test/standin/woocommerce");
const OUR_MAIN_FILE = "xpay-connect-woocommerce.php";

/** MariaDB/MySQL server the tests use (root with an empty password on these machines). */
export const MYSQL = {
  host: process.env.XPAY_TEST_MYSQL_HOST ?? "127.0.0.1",
  port: Number(process.env.XPAY_TEST_MYSQL_PORT ?? 3306),
  user: process.env.XPAY_TEST_MYSQL_USER ?? "root",
  password: process.env.XPAY_TEST_MYSQL_PASSWORD ?? "",
};

function mysqlArgs(sql: string): string[] {
  return ["-h", MYSQL.host, "-P", String(MYSQL.port), "-u", MYSQL.user, ...(MYSQL.password ? [`-p${MYSQL.password}`] : []), "--batch", "--skip-column-names", "-e", sql];
}

function mysqlClient(): string | undefined {
  for (const bin of ["mariadb", "mysql"]) if (spawnSync(bin, ["--version"], { stdio: "ignore" }).status === 0) return bin;
  return undefined;
}

/**
 * What is missing on this machine to run WordPress (php with mysqli, a MariaDB client and server,
 * unzip, the npm package), or an empty list. `phpunit` too when asked.
 */
export function missingPrerequisites(options: { phpunit?: boolean } = {}): string[] {
  const missing: string[] = [];
  const php = spawnSync("php", ["-r", 'echo extension_loaded("mysqli") ? "ok" : "no-mysqli";'], { encoding: "utf8" });
  if (php.status !== 0) missing.push("php (php8.2-cli)");
  else if (php.stdout !== "ok") missing.push("php's mysqli extension (php8.2-mysql)");
  if (spawnSync("unzip", ["-v"], { stdio: "ignore" }).status !== 0) missing.push("unzip");
  const client = mysqlClient();
  if (!client) missing.push("a MariaDB client (mariadb-client)");
  else if (spawnSync(client, mysqlArgs("select 1"), { stdio: "ignore", timeout: 5000 }).status !== 0) missing.push(`a MariaDB server at ${MYSQL.host}:${MYSQL.port}`);
  if (!existsSync(path.join(BUILDS_DIR, "src/wordpress/wp-6.5.zip"))) missing.push("@wp-playground/wordpress-builds (pnpm install)");
  if (options.phpunit && spawnSync("phpunit", ["--version"], { stdio: "ignore" }).status !== 0) missing.push("phpunit");
  return missing;
}

/**
 * Whether the WordPress tests can run here. Under CI=true anything missing is an error; elsewhere
 * the tests are skipped, loudly.
 */
export function wordpressAvailable(what: string, options: { phpunit?: boolean } = {}): boolean {
  const missing = missingPrerequisites(options);
  if (missing.length === 0) return true;
  const message = `${what}: missing ${missing.join(", ")}`;
  if (process.env.CI === "true") throw new Error(`${message} (required under CI=true)`);
  console.warn(`\n*** SKIPPING ${what}: ${message} ***\n`);
  return false;
}

/** Unpacks WordPress 6.5.5 into WP_CACHE_DIR once; later calls reuse it. Safe across parallel workers. */
export async function prepareWordPressCache(): Promise<string> {
  if (existsSync(path.join(WP_CACHE_DIR, COMPLETE_MARK))) return WP_CACHE_DIR;
  const version = (JSON.parse(readFileSync(path.join(BUILDS_DIR, "package.json"), "utf8")) as { version: string }).version;
  if (version !== "0.9.19") throw new Error(`@wp-playground/wordpress-builds is ${version}, the tests pin 0.9.19 (WordPress ${WP_VERSION})`);
  const tmp = `${WP_CACHE_DIR}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  await mkdir(tmp, { recursive: true });
  try {
    await run("unzip", ["-q", "-o", path.join(BUILDS_DIR, "src/wordpress/wp-6.5.zip"), "-d", tmp]);
    // The zip holds WordPress without its static files; the package ships them in public/wp-6.5.
    await cp(path.join(BUILDS_DIR, "public/wp-6.5"), tmp, { recursive: true, force: true });
    // Playground's placeholder config and SQLite database are not ours.
    await rm(path.join(tmp, "wp-config.php"), { force: true });
    await rm(path.join(tmp, "wp-content/database"), { recursive: true, force: true });
    await rm(path.join(tmp, "wordpress-remote-asset-paths"), { force: true });
    const versionFile = await readFile(path.join(tmp, "wp-includes/version.php"), "utf8");
    if (!versionFile.includes(`$wp_version = '${WP_VERSION}'`)) throw new Error(`the unpacked WordPress is not ${WP_VERSION}`);
    await writeFile(path.join(tmp, COMPLETE_MARK), `${WP_VERSION}\n`);
    await rm(WP_CACHE_DIR, { recursive: true, force: true }).catch(() => undefined);
    await rename(tmp, WP_CACHE_DIR).catch(async (error: unknown) => {
      // Another worker finished first: use its copy.
      if (!existsSync(path.join(WP_CACHE_DIR, COMPLETE_MARK))) throw error;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return WP_CACHE_DIR;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function phpString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A mail WordPress sent (recorded by the test mu-plugin instead of sendmail). */
export interface RecordedMail {
  to: string[];
  subject: string;
  message: string;
  headers: unknown;
  attachments: unknown;
}

export interface WordPressOptions {
  /** Symlink and activate the WooCommerce stand-in when it exists (default true). */
  woocommerce?: boolean;
  /**
   * A WooCommerce plugin folder to use instead of the stand-in (default: $XPAY_TEST_WOOCOMMERCE_DIR, e.g. a real
   * WooCommerce 9.4.3 extracted outside the repository to check the stand-in against the real thing; never in CI).
   */
  woocommerceDir?: string;
  /** Symlink and activate our plugin when its main file exists (default true). */
  plugin?: boolean;
  /** Install our plugin from this zip (as a store owner would: unzipped into wp-content/plugins) instead of the symlink. */
  pluginZip?: string;
  /** Extra wp-config.php constants (name -> value, written as PHP literals). */
  constants?: Record<string, string | number | boolean>;
  /** Start `php -S` (default true; PHPUnit-only runs may not need HTTP). */
  serve?: boolean;
}

export interface WordPress {
  /** The per-run WordPress tree (ABSPATH). */
  dir: string;
  /** http://127.0.0.1:<port> (home and site URL). */
  url: string;
  port: number;
  database: string;
  debugLogPath: string;
  mailLogPath: string;
  /** Plugins active after setup (e.g. ["woocommerce/woocommerce.php", "xpay-connect-woocommerce/xpay-connect-woocommerce.php"]). */
  activePlugins: string[];
  admin: { id: number; login: string; password: string; email: string; appPassword: string };
  /**
   * Runs PHP inside WordPress (wp-load.php loaded, current user = admin unless `asUser` is 0) as a
   * separate php-cli process; `code` is a function body whose return value comes back as JSON.
   */
  runPhp<T = unknown>(code: string, options?: { asUser?: number }): Promise<T>;
  /**
   * Logged-in cookies of the admin (AUTH for /wp-admin and plugins, LOGGED_IN for the site), for a
   * browser (Playwright `context.addCookies(cookies.map((c) => ({ ...c, domain: "127.0.0.1" })))`) or a
   * Cookie header, so tests need not go through the login form.
   */
  adminCookies(): Promise<Array<{ name: string; value: string; path: string }>>;
  /** A REST call as the admin (application password, basic auth). */
  rest(method: string, route: string, body?: unknown): Promise<{ status: number; headers: Headers; body: unknown }>;
  /** The end of debug.log. */
  debugLog(maxBytes?: number): string;
  /** Lines of debug.log (and of php -S's output) that are PHP warnings, notices, deprecations or errors. */
  phpProblems(): string[];
  /** Mails sent so far. */
  mails(): RecordedMail[];
  /** Environment for a PHP process (PHPUnit) to load this WordPress: XPAY_TEST_WP_DIR, _WP_URL, _MAIL_LOG, _DEBUG_LOG, _ACTIVE_PLUGINS (JSON). */
  env(): Record<string, string>;
  /** What `php -S` printed last (request log, start-up errors). */
  serverOutput(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) if (child.pid) try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone */ }
});

/** Runs php-cli; a failure carries its output and the end of debug.log (where WordPress sends PHP errors). */
async function php(args: string[], env: Record<string, string>, cwd: string, debugLog: string): Promise<string> {
  try {
    const { stdout } = await run("php", args, { env: { ...process.env, ...env }, cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const log = existsSync(debugLog) ? readFileSync(debugLog, "utf8").slice(-4000) : "";
    throw new Error(`php ${path.basename(args[0] ?? "")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`.slice(0, 6000) + `\ndebug.log:\n${log}`, { cause: error });
  }
}

/**
 * Best effort: removes what killed runs left (stop() never ran): databases whose run folder is gone, and run
 * folders older than a day (XPAY_TEST_KEEP_WP keeps folders on purpose).
 */
async function sweepStale(client: string): Promise<void> {
  try {
    // Only databases whose tables are over an hour old: a run with another TMPDIR is never swept mid-way.
    const { stdout } = await run(
      client,
      mysqlArgs("SELECT table_schema FROM information_schema.tables WHERE table_schema LIKE 'xc\\_wp\\_%' GROUP BY table_schema HAVING MIN(create_time) < NOW() - INTERVAL 1 HOUR"),
    );
    for (const name of stdout.split("\n").filter((n) => /^xc_wp_[0-9a-f]{10}$/.test(n))) {
      if (!existsSync(path.join(os.tmpdir(), `xpay-connect-wp-run-${name.slice(6)}`))) await run(client, mysqlArgs(`DROP DATABASE IF EXISTS ${name}`));
    }
    const dayAgo = Date.now() - 24 * 3600 * 1000;
    for (const entry of await readdir(os.tmpdir())) {
      if (!entry.startsWith("xpay-connect-wp-run-")) continue;
      const folder = path.join(os.tmpdir(), entry);
      if ((await stat(folder)).mtimeMs < dayAgo) await rm(folder, { recursive: true, force: true });
    }
  } catch {
    /* another run is sweeping too, or nothing to do */
  }
}

/** Prepares, installs and (by default) serves a WordPress for one test file. Call `stop()` after. */
export async function startWordPress(options: WordPressOptions = {}): Promise<WordPress> {
  const cache = await prepareWordPressCache();
  const id = randomBytes(5).toString("hex");
  const runDir = path.join(os.tmpdir(), `xpay-connect-wp-run-${id}`);
  const dir = path.join(runDir, "wordpress");
  await mkdir(runDir, { recursive: true });
  // Core files as hard links (PHP sees the per-run path as ABSPATH); wp-content as a real copy.
  await run("cp", ["-al", cache, dir]);
  await rm(path.join(dir, "wp-content"), { recursive: true, force: true });
  await cp(path.join(cache, "wp-content"), path.join(dir, "wp-content"), { recursive: true });
  await rm(path.join(dir, COMPLETE_MARK), { force: true });
  await mkdir(path.join(dir, "wp-content/mu-plugins"), { recursive: true });
  await cp(path.join(ENV_DIR, "mail-recorder.php"), path.join(dir, "wp-content/mu-plugins/xpay-test-mail-recorder.php"));
  await cp(path.join(ENV_DIR, "offline.php"), path.join(dir, "wp-content/mu-plugins/xpay-test-offline.php"));

  const plugins: string[] = [];
  const woocommerceDir = options.woocommerceDir ?? (process.env.XPAY_TEST_WOOCOMMERCE_DIR || STANDIN_DIR);
  if ((options.woocommerce ?? true) && existsSync(path.join(woocommerceDir, "woocommerce.php"))) {
    await symlink(woocommerceDir, path.join(dir, "wp-content/plugins/woocommerce"), "dir");
    plugins.push("woocommerce/woocommerce.php");
  }
  if (options.pluginZip) {
    await run("unzip", ["-q", options.pluginZip, "-d", path.join(dir, "wp-content/plugins")]);
    if (!existsSync(path.join(dir, "wp-content/plugins/xpay-connect-woocommerce", OUR_MAIN_FILE))) throw new Error(`${options.pluginZip} has no xpay-connect-woocommerce/${OUR_MAIN_FILE}`);
    plugins.push(`xpay-connect-woocommerce/${OUR_MAIN_FILE}`);
  } else if ((options.plugin ?? true) && existsSync(path.join(PLUGIN_DIR, OUR_MAIN_FILE))) {
    await symlink(PLUGIN_DIR, path.join(dir, "wp-content/plugins/xpay-connect-woocommerce"), "dir");
    plugins.push(`xpay-connect-woocommerce/${OUR_MAIN_FILE}`);
  }

  const database = `xc_wp_${id}`;
  const client = mysqlClient() ?? "mariadb";
  await sweepStale(client);
  await run(client, mysqlArgs(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  const cleanUp = async (): Promise<void> => {
    await run(client, mysqlArgs(`DROP DATABASE IF EXISTS ${database}`)).catch(() => undefined);
    if (process.env.XPAY_TEST_KEEP_WP !== "1") await rm(runDir, { recursive: true, force: true });
  };

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const debugLogPath = path.join(runDir, "debug.log");
  const mailLogPath = path.join(runDir, "mail.jsonl");
  await writeFile(mailLogPath, "");
  const salts = ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"]
    .map((name) => `define( '${name}', '${randomBytes(32).toString("hex")}' );`)
    .join("\n");
  const extra = Object.entries(options.constants ?? {})
    .map(([name, value]) => `define( ${phpString(name)}, ${typeof value === "string" ? phpString(value) : String(value)} );`)
    .join("\n");
  await writeFile(
    path.join(dir, "wp-config.php"),
    `<?php
// Written by plugins/woocommerce/test/env/wordpress.ts for one test run.
define( 'DB_NAME', ${phpString(database)} );
define( 'DB_USER', ${phpString(MYSQL.user)} );
define( 'DB_PASSWORD', ${phpString(MYSQL.password)} );
define( 'DB_HOST', ${phpString(`${MYSQL.host}:${MYSQL.port}`)} );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${salts}
$table_prefix = 'wp_';
define( 'WP_HOME', ${phpString(url)} );
define( 'WP_SITEURL', ${phpString(url)} );
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', ${phpString(debugLogPath)} );
define( 'WP_DEBUG_DISPLAY', false );
define( 'XPAY_TEST_MAIL_LOG', ${phpString(mailLogPath)} );
${extra}
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`,
  );

  const env = { XPAY_WP_URL: url };
  const password = randomBytes(12).toString("hex");
  let installed: { user_id: number; app_password: string };
  let activePlugins: string[] = [];
  try {
    installed = JSON.parse(await php([path.join(ENV_DIR, "install.php"), dir, password], env, dir, debugLogPath)) as typeof installed;
    if (plugins.length > 0) activePlugins = JSON.parse(await php([path.join(ENV_DIR, "activate.php"), dir, ...plugins], env, dir, debugLogPath)) as string[];
  } catch (error) {
    await cleanUp();
    throw error;
  }
  // Tests see only their own mails, not the installer's "New WordPress Site".
  await writeFile(mailLogPath, "");

  let server: ChildProcess | undefined;
  let output = "";
  const stopServer = async (): Promise<void> => {
    const child = server;
    server = undefined;
    if (!child?.pid) return;
    running.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    await exited;
  };

  const readText = (file: string): string => (existsSync(file) ? readFileSync(file, "utf8") : "");
  const wordpress: WordPress = {
    dir,
    url,
    port,
    database,
    debugLogPath,
    mailLogPath,
    activePlugins,
    admin: { id: installed.user_id, login: "admin", password, email: "owner@store.test", appPassword: installed.app_password },
    async runPhp<T>(code: string, runOptions: { asUser?: number } = {}): Promise<T> {
      const script = path.join(runDir, `run-${randomBytes(6).toString("hex")}.php`);
      const marker = "\n<<<XPAY-RESULT>>>";
      await writeFile(
        script,
        `<?php
$_SERVER['HTTP_HOST'] = ${phpString(`127.0.0.1:${port}`)};
require ${phpString(path.join(dir, "wp-load.php"))};
wp_set_current_user( ${runOptions.asUser ?? installed.user_id} );
$xpay_result = ( static function () {
${code}
} )();
echo ${phpString(marker)} . wp_json_encode( $xpay_result );
`,
      );
      try {
        const out = await php([script], env, dir, debugLogPath);
        const at = out.lastIndexOf(marker);
        if (at < 0) throw new Error(`runPhp printed no result:\n${out.slice(0, 4000)}`);
        return JSON.parse(out.slice(at + marker.length)) as T;
      } finally {
        await rm(script, { force: true });
      }
    },
    adminCookies() {
      return wordpress.runPhp<Array<{ name: string; value: string; path: string }>>(`
        $expiration = time() + DAY_IN_SECONDS;
        $auth       = wp_generate_auth_cookie( ${installed.user_id}, $expiration, 'auth' );
        $logged_in  = wp_generate_auth_cookie( ${installed.user_id}, $expiration, 'logged_in' );
        return array(
          array( 'name' => AUTH_COOKIE, 'value' => $auth, 'path' => ADMIN_COOKIE_PATH ),
          array( 'name' => AUTH_COOKIE, 'value' => $auth, 'path' => PLUGINS_COOKIE_PATH ),
          array( 'name' => LOGGED_IN_COOKIE, 'value' => $logged_in, 'path' => COOKIEPATH ),
        );
      `);
    },
    async rest(method, route, body) {
      const res = await fetch(`${url}/wp-json${route.startsWith("/") ? route : `/${route}`}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`admin:${installed.app_password}`).toString("base64")}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    debugLog(maxBytes = 20_000) {
      const text = readText(debugLogPath);
      return text.length > maxBytes ? text.slice(-maxBytes) : text;
    },
    phpProblems() {
      // debug.log, and php -S's own output for anything before WordPress set its error log.
      return `${readText(debugLogPath)}\n${output}`
        .split("\n")
        .filter((line) => /PHP (Warning|Notice|Deprecated|Fatal error|Parse error|Recoverable fatal error|Strict Standards)|WordPress database error|doing_it_wrong|was called <strong>incorrectly/i.test(line));
    },
    mails() {
      return readText(mailLogPath)
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordedMail);
    },
    env: () => ({
      XPAY_TEST_WP_DIR: dir,
      XPAY_TEST_WP_URL: url,
      XPAY_TEST_MAIL_LOG: mailLogPath,
      XPAY_TEST_DEBUG_LOG: debugLogPath,
      XPAY_TEST_ACTIVE_PLUGINS: JSON.stringify(activePlugins),
    }),
    serverOutput: () => output.slice(-8000),
    async stop() {
      await stopServer();
      await cleanUp();
    },
  };

  if (options.serve ?? true) {
    try {
      // detached: the server gets its own process group (setsid), so its PHP_CLI_SERVER_WORKERS go with it.
      server = spawn("php", ["-S", `127.0.0.1:${port}`, "-t", dir, path.join(ENV_DIR, "router.php")], {
        cwd: dir,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, PHP_CLI_SERVER_WORKERS: "4" },
      });
      running.add(server);
      const keep = (chunk: Buffer): void => {
        output = (output + chunk.toString()).slice(-64_000);
      };
      server.stdout?.on("data", keep);
      server.stderr?.on("data", keep);
      await waitForHttp(`${url}/wp-json/`, server, () => output);
    } catch (error) {
      await wordpress.stop();
      throw error;
    }
  }
  return wordpress;
}

/** Polls `url` until it answers 200, at most `ms` (a bound, not a sleep); fails if the server exits. */
async function waitForHttp(url: string, child: ChildProcess, output: () => string, ms = 15_000): Promise<void> {
  const started = Date.now();
  let last: string;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`php -S exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() - started > ms) throw new Error(`WordPress at ${url} not ready in ${ms} ms (${last}):\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Registers beforeAll/afterAll for the enclosing describe block: a WordPress for its tests, handed
 * to `set`. Where php/MariaDB are missing (never under CI=true) `set` is not called.
 */
export function useWordPress(what: string, set: (wp: WordPress) => void, options: WordPressOptions = {}): void {
  let wp: WordPress | undefined;
  beforeAll(async () => {
    if (!wordpressAvailable(what)) return;
    wp = await startWordPress(options);
    set(wp);
  }, 120_000);
  afterAll(async () => {
    await wp?.stop();
  });
}
