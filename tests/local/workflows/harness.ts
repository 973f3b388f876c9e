import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { RoundSchema } from "../../../functions/requests";
import { STATE_MACHINE_NAME_PREFIX } from "../../../infra/constructs/workflows";
import type { LocalNaming, LocalStateMachineSpec } from "../../../local/cfn";
import { LocalClock } from "../../../local/clock";
import {
  type ExecutionDescription,
  type HistoryEventOut,
  LocalStepFunctions,
} from "../../../local/stepfunctions";
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_STACK_NAME,
  type LocalFunctionSpec,
  synthesizeForLocal,
} from "../../../local/synth";
import { formation } from "../../../workflows/formation";
import { DAY_MS, MINUTE_MS } from "../stepfunctions/harness";

export { eventsOf } from "../stepfunctions/harness";

/*
 * Workflow paths tier: the formation state machine synthesized from the real stack runs on the local Step
 * Functions service with stub handlers and the local clock, and tests read the path from the execution history.
 * No DynamoDB, no mail: a path test says which states run for which answers, nothing about what they store.
 */

// ---- The stub table: the one place that knows handler files, payload shapes and return shapes. ----
// When a handler file is renamed or a payload changes, only this section changes.

/** Request kinds the formation asks partners for (a request's `kind`). */
export const RequestKinds = { interestMap: "interest-map", charterApproval: "charter-approval" } as const;
export type RequestKind = (typeof RequestKinds)[keyof typeof RequestKinds];

/** A formation as the stubs play it, in the alliance's terms. */
export interface Scenario {
  /** Whether the charter passes the audit. @default true */
  auditPasses?: boolean;
  /** @default "full" */
  mode?: "full" | "light-touch";
  /** @default three partners */
  partners?: string[];
  /** What the approval round's tally says. @default "approved" */
  outcome?: "approved" | "rejected";
  /** Partners that never answer a request of that kind. @default none */
  silent?: { partnerId: string; kind: RequestKind }[];
  /** How long a partner has to answer a request. @default 14 */
  deadlineDays?: number;
}

type Played = Required<Scenario>;

const DEFAULT_SCENARIO: Played = {
  auditPasses: true,
  mode: "full",
  partners: ["acme", "globex", "initech"],
  outcome: "approved",
  silent: [],
  deadlineDays: 14,
};

/** The formation execution's input. */
function formationInput(allianceId: string) {
  return { allianceId, version: 1 };
}

/** What a stub call was about, read from its payload, for assertions. */
export interface CallAbout {
  partnerId?: string;
  kind?: string;
}

/** The payload field that carries a waitForTaskToken task's token (found at any depth of the payload). */
const TASK_TOKEN_FIELD = "taskToken";

interface Stub {
  /** The handler's repo-relative entry, as the stack's function metadata names it. */
  readonly entry: string;
  /** What the Lambda returns (for a waitForTaskToken task: what it returns before the callback). */
  readonly result: (payload: unknown, scenario: Played) => unknown;
  /** A waitForTaskToken task's answer (sent with SendTaskSuccess); undefined: the partner stays silent. */
  readonly answer?: (payload: unknown, scenario: Played) => unknown;
  readonly about?: (payload: unknown) => CallAbout;
}

const partnerRequest = (payload: unknown): CallAbout => ({
  partnerId: stringField(isRecord(payload) ? payload.recipient : undefined, "partnerId"),
  kind: stringField(payload, "kind"),
});

