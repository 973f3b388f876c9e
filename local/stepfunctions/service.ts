import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalNaming, LocalStateMachineSpec } from "../cfn";
import type { LocalClock } from "../clock";
import type { Gate } from "../gate-proxy";
import { listen } from "../http-server";
import { CheckpointStore } from "./checkpoint-store";
import { type CompiledStateMachine, compileStateMachine, validationProblems } from "./definition";
import { MAX_PAYLOAD_BYTES, SfnApiError } from "./errors";
import { ExecutionRunner } from "./execution-runner";
import { interpreterTimeoutErrorClass } from "./interpreter";
import { ExecutionJournal } from "./journal";
import { createProtocolServer } from "./protocol-server";
import type { ExecutionRecord, ExecutionStatus, HistoryEvent } from "./records";
import { isWellFormedTaskToken } from "./tokens";
import type { ExecutionClosedEvent, RunnerHost, TaskWaitingEvent } from "./types";

/** How the service is wired into the local cloud. */
export interface LocalStepFunctionsOptions {
  /** Checkpoints live in `<dataDir>/stepfunctions/`. */
  dataDir: string;
  clock: LocalClock;
  naming: LocalNaming;
  /**
   * Runs a Lambda function (by ARN or name) for a task of the state machine `stateMachineArn`; a thrown error
   * becomes the task's error.
   */
  invokeFunction: (functionArnOrName: string, payload: unknown, stateMachineArn: string) => Promise<unknown>;
  log?: (line: string) => void;
  /** A fault to inject for tests (see LocalFault). @default none */
  fault?: LocalFault;
  /** Asked about every API request before it runs (the local cloud's IAM checks). @default everything allowed */
  gate?: Gate;
}

/**
 * Faults the service can inject for tests. `crash-after-send-task-success`: the first SendTaskSuccess the service
 * accepts is recorded and flushed to disk, then the whole process is killed with SIGKILL before it answers or
 * runs anything further — as if the caller died right after Step Functions took its success.
 */
export type LocalFault = "crash-after-send-task-success";

/** DescribeExecution's answer. */
export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  inputDetails: { included: boolean };
  output?: string;
  outputDetails?: { included: boolean };
  error?: string;
  cause?: string;
}

/** One row of ListExecutions. */
export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
}

/** A history event as GetExecutionHistory returns it. */
// Omit over HistoryEvent's index signature would turn `type` and `id` into unknown; spell the fixed fields out.
export type HistoryEventOut = Pick<HistoryEvent, "id" | "previousEventId" | "type"> &
  Record<string, unknown> & { timestamp: Date };

interface Entry {
  journal: ExecutionJournal;
  runner: ExecutionRunner | undefined;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;
// AWS rejects whitespace, brackets, wildcards, these specials and control characters in names.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const FORBIDDEN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
const DEFAULT_PAGE = 100;

/**
 * A Step Functions stand-in over aws-local-stepfunctions: Standard-workflow executions that survive restarts,
 * waitForTaskToken callbacks, and time on the local clock. Use the methods directly or through the AWS JSON
 * protocol (`listen`), which the AWS SDK and CLI speak.
 */
export class LocalStepFunctions {
  private readonly clock: LocalClock;
  private readonly naming: LocalNaming;
  private readonly log: (line: string) => void;
  private readonly store: CheckpointStore;
  private readonly invokeFunction: LocalStepFunctionsOptions["invokeFunction"];
  private readonly gate: Gate | undefined;
  private readonly fault: LocalFault | undefined;
  private readonly machines = new Map<string, CompiledStateMachine>();
  private readonly executions = new Map<string, Entry>();
  private readonly tokens = new Map<string, string>();
  private readonly waitingTasks = new Map<string, TaskWaitingEvent>();
  private readonly waitingListeners = new Set<(event: TaskWaitingEvent) => void>();
  private readonly closedListeners = new Set<(event: ExecutionClosedEvent) => void>();
  private readonly historyListeners = new Set<(executionArn: string, event: HistoryEventOut) => void>();
  private readonly startedGate = Promise.withResolvers<void>();
  private starting: Promise<void> | undefined;
  private host: RunnerHost | undefined;
  private server: Server | undefined;

