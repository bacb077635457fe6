#!/usr/bin/env node
/*
 * Local Cosmos DB (SQL API) test server for LinkFunctions.
 *
 * Runs the pinned npm package @vercel/cosmosdb-server (in-memory, no
 * persistence) over plain HTTP with keep-alive on 127.0.0.1, after patching a
 * few of its handlers so the Microsoft.Azure.Cosmos .NET SDK (Gateway mode,
 * LimitToEndpoint = true) gets the answers it expects. See README.md.
 *
 * Usage: node server.js [--port 8081] [--verbose]
 *   COSMOS_PORT sets the default port; COSMOS_TTL_SWEEP_MS the sweep interval.
 *
 * Every patch must be installed before the package's lib/routes.js is loaded:
 * routes.js copies the handler functions into its table when it is required.
 */
"use strict";

const PKG = "@vercel/cosmosdb-server/lib";
const HOST = "127.0.0.1";

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const args = {
    port: parseInt(process.env.COSMOS_PORT || "8081", 10),
    verbose: false
  };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === "-p" || a === "--port") args.port = parseInt(argv[(i += 1)], 10);
    else if (a.startsWith("--port=")) args.port = parseInt(a.slice(7), 10);
    else if (a === "-v" || a === "--verbose") args.verbose = true;
    else if (a === "-h" || a === "--help") {
      console.log("Usage: node server.js [--port N] [--verbose]");
      process.exit(0);
    } else {
      console.error(`unknown argument: ${a}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    console.error("invalid --port");
    process.exit(2);
  }
  return args;
}
const args = parseArgs(process.argv.slice(2));

if (require.cache[require.resolve(`${PKG}/routes`)]) {
  throw new Error("cosmosdb-server routes were loaded before the patches");
}

const Items = require(`${PKG}/account/items`).default;
const Documents = require(`${PKG}/account/documents`).default;
const getValue = require(`${PKG}/utils/get-value`).default;
const partitionHeader = require(`${PKG}/utils/get-partition-from-header`);
const readJson = require(`${PKG}/json`).default;
const readItems = require(`${PKG}/handler/_read-items`).default;
const trueHeader = require(`${PKG}/true-header`).default;
const cosmosQuery = require("@zeit/cosmosdb-query");

const NOT_FOUND = "Entity with the specified id does not exist in the system.";

function notFound(res, message = NOT_FOUND, subStatus) {
  res.statusCode = 404;
  if (subStatus) res.setHeader("x-ms-substatus", String(subStatus));
  return { code: "NotFound", message };
}

// ------------------------------------------------------------ 1. account URL
// The package advertises https://host:port/ as the account's read/write
// locations; we serve plain HTTP, so advertise http:// (matters only to
// clients that do not set LimitToEndpoint).
{
  const accountModule = require(`${PKG}/account`);
  const Account = accountModule.default;
  accountModule.default = class HttpAccount extends Account {
    constructor(host, port) {
      super(host, port);
      const data = this.read();
      const url = `http://${host}:${port}/`;
      data.writableLocations.forEach(l => { l.databaseAccountEndpoint = url; });
      data.readableLocations.forEach(l => { l.databaseAccountEndpoint = url; });
    }
  };
}

// --------------------------------------------------------------------- 2. TTL
// The package stores `ttl` / `defaultTimeToLive` but never expires anything.
// Cosmos semantics: TTL is off unless the container has defaultTimeToLive
// (-1 = on, items live forever unless they carry their own ttl; n > 0 = items
// expire n s after their last write). An item's own ttl overrides the default
// (-1 = never); with TTL off on the container, item ttl is ignored.
// Expired documents are removed when they are looked up (point operations,
// unique-key checks, queries, read feed) and by a periodic sweep.
const writtenAtMs = new WeakMap(); // doc -> Date.now() at write (_ts is whole seconds)
const trackedDocuments = new Set(); // WeakRef<Documents> for the periodic sweep
const tracked = new WeakSet();

