// A real `phieu serve` process for a test: its own database, a free port, and
// the app from dist/. Stop and start it again to take the network away for real.
// The database gets an admin account first (its token reads the listing), and
// the phone may submit without a token (`--allow-anonymous`) unless the test
// gives the server a shared `--token`.
import { execFileSync, spawn, ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";

const root = path.resolve(__dirname, "../..");
const binary = process.env.PHIEU_BIN || path.join(root, "target/debug/phieu");

export class PhieuServer {
  private child: ChildProcess | null = null;
  url = "";
  readonly db: string;
  /** An admin account's token, for reading what arrived. */
  readonly adminToken: string;

  private constructor(private addr: string, extra: string[] = [], dist?: string) {
    this.db = path.join(mkdtempSync(path.join(tmpdir(), "phieu-e2e-")), "phieu.db");
    this.extra = extra;
    this.dist = dist ?? path.join(root, "dist");
    const made = execFileSync(binary, ["users", "add", "--db", this.db, "--name", "e2e", "--role", "admin"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const token = made.split("\n").find((l) => l.startsWith("token: "));
    if (!token) throw new Error(`unexpected output from phieu users add: ${made}`);
    this.adminToken = token.slice("token: ".length).trim();
  }
  private extra: string[];
  readonly dist: string;

  /** Starts a server; `dist` serves another copy of the built app. */
  static async start(extra: string[] = [], dist?: string): Promise<PhieuServer> {
    const s = new PhieuServer("127.0.0.1:0", extra, dist);
    await s.launch();
    return s;
  }

  /** Starts again with other options (same address and database). */
  async relaunch(extra: string[]): Promise<void> {
    await this.stop();
    this.extra = extra;
    await this.launch();
  }

  /** Starts (again) on the same address and database. */
  async launch(): Promise<void> {
    const shared = this.extra.some((a) => a.startsWith("--token"));
    const open = shared ? [] : ["--allow-anonymous"];
    const child = spawn(binary, ["serve", "--addr", this.addr, "--db", this.db, "--dist", this.dist, ...open, ...this.extra], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    this.child = child;
    const line: string = await new Promise((resolve, reject) => {
      const rl = readline.createInterface({ input: child.stdout! });
      rl.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`phieu serve exited with ${code}`)));
    });
    const url = line.split(/\s+/).find((w) => w.startsWith("http://"));
    if (!url) throw new Error(`unexpected first line from phieu serve: ${line}`);
    this.url = url;
    this.addr = url.replace("http://", "");
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    this.child = null;
  }

  /** The submissions the server holds, in arrival order (every page of the listing), read as the admin. */
  async submissions(extra: Record<string, string> = {}): Promise<any[]> {
    // A shared --token submits only; reading takes an office or admin account.
    const headers = { ...extra, Authorization: `Bearer ${this.adminToken}` };
    const out: any[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const res = await fetch(`${this.url}/api/submissions?limit=1000&order=oldest${query}`, { headers });
      if (!res.ok) throw new Error(`listing answered ${res.status}: ${await res.text()}`);
      const page = await res.json();
      out.push(...page.submissions.map((r: any) => r.submission));
      cursor = page.next;
    } while (cursor !== null);
    return out;
  }
}
