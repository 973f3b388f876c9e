/**
 * The access key id of a SigV4 `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=AKID/20261202/us-east-1/dynamodb/aws4_request, SignedHeaders=…, Signature=…`);
 * undefined when the header is absent or not SigV4.
 */
export function accessKeyIdOf(authorization: string | string[] | undefined): string | undefined {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  return header ? SIGV4_CREDENTIAL.exec(header)?.[1] : undefined;
}

// The credential scope is <key id>/<yyyymmdd>/<region>/<service>/aws4_request.
const SIGV4_CREDENTIAL =
  /^AWS4-HMAC-SHA256\s+(?:.*[\s,])?Credential=([^/\s,]+)\/\d{8}\/[^/\s,]+\/[^/\s,]+\/aws4_request(?:[\s,]|$)/;