const STUBS = {
  prepare: {
    entry: "functions/handlers/formation-prepare.ts",
    result: (_payload, s) => ({
      ok: s.auditPasses,
      mode: s.mode,
      // Parsed by the engine's own schema, so the stub cannot drift from what the real prepare returns.
      round: RoundSchema.parse({
        instance: "formation-v0001",
        charterVersion: 1,
        deadlineSeconds: (s.deadlineDays * DAY_MS) / 1000,
        remindBeforeSeconds: 0,
        recipients: s.partners.map((partnerId) => ({ who: "lead", partnerId })),
      }),
    }),
  },
  request: {
    entry: "functions/handlers/request-open.ts",
    about: partnerRequest,
    result: () => ({ requested: true }),
    answer: (payload, s) => {
      const { partnerId, kind } = partnerRequest(payload);
      if (s.silent.some((q) => q.partnerId === partnerId && q.kind === kind)) return undefined;
      // As the partner page resumes the workflow; the Map discards it (the tally reads the store).
      return kind === RequestKinds.charterApproval
        ? { partnerId, kind, vote: s.outcome === "approved" ? "approve" : "reject" }
        : { partnerId, kind, interestMap: { explicit: [], implicit: [], cannotAffordToLose: [] } };
    },
  },
  missed: {
    entry: "functions/handlers/request-missed.ts",
    about: partnerRequest,
    result: (payload) => {
      const { partnerId, kind } = partnerRequest(payload);
      return {
        respondent: partnerId,
        partnerId,
        missed: true,
        countedAs: kind === RequestKinds.charterApproval ? "abstain" : "not provided",
      };
    },
  },
  tally: {
    entry: "functions/handlers/formation-tally.ts",
    result: (_payload, s) => ({ outcome: s.outcome, reason: `stub tally: ${s.outcome}`, comments: [] }),
  },
  activate: {
    entry: "functions/handlers/formation-activate.ts",
    result: () => ({ status: "ACTIVE", nextReviewAt: "2030-01-01T00:00:00.000Z" }),
  },
  returnToDraft: {
    entry: "functions/handlers/formation-return-to-draft.ts",
    result: () => ({ status: "DRAFT" }),
  },
} satisfies Record<string, Stub>;

// ---- end of the stub table ----

/** A stub, by its name in the stub table. */
export type StubName = keyof typeof STUBS;

/** One invocation of a stub. */
export interface StubCall {
  stub: StubName;
  about: CallAbout;
  payload: unknown;
  /** A waitForTaskToken call whose answer SendTaskSuccess accepted. */
  answered: boolean;
}

/** The stub table and the stack disagree: a handler was renamed, added or removed. */
export class StubTableError extends Error {
  constructor(message: string) {
    super(`${message} (update the stub table in tests/local/workflows/harness.ts)`);
    this.name = "StubTableError";
  }
}

/** What the tests share from one synthesis of the real stack. */
export interface FormationAssembly {
  naming: LocalNaming;
  stateMachine: LocalStateMachineSpec;
  /** The stub behind each function name and ARN the formation definition uses. */
  stubsByFunction: ReadonlyMap<string, StubName>;
}

const REGION = "us-east-1";

/**
 * Synthesizes the real stack (slow: once per file) and checks the stub table against it: every function the
 * formation definition invokes has a stub, and every stub's entry is still a function of the stack.
 */
export async function synthesizeFormation(): Promise<FormationAssembly> {
  const assembly = await synthesizeForLocal({ region: REGION });
  const machineName = `${STATE_MACHINE_NAME_PREFIX}${formation.id}`;
  const stateMachine = assembly.stateMachines.find((machine) => machine.name === machineName);
  if (!stateMachine) throw new Error(`the synthesized stack has no state machine ${machineName}`);

  const stubByEntry = new Map<string, StubName>(
    (Object.entries(STUBS) as [StubName, Stub][]).map(([name, stub]) => [stub.entry, name]),
  );
  const entries = new Set(assembly.functions.map((fn) => fn.entry));
  const gone = [...stubByEntry.keys()].filter((entry) => !entries.has(entry));
  if (gone.length > 0) throw new StubTableError(`the stack has no function for ${gone.join(", ")}`);

  const definition = JSON.stringify(stateMachine.definition);
  const used = assembly.functions.filter((fn) => definition.includes(JSON.stringify(fn.arn)));
  const unstubbed = used.filter((fn) => !stubByEntry.has(fn.entry)).map((fn) => fn.entry);
  if (unstubbed.length > 0) {
    throw new StubTableError(`${machineName} invokes ${unstubbed.join(", ")}, which has no stub`);
  }
  const stubsByFunction = new Map<string, StubName>();
  for (const fn of used) {
    const stub = stubByEntry.get(fn.entry) as StubName;
    for (const key of functionKeys(fn)) stubsByFunction.set(key, stub);
  }
  return {
    naming: { region: REGION, accountId: LOCAL_ACCOUNT_ID, stackName: LOCAL_STACK_NAME },
    stateMachine,
    stubsByFunction,
  };
}

