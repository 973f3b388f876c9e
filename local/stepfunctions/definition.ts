import { StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import type { LocalStateMachineSpec } from "../cfn";

/** Longest delay setTimeout honours (≈24.8 days); the interpreter's own timers are capped to it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * TimeoutSeconds given to every Task of the copy the interpreter runs. The interpreter would otherwise time
 * a Task out after 60 s, and a value above MAX_TIMER_MS fires at once; the real limits are enforced on the
 * local clock by the service.
 */
const SAFE_TASK_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

const INVOKE = "arn:aws:states:::lambda:invoke";
const INVOKE_CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;

/** An ASL retrier, as the service applies it to Tasks (on the local clock). */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}

/** How a Task is run: `invoke` = lambda:invoke, `callback` = its waitForTaskToken form, `function` = a bare ARN. */
export type TaskKind = "invoke" | "callback" | "function" | "unsupported";

/** What the service needs to know about one Task state (its limits and retriers are taken out of the run). */
export interface TaskSpec {
  name: string;
  resource: string;
  kind: TaskKind;
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
  heartbeatSeconds?: number;
  heartbeatSecondsPath?: string;
  retry: Retrier[];
}

/** A Wait state; `topLevel` ones are driven by the local clock through a checkpoint. */
export interface WaitSpec {
  name: string;
  topLevel: boolean;
  inputPath?: string | null;
  seconds?: number;
  timestamp?: string;
  secondsPath?: string;
  timestampPath?: string;
}

/** A registered state machine, ready to run on the interpreter. */
export interface CompiledStateMachine {
  spec: LocalStateMachineSpec;
  /** The definition as registered (what DescribeStateMachine returns). */
  definitionText: string;
  startAt: string;
  /** Execution TimeoutSeconds, enforced by the service on the local clock. */
  timeoutSeconds?: number;
  topLevelStates: ReadonlyMap<string, string>;
  tasks: ReadonlyMap<string, TaskSpec>;
  waits: ReadonlyMap<string, WaitSpec>;
  /** The interpreter for this definition started at `stateName` (validation off: a re-rooted copy may not validate). */
  machineAt(stateName: string): StateMachine;
  createdAt: number;
}

/** A definition the local service cannot run. */
export class DefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DefinitionError";
  }
}

type Json = Record<string, unknown>;

/**
 * Prepares a definition for the interpreter: Task timeouts and retriers move to the service (so they follow the
 * local clock), the execution timeout too, and `$$.Execution.Input`/`StartTime` are redirected to fields the
 * interpreter does not overwrite (it sets them to the segment's input and the real time when a run resumes).
 */
export function compileStateMachine(spec: LocalStateMachineSpec, createdAt: number): CompiledStateMachine {
  const definitionText = JSON.stringify(spec.definition);
  const runnable = redirectContextPaths(JSON.parse(definitionText)) as Json;
  const where = `state machine ${spec.name}`;
  const startAt = runnable.StartAt;
  if (typeof startAt !== "string" || !isObject(runnable.States) || !(startAt in runnable.States)) {
    throw new DefinitionError(`${where}: StartAt must name one of its States`);
  }
  const timeoutSeconds = optionalNumber(runnable.TimeoutSeconds);
  delete runnable.TimeoutSeconds;
  const tasks = new Map<string, TaskSpec>();
  const waits = new Map<string, WaitSpec>();
  const seen = new Set<string>();
  const topLevelStates = new Map<string, string>();
  for (const [name, state] of Object.entries(runnable.States)) {
    if (isObject(state)) topLevelStates.set(name, String(state.Type));
  }
  collectStates(runnable, true, { tasks, waits, seen, where });

  const machines = new Map<string, StateMachine>();
  return {
    spec,
    definitionText,
    startAt,
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    topLevelStates,
    tasks,
    waits,
    createdAt,
    machineAt(stateName) {
      let machine = machines.get(stateName);
      if (!machine) {
        const definition = { ...runnable, StartAt: stateName } as unknown as StateMachineDefinition;
        machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
        machines.set(stateName, machine);
      }
      return machine;
    },
  };
}

/** Validation is slow (asl-validator compiles its schemas on every call, ~150 ms); definitions repeat. */
const validated = new Map<string, string | undefined>();

/** Validates a definition as the interpreter would; returns the problems as text, or undefined when valid. */
export function validationProblems(definition: Record<string, unknown>): string | undefined {
  const key = JSON.stringify(definition);
  if (validated.has(key)) return validated.get(key);
  let problems: string | undefined;
  try {
    // a copy: validation mutates the definition it is given
    new StateMachine(JSON.parse(key) as StateMachineDefinition);
  } catch (error) {
    problems = (error as Error).message;
  }
  validated.set(key, problems);
  return problems;
}

interface Collector {
  tasks: Map<string, TaskSpec>;
  waits: Map<string, WaitSpec>;
  seen: Set<string>;
  where: string;
}

