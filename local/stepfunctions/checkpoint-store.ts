import { createHash } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { type ExecutionRecord, ExecutionRecordSchema, type HistoryEvent } from "./records";

/**
 * Execution records and histories under `<dataDir>/stepfunctions/`: one `<id>.json` per execution, replaced
 * atomically (tmp + rename), and one append-only `<id>.history.jsonl`.
 */
export class CheckpointStore {
  readonly dir: string;
  private readonly handles = new Map<string, Promise<FileHandle>>();

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, "stepfunctions");
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Every readable execution record; unreadable files are reported through `warn` and skipped. */
  async loadRecords(warn: (line: string) => void): Promise<ExecutionRecord[]> {
    const records: ExecutionRecord[] = [];
    for (const file of await readdir(this.dir)) {
      if (!file.endsWith(".json")) continue;
      const full = path.join(this.dir, file);
      try {
        const parsed = ExecutionRecordSchema.safeParse(JSON.parse(await readFile(full, "utf8")));
        if (parsed.success) records.push(parsed.data);
        else
          warn(
            `skipping ${file}: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`,
          );
      } catch (error) {
        warn(`skipping ${file}: ${(error as Error).message}`);
      }
    }
    return records;
  }

  /** The persisted history of an execution; a line torn by a crash is dropped. */
  async readHistory(executionArn: string): Promise<HistoryEvent[]> {
    let text: string;
    try {
      text = await readFile(this.historyFile(executionArn), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const events: HistoryEvent[] = [];
    for (const line of text.split("\n")) {
      if (!line) continue;
      try {
        events.push(JSON.parse(line) as HistoryEvent);
      } catch {
        // a torn final line after kill -9: the event is re-created or lost, never half-read
      }
    }
    return events;
  }

  /** Appends `events` to the history and replaces the record (tmp + rename), both at once. */
  async write(record: ExecutionRecord, events: HistoryEvent[]): Promise<void> {
    const file = this.recordFile(record.executionArn);
    const tmp = `${file}.tmp`;
    const appended =
      events.length > 0
        ? this.history(record.executionArn).then((handle) =>
            handle.appendFile(events.map((e) => `${JSON.stringify(e)}\n`).join("")),
          )
        : undefined;
    await writeFile(tmp, JSON.stringify(record));
    await rename(tmp, file);
    await appended;
  }

  /** Closes the history file kept open for an execution that will not change any more (or on shutdown). */
  async release(executionArn: string): Promise<void> {
    const handle = this.handles.get(executionArn);
    this.handles.delete(executionArn);
    await (await handle)?.close();
  }

  /** Running executions append often: their history file stays open. */
  private history(executionArn: string): Promise<FileHandle> {
    let handle = this.handles.get(executionArn);
    if (!handle) {
      handle = open(this.historyFile(executionArn), "a");
      this.handles.set(executionArn, handle);
    }
    return handle;
  }

  private recordFile(executionArn: string): string {
    return path.join(this.dir, `${fileId(executionArn)}.json`);
  }

  private historyFile(executionArn: string): string {
    return path.join(this.dir, `${fileId(executionArn)}.history.jsonl`);
  }
}

/** Execution ARNs contain characters unfit for file names; a digest is short and stable. */
function fileId(executionArn: string): string {
  return createHash("sha256").update(executionArn).digest("hex").slice(0, 32);
}
