/** What GET /local/metrics answers: counters since the cloud started or since the last reset. */
export interface MetricsSnapshot {
  /** When counting began (start or last reset), real time, ISO 8601. */
  since: string;
  dynamodb: {
    /** Requests that reached the DynamoDB endpoint the handlers use, SDK retries included. */
    calls: number;
    /** By operation (the X-Amz-Target after the dot), e.g. `{ "GetItem": 12 }`. */
    byOperation: Record<string, number>;
    /** Consumed capacity as DynamoDB Local reports it for successful calls (failed conditional writes report none). */
    readCapacityUnits: number;
    writeCapacityUnits: number;
    /** Error answers by type, e.g. `{ "ConditionalCheckFailedException": 1 }`. */
    errors: Record<string, number>;
    /** Calls that found no DynamoDB to talk to (stopped or crashed) and were cut off. */
    unreachable: number;
  };
  lambda: {
    invocations: number;
    byFunction: Record<string, number>;
  };
  stepFunctions: {
    /** History events of type `*StateEntered`, as they are journaled (what AWS bills as state transitions). */
    stateTransitions: number;
  };
  ses: {
    emailsSent: number;
  };
  iam: {
    /** AWS calls checked against the calling function's role. */
    checked: number;
    /** Calls refused, by `<action> by <function>`, e.g. `{ "dynamodb:PutItem by ReminderSweep": 1 }`. */
    denied: Record<string, number>;
  };
}

/** The local cloud's counters: cheap increments on the hot paths, read and zeroed over HTTP. */
export class LocalMetrics {
  private counts: MetricsSnapshot = fresh();

  /** One AWS call checked against a function's role. */
  iamChecked(): void {
    this.counts.iam.checked++;
  }

  /** One AWS call refused by IAM. */
  iamDenied(what: string): void {
    increment(this.counts.iam.denied, what);
  }

  /** One request to DynamoDB, counted as it arrives. */
  dynamoDbCall(operation: string): void {
    this.counts.dynamodb.calls += 1;
    increment(this.counts.dynamodb.byOperation, operation);
  }

  dynamoDbCapacity(read: number, write: number): void {
    this.counts.dynamodb.readCapacityUnits += read;
    this.counts.dynamodb.writeCapacityUnits += write;
  }

  dynamoDbError(type: string): void {
    increment(this.counts.dynamodb.errors, type);
  }

  dynamoDbUnreachable(): void {
    this.counts.dynamodb.unreachable += 1;
  }

  lambdaInvoked(functionName: string): void {
    this.counts.lambda.invocations += 1;
    increment(this.counts.lambda.byFunction, functionName);
  }

  stateEntered(): void {
    this.counts.stepFunctions.stateTransitions += 1;
  }

  emailSent(): void {
    this.counts.ses.emailsSent += 1;
  }

  /** A copy of the counters (later counting does not change it). */
  snapshot(): MetricsSnapshot {
    return structuredClone(this.counts);
  }

  /** Zeroes every counter and starts counting from now. */
  reset(): void {
    this.counts = fresh();
  }
}

function fresh(): MetricsSnapshot {
  return {
    since: new Date().toISOString(),
    dynamodb: {
      calls: 0,
      byOperation: {},
      readCapacityUnits: 0,
      writeCapacityUnits: 0,
      errors: {},
      unreachable: 0,
    },
    lambda: { invocations: 0, byFunction: {} },
    stepFunctions: { stateTransitions: 0 },
    ses: { emailsSent: 0 },
    iam: { checked: 0, denied: {} },
  };
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