  constructor(options: LocalStepFunctionsOptions) {
    this.clock = options.clock;
    this.naming = options.naming;
    this.log = options.log ?? (() => {});
    this.store = new CheckpointStore(options.dataDir);
    this.invokeFunction = options.invokeFunction;
    this.gate = options.gate;
    this.fault = options.fault;
    this.startedGate.promise.catch(() => {});
  }

  /** Adds state machines (before start(), so their running executions resume). */
  register(specs: LocalStateMachineSpec[]): this {
    for (const spec of specs) {
      const compiled = compileStateMachine(spec, this.clock.now());
      const problems = validationProblems(spec.definition);
      if (problems) this.log(`state machine ${spec.name} may not run as in AWS: ${problems}`);
      for (const task of compiled.tasks.values()) {
        if (task.kind === "unsupported") {
          this.log(
            `state machine ${spec.name}: Task ${task.name} uses ${task.resource}, which fails locally`,
          );
        }
      }
      this.machines.set(spec.arn, compiled);
    }
    return this;
  }

  /** Loads the checkpoints and resumes every RUNNING execution. */
  start(): Promise<void> {
    this.starting ??= this.load().then(
      () => this.startedGate.resolve(),
      (error: unknown) => {
        this.startedGate.reject(error);
        throw error;
      },
    );
    return this.starting;
  }

  /** Serves the Step Functions JSON protocol; port 0 picks a free port (see `endpoint`). */
  async listen(port: number, host = "127.0.0.1"): Promise<void> {
    const server = createProtocolServer(this, this.log, this.gate);
    await listen(server, port, host);
    this.server = server;
  }

