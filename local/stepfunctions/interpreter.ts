import {
  ExecutionError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from "aws-local-stepfunctions";

/** A JSON value as the interpreter passes it around (its own type is not exported). */
export type JsonValue = Parameters<StateMachine["run"]>[0];
/** One event of an interpreter run (its own type is not exported). */
export type InterpreterEvent =
  ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;
/** The overrides a run accepts. */
export type RunOverrides = NonNullable<RunOptions["overrides"]>;

type ErrorClass = new () => Error;
let timeoutErrorClass: Promise<ErrorClass> | undefined;

/**
 * The interpreter's own States.Timeout error class. Its Catch treats `States.TaskFailed` as "anything but a
 * timeout" by `instanceof` on that (unexported) class, so timeouts the service raises on the local clock must
 * be instances of it. A one-state run that times out after 1 ms yields one.
 */
export function interpreterTimeoutErrorClass(): Promise<ErrorClass> {
  timeoutErrorClass ??= captureTimeoutErrorClass();
  return timeoutErrorClass;
}

async function captureTimeoutErrorClass(): Promise<ErrorClass> {
  const definition = {
    StartAt: "Probe",
    States: {
      Probe: {
        Type: "Task",
        Resource: "arn:aws:lambda:us-east-1:000000000000:function:probe",
        TimeoutSeconds: 0.001,
        End: true,
      },
    },
  } as unknown as StateMachineDefinition;
  const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
  const run = machine.run(null, {
    overrides: { taskResourceLocalHandlers: { Probe: () => new Promise<JsonValue>(() => {}) } },
  });
  try {
    await run.result;
  } catch (error) {
    const cause = error instanceof ExecutionError ? error.cause : undefined;
    if (cause instanceof Error && cause.name === "States.Timeout") return cause.constructor as ErrorClass;
  }
  throw new Error("aws-local-stepfunctions changed: could not obtain its States.Timeout error class");
}