/** One formation execution. */
export interface FormationRun {
  executionArn: string;
  /** Resolves with the description once the execution has closed. */
  finished(): Promise<ExecutionDescription>;
  /** The whole history, oldest first. */
  history(): Promise<HistoryEventOut[]>;
  /** Names of the states entered, in history order (Map iterations included). */
  statesEntered(): Promise<string[]>;
}

/** A Step Functions service on a fresh data folder and clock, running the formation on stubs. */
export interface FormationHarness {
  service: LocalStepFunctions;
  clock: LocalClock;
  /** Starts the formation with this scenario (one execution per harness). */
  startFormation(scenario?: Scenario): Promise<FormationRun>;
  /** Every invocation of `stub`, in order. */
  calls(stub: StubName): StubCall[];
  /**
   * Resolves once every partner has been asked for `kind` and every one who is not silent has been answered,
   * so only the silent partners' requests still wait.
   */
  onlySilentPartnersWaiting(kind: RequestKind): Promise<void>;
  /** Moves the local clock past the request deadline of the scenario. */
  passDeadline(): void;
  /** Closes the service and the clock, deletes the data folder; fails if an answer was refused. */
  dispose(): Promise<void>;
}

/** Real ms a path may take; a path runs in tens of ms, so this only bounds how long a stuck run takes to fail. */
const WAIT_MS = 8_000;

/** Starts a fresh service with the synthesized formation registered and the stubs as its Lambda functions. */
export async function startFormationHarness(assembly: FormationAssembly): Promise<FormationHarness> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "concord-paths-"));
  const clock = new LocalClock();
  const serviceLog: string[] = [];
  const log: StubCall[] = [];
  const answerErrors: string[] = [];
  const answering = new Set<Promise<void>>();
  const waiters = new Set<{ check: () => void; cancel: (error: Error) => void }>();
  let scenario: Played | undefined;

  const changed = () => {
    for (const waiter of [...waiters]) waiter.check();
  };

  const answerLater = (call: StubCall, token: string, output: unknown) => {
    // After the invoke has returned, as a partner clicking the link would.
    const sent = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => service.sendTaskSuccess({ taskToken: token, output: JSON.stringify(output) }))
      .then(
        () => {
          call.answered = true;
        },
        (error: unknown) => {
          answerErrors.push(`${call.stub} ${JSON.stringify(call.about)}: ${String(error)}`);
        },
      )
      .finally(() => {
        answering.delete(sent);
        changed();
      });
    answering.add(sent);
  };

  const invokeFunction = async (functionArnOrName: string, payload: unknown): Promise<unknown> => {
    const name = assembly.stubsByFunction.get(unqualified(functionArnOrName));
    if (name === undefined) throw new StubTableError(`no stub for function ${functionArnOrName}`);
    if (scenario === undefined) throw new Error("a stub ran before startFormation");
    const stub: Stub = STUBS[name];
    const event = jsonClone(payload);
    const call: StubCall = { stub: name, about: stub.about?.(event) ?? {}, payload: event, answered: false };
    log.push(call);
    const token = findStringField(event, TASK_TOKEN_FIELD);
    if (token !== undefined) {
      if (!stub.answer) throw new StubTableError(`stub ${name} got a task token but has no answer`);
      const output = stub.answer(event, scenario);
      if (output !== undefined) answerLater(call, token, output);
    }
    changed();
    return jsonClone(stub.result(event, scenario));
  };

  const service = new LocalStepFunctions({
    dataDir,
    clock,
    naming: assembly.naming,
    invokeFunction,
    log: (line) => serviceLog.push(line),
  });
  service.register([assembly.stateMachine]);
  await service.start();

  const until = (what: string, condition: () => boolean): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const waiter = {
        check: () => {
          if (answerErrors.length > 0) {
            waiter.cancel(new Error(`SendTaskSuccess refused a stub's answer: ${answerErrors.join("; ")}`));
            return;
          }
          if (!condition()) return;
          finish();
          resolve();
        },
        cancel: (error: Error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(
        () =>
          waiter.cancel(
            new Error(
              `timed out after ${WAIT_MS} ms waiting until ${what}; stub calls: ${describeCalls(log)}` +
                (serviceLog.length > 0 ? `; service log: ${serviceLog.join(" | ")}` : ""),
            ),
          ),
        WAIT_MS,
      );
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(waiter);
      };
      waiters.add(waiter);
      waiter.check();
    });

  const played = (): Played => {
    if (scenario === undefined) throw new Error("startFormation has not been called");
    return scenario;
  };

  return {
    service,
    clock,
    async startFormation(wanted = {}) {
      if (scenario !== undefined) throw new Error("one formation per harness");
      scenario = { ...DEFAULT_SCENARIO, ...wanted };
      const input = formationInput("north-star-alliance");
      const { executionArn } = await service.startExecution({
        stateMachineArn: assembly.stateMachine.arn,
        name: `formation-${input.allianceId}`,
        input: JSON.stringify(input),
      });
      const history = async () => allEvents(service, executionArn);
      return {
        executionArn,
        finished: async () => {
          try {
            return await service.waitForExecution(executionArn, WAIT_MS);
          } catch (error) {
            const path = (await history()).flatMap((event) => enteredName(event) ?? []);
            throw new Error(
              `${(error as Error).message}; states entered: ${path.join(" → ")}; stub calls: ${describeCalls(log)}`,
            );
          }
        },
        history,
        statesEntered: async () => (await history()).flatMap((event) => enteredName(event) ?? []),
      };
    },
    calls: (stub) => log.filter((call) => call.stub === stub),
    onlySilentPartnersWaiting(kind) {
      const s = played();
      const requests = () => log.filter((call) => call.stub === "request" && call.about.kind === kind);
      return until(`only the silent partners' ${kind} requests wait`, () =>
        s.partners.every((partnerId) => {
          const call = requests().find((c) => c.about.partnerId === partnerId);
          const silent = s.silent.some((q) => q.partnerId === partnerId && q.kind === kind);
          return call !== undefined && (silent || call.answered);
        }),
      );
    },
    passDeadline() {
      clock.advance(played().deadlineDays * DAY_MS + MINUTE_MS);
    },
    async dispose() {
      for (const waiter of [...waiters]) waiter.cancel(new Error("the harness was disposed"));
      await Promise.allSettled([...answering]);
      await service.close();
      clock.close();
      await rm(dataDir, { recursive: true, force: true });
      if (answerErrors.length > 0) {
        throw new Error(`SendTaskSuccess refused a stub's answer: ${answerErrors.join("; ")}`);
      }
    },
  };
}