  /** The URL clients use (AWS_ENDPOINT_URL_SFN), once listening. */
  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("the Step Functions service is not listening");
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** Stops every run (their checkpoints stay RUNNING and resume on the next start), flushes, stops listening. */
  async close(): Promise<void> {
    for (const entry of this.executions.values()) entry.runner?.shutdown();
    await Promise.allSettled([...this.executions.values()].map((entry) => entry.journal.close()));
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Calls `listener` whenever a waitForTaskToken task starts waiting for its callback. */
  onTaskWaiting(listener: (event: TaskWaitingEvent) => void): () => void {
    this.waitingListeners.add(listener);
    return () => this.waitingListeners.delete(listener);
  }

  /** Calls `listener` whenever an execution closes. */
  onExecutionClosed(listener: (event: ExecutionClosedEvent) => void): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  /** Calls `listener` with every history event as it is recorded. */
  onHistoryEvent(listener: (executionArn: string, event: HistoryEventOut) => void): () => void {
    this.historyListeners.add(listener);
    return () => this.historyListeners.delete(listener);
  }

  /** A task waiting for its callback that matches (already waiting, or the next one); rejects after `timeoutMs` real ms. */
  waitForTask(
    match: { executionArn?: string; stateName?: string },
    timeoutMs = 10_000,
  ): Promise<TaskWaitingEvent> {
    const matches = (event: TaskWaitingEvent) =>
      (match.executionArn === undefined || event.executionArn === match.executionArn) &&
      (match.stateName === undefined || event.stateName === match.stateName);
    for (const [token, event] of this.waitingTasks) {
      const task = this.executions
        .get(event.executionArn)
        ?.journal.record.tasks.find((t) => t.token === token);
      if (task?.status !== "WAITING") this.waitingTasks.delete(token);
    }
    const current = [...this.waitingTasks.values()].find(matches);
    if (current) return Promise.resolve(current);
    const what = `a task waiting (${JSON.stringify(match)})`;
    return this.waitFor<TaskWaitingEvent>(timeoutMs, what, (settle) => {
      const onWaiting = (event: TaskWaitingEvent) => matches(event) && settle(event);
      // No task will come once the execution has closed: say so instead of waiting for the timeout.
      const onClosed = (event: ExecutionClosedEvent) =>
        event.executionArn === match.executionArn &&
        settle(
          new Error(`execution ${event.executionArn} closed (${event.status}) while waiting for ${what}`),
        );
      this.waitingListeners.add(onWaiting);
      this.closedListeners.add(onClosed);
      return () => {
        this.waitingListeners.delete(onWaiting);
        this.closedListeners.delete(onClosed);
      };
    });
  }

  /** Resolves with the description once the execution has closed; rejects after `timeoutMs` real ms. */
  async waitForExecution(executionArn: string, timeoutMs = 10_000): Promise<ExecutionDescription> {
    await this.ready();
    const entry = this.entry(executionArn);
    if (entry.journal.record.status === "RUNNING") {
      await this.waitFor<ExecutionClosedEvent>(timeoutMs, `execution ${executionArn} to close`, (settle) => {
        const onClosed = (event: ExecutionClosedEvent) =>
          event.executionArn === executionArn && settle(event);
        this.closedListeners.add(onClosed);
        return () => this.closedListeners.delete(onClosed);
      });
    }
    return describe(entry.journal.record);
  }

  // ---- Step Functions API ----

  /** StartExecution; the same name and input while RUNNING returns the same execution. */
  async startExecution(request: {
    stateMachineArn: string;
    name?: string;
    input?: string;
  }): Promise<{ executionArn: string; startDate: Date }> {
    await this.ready();
    const machine = this.machine(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME.test(name)) {
      throw new SfnApiError("InvalidName", `Invalid Name: '${name}'`);
    }
    const input = request.input ?? "{}";
    assertPayloadLength("input", input);
    try {
      JSON.parse(input);
    } catch (error) {
      throw new SfnApiError(
        "InvalidExecutionInput",
        `Invalid State Machine Execution Input: ${(error as Error).message}`,
      );
    }
    const executionArn = `arn:aws:states:${this.naming.region}:${this.naming.accountId}:execution:${machine.spec.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      const record = existing.journal.record;
      if (record.status === "RUNNING" && record.input === input) {
        return { executionArn, startDate: new Date(record.startDate) };
      }
      throw new SfnApiError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      version: 1,
      executionArn,
      stateMachineArn: machine.spec.arn,
      name,
      input,
      status: "RUNNING",
      startDate: this.clock.now(),
      currentState: null,
      currentInput: null,
      epoch: 0,
      tasks: [],
      eventCount: 0,
    };
    const journal = new ExecutionJournal(
      record,
      this.store,
      () => this.clock.now(),
      this.log,
      [],
      this.tellHistory,
    );
    journal.add("ExecutionStarted", {
      input,
      inputDetails: { truncated: false },
      roleArn: `arn:aws:iam::${this.naming.accountId}:role/local-step-functions`,
    });
    const runner = new ExecutionRunner(journal, machine, this.runnerHost());
    this.executions.set(executionArn, { journal, runner });
    runner.start();
    await journal.flush();
    return { executionArn, startDate: new Date(record.startDate) };
  }

  /** DescribeExecution. */
  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    await this.ready();
    return describe(this.entry(executionArn).journal.record);
  }

  /** ListExecutions, newest first. */
  async listExecutions(request: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }): Promise<{ executions: ExecutionListItem[]; nextToken?: string }> {
    await this.ready();
    const machine = this.machine(request.stateMachineArn);
    const records = [...this.executions.values()]
      .map((entry) => entry.journal.record)
      .filter((r) => r.stateMachineArn === machine.spec.arn)
      .filter((r) => request.statusFilter === undefined || r.status === request.statusFilter)
      .sort((a, b) => b.startDate - a.startDate);
    const page = paginate(records, request.maxResults, request.nextToken);
    return {
      executions: page.items.map((r) => ({
        executionArn: r.executionArn,
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: new Date(r.startDate),
        ...(r.stopDate === undefined ? {} : { stopDate: new Date(r.stopDate) }),
      })),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  }

  /** GetExecutionHistory. */
  async getExecutionHistory(request: {
    executionArn: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
  }): Promise<{ events: HistoryEventOut[]; nextToken?: string }> {
    await this.ready();
    const events = await this.entry(request.executionArn).journal.events();
    const ordered = request.reverseOrder ? [...events].reverse() : events;
    const page = paginate(ordered, request.maxResults, request.nextToken);
    return {
      events: page.items.map((event) => ({ ...event, timestamp: new Date(event.timestamp) })),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  }

  /** StopExecution: the execution ends ABORTED and its open task tokens close. */
  async stopExecution(request: {
    executionArn: string;
    error?: string;
    cause?: string;
  }): Promise<{ stopDate: Date }> {
    await this.ready();
    const entry = this.entry(request.executionArn);
    await entry.runner?.stop(request.error, request.cause);
    return { stopDate: new Date(entry.journal.record.stopDate ?? this.clock.now()) };
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution runs again from the top-level state it stopped in,
   * with the input that state had (as AWS redrives from the unsuccessful state; the state's tasks run again, so
   * they must be idempotent, as they must anyway).
   */
  async redriveExecution(request: { executionArn: string }): Promise<{ redriveDate: Date }> {
    await this.ready();
    const entry = this.entry(request.executionArn);
    const record = entry.journal.record;
    const machine = this.machines.get(record.stateMachineArn);
    if (
      record.status === "RUNNING" ||
      record.status === "SUCCEEDED" ||
      record.currentState === null ||
      !machine
    ) {
      throw new SfnApiError(
        "ExecutionNotRedrivable",
        `Execution ${record.executionArn} cannot be redriven: it is ${record.status}${record.currentState === null ? " and never entered a state" : ""}`,
      );
    }
    const at = this.clock.now();
    record.status = "RUNNING";
    for (const field of ["stopDate", "error", "cause", "output", "waitUntil"] as const) delete record[field];
    // A new visit of the state: the attempts of the one that stopped are not picked up again.
    record.epoch += 1;
    record.redriveCount = (record.redriveCount ?? 0) + 1;
    record.redriveDate = at;
    entry.journal.add("ExecutionRedriven", { redriveCount: record.redriveCount });
    await entry.journal.flush();
    entry.runner = new ExecutionRunner(entry.journal, machine, this.runnerHost());
    entry.runner.start();
    return { redriveDate: new Date(at) };
  }

  /** SendTaskSuccess: `output` is JSON text and becomes the task's result. */
  async sendTaskSuccess(request: { taskToken: string; output: string }): Promise<void> {
    await this.ready();
    assertPayloadLength("output", request.output);
    const runner = this.runnerOf(request.taskToken);
    try {
      JSON.parse(request.output);
    } catch (error) {
      throw new SfnApiError("InvalidOutput", `Invalid Output: ${(error as Error).message}`);
    }
    if (this.fault === "crash-after-send-task-success") return this.crashAfterSuccess(runner, request);
    runner.callbacks.succeed(request.taskToken, request.output);
    await runner.journal.flush();
  }

  /** The crash-after-send-task-success fault: record the success durably, then die without another step. */
  private async crashAfterSuccess(
    runner: ExecutionRunner,
    request: { taskToken: string; output: string },
  ): Promise<never> {
    runner.callbacks.waiting(request.taskToken); // only a success the service accepts: else the AWS error, no crash
    // Stopped first, so the success wakes nothing (the next state, its emails) before the kill; the task's record
    // keeps the outcome and the execution resumes from its checkpoint on the next start, as after any crash.
    runner.shutdown();
    runner.callbacks.succeed(request.taskToken, request.output);
    await runner.journal.flush();
    this.log(
      `CONCORD_FAULT=crash-after-send-task-success: SendTaskSuccess for ${runner.record.executionArn} is on disk; killing the process (SIGKILL)`,
    );
    process.kill(process.pid, "SIGKILL");
    return new Promise<never>(() => {});
  }

  /** SendTaskFailure: the task fails with `error`/`cause` (Retry and Catch apply). */
  async sendTaskFailure(request: { taskToken: string; error?: string; cause?: string }): Promise<void> {
    await this.ready();
    const runner = this.runnerOf(request.taskToken);
    runner.callbacks.fail(request.taskToken, request.error ?? "", request.cause ?? "");
    await runner.journal.flush();
  }

  /** SendTaskHeartbeat: restarts the task's HeartbeatSeconds. */
  async sendTaskHeartbeat(request: { taskToken: string }): Promise<void> {
    await this.ready();
    const runner = this.runnerOf(request.taskToken);
    runner.callbacks.heartbeat(request.taskToken);
    await runner.journal.flush();
  }

  /** ListStateMachines. */
  async listStateMachines(request: { maxResults?: number; nextToken?: string } = {}): Promise<{
    stateMachines: { stateMachineArn: string; name: string; type: "STANDARD"; creationDate: Date }[];
    nextToken?: string;
  }> {
    const page = paginate([...this.machines.values()], request.maxResults, request.nextToken);
    return {
      stateMachines: page.items.map((m) => ({
        stateMachineArn: m.spec.arn,
        name: m.spec.name,
        type: "STANDARD" as const,
        creationDate: new Date(m.createdAt),
      })),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  }

  /** DescribeStateMachine. */
  async describeStateMachine(stateMachineArn: string): Promise<{
    stateMachineArn: string;
    name: string;
    status: "ACTIVE";
    definition: string;
    roleArn: string;
    type: "STANDARD";
    creationDate: Date;
  }> {
    const machine = this.machine(stateMachineArn);
    return {
      stateMachineArn: machine.spec.arn,
      name: machine.spec.name,
      status: "ACTIVE",
      definition: machine.definitionText,
      roleArn: `arn:aws:iam::${this.naming.accountId}:role/local-step-functions`,
      type: "STANDARD",
      creationDate: new Date(machine.createdAt),
    };
  }

  // ---- internals ----

  private async load(): Promise<void> {
    const host = await this.createHost();
    await this.store.init();
    const resumed: ExecutionRunner[] = [];
    for (const record of await this.store.loadRecords(this.log)) {
      const running = record.status === "RUNNING";
      const history = running ? await this.store.readHistory(record.executionArn) : undefined;
      // The history may hold events whose record write a crash cut off; keep ids unique.
      if (history) record.eventCount = Math.max(record.eventCount, history.at(-1)?.id ?? 0);
      const journal = new ExecutionJournal(
        record,
        this.store,
        () => this.clock.now(),
        this.log,
        history,
        this.tellHistory,
      );
      const entry: Entry = { journal, runner: undefined };
      this.executions.set(record.executionArn, entry);
      for (const task of record.tasks) this.tokens.set(task.token, record.executionArn);
      if (!running) continue;
      const machine = this.machines.get(record.stateMachineArn);
      if (!machine) {
        this.log(`cannot resume ${record.executionArn}: its state machine is not registered`);
        continue;
      }
      entry.runner = new ExecutionRunner(journal, machine, host);
      resumed.push(entry.runner);
    }
    for (const runner of resumed) runner.start();
    if (resumed.length > 0) this.log(`resumed ${resumed.length} running execution(s)`);
  }

  private async createHost(): Promise<RunnerHost> {
    const TimeoutError = await interpreterTimeoutErrorClass();
    this.host = {
      clock: this.clock,
      region: this.naming.region,
      accountId: this.naming.accountId,
      TimeoutError,
      invokeFunction: (fn, payload, stateMachineArn) => this.invokeFunction(fn, payload, stateMachineArn),
      indexToken: (token, executionArn) => this.tokens.set(token, executionArn),
      taskWaiting: (event) => {
        this.waitingTasks.set(event.token, event);
        for (const listener of this.waitingListeners) listener(event);
      },
      executionClosed: (event) => {
        const entry = this.executions.get(event.executionArn);
        if (entry) entry.runner = undefined;
        for (const [token, waiting] of this.waitingTasks) {
          if (waiting.executionArn === event.executionArn) this.waitingTasks.delete(token);
        }
        for (const listener of this.closedListeners) listener(event);
      },
      log: this.log,
    };
    return this.host;
  }

  private readonly tellHistory = (executionArn: string, event: HistoryEvent): void => {
    if (this.historyListeners.size === 0) return;
    const out = { ...event, timestamp: new Date(event.timestamp) };
    for (const listener of this.historyListeners) listener(executionArn, out);
  };

  private runnerHost(): RunnerHost {
    if (!this.host) throw new Error("LocalStepFunctions.start() has not completed");
    return this.host;
  }

  private ready(): Promise<void> {
    return this.startedGate.promise;
  }

  private machine(stateMachineArn: string): CompiledStateMachine {
    if (!STATE_MACHINE_ARN.test(stateMachineArn)) {
      throw new SfnApiError("InvalidArn", `Invalid Arn: '${stateMachineArn}'`);
    }
    const machine = this.machines.get(stateMachineArn);
    if (!machine)
      throw new SfnApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${stateMachineArn}'`);
    return machine;
  }