function collectStates(machine: Json, topLevel: boolean, collector: Collector): void {
  if (!isObject(machine.States)) throw new DefinitionError(`${collector.where}: a States field is missing`);
  for (const [name, state] of Object.entries(machine.States)) {
    if (!isObject(state)) throw new DefinitionError(`${collector.where}: state ${name} is not an object`);
    // Overrides are keyed by state name across nested machines, so names must be unique (as CDK makes them).
    if (collector.seen.has(name))
      throw new DefinitionError(`${collector.where}: state name ${name} is used twice`);
    collector.seen.add(name);
    switch (state.Type) {
      case "Task":
        collector.tasks.set(name, taskSpec(name, state));
        break;
      case "Wait":
        collector.waits.set(name, waitSpec(name, state, topLevel));
        break;
      case "Map": {
        const processor = state.ItemProcessor ?? state.Iterator;
        if (!isObject(processor))
          throw new DefinitionError(`${collector.where}: Map ${name} has no ItemProcessor`);
        collectStates(processor, false, collector);
        break;
      }
      case "Parallel":
        for (const branch of Array.isArray(state.Branches) ? state.Branches : []) {
          if (isObject(branch)) collectStates(branch, false, collector);
        }
        break;
    }
  }
}

function taskSpec(name: string, state: Json): TaskSpec {
  const resource = String(state.Resource);
  const spec: TaskSpec = {
    name,
    resource,
    kind: taskKind(resource),
    retry: Array.isArray(state.Retry) ? (state.Retry as Retrier[]) : [],
  };
  const timeoutSeconds = optionalNumber(state.TimeoutSeconds);
  if (timeoutSeconds !== undefined) spec.timeoutSeconds = timeoutSeconds;
  if (typeof state.TimeoutSecondsPath === "string") {
    spec.timeoutSecondsPath = pathOnStateInput(state, SYNTHETIC_TIMEOUT_KEY, state.TimeoutSecondsPath);
  }
  const heartbeatSeconds = optionalNumber(state.HeartbeatSeconds);
  if (heartbeatSeconds !== undefined) spec.heartbeatSeconds = heartbeatSeconds;
  if (typeof state.HeartbeatSecondsPath === "string") {
    spec.heartbeatSecondsPath = pathOnStateInput(state, SYNTHETIC_HEARTBEAT_KEY, state.HeartbeatSecondsPath);
  }
  delete state.Retry;
  delete state.TimeoutSecondsPath;
  delete state.HeartbeatSeconds;
  delete state.HeartbeatSecondsPath;
  state.TimeoutSeconds = SAFE_TASK_TIMEOUT_SECONDS;
  return spec;
}

/** Keys the transformed definition adds to a Task's Parameters to carry *SecondsPath values; stripped before use. */
export const SYNTHETIC_TIMEOUT_KEY = "__concordTimeoutSeconds";
export const SYNTHETIC_HEARTBEAT_KEY = "__concordHeartbeatSeconds";

/**
 * AWS resolves TimeoutSecondsPath/HeartbeatSecondsPath against the state input, but a Task override only
 * sees the input after Parameters. So the path is copied into Parameters as a synthetic field, which the
 * interpreter resolves against the state input; the task runner reads it from there and strips it.
 */
function pathOnStateInput(state: Json, key: string, path: string): string {
  if (!isObject(state.Parameters)) return path;
  (state.Parameters as Json)[`${key}.$`] = path;
  return `$.${key}`;
}

function taskKind(resource: string): TaskKind {
  if (resource === INVOKE) return "invoke";
  if (resource === INVOKE_CALLBACK) return "callback";
  if (FUNCTION_ARN.test(resource)) return "function";
  return "unsupported";
}

function waitSpec(name: string, state: Json, topLevel: boolean): WaitSpec {
  const spec: WaitSpec = { name, topLevel };
  if (state.InputPath === null || typeof state.InputPath === "string") spec.inputPath = state.InputPath;
  const seconds = optionalNumber(state.Seconds);
  if (seconds !== undefined) spec.seconds = seconds;
  if (typeof state.Timestamp === "string") spec.timestamp = state.Timestamp;
  if (typeof state.SecondsPath === "string") spec.secondsPath = state.SecondsPath;
  if (typeof state.TimestampPath === "string") spec.timestampPath = state.TimestampPath;
  return spec;
}

const REDIRECTS: [RegExp, string][] = [
  [/\$\$\.Execution\.Input\b/g, "$$$$.Execution.__Input"],
  [/\$\$\.Execution\.StartTime\b/g, "$$$$.Execution.__StartTime"],
];

/** Rewrites context paths in path fields and `.$` values; literal values are left alone. */
function redirectContextPaths(value: unknown, key = ""): unknown {
  if (typeof value === "string") {
    if (!(key.endsWith(".$") || key.endsWith("Path") || key === "Variable")) return value;
    return REDIRECTS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), value);
  }
  if (Array.isArray(value)) return value.map((item) => redirectContextPaths(item, key));
  if (isObject(value)) {
    if (key === "Result") return value;
    return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, redirectContextPaths(item, k)]));
  }
  return value;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
