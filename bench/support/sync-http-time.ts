// Time this process spends with an HTTP request to Intercom (the emulator) in flight, from
// undici's diagnostics channels and, for search pages read on the worker thread (whose undici
// this thread cannot see), the channels lib/intercom/decode-thread.ts publishes: from the main
// thread's request to the thread's answer, which for a page the thread read early is only what was
// left of that read. The scan reads ahead, so this time overlaps the time spent applying the
// previous page; the sum is how long requests took, not how long the sync waited for them.
import diagnostics from "node:diagnostics_channel";
import { threadRequestChannels } from "@/lib/intercom/decode-thread";

interface RequestMessage {
  request: object;
}

export function measureHttpTime(): { stop(): { ms: number; requests: number } } {
  const started = new WeakMap<object, number>();
  let ms = 0;
  let requests = 0;
  const onCreate = (msg: unknown) => started.set((msg as RequestMessage).request, performance.now());
  const onDone = (msg: unknown) => {
    const at = started.get((msg as RequestMessage).request);
    if (at === undefined) return;
    started.delete((msg as RequestMessage).request);
    ms += performance.now() - at;
    requests++;
  };
  diagnostics.subscribe("undici:request:create", onCreate);
  diagnostics.subscribe("undici:request:trailers", onDone);
  diagnostics.subscribe("undici:request:error", onDone);
  threadRequestChannels.create.subscribe(onCreate);
  threadRequestChannels.done.subscribe(onDone);
  return {
    stop() {
      diagnostics.unsubscribe("undici:request:create", onCreate);
      diagnostics.unsubscribe("undici:request:trailers", onDone);
      diagnostics.unsubscribe("undici:request:error", onDone);
      threadRequestChannels.create.unsubscribe(onCreate);
      threadRequestChannels.done.unsubscribe(onDone);
      return { ms, requests };
    },
  };
}