function expiresAtMs(documents, doc) {
  const coll = documents._parent.read();
  if (!coll) return Infinity;
  // REST (and so the .NET SDK) names it defaultTtl.
  const dttl = coll.defaultTtl !== undefined ? coll.defaultTtl : coll.defaultTimeToLive;
  if (dttl === undefined || dttl === null) return Infinity;
  const ttl = doc.ttl !== undefined && doc.ttl !== null ? doc.ttl : dttl;
  if (typeof ttl !== "number" || ttl <= 0) return Infinity;
  const base = writtenAtMs.get(doc) || doc._ts * 1000;
  return base + ttl * 1000;
}

// Same bookkeeping as Items.delete, without its _item() lookup (which would
// recurse into the patched _item below).
function purge(documents, doc) {
  const partition = documents._getPartition(doc);
  documents._uniqueKeyPaths.forEach(keyPath => {
    const value = getValue(keyPath.slice(1).split("/"), doc);
    documents._index.delete(documents._getId(keyPath, value, partition));
  });
  documents._data.delete(doc._rid);
}

function sweep(documents) {
  const now = Date.now();
  documents._data.forEach(item => {
    const doc = item.read();
    if (doc && expiresAtMs(documents, doc) <= now) purge(documents, doc);
  });
}

Documents.prototype._set = function _set(data) {
  writtenAtMs.set(data, Date.now());
  if (!tracked.has(this)) {
    tracked.add(this);
    trackedDocuments.add(new WeakRef(this));
  }
  return Items.prototype._set.call(this, data);
};

Documents.prototype._item = function _item(keyPath, keyPathValue, partition) {
  const item = Items.prototype._item.call(this, keyPath, keyPathValue, partition);
  const doc = item.read();
  if (doc && expiresAtMs(this, doc) <= Date.now()) {
    purge(this, doc);
    return this._newItem();
  }
  return item;
};

Documents.prototype.query = function query(...a) {
  sweep(this);
  return Items.prototype.query.apply(this, a);
};

Documents.prototype.read = function read(...a) {
  sweep(this);
  return Items.prototype.read.apply(this, a);
};

const sweepMs = parseInt(process.env.COSMOS_TTL_SWEEP_MS || "5000", 10);
setInterval(() => {
  trackedDocuments.forEach(ref => {
    const documents = ref.deref();
    if (documents) sweep(documents);
    else trackedDocuments.delete(ref);
  });
}, sweepMs > 0 ? sweepMs : 5000).unref();

// ----------------------------------------------------- 3. document handlers
function patchHandler(name, makeHandler) {
  const mod = require(`${PKG}/handler/${name}`);
  mod.default = makeHandler(mod.default);
}

// Missing container: the package crashes (500) creating/upserting into it;
// Cosmos answers 404 with sub-status 1003 (owner resource does not exist).
// A missing or unparsable partition-key header makes the package throw (500);
// Cosmos answers 400.
// A 404 from the package has an empty body; give it Cosmos' code/message.
function commonDocumentChecks(handler) {
  return async (account, req, res, params) => {
    if (!account.database(params.dbId).collection(params.collId).read()) {
      return notFound(res, "Owner resource does not exist", 1003);
    }
    let body;
    try {
      body = await handler(account, req, res, params);
    } catch (err) {
      if (/^Failed to parse x-ms-documentdb-partitionkey/.test(err.message)) {
        res.statusCode = 400;
        return { code: "BadRequest", message: err.message };
      }
      throw err;
    }
    if (res.statusCode === 404 && (!body || !body.code)) return notFound(res);
    return body;
  };
}

function lookupDocument(account, req, { dbId, collId, docId }) {
  const pk = partitionHeader.parsePartitionKey(partitionHeader.default(req), docId);
  return account.database(dbId).collection(collId).document(docId, pk).read();
}

// ReadItem of a missing id (never written, wrong partition key, deleted,
// expired): the package dereferences the missing document and answers 500
// "Cannot read properties of undefined"; the .NET SDK needs 404 NotFound.
patchHandler("read-document", original => commonDocumentChecks(
  async (account, req, res, params) => {
    if (!lookupDocument(account, req, params)) return notFound(res);
    return original(account, req, res, params);
  }
));

[
  "create-document",
  "upsert-document",
  "replace-document",
  "delete-document",
  "patch-document",
  "read-documents"
].forEach(name => patchHandler(name, commonDocumentChecks));

