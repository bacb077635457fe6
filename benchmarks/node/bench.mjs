// Node.js baseline for the webhook hot path: what LINE's official SDK does per request,
// validateSignature(body, secret, signature) + JSON.parse(body), over the same fixtures as the .NET benchmarks.
//   npm ci --prefix benchmarks/node && node benchmarks/node/bench.mjs
// Options (env): BENCH_ITERATIONS (default 10), BENCH_ITERATION_MS (default 250), BENCH_WARMUP_MS (default 1000).
// --json FILE also writes the results as JSON (benchmarks/compare.mjs reads it).
import { createHmac } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { validateSignature } from "@line/bot-sdk";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 10);
const iterationMs = Number(process.env.BENCH_ITERATION_MS ?? 250);
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 1000);

// The same channel secret as the .NET benchmarks (a LINE channel secret is 32 hex characters).
const SECRET = "3f4a1c9e8b7d6a5f0e2d4c6b8a9f1e3d";

function repoRoot() {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "LinkFunctions.slnx"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("LinkFunctions.slnx not found above " + import.meta.url);
    dir = parent;
  }
  return dir;
}

let sink = 0; // consumed results, so that nothing is optimised away

const variants = [
  {
    // The baseline as the design states it: the body as a string, as most handlers hold it.
    key: "string",
    name: "validateSignature + JSON.parse (string body)",
    make: (c) => () => {
      if (!validateSignature(c.text, SECRET, c.signature)) throw new Error("signature mismatch");
      sink += JSON.parse(c.text).events.length;
    },
  },
  {
    // What the SDK middleware does with a raw body: HMAC over the Buffer, then decode and parse.
    key: "buffer",
    name: "validateSignature + JSON.parse (Buffer body, as the middleware)",
    make: (c) => () => {
      if (!validateSignature(c.bytes, SECRET, c.signature)) throw new Error("signature mismatch");
      sink += JSON.parse(c.bytes.toString("utf8")).events.length;
    },
  },
];

function runFor(fn, ms) {
  const deadline = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  let ops = 0;
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 100; i++) fn();
    ops += 100;
  }
  return ops;
}

function measure(fn) {
  // Warmup, which also calibrates how many operations fill one timed iteration.
  const warmOps = runFor(fn, warmupMs);
  const opsPerIteration = Math.max(100, Math.round((warmOps / warmupMs) * iterationMs));
  const samples = [];
  for (let it = 0; it < iterations; it++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < opsPerIteration; i++) fn();
    const elapsed = process.hrtime.bigint() - start;
    samples.push(Number(elapsed) / opsPerIteration);
  }
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, samples.length - 1));
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { mean, median, sd, min: sorted[0], opsPerIteration };
}

const jsonAt = process.argv.indexOf("--json");
const jsonFile = jsonAt >= 0 ? process.argv[jsonAt + 1] : undefined;

const root = repoRoot();
const sdkVersion = JSON.parse(readFileSync(join(root, "benchmarks/node/node_modules/@line/bot-sdk/package.json"), "utf8")).version;
console.log(`Node ${process.version}, @line/bot-sdk ${sdkVersion}, ${os.cpus().length} CPU(s): ${os.cpus()[0]?.model ?? "?"}`);
console.log(`${iterations} timed iterations of ~${iterationMs} ms after ${warmupMs} ms warmup, per body size and variant`);
console.log();

const results = [];
for (const n of [1, 10, 100]) {
  const text = readFileSync(join(root, `benchmarks/fixtures/webhook-${n}.json`), "utf8");
  const bytes = Buffer.from(text, "utf8");
  const signature = createHmac("sha256", SECRET).update(bytes).digest("base64");
  const c = { text, bytes, signature };
  for (const { key, name, make } of variants) {
    const r = measure(make(c));
    results.push({ events: n, bytes: bytes.length, key, variant: name, ...r });
  }
}

const pad = (s, w) => String(s).padStart(w);
console.log(`${"Events".padEnd(6)} ${pad("Bytes", 6)}  ${"Variant".padEnd(66)} ${pad("Mean ns/op", 12)} ${pad("Median", 9)} ${pad("StdDev", 9)} ${pad("Min ns/op", 11)} ${pad("ops/s", 10)}`);
for (const r of results) {
  console.log(
    `${String(r.events).padEnd(6)} ${pad(r.bytes, 6)}  ${r.variant.padEnd(66)} ${pad(r.mean.toFixed(0), 12)} ${pad(r.median.toFixed(0), 9)} ${pad(r.sd.toFixed(0), 9)} ${pad(r.min.toFixed(0), 11)} ${pad(Math.round(1e9 / r.mean), 10)}`,
  );
}
if (sink === 0) console.log("(sink empty)");
if (jsonFile) {
  writeFileSync(jsonFile, JSON.stringify({ node: process.version, sdk: sdkVersion, iterations, iterationMs, warmupMs, results }, null, 2));
}
