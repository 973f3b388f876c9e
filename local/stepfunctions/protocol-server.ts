import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { z } from "zod";
import type { Gate } from "../gate-proxy";
import { SfnApiError } from "./errors";
import { ExecutionStatusSchema } from "./records";
import type { LocalStepFunctions } from "./service";

const TARGET_PREFIX = "AWSStepFunctions.";
const CONTENT_TYPE = "application/x-amz-json-1.0";
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const token = z.string().min(1).max(2048);
const page = { maxResults: z.number().int().min(0).max(1000).optional(), nextToken: z.string().optional() };

/** The operations served, each with the schema of its request. */
const OPERATIONS = {
  StartExecution: {
    schema: z.object({
      stateMachineArn: z.string(),
      name: z.string().optional(),
      input: z.string().optional(),
    }),
    run: (s: LocalStepFunctions, r: { stateMachineArn: string; name?: string; input?: string }) =>
      s.startExecution(r),
  },
  DescribeExecution: {
    schema: z.object({ executionArn: z.string() }),
    run: (s: LocalStepFunctions, r: { executionArn: string }) => s.describeExecution(r.executionArn),
  },
  ListExecutions: {
    schema: z.object({
      stateMachineArn: z.string(),
      statusFilter: ExecutionStatusSchema.optional(),
      ...page,
    }),
    run: (s: LocalStepFunctions, r: Parameters<LocalStepFunctions["listExecutions"]>[0]) =>
      s.listExecutions(r),
  },
  GetExecutionHistory: {
    schema: z.object({ executionArn: z.string(), reverseOrder: z.boolean().optional(), ...page }),
    run: (s: LocalStepFunctions, r: Parameters<LocalStepFunctions["getExecutionHistory"]>[0]) =>
      s.getExecutionHistory(r),
  },
  StopExecution: {
    schema: z.object({
      executionArn: z.string(),
      error: z.string().optional(),
      cause: z.string().optional(),
    }),
    run: (s: LocalStepFunctions, r: Parameters<LocalStepFunctions["stopExecution"]>[0]) => s.stopExecution(r),
  },
  RedriveExecution: {
    schema: z.object({ executionArn: z.string(), clientToken: z.string().optional() }),
    run: (s: LocalStepFunctions, r: { executionArn: string }) => s.redriveExecution(r),
  },
  SendTaskSuccess: {
    schema: z.object({ taskToken: token, output: z.string() }),
    run: async (s: LocalStepFunctions, r: { taskToken: string; output: string }) => {
      await s.sendTaskSuccess(r);
      return {};
    },
  },
  SendTaskFailure: {
    schema: z.object({ taskToken: token, error: z.string().optional(), cause: z.string().optional() }),
    run: async (s: LocalStepFunctions, r: { taskToken: string; error?: string; cause?: string }) => {
      await s.sendTaskFailure(r);
      return {};
    },
  },
  SendTaskHeartbeat: {
    schema: z.object({ taskToken: token }),
    run: async (s: LocalStepFunctions, r: { taskToken: string }) => {
      await s.sendTaskHeartbeat(r);
      return {};
    },
  },
  ListStateMachines: {
    schema: z.object(page),
    run: (s: LocalStepFunctions, r: { maxResults?: number; nextToken?: string }) => s.listStateMachines(r),
  },
  DescribeStateMachine: {
    schema: z.object({ stateMachineArn: z.string() }),
    run: (s: LocalStepFunctions, r: { stateMachineArn: string }) => s.describeStateMachine(r.stateMachineArn),
  },
} as const;

type Operation = {
  schema: z.ZodType;
  run: (service: LocalStepFunctions, request: never) => Promise<unknown>;
};

/**
 * The Step Functions AWS JSON 1.0 protocol: POST with `X-Amz-Target: AWSStepFunctions.<Operation>`; errors are
 * HTTP 400 `{ "__type": "<ErrorName>", "message": "…" }`, which the SDK turns into named exceptions; dates are
 * epoch seconds.
 */
export function createProtocolServer(
  service: LocalStepFunctions,
  log: (line: string) => void,
  gate?: Gate,
): Server {
  return createServer((req, res) => {
    handle(service, req, res, gate).catch((error: unknown) => {
      log(`request failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, 500, { __type: "InternalFailure", message: "internal error" });
    });
  });
}

async function handle(
  service: LocalStepFunctions,
  req: IncomingMessage,
  res: ServerResponse,
  gate: Gate | undefined,
): Promise<void> {
  const target = String(req.headers["x-amz-target"] ?? "");
  const body = await readBody(req);
  if (req.method !== "POST" || !target.startsWith(TARGET_PREFIX)) {
    return send(res, 400, {
      __type: "UnknownOperationException",
      message: `Unknown operation: ${target || "(none)"}`,
    });
  }
  const name = target.slice(TARGET_PREFIX.length);
  const operation = (OPERATIONS as Record<string, Operation>)[name];
  if (!operation || !Object.hasOwn(OPERATIONS, name)) {
    return send(res, 400, { __type: "UnknownOperationException", message: `Unknown operation: ${name}` });
  }
  // Authorization (IAM) comes before validation, as in AWS.
  const answer = gate?.({ method: req.method, url: req.url ?? "/", headers: req.headers, body });
  if (answer) {
    res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.body) });
    res.end(answer.body);
    return;
  }
  let json: unknown;
  try {
    json = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    return send(res, 400, { __type: "SerializationException", message: "request body is not JSON" });
  }
  const parsed = operation.schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "body"}: ${issue.message}`,
    );
    return send(res, 400, { __type: "ValidationException", message: problems.join("; ") });
  }
  try {
    send(res, 200, await operation.run(service, parsed.data as never));
  } catch (error) {
    if (error instanceof SfnApiError) return send(res, 400, { __type: error.type, message: error.message });
    throw error;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, function replacer(this: Record<string, unknown>, key, value) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });
  res.writeHead(status, {
    "content-type": CONTENT_TYPE,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
