// Reading a search page off the main thread. A page of 150 contacts is about 300 KB of JSON:
// fetching, decoding and parsing it cost the event loop ~2 ms a page, in series with the database
// work (all of it on PGlite, whose engine runs on this thread) and with every other request the
// process serves. A worker thread does that work and hands back each contact reduced to the fields
// the caller reads, which costs the main thread ~0.2 ms a page to receive.
//
// A walk that reads ahead (searchContactPages) asks for page N+1 as soon as page N reaches it. Going
// through the main thread cost ~1.7 ms a page (two messages, and the event loop busy with the
// database) on top of the parse, in series on every page. So a walk's request may ask the thread to
// read the page after its own as soon as it has the cursor, and the walk's next request takes it.
// Only a walk's request (readNext) that is byte-identical (same URL, token, body and fields) takes a
// page read early, within the request timeout, and only a 2xx page: anything else is asked of
// Intercom again. The thread reads early only while page N's own rate-limit headers leave more than
// the reserve, so what it spends is covered by the reserve kept for requests in flight.
import diagnostics from "node:diagnostics_channel";
import { Worker } from "node:worker_threads";

/** What a caller reads of a contact besides its core fields: mapping attribute paths ("custom_attributes.plan", "location.city"). */
export interface ContactFields {
  attributes: string[];
}

interface ThreadRequest {
  id: number;
  url: string;
  init: { method: string; headers: Record<string, string>; body?: string };
  timeoutMs: number;
  keep: { custom: string[]; standard: string[] };
  /**
   * A walk's request: it may take a page read early, and the page after this one is read as soon as
   * its cursor is known while this answer leaves more than `reserve` requests in the window.
   */
  readNext: boolean;
  reserve: number;
}

type ThreadAnswer =
  | { id: number; status: number; statusText: string; headers: Array<[string, string]>; json: unknown }
  | { id: number; status: number; statusText: string; headers: Array<[string, string]>; text: string }
  | { id: number; failure: { timedOut: boolean; message: string } };

function keepFor(fields: ContactFields): ThreadRequest["keep"] {
  const custom = new Set<string>();
  const standard = new Set<string>();
  for (const path of fields.attributes) {
    if (path.startsWith("custom_attributes.")) custom.add(path.slice("custom_attributes.".length));
    else standard.add(path.split(".")[0]!);
  }
  return { custom: [...custom], standard: [...standard] };
}

/**
 * The worker's whole program, as source text (`eval`): a bundler or test runner would otherwise
 * rewrite a function's body with helpers of its own module, and a file beside this one would have
 * to be found and shipped at run time. It runs as a script, unless flags such as
 * --experimental-default-type=module make it a module, which has no require (Node 20.16+ has
 * getBuiltinModule for that; engines allow 20.9). Anything it cannot reduce (not JSON, not a list of
 * objects) goes back as text, for the client's own checks to reject exactly as they would have.
 */
const THREAD_SOURCE = String.raw`
const threads = typeof require === "function" ? require("node:worker_threads") : process.getBuiltinModule("node:worker_threads");
const { parentPort } = threads;
const CORE = ["type", "id", "workspace_id", "external_id", "role", "email", "name", "created_at", "updated_at"];
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function reduce(contact, keep) {
  if (!isObject(contact)) return contact;
  const out = {};
  for (const key of CORE) if (key in contact) out[key] = contact[key];
  for (const key of keep.standard) if (key in contact) out[key] = contact[key];
  const custom = contact.custom_attributes;
  if (isObject(custom)) {
    const kept = {};
    for (const key of keep.custom) if (key in custom) kept[key] = custom[key];
    out.custom_attributes = kept;
  } else if ("custom_attributes" in contact) {
    out.custom_attributes = custom;
  }
  return out;
}

async function answer(req) {
  try {
    const res = await fetch(req.url, { ...req.init, signal: AbortSignal.timeout(req.timeoutMs) });
    const text = await res.text();
    const head = { status: res.status, statusText: res.statusText, headers: [...res.headers] };
    let json;
    try {
      json = res.ok ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (isObject(json) && Array.isArray(json.data)) {
      const next = json.pages?.next?.starting_after;
      return { reply: { ...head, json: { ...json, data: json.data.map((c) => reduce(c, req.keep)) } }, next: typeof next === "string" && next ? next : undefined };
    }
    return { reply: { ...head, text } };
  } catch (err) {
    const timedOut = err?.name === "TimeoutError" || err?.name === "AbortError";
    return { reply: { failure: { timedOut, message: err?.cause?.message ?? err?.message ?? String(err) } } };
  }
}

// Pages read ahead, by the exact request that will ask for them. Few walks run at once in one
// process; a page nobody asks for in time is dropped.
const early = new Map();
const EARLY_MAX = 32;
const keyOf = (req, init) => [req.url, init.headers.Authorization ?? "", init.body ?? "", JSON.stringify(req.keep)].join("\n");

function roomLeft(reply, reserve) {
  const header = reply.headers?.find(([name]) => name === "x-ratelimit-remaining");
  const remaining = header ? Number(header[1]) : NaN;
  return Number.isFinite(remaining) && remaining - 1 > reserve;
}

function readEarly(req, cursor) {
  let body;
  try {
    body = JSON.parse(req.init.body);
  } catch {
    return;
  }
  if (!isObject(body)) return;
  body.pagination = { ...(isObject(body.pagination) ? body.pagination : {}), starting_after: cursor };
  const init = { ...req.init, body: JSON.stringify(body) };
  if (early.size >= EARLY_MAX) early.delete(early.keys().next().value);
  early.set(keyOf(req, init), { until: Date.now() + req.timeoutMs, answer: answer({ ...req, init }) });
}

// A failed early read (a 429 while the walk waited for the window, a 5xx, a timeout) says nothing
// about the walk's own request: that one goes to Intercom.
async function takeEarly(req) {
  const key = keyOf(req, req.init);
  const held = early.get(key);
  if (!held) return undefined;
  early.delete(key);
  const taken = await held.answer;
  return "json" in taken.reply ? taken : undefined;
}

parentPort.on("message", async (req) => {
  const now = Date.now();
  for (const [key, held] of early) if (held.until <= now) early.delete(key);
  const { reply, next } = (req.readNext ? await takeEarly(req) : undefined) ?? (await answer(req));
  if (req.readNext && next && roomLeft(reply, req.reserve)) readEarly(req, next);
  parentPort.postMessage({ id: req.id, ...reply });
});
`;

