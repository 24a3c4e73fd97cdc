import type { LookupAddress, LookupOptions } from "node:dns";
import { describe, expect, it } from "vitest";
import { checkedLookup, RefusedDestinationError, type ResolveHost } from "./webhook-destination";

/** What net.connect receives from the lookup hook: the addresses it will connect to, or the refusal. */
function connectTargets(resolve: ResolveHost, options: LookupOptions) {
  return new Promise<{ err: Error | null; address: string | LookupAddress[]; family?: number }>((done) =>
    checkedLookup(resolve)("hooks.example.test", options, (err, address, family) => done({ err, address, family })),
  );
}

const answer = (...addresses: string[]): ResolveHost => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("checkedLookup (the send-time lookup hook)", () => {
  it("hands the socket exactly the public addresses it resolved and checked", async () => {
    const resolve = answer("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c");
    expect(await connectTargets(resolve, { all: true })).toMatchObject({
      err: null,
      address: [
        { address: "93.184.215.14", family: 4 },
        { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
      ],
    });
    expect(await connectTargets(resolve, { family: 6 })).toEqual({ err: null, address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 });
  });

  it("refuses the whole name when any address it resolves to is internal", async () => {
    for (const resolve of [answer("127.0.0.1"), answer("93.184.215.14", "10.0.0.7"), answer("::ffff:169.254.169.254"), answer()]) {
      const { err } = await connectTargets(resolve, { all: true });
      expect(err).toBeInstanceOf(RefusedDestinationError);
    }
  });

  it("passes a failed lookup on as a connection failure", async () => {
    const notFound = Object.assign(new Error("getaddrinfo ENOTFOUND hooks.example.test"), { code: "ENOTFOUND" });
    const { err } = await connectTargets(async () => Promise.reject(notFound), {});
    expect(err).toBe(notFound);
  });
});