  private entry(executionArn: string): Entry {
    if (!EXECUTION_ARN.test(executionArn))
      throw new SfnApiError("InvalidArn", `Invalid Arn: '${executionArn}'`);
    const entry = this.executions.get(executionArn);
    if (!entry) throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`);
    return entry;
  }

  /** The runner of a token's execution, or the AWS error for a malformed, unknown or closed token. */
  private runnerOf(token: string): ExecutionRunner {
    if (!isWellFormedTaskToken(token))
      throw new SfnApiError("InvalidToken", "Invalid Token: the task token is malformed");
    const executionArn = this.tokens.get(token);
    const entry = executionArn === undefined ? undefined : this.executions.get(executionArn);
    if (!entry) throw new SfnApiError("TaskDoesNotExist", "Task does not exist");
    if (entry.runner) return entry.runner;
    const task = entry.journal.record.tasks.find((t) => t.token === token);
    if (task?.status === "TIMED_OUT") throw new SfnApiError("TaskTimedOut", "Task Timed Out");
    throw new SfnApiError("TaskDoesNotExist", "Task does not exist anymore");
  }

  /** Waits until `subscribe`'s listeners settle with a value (or an Error), at most `timeoutMs` real ms. */
  private waitFor<T>(
    timeoutMs: number,
    what: string,
    subscribe: (settle: (outcome: T | Error) => true) => () => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const settle = (outcome: T | Error): true => {
        clearTimeout(timer);
        unsubscribe();
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
        return true;
      };
      const timer = setTimeout(
        () => settle(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      const unsubscribe = subscribe(settle);
    });
  }
}

function describe(record: ExecutionRecord): ExecutionDescription {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: new Date(record.startDate),
    ...(record.stopDate === undefined ? {} : { stopDate: new Date(record.stopDate) }),
    input: record.input,
    inputDetails: { included: true },
    ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
    ...(record.error === undefined ? {} : { error: record.error }),
    ...(record.cause === undefined ? {} : { cause: record.cause }),
  };
}

function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined) {
  const size = maxResults && maxResults > 0 ? maxResults : DEFAULT_PAGE;
  let offset = 0;
  if (nextToken !== undefined) {
    offset = Number(Buffer.from(nextToken, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0)
      throw new SfnApiError("ValidationException", "Invalid nextToken");
  }
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? Buffer.from(String(end)).toString("base64url") : undefined,
  };
}

/** Execution input and task output are at most 262144 characters (the 256 KiB payload quota), as the API says. */
function assertPayloadLength(field: "input" | "output", value: string): void {
  if (value.length > MAX_PAYLOAD_BYTES) {
    throw new SfnApiError(
      "ValidationException",
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
    );
  }
}
