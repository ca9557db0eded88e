// A second, real HTTP server on another port that hosts form definitions, as
// an author's own site would (with CORS, so the app may read them). It can
// also play a captive portal: POSTs to /portal are redirected to a login page.
import http from "node:http";
import { AddressInfo } from "node:net";

export class FormHost {
  private server: http.Server | null = null;
  url = "";
  private port = 0;
  /** POSTs seen on /portal. */
  portalHits = 0;
  /** Requests received on /hook (a webhook): headers and body. */
  hooks: { headers: http.IncomingHttpHeaders; body: any }[] = [];
  /** Paths of the GETs received, in order. */
  gets: string[] = [];

  constructor(private files: Record<string, string>) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const p = (req.url || "/").split("?")[0];
      res.setHeader("Access-Control-Allow-Origin", "*");
      res.setHeader("Access-Control-Allow-Headers", req.headers["access-control-request-headers"] || "content-type");
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      if (req.method === "GET") this.gets.push(p);
      if (req.method === "OPTIONS") {
        res.writeHead(204).end();
        return;
      }
      if (p === "/portal") {
        this.portalHits++;
        res.writeHead(302, { Location: "/login" }).end();
        return;
      }
      if (p === "/hook" && req.method === "POST") {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          this.hooks.push({ headers: req.headers, body: JSON.parse(body) });
          res.writeHead(201, { "Content-Type": "application/json" }).end("{}");
        });
        return;
      }
      if (p === "/login") {
        res.writeHead(200, { "Content-Type": "text/html" }).end("<h1>Wi-Fi login</h1>");
        return;
      }
      const body = this.files[p];
      if (body === undefined) {
        res.writeHead(404).end("not found");
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" }).end(body);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  }
}

/** A one-question form with a required text, for tests about sending rather than filling. */
export const NOTE = {
  title: "Ghi chú",
  phieu: { id: "note", version: "1" },
  elements: [{ type: "text", name: "note", title: "Nội dung", isRequired: true }],
};
