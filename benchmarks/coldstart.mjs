// Cold start: the time from spawning a fresh process of the app to the 200 of the first signed LINE webhook, as LINE
// would see it after a scale-out. Started by benchmarks/coldstart.sh; usage:
//   node benchmarks/coldstart.mjs <command> [args...]      (RUNS=10 by default)
// The body is benchmarks/fixtures/webhook-1.json (one text message the app ignores, so no storage round trip), signed
// with the channel secret the child gets through its settings. Cosmos and LINE point at a local server that accepts
// connections and never answers: the start-up warm-up's probes then hang until their 5 s timeout, so a first answer well
// under 5 s shows that the warm-up does not hold the first webhook back.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node benchmarks/coldstart.mjs <command> [args...]');
  process.exit(2);
}

const runs = Number(process.env.RUNS ?? 10);
const secret = '3f4a1c9e8b7d6a5f0e2d4c6b8a9f1e3d';
const body = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'webhook-1.json'));
const signature = createHmac('sha256', secret).update(body).digest('base64');

const sockets = new Set();
const silent = createServer((socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
const silentUrl = `http://127.0.0.1:${silent.address().port}/`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function once(port) {
  const env = {
    ...process.env,
    ASPNETCORE_URLS: `http://127.0.0.1:${port}`,
    DOTNET_ENVIRONMENT: 'Production',
    Line__ChannelId: '1234567890',
    Line__ChannelSecret: secret,
    Line__ApiBaseUrl: silentUrl,
    Cosmos__ConnectionString: `AccountEndpoint=${silentUrl};AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==`,
    Cosmos__DatabaseName: 'linking',
    Linking__PublicBaseUrl: 'https://link.example.com/',
    Linking__ServiceLinkPageUrl: 'https://service.example.com/line/link',
    Auth__Mode: 'AppService',
    Auth__LoginProvider: 'aad',
    WEBSITE_AUTH_ENABLED: 'True', // App Service Authentication, as the deployed app has
  };
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  let exited = false;
  child.on('exit', () => { exited = true; });
  try {
    for (;;) {
      if (exited) throw new Error(`the app exited before answering: ${stderr.slice(0, 2000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/line/webhook`, {
          method: 'POST', body, headers: { 'content-type': 'application/json', 'x-line-signature': signature },
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`first webhook answered ${res.status}`);
        return performance.now() - started;
      } catch (e) {
        if (e.message.startsWith('first webhook')) throw e;
        await sleep(2); // not listening yet
      }
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => (exited ? resolve() : child.on('exit', resolve)));
  }
}

const times = [];
for (let i = 0; i < runs; i++) {
  times.push(await once(5300 + i));
}
for (const s of sockets) s.destroy();
silent.close();
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor((sorted.length - 1) / 2)];
console.log(`runs: ${runs}  ms: ${times.map((t) => t.toFixed(0)).join(' ')}`);
console.log(`median ${median.toFixed(0)} ms  min ${sorted[0].toFixed(0)} ms  max ${sorted.at(-1).toFixed(0)} ms`);
