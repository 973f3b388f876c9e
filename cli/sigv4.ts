import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";

/** SHA-256 (or HMAC-SHA-256 with a secret) in the shape SignatureV4 expects, on node:crypto. */
type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (data: Bytes): string | Buffer =>
  typeof data === "string"
    ? data
    : data instanceof ArrayBuffer
      ? Buffer.from(data)
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);

class Sha256 {
  private hash: Hash | Hmac;
  private readonly secret: string | Buffer | undefined;

  constructor(secret?: Bytes) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }

  update(data: Bytes): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }
}

/** The region of an API Gateway URL (https://<id>.execute-api.<region>.amazonaws.com), else AWS_REGION. */
function regionOf(url: URL): string {
  return (
    /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1] ??
    process.env.AWS_REGION ??
    "us-east-1"
  );
}

/**
 * Signs an admin API request with SigV4 for `execute-api`, using the standard AWS credential chain
 * (environment, profile, SSO, instance role) — how the CLI authenticates against a deployed stack.
 */
export async function signedHeaders(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({
    service: "execute-api",
    region: regionOf(target),
    credentials: defaultProvider(),
    sha256: Sha256,
  });
  const query: Record<string, string> = {};
  for (const [name, value] of target.searchParams) query[name] = value;
  const signed = await signer.sign({
    method,
    protocol: target.protocol,
    hostname: target.hostname,
    path: target.pathname,
    query,
    headers: { ...headers, host: target.host },
    ...(body === undefined ? {} : { body }),
  });
  return signed.headers as Record<string, string>;
}
