// Joins the BenchmarkDotNet JSON report with the Node baseline's JSON into one table per body size,
// with the ratio of each .NET variant's throughput to @line/bot-sdk's (ratio = Node ns/op / .NET ns/op), from the
// means and, less sensitive to other work on a shared machine, from the medians.
//   node benchmarks/compare.mjs <WebhookHotPathBenchmarks-report-full-compressed.json> <node-results.json>
import { readFileSync } from "node:fs";

const [bdnFile, nodeFile] = process.argv.slice(2);
if (!bdnFile || !nodeFile) {
  console.error("usage: node compare.mjs <bdn-report-full-compressed.json> <node-results.json>");
  process.exit(2);
}

const bdn = JSON.parse(readFileSync(bdnFile, "utf8"));
const node = JSON.parse(readFileSync(nodeFile, "utf8"));
const TARGET = 2;

const fmt = (ns) => (ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${(ns / 1000).toFixed(2)} µs`);
const bytes = (b) => (b === undefined ? "–" : b >= 10_240 ? `${(b / 1024).toFixed(1)} KB` : `${b} B`);

for (const n of [1, 10, 100]) {
  const baseline = node.results.find((r) => r.events === n && r.key === "string");
  const buffer = node.results.find((r) => r.events === n && r.key === "buffer");
  if (!baseline) continue;
  console.log(`\n### ${n} event(s), ${baseline.bytes} bytes`);
  console.log("| Variant | Mean | Median | StdDev | Allocated | vs Node (mean) | vs Node (median) |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  const rows = bdn.Benchmarks.filter((b) => b.Parameters === `Events=${n}`);
  for (const b of rows) {
    const { Mean: mean, Median: median, StandardDeviation: sd } = b.Statistics;
    const ratio = baseline.mean / mean;
    const ratioMedian = baseline.median / median;
    const verdict = b.Method === "HotPath" ? (Math.min(ratio, ratioMedian) >= TARGET ? " **target met**" : " **target NOT met**") : "";
    console.log(
      `| .NET ${b.MethodTitle.replace(/^'|'$/g, "")} | ${fmt(mean)} | ${fmt(median)} | ${fmt(sd)} | ${bytes(b.Memory?.BytesAllocatedPerOperation)} | ${ratio.toFixed(2)}× | ${ratioMedian.toFixed(2)}×${verdict} |`,
    );
  }
  for (const [r, title] of [[baseline, `Node @line/bot-sdk ${node.sdk}: validateSignature + JSON.parse (string body)`], [buffer, "Node, Buffer body, as the SDK middleware"]]) {
    if (r) {
      console.log(`| ${title} | ${fmt(r.mean)} | ${fmt(r.median)} | ${fmt(r.sd)} | – | ${(baseline.mean / r.mean).toFixed(2)}× | ${(baseline.median / r.median).toFixed(2)}× |`);
    }
  }
}
