// Accounts as an admin makes them (`phieu users add`), and the JSON API
// called with a bearer token: shared by the office's and the phone's tests.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { PhieuServer } from "./server";

const binary = process.env.PHIEU_BIN || path.join(__dirname, "../../target/debug/phieu");

export type Account = { id: string; token: string; link: string };

/** `phieu users add`; the printed lines, read back. */
export function addUser(server: PhieuServer, name: string, role: string, unit?: string): Account {
  const args = ["users", "add", "--db", server.db, "--name", name, "--role", role, "--url", server.url];
  const out = execFileSync(binary, unit ? [...args, "--unit", unit] : args, { encoding: "utf8" });
  const line = (prefix: string) => out.split("\n").find((l) => l.startsWith(prefix))?.slice(prefix.length).trim() ?? "";
  return { id: line("id:"), token: line("token:"), link: line("link:") };
}

export async function api(server: PhieuServer, token: string, method: string, route: string, body?: unknown) {
  const res = await fetch(server.url + route, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}