interface Thread {
  worker: Worker;
  source: string;
  pending: Map<number, (answer: ThreadAnswer) => void>;
  nextId: number;
}

// One thread per program, kept on globalThis: every route bundle's copy of this module shares it.
// A hot reload that changes the program starts another; an older one is ended once idle, so a run
// that started before the edit keeps its thread.
const threadsKey = Symbol.for("holdfast.intercom.decodeThreads");
const shared = globalThis as typeof globalThis & { [threadsKey]?: Map<string, Thread> };

function currentThread(): Thread {
  const threads = (shared[threadsKey] ??= new Map());
  const running = threads.get(THREAD_SOURCE);
  if (running) return running;
  for (const [source, old] of threads) {
    if (old.pending.size > 0) continue;
    threads.delete(source);
    void old.worker.terminate();
  }
  const started = startThread();
  threads.set(THREAD_SOURCE, started);
  return started;
}

// Like undici's request channels, which only see the requests of their own thread: a process can
// still time its requests to Intercom (bench:sync does). Publishing costs nothing unsubscribed.
export const threadRequestChannels = {
  create: diagnostics.channel("holdfast:decode-thread:request:create"),
  done: diagnostics.channel("holdfast:decode-thread:request:done"),
};

function startThread(): Thread {
  // No loader hooks (tsx, a test runner's) in the thread: it runs plain JavaScript.
  const worker = new Worker(THREAD_SOURCE, { eval: true, execArgv: [] });
  const started: Thread = { worker, source: THREAD_SOURCE, pending: new Map(), nextId: 0 };
  worker.on("message", (answer: ThreadAnswer) => {
    const settle = started.pending.get(answer.id);
    started.pending.delete(answer.id);
    if (started.pending.size === 0) worker.unref();
    settle?.(answer);
  });
  const stop = (why: string) => {
    if (shared[threadsKey]?.get(started.source) === started) shared[threadsKey].delete(started.source);
    for (const [id, settle] of started.pending) settle({ id, failure: { timedOut: false, message: why } });
    started.pending.clear();
  };
  worker.on("error", (err) => stop(`the page reader thread failed: ${err.message}`));
  worker.on("exit", (code) => stop(`the page reader thread stopped (exit code ${code})`));
  // Only requests in flight keep the process alive (ref'd in fetchOffThread).
  worker.unref();
  return started;
}

/** One HTTP request made by the worker thread; a JSON list answer comes back with its contacts reduced to what `keep` names. */
export function fetchOffThread(
  url: string,
  init: ThreadRequest["init"],
  timeoutMs: number,
  fields: ContactFields,
  walk: { readNext: boolean; reserve: number } = { readNext: false, reserve: 0 },
): Promise<ThreadAnswer> {
  const thread = currentThread();
  const { worker, pending } = thread;
  const id = ++thread.nextId;
  const request = { url };
  threadRequestChannels.create.publish({ request });
  return new Promise((resolve) => {
    pending.set(id, (answer) => {
      threadRequestChannels.done.publish({ request });
      resolve(answer);
    });
    worker.ref();
    worker.postMessage({ id, url, init, timeoutMs, keep: keepFor(fields), ...walk } satisfies ThreadRequest);
  });
}