/** `n` copies of a state name, for the Map iterations of a path. */
export function times(n: number, stateName: string): string[] {
  return Array.from({ length: n }, () => stateName);
}

async function allEvents(service: LocalStepFunctions, executionArn: string): Promise<HistoryEventOut[]> {
  const events: HistoryEventOut[] = [];
  let nextToken: string | undefined;
  do {
    const page = await service.getExecutionHistory({
      executionArn,
      maxResults: 1000,
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

/** The state name of a `<Type>StateEntered` event. */
function enteredName(event: HistoryEventOut): string | undefined {
  if (!event.type.endsWith("StateEntered")) return undefined;
  const details = event.stateEnteredEventDetails;
  const name = isRecord(details) ? details.name : undefined;
  if (typeof name !== "string") throw new Error(`${event.type} event ${event.id} has no state name`);
  return name;
}

function functionKeys(fn: LocalFunctionSpec): string[] {
  return [fn.name, fn.arn, fn.logicalId];
}

/** A function ARN without its version or alias qualifier (a name is returned as it is). */
function unqualified(nameOrArn: string): string {
  return nameOrArn.replace(/^(arn:aws[a-z-]*:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/, "$1");
}

function stringField(value: unknown, key: string): string | undefined {
  const field = isRecord(value) ? value[key] : undefined;
  return typeof field === "string" ? field : undefined;
}

/** The first string field named `key` anywhere in `value` (depth first). */
function findStringField(value: unknown, key: string): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findStringField(item, key);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const own = stringField(value, key);
  if (own !== undefined) return own;
  for (const item of Object.values(value)) {
    const found = findStringField(item, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A value after the JSON round trip a Lambda invocation puts it through (undefined becomes null). */
function jsonClone(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function describeCalls(calls: StubCall[]): string {
  if (calls.length === 0) return "none";
  return calls
    .map((call) => `${call.stub}${JSON.stringify(call.about)}${call.answered ? " (answered)" : ""}`)
    .join(", ");
}