// The .NET SDK sends TransactionalBatch / bulk bodies in the binary HybridRow
// format; the package only reads JSON and would answer 500 (JSON.parse).
// Say plainly that it is unsupported (400) instead.
patchHandler("batch-documents", original => commonDocumentChecks(
  async (account, req, res, params) => {
    try {
      return await original(account, req, res, params);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      res.statusCode = 400;
      return {
        code: "BadRequest",
        message: "TransactionalBatch/bulk (HybridRow body) is not supported by the local Cosmos test server"
      };
    }
  }
));

// ---------------------------------------------------------------- 4. queries
// (a) The .NET SDK (no native query engine on Linux) first POSTs the query
//     with x-ms-cosmos-is-query-plan-request: True; the package would run it
//     as a query and the SDK would fail to parse the result as a plan.
//     Answer with a pass-through plan over the whole (single) partition-key
//     range: the server itself then runs ORDER BY / TOP / aggregates.
// (b) The package ignores x-ms-documentdb-partitionkey on queries and returns
//     documents from every partition (or 400s when the SQL text does not name
//     the partition key); filter by the header instead.
const QUERY_PLAN = JSON.stringify({
  partitionedQueryExecutionInfoVersion: 2,
  queryInfo: {
    distinctType: "None",
    top: null,
    offset: null,
    limit: null,
    orderBy: [],
    orderByExpressions: [],
    groupByExpressions: [],
    groupByAliases: [],
    aggregates: [],
    groupByAliasToAggregateType: {},
    rewrittenQuery: "",
    hasSelectValue: false,
    dCountInfo: null,
    hasNonStreamingOrderBy: false
  },
  queryRanges: [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]
});

function queryPartitionKey(req) {
  const raw = partitionHeader.default(req);
  if (!raw) return undefined;
  let parsed;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    return undefined;
  }
  if (Array.isArray(parsed)) parsed = parsed[0];
  if (parsed === undefined || (parsed !== null && typeof parsed === "object")) {
    return undefined; // [] or [{}] = PartitionKey.None / not given
  }
  return parsed;
}

patchHandler("query-documents", original => commonDocumentChecks(
  async (account, req, res, params) => {
    if (trueHeader(req, "x-ms-cosmos-is-query-plan-request")) {
      await readJson(req);
      return JSON.parse(QUERY_PLAN);
    }
    const pk = queryPartitionKey(req);
    if (pk === undefined) return original(account, req, res, params);

    return readItems(req, res, "Documents", async ({ continuation, maxItemCount }) => {
      const body = await readJson(req);
      if (!body.query) {
        res.statusCode = 400;
        return { message: "missing query" };
      }
      const documents = account.database(params.dbId).collection(params.collId).documents;
      sweep(documents);
      const inPartition = new Map();
      documents._data.forEach((item, rid) => {
        if (documents._getPartition(item.read()) === pk) inPartition.set(rid, item);
      });
      // Run the package's own query code over this partition's documents only.
      const view = Object.create(documents, { _data: { value: inPartition } });
      try {
        return Items.prototype.query.call(view, body, { continuation, maxItemCount });
      } catch (err) {
        if (err.badRequest || err instanceof cosmosQuery.SyntaxError) {
          res.statusCode = 400;
          return { code: "BadRequest", message: err.message };
        }
        throw err;
      }
    });
  }
));

// ------------------------------------------------------------------ listen
const { createHttpServer } = require(PKG);

// keepAlive: the package's CLI answers `connection: close` on every response,
// which makes each SDK call open a new TCP connection (3-4x slower).
const server = createHttpServer({ keepAlive: true });
// Outlive the SDK's idle pooled connections so a reused socket is never
// closed under an in-flight request.
server.keepAliveTimeout = 10 * 60 * 1000;
server.headersTimeout = server.keepAliveTimeout + 1000;

if (args.verbose) {
  server.prependListener("request", (req, res) => {
    const start = Date.now();
    res.on("finish", () => {
      console.log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - start}ms`);
    });
  });
}

server.on("error", err => {
  console.error(`cosmos server error: ${err.message}`);
  process.exit(1);
});

server.listen(args.port, HOST, () => {
  const { port } = server.address();
  console.log(`Ready at http://${HOST}:${port}`);
});

const shutdown = () => {
  server.close();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
