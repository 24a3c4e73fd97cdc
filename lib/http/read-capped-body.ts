export type CappedBody = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413; error: string };

/**
 * Reads a request body once, as bytes (a signature covers the bytes, not a re-encoding), and
 * stops reading as soon as it passes `maxBytes`, whatever Content-Length claimed. Every public
 * endpoint reads through here: a client that aborts mid-upload makes the stream throw, and that
 * is the client's fault (400), not ours (500).
 */
export async function readCappedBody(req: Request, maxBytes: number): Promise<CappedBody> {
  const tooLarge = { ok: false, status: 413, error: `Request body is larger than ${formatBytes(maxBytes)}.` } as const;
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) return tooLarge;
  if (!req.body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return tooLarge;
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, status: 400, error: "Request body could not be read (the upload was cut off)." };
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}
